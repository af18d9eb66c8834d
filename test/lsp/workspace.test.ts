// The workspace scan over the real protocol: a generated workspace of 1,000 configs is scanned with
// progress while the file being typed in keeps getting its diagnostics; watched-file events keep the
// results current; closed files' findings become diagnostics only when asked; rescans and shutdown
// in the middle of a scan neither hang nor crash. Every wait is on a message.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WatchKind } from 'vscode-languageserver-protocol';
import { dependencyGlobs, scanGlobs } from '../../server/src/core/catalog';
import { generateStack } from '../bench/gen/compose';
import { REPO } from './serverProcess';
import { copyFixture, FileChangeType, fileUri, generateWorkspace, tempWorkspace, WorkspaceClient, writeFile } from './workspaceHelpers';

const EDITED = generateStack(3, 42);
/**
 * Version `v` of the edited file: every other version runs one replica, so each edit changes the
 * diagnostics (unchanged ones are not published again, and each edit waits for its own).
 */
const edited = (v: number) => EDITED.replace(/replicas: \d+/, `replicas: ${v % 2 === 0 ? 1 : v}`);

describe('workspace scan of 1,000 generated configs', () => {
  let root: string;
  let client: WorkspaceClient;
  after(async () => {
    await client?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds every config, reports progress, and never makes the open file wait for the scan', async (t) => {
    root = tempWorkspace('scan1000');
    const workspace = generateWorkspace(root, 1000, 3);
    client = await WorkspaceClient.start([root]);
    const progressRun = client.progressRun();

    // Typing during the scan: an open stack file (not on disk) edited five times, each edit waiting for
    // its own diagnostics, starting as soon as the scan has analysed its first files.
    const editing = fileUri(path.join(root, 'editing/docker-stack.yml'));
    await client.waitFor(() => client.progress.find((p) => p.value.value.kind === 'report'), 'the first progress report');
    await client.server.open(editing, EDITED);
    const during: { ms: number; sentAt: number; percentAtSend: number; arrivedAt: number }[] = [];
    for (let v = 2; v <= 6; v++) {
      const percentAtSend = lastPercentage(client);
      const sentAt = performance.now();
      const diagnostics = client.server.diagnostics(editing, v);
      await client.server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: editing, version: v },
        contentChanges: [{ text: edited(v) }],
      });
      await diagnostics;
      const arrivedAt = performance.now();
      during.push({ ms: arrivedAt - sentAt, sentAt, percentAtSend, arrivedAt });
    }

    const progress = await progressRun;
    const scanEnd = progress[progress.length - 1].at;
    // Edits sent while most of the scan was still ahead must have had their diagnostics before it ended,
    // i.e. they did not queue behind the scan (no wall-clock threshold: only the order of messages).
    const early = during.filter((e) => e.percentAtSend < 50);
    assert.ok(early.length >= 1, `at least the first edit was sent early in the scan (${during.map((e) => e.percentAtSend)})`);
    for (const e of early) assert.ok(e.arrivedAt < scanEnd, `an edit sent at ${e.percentAtSend}% waited for the end of the scan`);

    // Progress: begin, reports with increasing percentages and "n/m files", end.
    const kinds = progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const reports = progress.filter((p) => p.value.kind === 'report').map((p) => p.value);
    assert.ok(reports.length >= 10, `${reports.length} progress reports`);
    for (let i = 1; i < reports.length; i++) assert.ok(reports[i].percentage! > reports[i - 1].percentage!, 'percentages increase');
    assert.equal(reports[reports.length - 1].percentage, 100);
    for (const r of reports) assert.match(r.message!, /^\d+\/\d+ files$/);

    // The report: exactly the generated configs (plus the open file), non-production ones skipped.
    const report = await client.settled();
    assert.equal(report.scanning, false);
    const listed = new Map(
      report.files.filter((f) => f.uri !== editing).map((f) => [path.relative(root, fileURLToPath(f.uri)).split(path.sep).join('/'), f]),
    );
    assert.equal(listed.size, workspace.configs.size, 'every generated config is listed, nothing else');
    for (const [rel, kind] of workspace.configs) {
      const f = listed.get(rel);
      assert.equal(f?.kind, kind, rel);
      assert.equal(f?.skipped, workspace.nonProduction.has(rel) ? 'non-production' : undefined, rel);
    }
    assert.equal(
      (await client.readiness(false)).files.filter((f) => f.uri !== editing).length,
      workspace.configs.size - workspace.nonProduction.size,
    );
    assert.equal(report.files.find((f) => f.uri === editing)?.open, true, 'the open file is in the report too');

    // The same edits with no scan running, for comparison (reported, not asserted).
    const idle: number[] = [];
    for (let v = 7; v <= 11; v++) {
      const sentAt = performance.now();
      await client.server.change(editing, v, edited(v));
      idle.push(performance.now() - sentAt);
    }
    const files = Number(/\/(\d+) files$/.exec(reports[reports.length - 1].message!)![1]);
    t.diagnostic(`scan: ${files} files in ${Math.round(scanEnd - progress[0].at)} ms`);
    t.diagnostic(
      `edit → diagnostics during the scan: ${during.map((e) => Math.round(e.ms)).join(', ')} ms; idle: ${idle.map(Math.round).join(', ')} ms`,
    );
  });
});

