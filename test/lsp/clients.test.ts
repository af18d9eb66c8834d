// What the server does for LSP clients that are not VS Code: settings from each of the three places a
// client can put them, code actions found for ranges a client computed in its own units or only partly
// covering a finding, no workspace scan unless asked for, and files skipped visibly. All through the real
// server process over stdio.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { ReadinessRequest } from '../../common/protocol';
import { fileUri, ServerProcess } from './serverProcess';

const STACK = [
  'services:',
  '  web:',
  '    image: nginx:1.27',
  '    deploy:',
  '      replicas: 1',
  '      placement:',
  '        constraints: [node.role != manager]',
  '',
].join('\n');

async function started(initializationOptions?: unknown, configuration = true, rootUri: string | null = null): Promise<ServerProcess> {
  const server = new ServerProcess();
  await server.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
    initializationOptions,
    capabilities: { workspace: { configuration, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } } },
  });
  await server.connection.sendNotification('initialized', {});
  return server;
}

const servers: ServerProcess[] = [];
const dirs: string[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function server(...args: Parameters<typeof started>): Promise<ServerProcess> {
  const s = await started(...args);
  servers.push(s);
  return s;
}

const codes = (diags: Diagnostic[]) => diags.map((d) => d.code).sort();

describe('settings from any client', () => {
  const off = { rules: { 'compose/single-replica': 'off' } };

  it('takes initializationOptions.settings and initializationOptions.prodready from a client without workspace/configuration', async () => {
    for (const options of [{ settings: off }, { prodready: off }]) {
      const s = await server(options, false);
      const diags = await s.open(`file:///work/${Object.keys(options)[0]}/docker-stack.yml`, STACK);
      assert.ok(!codes(diags).includes('compose/single-replica'), JSON.stringify(options));
    }
  });

  it('keeps the inline settings when the client answers workspace/configuration with nothing (bare Neovim)', async () => {
    const s = await server({ prodready: off }, true);
    s.settings = null as unknown as Record<string, unknown>;
    const diags = await s.open('file:///work/bare/docker-stack.yml', STACK);
    assert.ok(!codes(diags).includes('compose/single-replica'));
  });

  it('takes settings sent with workspace/didChangeConfiguration, even from a client that also answers workspace/configuration', async () => {
    const s = await server(undefined, true);
    s.settings = null as unknown as Record<string, unknown>;
    const uri = 'file:///work/dcc/docker-stack.yml';
    assert.ok(codes(await s.open(uri, STACK)).includes('compose/single-replica'));
    const republished = s.diagnostics(uri);
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { prodready: off } });
    assert.ok(!codes((await republished).diagnostics).includes('compose/single-replica'));
  });
});

describe('code actions for clients that compute ranges their own way', () => {
  const NGINX = ['server {', '    listen 443 ssl;', '    server_name shop.example.com;', '    ssl_certificate /etc/ssl/a.crt;', '    ssl_certificate_key /etc/ssl/a.key;', '    add_header X-Équipe "café crème"; ssl on;', '}', ''].join('\n');
  const uri = 'file:///etc/nginx/conf.d/shop.conf';

  async function opened(): Promise<{ s: ServerProcess; finding: Diagnostic }> {
    const s = await server();
    const diags = await s.open(uri, NGINX, 'nginx');
    const finding = diags.find((d) => d.code === 'nginx/deprecated-ssl-on');
    assert.ok(finding, 'the finding is published');
    return { s, finding };
  }

  const titles = (actions: CodeAction[]) => actions.map((a) => a.title);

  it('finds the fix for a diagnostic sent back with byte columns and without its data (Neovim 0.7)', async () => {
    const { s, finding } = await opened();
    const line = NGINX.split('\n')[finding.range.start.line];
    const bytes = (character: number) => Buffer.byteLength(line.slice(0, character), 'utf8');
    assert.ok(bytes(finding.range.start.character) > finding.range.start.character, 'the line has multi-byte text before the finding');
    const rebuilt: Diagnostic = {
      ...finding,
      data: undefined,
      range: {
        start: { line: finding.range.start.line, character: bytes(finding.range.start.character) },
        end: { line: finding.range.end.line, character: bytes(finding.range.end.character) },
      },
    };
    const actions = (await s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: rebuilt.range,
      context: { diagnostics: [rebuilt] },
    })) as CodeAction[];
    assert.ok(actions.some((a) => a.isPreferred && a.kind === 'quickfix'), titles(actions).join(', '));
  });

  it('offers the fixes of the findings on the requested lines when the client sends no diagnostics (a selection)', async () => {
    const { s, finding } = await opened();
    const actions = (await s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: finding.range.start.line, character: 2 }, end: { line: finding.range.start.line, character: 3 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.ok(actions.some((a) => a.isPreferred && a.diagnostics?.[0]?.code === 'nginx/deprecated-ssl-on'), titles(actions).join(', '));
    assert.ok(actions.some((a) => a.kind === 'quickfix.prodready.disable'));
  });

  it('answers malformed code action params with InvalidParams and keeps serving', async () => {
    const { s } = await opened();
    for (const params of [null, {}, { textDocument: { uri } }]) {
      await assert.rejects(s.connection.sendRequest('textDocument/codeAction', params), (e: { code?: number }) => e.code === -32602);
    }
    assert.ok(s.alive);
  });
});

