// Fix All over the real protocol: FixAllRequest and the `source.fixAll.prodready` code action return
// small line-based edits that, applied, leave no auto-fixable finding (re-checked with the core) and
// keep every comment — for an open document (with its version) and for a closed file read from disk.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/core/analyze';
import { FixAllRequest } from '../../common/protocol';
import { diskFileAccess } from '../../server/src/host/files';
import { REPO } from './serverProcess';
import { copyFixture, fileUri, WorkspaceClient } from './workspaceHelpers';

/** Several fixable findings in one file, some touching the same service, with comments everywhere. */
const STACK = `# Production stack for the shop.
services:
  web: # the storefront
    image: nginx:1.27.3 # pinned
    ports:
      - "443:443"
    deploy:
      replicas: 1 # scaled up after launch
      restart_policy:
        condition: none
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/"]
  worker:
    # The queue consumer.
    image: myorg/worker:2.4.1
    deploy:
      replicas: 1
  cron:
    image: myorg/cron:2.4.1
    deploy:
      # one is enough for cron?
      replicas: 1
`;

type FixAllResult = { changes: TextEdit[]; version?: number };

function autoFixable(text: string, file: string): string[] {
  const result = analyze({ text, path: file, files: diskFileAccess });
  return result.findings.filter((f) => f.fixes.some((x) => x.preferred && !x.suppression && x.changes.length > 0)).map((f) => f.ruleId);
}

function comments(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /#.*$/.exec(l)?.[0].trim())
    .filter((c): c is string => !!c);
}

function assertOrdered(edits: TextEdit[]): void {
  for (let i = 1; i < edits.length; i++) {
    const [a, b] = [edits[i - 1].range.end, edits[i].range.start];
    assert.ok(a.line < b.line || (a.line === b.line && a.character <= b.character), 'edits are ordered and never overlap');
  }
}

function assertSmallOrderedEdits(edits: TextEdit[], text: string): void {
  const lines = text.split('\n').length;
  assertOrdered(edits);
  for (const e of edits)
    assert.ok(e.range.end.line - e.range.start.line < lines - 1, `edit ${JSON.stringify(e.range)} does not replace the whole file`);
}

describe('Fix All', () => {
  let root: string;
  let client: WorkspaceClient;
  before(async () => {
    root = copyFixture('small', REPO);
    client = await WorkspaceClient.start([root]);
    await client.settled();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('fixes every auto-fixable finding of an open document, keeping comments, in small edits', async () => {
    const file = path.join(root, 'shop/docker-stack.yml');
    const uri = fileUri(file);
    const before = autoFixable(STACK, file);
    assert.ok(new Set(before).size >= 2 && before.length >= 4, `several auto-fixable findings to start with: ${before}`);
    await client.server.open(uri, STACK);

    const result = (await client.server.connection.sendRequest(FixAllRequest.method, { uri, version: 1 })) as FixAllResult;
    assert.equal(result.version, 1);
    assertSmallOrderedEdits(result.changes, STACK);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, STACK), result.changes);
    assert.deepEqual(autoFixable(fixed, file), [], 'nothing auto-fixable is left');
    assert.deepEqual(comments(fixed), comments(STACK), 'every comment kept, in order');

    // The same edit as a source action (editor.codeActionsOnSave: source.fixAll).
    const actions = (await client.server.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.kind),
      ['source.fixAll.prodready'],
    );
    const edit = actions[0].edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(edit.textDocument, { uri, version: 1 });
    assert.deepEqual(edit.edits, result.changes);

    // Applied in the editor, the fixed findings are gone from the diagnostics too.
    const diagnostics = await client.server.change(uri, 2, fixed);
    const left = new Set(diagnostics.map((d) => d.code));
    for (const id of before) assert.ok(!left.has(id), `${id} fixed`);

    // No request for Fix All, no Fix All action: quick fixes only.
    const plain = (await client.server.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.ok(!plain.some((a) => a.kind === 'source.fixAll.prodready'));
  });

  it('answers no edits, and its own version, when asked for another version of an open document', async () => {
    const uri = fileUri(path.join(root, 'shop/other-stack.yml'));
    await client.server.open(uri, STACK);
    // A comment edit: the diagnostics stay the same and are not published again, so nothing to wait for
    // (the server handles the request after the notification).
    await client.server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: STACK.replace('# pinned', '# pinned, reviewed') }],
    });
    const stale = (await client.server.connection.sendRequest(FixAllRequest.method, { uri, version: 1 })) as FixAllResult;
    assert.deepEqual(stale, { changes: [], version: 2 });
    const current = (await client.server.connection.sendRequest(FixAllRequest.method, { uri, version: 2 })) as FixAllResult;
    assert.equal(current.version, 2);
    assert.ok(current.changes.length > 0);
  });

  it('answers a malformed request with an error and keeps serving', async () => {
    await assert.rejects(client.server.connection.sendRequest(FixAllRequest.method, {}), (e: { code?: number; message?: string }) => {
      assert.equal(e.code, -32602, e.message);
      return true;
    });
    assert.ok(client.server.alive);
    assert.equal((await client.readiness()).scanning, false);
  });

  it('fixes closed files from disk (Helm values, HAProxy), with no document version', async () => {
    for (const rel of ['charts/web/values.yaml', 'haproxy/haproxy.cfg']) {
      const file = path.join(root, rel);
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(autoFixable(text, file).length > 0, `${rel} has something to fix`);
      const result = (await client.server.connection.sendRequest(FixAllRequest.method, { uri: fileUri(file) })) as FixAllResult;
      assert.equal(result.version, undefined, rel);
      assertSmallOrderedEdits(result.changes, text);
      const fixed = TextDocument.applyEdits(TextDocument.create(fileUri(file), 'plaintext', 0, text), result.changes);
      assert.deepEqual(autoFixable(fixed, file), [], rel);
      assert.deepEqual(comments(fixed), comments(text), `${rel}: comments kept`);
    }
  });

  it('returns no edits when there is nothing to fix, or no such file', async () => {
    for (const uri of [fileUri(path.join(root, 'nginx/nginx.conf')), fileUri(path.join(root, 'missing/docker-stack.yml'))]) {
      const result = (await client.server.connection.sendRequest(FixAllRequest.method, { uri })) as FixAllResult;
      assert.deepEqual(result.changes, [], uri);
    }
  });
});