describe('watched files, workspace diagnostics, rescan and shutdown', () => {
  let root: string;
  let client: WorkspaceClient;
  const uri = (rel: string) => fileUri(path.join(root, rel));
  const listed = async () =>
    (await client.readiness()).files.map((f) => path.relative(root, fileURLToPath(f.uri)).split(path.sep).join('/'));

  before(async () => {
    root = copyFixture('small', REPO);
    client = await WorkspaceClient.start([root]);
    await client.settled();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('asks the client to watch what the kinds scan and depend on, the project configuration, and deletions', () => {
    const watchers = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')?.registerOptions as {
      watchers: { globPattern: string; kind?: number }[];
    };
    const globs = watchers.watchers.filter((w) => w.kind === undefined).map((w) => w.globPattern);
    assert.deepEqual(new Set(globs), new Set([...scanGlobs(), ...dependencyGlobs(), '**/.prodready.{yaml,yml,json}']));
    for (const g of ['**/Chart.yaml', '**/values.schema.json']) assert.ok(globs.includes(g), g);
    // A deleted folder is one event for the folder, which no file glob matches.
    assert.ok(watchers.watchers.some((w) => w.globPattern === '**/*' && w.kind === WatchKind.Delete));
  });

  it('re-analyses a file changed on disk', async () => {
    const rel = 'deploy/docker-stack.yml';
    const before = (await client.readiness()).files.find((f) => f.uri === uri(rel))!;
    assert.ok(before.findings.some((f) => f.ruleId === 'compose/single-replica'));
    fs.writeFileSync(path.join(root, rel), fs.readFileSync(path.join(root, rel), 'utf8').replace('replicas: 1', 'replicas: 2'));
    const seen = client.readinessChanges.length;
    await client.watched([{ uri: uri(rel), type: FileChangeType.Changed }]);
    await client.changed(uri(rel), seen);
    const after = (await client.readiness()).files.find((f) => f.uri === uri(rel))!;
    assert.ok(!after.findings.some((f) => f.ruleId === 'compose/single-replica'), 'the fixed replica count is seen');
    assert.ok(after.score! > before.score!);
  });

  it('adds a new file and drops a deleted one (and a deleted folder)', async () => {
    writeFile(root, 'edge/haproxy.cfg', fs.readFileSync(path.join(root, 'haproxy/haproxy.cfg'), 'utf8'));
    let seen = client.readinessChanges.length;
    await client.watched([{ uri: uri('edge/haproxy.cfg'), type: FileChangeType.Created }]);
    await client.changed(uri('edge/haproxy.cfg'), seen);
    assert.ok((await listed()).includes('edge/haproxy.cfg'));

    fs.rmSync(path.join(root, 'haproxy/haproxy.cfg'));
    seen = client.readinessChanges.length;
    await client.watched([{ uri: uri('haproxy/haproxy.cfg'), type: FileChangeType.Deleted }]);
    await client.changed(uri('haproxy/haproxy.cfg'), seen);
    assert.ok(!(await listed()).includes('haproxy/haproxy.cfg'));

    // A deleted folder is one event for the folder.
    fs.rmSync(path.join(root, 'deploy'), { recursive: true });
    seen = client.readinessChanges.length;
    await client.watched([{ uri: uri('deploy'), type: FileChangeType.Deleted }]);
    await client.changed(uri('deploy/docker-stack.yml'), seen);
    assert.deepEqual(
      (await listed()).filter((f) => f.startsWith('deploy/')),
      [],
    );
  });

  it("re-analyses a chart's values files when its Chart.yaml appears", async () => {
    // A values file that reads like a compose file is one, until a Chart.yaml next to it says otherwise.
    const values = 'charts/api/values.yaml';
    writeFile(root, values, 'services:\n  api:\n    image: example/api:2.0.1\n');
    let seen = client.readinessChanges.length;
    await client.watched([{ uri: uri(values), type: FileChangeType.Created }]);
    await client.changed(uri(values), seen);
    assert.equal((await client.readiness()).files.find((x) => x.uri === uri(values))?.kind, 'compose');
    writeFile(root, 'charts/api/Chart.yaml', 'apiVersion: v2\nname: api\nversion: 1.0.0\n');
    seen = client.readinessChanges.length;
    await client.watched([{ uri: uri('charts/api/Chart.yaml'), type: FileChangeType.Created }]);
    await client.changed(uri(values), seen);
    assert.equal((await client.readiness()).files.find((x) => x.uri === uri(values))?.kind, 'helm-values');
  });

  it('re-analyses an open document when a file its analysis looked for appears', async () => {
    const values = uri('charts/open/values.yaml');
    const before = await client.server.open(values, 'services:\n  api:\n    image: example/api:latest\n');
    assert.ok(before.some((d) => String(d.code).startsWith('compose/')), JSON.stringify(before.map((d) => d.code)));
    writeFile(root, 'charts/open/Chart.yaml', 'apiVersion: v2\nname: open\nversion: 1.0.0\n');
    const again = client.server.diagnostics(values, 1);
    await client.watched([{ uri: uri('charts/open/Chart.yaml'), type: FileChangeType.Created }]);
    const after = (await again).diagnostics;
    assert.ok(!after.some((d) => String(d.code).startsWith('compose/')), `now Helm values: ${JSON.stringify(after.map((d) => d.code))}`);
    await client.server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: values } });
  });

  it('re-analyses NGINX files when a file they include changes', async () => {
    const main = 'proxy/nginx/nginx.conf';
    const included = 'proxy/nginx/security.conf';
    writeFile(root, included, 'server_tokens off;\n');
    writeFile(
      root,
      main,
      [
        'events {',
        '    worker_connections 1024;',
        '}',
        'http {',
        '    include security.conf;',
        '    server {',
        '        listen 443 ssl;',
        '        ssl_certificate /etc/nginx/tls/site.crt;',
        '        ssl_certificate_key /etc/nginx/tls/site.key;',
        '        add_header Strict-Transport-Security "max-age=63072000" always;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    let seen = client.readinessChanges.length;
    await client.watched([
      { uri: uri(included), type: FileChangeType.Created },
      { uri: uri(main), type: FileChangeType.Created },
    ]);
    await client.changed(uri(main), seen);
    const serverTokens = async () =>
      (await client.readiness()).files.find((f) => f.uri === uri(main))?.findings.some((f) => f.ruleId === 'nginx/server-tokens');
    assert.equal(await serverTokens(), false, 'server_tokens off comes from the included file');
    fs.writeFileSync(path.join(root, included), '# server_tokens moved elsewhere\n');
    seen = client.readinessChanges.length;
    await client.watched([{ uri: uri(included), type: FileChangeType.Changed }]);
    await client.changed(uri(main), seen);
    assert.equal(await serverTokens(), true, 'nginx.conf was checked again with the new include');
  });

  it('follows workspace folders being added and removed', async () => {
    const extra = copyFixture('small', REPO);
    try {
      const extraUri = fileUri(extra);
      const stack = fileUri(path.join(extra, 'deploy/docker-stack.yml'));
      let seen = client.readinessChanges.length;
      await client.server.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
        event: { added: [{ uri: extraUri, name: 'extra' }], removed: [] },
      });
      await client.changed(stack, seen);
      assert.ok((await client.readiness()).files.some((f) => f.uri === stack));
      seen = client.readinessChanges.length;
      await client.server.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
        event: { added: [], removed: [{ uri: extraUri, name: 'extra' }] },
      });
      await client.changed(stack, seen);
      assert.ok(!(await client.readiness()).files.some((f) => f.uri.startsWith(extraUri + '/')), 'nothing left of the removed folder');
    } finally {
      fs.rmSync(extra, { recursive: true, force: true });
    }
  });

  it('publishes closed files’ findings only with prodready.workspaceDiagnostics, and not over an open file', async () => {
    const values = uri('charts/web/values.yaml');
    assert.equal(client.server.latest.get(values), undefined, 'off by default');
    const published = client.server.diagnostics(values);
    client.config.prodready = { workspaceDiagnostics: true };
    await client.server.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { prodready: client.config.prodready },
    });
    const closed = (await published).diagnostics;
    assert.ok(
      closed.some((d) => d.code === 'helm/single-replica'),
      JSON.stringify(closed),
    );
    assert.equal((await published).version, undefined);

    // Open: the editor's text wins; closed again: the file on disk.
    const text = fs.readFileSync(fileURLToPath(values), 'utf8').replace('replicaCount: 1', 'replicaCount: 3');
    const open = await client.server.open(values, text);
    assert.ok(!open.some((d) => d.code === 'helm/single-replica'));
    // The close clears the editor's diagnostics first, then the file's own come back.
    const cleared = client.server.diagnostics(values);
    await client.server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: values } });
    assert.deepEqual((await cleared).diagnostics, []);
    const republished = client.server.diagnostics(values);
    assert.ok((await republished).diagnostics.some((d) => d.code === 'helm/single-replica'));

    const off = client.server.diagnostics(values);
    client.config.prodready = {};
    await client.server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { prodready: {} } });
    assert.deepEqual((await off).diagnostics, [], 'cleared when the setting goes off');
  });

  it('survives rescans in the middle of a scan, and a shutdown during one', async () => {
    const big = tempWorkspace('rescan');
    const workspace = generateWorkspace(big, 300, 11);
    const other = await WorkspaceClient.start([big]);
    try {
      await other.waitFor(() => other.progress.find((p) => p.value.value.kind === 'report'), 'the scan to start');
      const first = other.rescan();
      const second = other.rescan();
      await Promise.all([first, second]);
      const report = await other.settled();
      assert.equal(report.files.length, workspace.configs.size, 'the last rescan completed');
      assert.ok(other.server.alive);

      // Every progress begun was ended (superseded scans included).
      const begun = new Set(other.progress.filter((p) => p.value.value.kind === 'begin').map((p) => p.value.token));
      const ended = new Set(other.progress.filter((p) => p.value.value.kind === 'end').map((p) => p.value.token));
      assert.deepEqual(
        [...begun].filter((t) => !ended.has(t)),
        [],
      );

      // Cancelled from the progress UI: the scan stops (a partial report), and a rescan completes.
      let count = other.progress.length;
      const rescanned = other.rescan();
      const begin = await other.waitFor(
        () => other.progress.slice(count).find((p) => p.value.value.kind === 'report'),
        'the rescan to start',
      );
      await other.server.connection.sendNotification('window/workDoneProgress/cancel', { token: begin.value.token });
      await rescanned;
      await other.waitFor(
        () => other.progress.slice(count).find((p) => p.value.value.kind === 'end' && p.value.token === begin.value.token),
        'the cancelled scan to end',
      );
      assert.equal((await other.settled()).scanning, false);
      await other.rescan();
      assert.equal((await other.settled()).files.length, workspace.configs.size, 'a rescan after a cancel completes');

      // Shutdown while a scan runs: answered, and the process exits.
      count = other.progress.length;
      void other.rescan().catch(() => undefined);
      await other.waitFor(() => other.progress.slice(count).find((p) => p.value.value.kind === 'report'), 'the next scan to start');
      const closed = new Promise<void>((resolve) => other.server.connection.onClose(() => resolve()));
      await other.server.connection.sendRequest('shutdown');
      await other.server.connection.sendNotification('exit');
      await closed;
      assert.doesNotMatch(other.server.stderr, /Error|at .*\.js:\d+/);
    } finally {
      await other.stop();
      fs.rmSync(big, { recursive: true, force: true });
    }
  });
});

