// The team's .prodready.yaml in the language server: the base of the settings (under what the user set
// explicitly in the editor), read again when it changes, and an invalid file said in the file itself.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, ServerProcess } from './serverProcess';

const STACK = 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      replicas: 1\n      placement: {constraints: [node.role != manager]}\n';
const dirs: string[] = [];
const servers: ServerProcess[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function workspace(config: string): Promise<{ root: string; server: ServerProcess; stack: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-project-'));
  dirs.push(root);
  fs.mkdirSync(path.join(root, '.git'));
  fs.writeFileSync(path.join(root, '.prodready.yaml'), config);
  fs.mkdirSync(path.join(root, 'deploy'));
  const stack = path.join(root, 'deploy/docker-stack.yml');
  fs.writeFileSync(stack, STACK);
  const server = new ServerProcess();
  servers.push(server);
  await server.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: fileUri(root),
    workspaceFolders: [{ uri: fileUri(root), name: 'ws' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  await server.connection.sendNotification('initialized', {});
  return { root, server, stack };
}

const codes = (d: Diagnostic[]) => d.map((x) => `${x.severity} ${x.code}`);

describe('.prodready.yaml in the language server', () => {
  it('is the base of the settings, under what the user set explicitly in the editor', async () => {
    const { server, stack } = await workspace('rules:\n  compose/single-replica: "off"\n  compose/no-healthcheck: error\n');
    const diags = codes(await server.open(fileUri(stack), STACK));
    assert.ok(!diags.some((d) => d.endsWith('compose/single-replica')), diags.join(', '));
    assert.ok(diags.includes('1 compose/no-healthcheck'), 'the team file raised a severity');
    server.settings = { rules: { 'compose/single-replica': 'warning' } };
    const back = server.diagnostics(fileUri(stack));
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const again = codes((await back).diagnostics);
    assert.ok(again.includes('2 compose/single-replica'), 'an explicit editor setting wins');
    assert.ok(again.includes('1 compose/no-healthcheck'), 'the rest of the team file still applies');
  });

  it('is read again when it changes, and an invalid one is said in the file and as a warning', async () => {
    const { root, server, stack } = await workspace('rules: {compose/single-replica: "off"}\n');
    assert.ok(!codes(await server.open(fileUri(stack), STACK)).some((d) => d.endsWith('compose/single-replica')));
    const config = path.join(root, '.prodready.yaml');
    fs.writeFileSync(config, 'rules:\n  compose/single-replica: sometimes\n');
    const configDiagnostics = server.diagnostics(fileUri(config));
    const republished = server.diagnostics(fileUri(stack));
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(config), type: 2 }] });
    const onConfig = (await configDiagnostics).diagnostics;
    assert.equal(onConfig.length, 1);
    assert.equal(onConfig[0].range.start.line, 1, 'on the offending line');
    assert.match(onConfig[0].message, /"rules\.compose\/single-replica" must be one of/);
    assert.ok(codes((await republished).diagnostics).includes('2 compose/single-replica'), 'defaults apply while it is invalid');
    assert.ok(server.shown.some((m) => m.type === 2 && /prodready: .*\.prodready\.yaml:2/.test(m.message)), 'a warning notification');

    fs.writeFileSync(config, 'rules:\n  compose/single-replica: "off"\n');
    const cleared = server.diagnostics(fileUri(config));
    const fixed = server.diagnostics(fileUri(stack));
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(config), type: 2 }] });
    assert.deepEqual((await cleared).diagnostics, [], 'the config file is clean again');
    assert.ok(!codes((await fixed).diagnostics).some((d) => d.endsWith('compose/single-replica')));
  });
});