describe('the workspace scan', () => {
  it('does not run for a client that never asks for the readiness report, and starts when one does', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-plain-'));
    dirs.push(root);
    fs.writeFileSync(path.join(root, 'docker-stack.yml'), STACK);
    fs.writeFileSync(path.join(root, 'other-stack.yml'), STACK);
    const s = await server(undefined, true, fileUri(root));
    await s.open(fileUri(path.join(root, 'docker-stack.yml')), STACK);
    assert.ok(!s.logs.some((l) => /workspace scan/.test(l)), s.logs.join('\n'));
    // The server logs the start before it answers, and messages arrive in order.
    await s.connection.sendRequest(ReadinessRequest.method, { includeSkipped: true });
    assert.ok(s.logs.includes('workspace scan started'), s.logs.join('\n'));
  });
});

describe('files that are not checked', () => {
  it('say so on their first line when too large or binary, naming what to change', async () => {
    const s = await server({ prodready: { maxFileSize: 40 } }, false);
    const big = await s.open('file:///work/skip/docker-stack.yml', STACK);
    assert.equal(big.length, 1);
    assert.equal(big[0].severity, 3);
    assert.match(big[0].message, /did not check this file: it has \d+ characters, more than prodready\.maxFileSize/);
    assert.deepEqual(big[0].range.start, { line: 0, character: 0 });
    const binary = await s.open('file:///work/skip/nginx.conf', 'x\u0000y');
    assert.match(binary[0]?.message ?? '', /looks binary/);
  });

  it('stay quiet when named for a non-production environment (a deliberate convention)', async () => {
    const s = await server();
    assert.deepEqual(await s.open('file:///work/skip/docker-compose.override.yml', STACK), []);
  });
});

describe('publications racing edits', () => {
  it('publishes every version with the positions of that version’s text', async () => {
    const s = await server();
    const uri = 'file:///work/race/docker-stack.yml';
    const texts = new Map<number, string>([[1, STACK]]);
    await s.open(uri, STACK);
    // Each edit adds a line at the top, moving every finding down by one: a publication computed on
    // one version and converted on another is off by the difference.
    let text = STACK;
    for (let version = 2; version <= 30; version++) {
      text = `# edit ${version}\n${text}`;
      texts.set(version, text);
      await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      if (version % 7 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await s.diagnostics(uri, 30);
    const published = s.published.filter((p) => p.uri === uri);
    assert.ok(published.length >= 2);
    for (const p of published) {
      assert.ok(p.version !== undefined && texts.has(p.version), `published with its version (${p.version})`);
      const lines = texts.get(p.version!)!.split('\n');
      for (const d of p.diagnostics.filter((x) => x.code === 'compose/single-replica')) {
        assert.equal(lines[d.range.start.line].trim(), 'replicas: 1', `version ${p.version}: the finding's line is its own`);
      }
    }
  });
});
