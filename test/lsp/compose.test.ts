// The language server over its real protocol: diagnostics on open and change, quick fixes applied
// from code actions, settings changes re-validating, suppression, and survival on hostile input.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerProcess } from './serverProcess';

const STACK = `services:
  web:
    image: nginx:1.27.3 # pinned
    ports:
      - "443:443"
    deploy:
      replicas: 3
      resources:
        limits: {memory: 256M}
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/"]
  worker:
    image: myorg/worker:latest
    deploy:
      replicas: 2
      placement:
        constraints: [node.role != manager]
`;

function codes(diags: Diagnostic[]): string[] {
  return diags.map((d) => String(d.code)).sort();
}

async function actionsFor(server: ServerProcess, uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  })) as CodeAction[];
}

function applyAction(text: string, uri: string, action: CodeAction): string {
  const edits = action.edit?.changes?.[uri] as TextEdit[];
  assert.ok(edits?.length, `action "${action.title}" has no edits`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}

describe('language server over stdio: compose/stack files', () => {
  let server: ServerProcess;
  before(async () => {
    server = new ServerProcess({ PRODREADY_DEBOUNCE_MS: '20' });
    await server.initialize();
  });
  after(() => server.stop());

  it('publishes diagnostics with rule code, source and a documentation link on open', async () => {
    const uri = 'file:///work/app/docker-stack.yml';
    const diags = await server.open(uri, STACK);
    const placement = diags.find((d) => d.code === 'compose/manager-placement');
    assert.ok(placement, `no manager-placement in ${codes(diags)}`);
    assert.equal(placement.source, 'prodready');
    assert.equal(placement.range.start.line, 1, 'points at the service key "web"');
    const href = placement.codeDescription?.href;
    assert.ok(href?.endsWith('/docs/rules/compose/manager-placement.md'), href);
    assert.ok(fs.existsSync(fileURLToPath(href!)), `documentation page ${href} exists`);
    assert.ok(codes(diags).includes('compose/image-tag'), 'the :latest image is reported');
  });

  it('offers a preferred quick fix whose edit removes the diagnostic', async () => {
    const uri = 'file:///work/app2/docker-stack.yml';
    const diags = await server.open(uri, STACK);
    const placement = diags.find((d) => d.code === 'compose/manager-placement')!;
    const actions = await actionsFor(server, uri, placement);
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, `no preferred action among ${actions.map((a) => a.title)}`);
    assert.equal(preferred.kind, 'quickfix');
    const fixed = applyAction(STACK, uri, preferred);
    assert.ok(fixed.includes('# pinned'), 'comment kept');
    const after = await server.change(uri, 2, fixed);
    assert.ok(!codes(after).includes('compose/manager-placement'), `still reported: ${codes(after)}`);
    assert.equal(after.filter((d) => d.code === 'compose/image-tag').length, 1, 'other findings unchanged');
  });

  it('returns no stale fixes for an older document version', async () => {
    const uri = 'file:///work/app3/docker-stack.yml';
    const diags = await server.open(uri, STACK);
    const stale = diags.find((d) => d.code === 'compose/image-tag')!;
    await server.change(uri, 2, STACK.replace('web:', 'frontend:'));
    // The diagnostic object is from version 1; its range may not match version 2 any more.
    const actions = await actionsFor(server, uri, { ...stale, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });
    assert.deepEqual(actions, []);
  });

  it('does not publish diagnostics again when an edit leaves them unchanged, and always publishes changed ones', async () => {
    const uri = 'file:///work/app7/docker-stack.yml';
    const diags = await server.open(uri, STACK);
    const tag = diags.find((d) => d.code === 'compose/image-tag')!;
    // A comment edit: same findings, same ranges.
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: STACK.replace('# pinned', '# pinned, reviewed') }],
    });
    // A code action waits for the analysis of version 2, so once it answers that analysis is done; the
    // diagnostic the client still holds (published for version 1) finds its fixes in version 2.
    const actions = await actionsFor(server, uri, tag);
    assert.ok(
      actions.some((a) => a.title === 'Disable compose/image-tag for this line'),
      `no fixes for the version-1 diagnostic: ${actions.map((a) => a.title)}`,
    );
    assert.deepEqual(
      server.published.filter((p) => p.uri === uri).map((p) => p.version),
      [1],
      'the unchanged diagnostics of version 2 were published again',
    );
    // A real change is published, at its version.
    const changed = await server.change(uri, 3, STACK.replace('myorg/worker:latest', 'myorg/worker:1.4.2'));
    assert.deepEqual(codes(changed), codes(diags).filter((c) => c !== 'compose/image-tag'));
    // Back to version 1's findings: changed from what the client shows, so published too.
    const back = await server.change(uri, 4, STACK);
    assert.deepEqual(codes(back), codes(diags));
    assert.deepEqual(
      server.published.filter((p) => p.uri === uri).map((p) => p.version),
      [1, 3, 4],
    );
  });

  it('"Disable for this line" silences exactly that finding', async () => {
    const uri = 'file:///work/app4/docker-stack.yml';
    const diags = await server.open(uri, STACK);
    const tag = diags.find((d) => d.code === 'compose/image-tag')!;
    const disable = (await actionsFor(server, uri, tag)).find((a) => a.title === 'Disable compose/image-tag for this line');
    assert.ok(disable);
    assert.notEqual(disable.isPreferred, true, 'suppressing is never the preferred fix');
    assert.equal(disable.kind, 'quickfix.prodready.disable', 'told apart from repairs by its kind');
    const text = applyAction(STACK, uri, disable);
    assert.match(text, /\n {4}# prodready-disable-next-line compose\/image-tag\n {4}image: myorg\/worker:latest/);
    const after = await server.change(uri, 2, text);
    assert.deepEqual(codes(after), codes(diags).filter((c) => c !== 'compose/image-tag'));
  });

  it('re-validates open files when settings change', async () => {
    const uri = 'file:///work/app5/docker-stack.yml';
    const diags = await server.open(uri, STACK);
    assert.ok(codes(diags).includes('compose/image-tag'));
    server.settings = { rules: { 'compose/image-tag': 'off', 'compose/no-healthcheck': 'error' } };
    const wait = server.diagnostics(uri);
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { prodready: server.settings } });
    const after = (await wait).diagnostics;
    assert.ok(!codes(after).includes('compose/image-tag'), 'rule switched off');
    const hc = after.find((d) => d.code === 'compose/no-healthcheck');
    assert.equal(hc?.severity, 1, 'severity raised to error');
    server.settings = {};
    const back = server.diagnostics(uri);
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { prodready: {} } });
    await back;
  });

  it('leaves files named for non-production environments alone', async () => {
    const diags = await server.open('file:///work/app6/docker-compose.override.yml', STACK);
    assert.deepEqual(diags, []);
  });

  it('survives hostile documents and keeps serving', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    const hostile: [string, string][] = [
      ['binary', '\u0000\u0001\u0002\u00ff\ufffd'.repeat(1000)],
      ['alias bomb', 'services:\n  web:\n    image: nginx:1\n' + bomb.join('\n') + '\n'],
      ['deep nesting', 'services:\n  web: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n'],
      ['broken yaml', 'services:\n  web:\n    image: "unterminated\n  - : : :\n\t\tbad'],
      ['huge line', 'services:\n  web:\n    image: ' + 'x'.repeat(2_000_000) + '\n'],
    ];
    for (const [name, text] of hostile) {
      const uri = `file:///work/hostile/${name.replace(/ /g, '-')}/docker-stack.yml`;
      const diags = await server.open(uri, text);
      assert.ok(Array.isArray(diags), name);
      assert.ok(server.alive, `server died on ${name}`);
    }
    const sane = await server.open('file:///work/hostile/after/docker-stack.yml', STACK);
    assert.ok(codes(sane).includes('compose/image-tag'), 'still analysing after hostile input');
  });
});