describe('files the scan cannot check', () => {
  it('lists configs too large to check as skipped, and passes over binary files', async () => {
    const root = tempWorkspace('large');
    // Over three times the limit: never read. Just over it: read, and the core says too large.
    writeFile(root, 'big/docker-stack.yml', generateStack(3, 1).repeat(20));
    writeFile(root, 'mid/docker-stack.yml', 'services:\n  web:\n    image: nginx:1.27.3\n' + '# padding\n'.repeat(250));
    writeFile(root, 'bin/nginx.conf', Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x7b]).toString('latin1').repeat(500));
    writeFile(root, 'ok/docker-stack.yml', 'services:\n  web:\n    image: nginx:1.27.3\n');
    const client = await WorkspaceClient.start([root], { prodready: { maxFileSize: 2000 } });
    try {
      const report = await client.settled();
      const listed = report.files.map((f) => [
        path.relative(root, fileURLToPath(f.uri)).split(path.sep).join('/'),
        f.kind,
        f.skipped ?? '',
      ]);
      assert.deepEqual(listed, [
        ['big/docker-stack.yml', 'compose', 'too-large'],
        ['mid/docker-stack.yml', 'compose', 'too-large'],
        ['ok/docker-stack.yml', 'compose', ''],
      ]);
      assert.ok(client.server.alive);
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

function lastPercentage(client: WorkspaceClient): number {
  const reports = client.progress.filter((p) => p.value.value.kind === 'report');
  return reports[reports.length - 1]?.value.value.percentage ?? 0;
}
