// Environments through the real server: an overlay's diagnostics include what production inherits from
// its base (with the base as related information), read from the base's open, unsaved text, and an
// edit to the base republishes the overlay.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileUri, REPO, ServerProcess } from './serverProcess';
import { WorkspaceClient } from './workspaceHelpers';

const FIXTURE = path.join(REPO, 'test/fixtures/env/compose');

describe('language server over stdio: a compose base with a production overlay', () => {
  let server: ServerProcess;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-env-'));
    for (const f of ['.env', 'docker-compose.yml', 'docker-compose.prod.yml']) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
    server = new ServerProcess({ PRODREADY_DEBOUNCE_MS: '20' });
    await server.initialize();
  });
  after(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('editing the base republishes the overlay, judged on the base as edited', async () => {
    const baseUri = fileUri(path.join(dir, 'docker-compose.yml'));
    const overlayUri = fileUri(path.join(dir, 'docker-compose.prod.yml'));
    const baseText = fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8');
    await server.open(baseUri, baseText);
    const overlay = await server.open(overlayUri, fs.readFileSync(path.join(dir, 'docker-compose.prod.yml'), 'utf8'));
    const inherited = overlay.find((d) => d.code === 'compose/exposed-internal-port');
    assert.ok(inherited, JSON.stringify(overlay.map((d) => d.code)));
    assert.match(inherited.message, /^services\.db\.ports\[0\] is "5432:5432", set in docker-compose\.yml/);
    assert.deepEqual(
      inherited.relatedInformation?.map((r) => [r.location.uri, r.location.range.start]),
      [[baseUri, { line: 12, character: 8 }]],
    );

    // The database port removed from the (unsaved) base: production no longer publishes it.
    const republished = server.diagnostics(overlayUri);
    const withoutPort = baseText.replace('    ports:\n      - "5432:5432"\n', '');
    assert.notEqual(withoutPort, baseText);
    await server.change(baseUri, 2, withoutPort);
    const after = (await republished).diagnostics;
    assert.ok(!after.some((d) => d.code === 'compose/exposed-internal-port'), JSON.stringify(after.map((d) => d.message)));

    // And back: the overlay reports it again.
    const again = server.diagnostics(overlayUri);
    await server.change(baseUri, 3, baseText);
    assert.ok((await again).diagnostics.some((d) => d.code === 'compose/exposed-internal-port'));
  });
});

describe('readiness report: the environment level', () => {
  let client: WorkspaceClient;
  let root: string;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-env-readiness-'));
    fs.cpSync(path.join(REPO, 'test/fixtures/env/shop'), path.join(root, 'shop'), { recursive: true });
    client = await WorkspaceClient.start([root]);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists each environment of several files once, with its files and a score over them; each file names its environments', async () => {
    const report = await client.settled(true);
    const uri = (rel: string) => fileUri(path.join(root, rel));
    const base = report.files.find((f) => f.uri === uri('shop/values.yaml'))!;
    const overlay = report.files.find((f) => f.uri === uri('shop/values-production.yaml'))!;
    assert.deepEqual(report.environments?.map((e) => [e.name, e.production, e.files]), [['production', true, [base.uri, overlay.uri]]]);
    for (const f of [base, overlay]) assert.deepEqual(f.environments?.map((e) => e.name), ['production']);
    // The score is passed / applicable over both files, as the workspace score is over all of them.
    const rules = (f: typeof base) => ({ passed: f.passed.length, applicable: f.passed.length + new Set(f.findings.map((x) => x.ruleId)).size });
    const [b, o] = [rules(base), rules(overlay)];
    assert.equal(report.environments![0].score, Math.round(((b.passed + o.passed) / (b.applicable + o.applicable)) * 100));
    assert.equal(report.environments![0].counts.warning, [...base.findings, ...overlay.findings].filter((x) => x.severity === 'warning').length);
    // The subchart's values are a dependency: listed as skipped, in no environment.
    const subchart = report.files.find((f) => f.uri === uri('shop/charts/postgresql/values.yaml'));
    assert.equal(subchart?.skipped, 'dependency');
  });
});
