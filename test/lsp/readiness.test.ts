// The readiness report over the real protocol, on a small workspace (test/fixtures/workspace-scan/small):
// which files it lists and how it describes them, and numbers that follow from the analysis exactly as
// defined — per-file score = passed rules / (passed + failed rules), workspace score over all
// non-skipped files, counts by severity. The expectations are computed with the core's own analyze().

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyze, ruleMeta } from '../../server/src/core/analyze';
import { FileReadiness, ReadinessReport } from '../../common/protocol';
import { diskFileAccess } from '../../server/src/host/files';
import { REPO } from './serverProcess';
import { copyFixture, fileUri, WorkspaceClient, writeFile } from './workspaceHelpers';

describe('readiness report', () => {
  let root: string;
  let client: WorkspaceClient;
  let report: ReadinessReport;
  const uri = (rel: string) => fileUri(path.join(root, rel));
  const file = (r: ReadinessReport, rel: string) => r.files.find((f) => f.uri === uri(rel));

  before(async () => {
    root = copyFixture('small', REPO);
    // Never part of the report: dependencies, and what files.exclude hides.
    writeFile(root, 'node_modules/tooling/docker-compose.yml', 'services:\n  a:\n    image: a:latest\n');
    writeFile(root, 'generated/docker-stack.yml', 'services:\n  a:\n    image: a:latest\n');
    client = await WorkspaceClient.start([root], {
      prodready: { exclude: ['legacy/**'] },
      files: { exclude: { '**/generated': true, '**/*.tmp': { when: '$(basename).yml' } } },
    });
    report = await client.settled();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists every deployment config with its kind, and skipped ones with the reason', () => {
    const listed = report.files.map((f) => [path.relative(root, fileURLToPath(f.uri)), f.kind, f.skipped ?? '']);
    assert.deepEqual(listed, [
      ['charts/web/values.yaml', 'helm-values', ''],
      ['deploy/docker-compose.override.yml', 'compose', 'non-production'],
      ['deploy/docker-stack.yml', 'compose', ''],
      ['haproxy/haproxy.cfg', 'haproxy', ''],
      ['legacy/docker-stack.yml', 'compose', 'excluded'],
      ['nginx/nginx.conf', 'nginx', ''],
    ]);
    assert.equal(report.scanning, false);
    assert.equal(file(report, 'deploy/docker-stack.yml')?.variant, 'swarm-stack', 'a stack file is a Swarm stack');
    for (const f of report.files) assert.equal(f.open, false, `${f.uri} comes from disk`);
    for (const f of report.files.filter((x) => x.skipped)) {
      assert.deepEqual([f.findings, f.passed, f.score], [[], [], undefined], `${f.uri}: a skipped file has no findings, checks or score`);
    }
  });

  it('omits skipped files when asked', async () => {
    const without = await client.readiness(false);
    assert.deepEqual(
      without.files.map((f) => f.uri),
      report.files.filter((f) => !f.skipped).map((f) => f.uri),
    );
    assert.equal(without.score, report.score, 'the workspace score never counts skipped files');
  });

  it('describes findings and passed checks as the analysis and the rule metadata say', () => {
    for (const rel of ['charts/web/values.yaml', 'deploy/docker-stack.yml', 'haproxy/haproxy.cfg', 'nginx/nginx.conf']) {
      const f = file(report, rel)!;
      const result = analyze({ text: fs.readFileSync(path.join(root, rel), 'utf8'), path: path.join(root, rel), files: diskFileAccess });
      assert.deepEqual(
        f.findings.map((x) => [x.ruleId, x.severity, x.message, x.category, x.fixable]),
        result.findings.map((x) => [
          x.ruleId,
          x.severity,
          x.message,
          ruleMeta(x.ruleId)!.category,
          x.fixes.some((fix) => !fix.suppression),
        ]),
        rel,
      );
      assert.deepEqual(
        f.passed,
        result.passed.map((id) => ({ ruleId: id, description: ruleMeta(id)!.description, category: ruleMeta(id)!.category })),
        rel,
      );
      for (const x of f.findings) {
        assert.ok(x.docsUrl?.endsWith(`/docs/rules/${x.ruleId}.md`), x.docsUrl);
        assert.ok(fs.existsSync(fileURLToPath(x.docsUrl!)), `${x.docsUrl} exists`);
      }
    }
    // One finding in full: the worker's single replica, a fixable availability problem on line 17.
    const replica = file(report, 'deploy/docker-stack.yml')!.findings.find((x) => x.ruleId === 'compose/single-replica');
    assert.deepEqual(
      replica && { line: replica.range.start.line, category: replica.category, fixable: replica.fixable, severity: replica.severity },
      { line: 16, category: 'availability', fixable: true, severity: 'warning' },
    );
  });

  it('scores files and the workspace as passed / (passed + failed) rules', () => {
    const scored = report.files.filter((f) => !f.skipped);
    let passed = 0;
    let applicable = 0;
    for (const f of scored) {
      const failed = new Set(f.findings.map((x) => x.ruleId)).size;
      assert.equal(f.score, Math.round((f.passed.length / (f.passed.length + failed)) * 100), f.uri);
      passed += f.passed.length;
      applicable += f.passed.length + failed;
    }
    assert.equal(report.score, Math.round((passed / applicable) * 100));
    assert.equal(file(report, 'nginx/nginx.conf')!.score, 100, 'a file with no findings scores 100');
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const f of scored) for (const x of f.findings) counts[x.severity]++;
    assert.deepEqual(report.counts, counts);
    assert.ok(report.counts.warning > 0);
  });

  it("replaces a file's result from disk with the open editor's, and back on close", async () => {
    const stack = uri('deploy/docker-stack.yml');
    const text = fs.readFileSync(fileURLToPath(stack), 'utf8').replace('replicas: 1', 'replicas: 2');
    let seen = client.readinessChanges.length;
    await client.server.open(stack, text);
    await client.changed(stack, seen);
    const opened = file(await client.readiness(), 'deploy/docker-stack.yml')!;
    assert.equal(opened.open, true);
    assert.ok(!opened.findings.some((x) => x.ruleId === 'compose/single-replica'), 'the editor text has two replicas');
    assert.equal((await client.readiness()).files.filter((f) => f.uri === stack).length, 1, 'listed once');

    seen = client.readinessChanges.length;
    await client.server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: stack } });
    await client.changed(stack, seen);
    const closed = file(await client.readiness(), 'deploy/docker-stack.yml') as FileReadiness;
    assert.deepEqual(closed, file(report, 'deploy/docker-stack.yml'), 'the result from disk again');
  });
});
