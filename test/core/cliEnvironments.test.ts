// `prodready check --env <name>`: the report limited to the files of one environment, each judged in it.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from './harness';

function check(...args: string[]): { file: string; environments?: string[]; findings: { ruleId: string; severity: string }[] }[] {
  const run = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'check', '--format', 'json', ...args], { cwd: REPO, encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  return JSON.parse(run.stdout);
}

describe('prodready check --env', () => {
  it('--env prod reports the files of the production environments, overlays judged on what they deploy', () => {
    const report = check('test/fixtures/env/compose', '--env', 'prod');
    assert.deepEqual(report.map((r) => path.basename(r.file)).sort(), ['docker-compose.prod.yml', 'docker-compose.yml']);
    const overlay = report.find((r) => r.file.endsWith('docker-compose.prod.yml'))!;
    assert.deepEqual(overlay.environments, ['prod']);
    assert.ok(overlay.findings.some((f) => f.ruleId === 'compose/exposed-internal-port' && f.severity === 'warning'));
  });

  it('--env staging reports nothing where no file is part of a staging environment', () => {
    assert.deepEqual(check('test/fixtures/env', 'examples/nginx', '--env', 'staging'), []);
  });
});

function run(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'check', '--format', 'json', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository holding the fixture compose pair, its overlay renamed `docker-compose.<overlay>.yml`. */
function composeRepo(overlay: string, config?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-envcfg-'));
  fs.mkdirSync(path.join(dir, '.git'));
  fs.mkdirSync(path.join(dir, 'deploy'));
  const fixture = path.join(REPO, 'test/fixtures/env/compose');
  fs.copyFileSync(path.join(fixture, 'docker-compose.yml'), path.join(dir, 'deploy/docker-compose.yml'));
  fs.copyFileSync(path.join(fixture, 'docker-compose.prod.yml'), path.join(dir, `deploy/docker-compose.${overlay}.yml`));
  if (config !== undefined) fs.writeFileSync(path.join(dir, '.prodready.yaml'), config);
  return dir;
}

describe('environments in the project configuration file', () => {
  const entryOf = (stdout: string, name: string) => (JSON.parse(stdout) as { file: string; environments?: string[]; findings: { ruleId: string; severity: string }[] }[]).find((r) => r.file.endsWith(name))!;

  it('productionEnvironments names what production is: an overlay named for it is judged as production', () => {
    const plain = composeRepo('eu');
    const configured = composeRepo('eu', 'productionEnvironments: [eu, us]\n');
    try {
      // Unnamed, `eu` is no production environment: the base is what production runs, alone.
      const before = entryOf(run(plain, '.').stdout, 'docker-compose.yml');
      assert.ok(before.findings.some((f) => f.ruleId === 'compose/exposed-internal-port' && f.severity === 'warning'));
      const after = run(configured, '.');
      const overlay = entryOf(after.stdout, 'docker-compose.eu.yml');
      assert.deepEqual(overlay.environments, ['eu']);
      assert.ok(overlay.findings.some((f) => f.ruleId === 'compose/exposed-internal-port' && f.severity === 'warning'), 'the inherited port is reported on the overlay');
      const base = entryOf(after.stdout, 'docker-compose.yml');
      assert.ok(!base.findings.some((f) => f.severity === 'warning' && f.ruleId === 'compose/http-only'), 'the base is quiet for what production overrides');
      // A production name means every production environment: `us` has no files, `eu` does.
      assert.ok(entryOf(run(configured, '.', '--env', 'us').stdout, 'docker-compose.eu.yml'), '--env with another configured production name');
      assert.equal(run(plain, '.', '--env', 'us').stdout.trim(), '[]', 'unconfigured, `us` names no environment');
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
      fs.rmSync(configured, { recursive: true, force: true });
    }
  });

  it('environments declared there take paths relative to the file, from whatever folder the run starts in', () => {
    const config = 'environments:\n  production:\n    compose:\n      files: [deploy/docker-compose.yml, deploy/docker-compose.release.yml]\n';
    const dir = composeRepo('release', config);
    try {
      const r = run(path.join(dir, 'deploy'), '.');
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      assert.deepEqual(entryOf(r.stdout, 'docker-compose.release.yml').environments, ['production']);
      const invalid = composeRepo('release', 'environments:\n  production:\n    compose: {files: "deploy/docker-compose.yml"}\n');
      const bad = run(invalid, '.');
      fs.rmSync(invalid, { recursive: true, force: true });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /\.prodready\.yaml:\d+: "environments\.production\.compose/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('walking a chart', () => {
  it("skips an unpacked subchart's values as a dependency, and says so in the summary", () => {
    const r = run(REPO, 'test/fixtures/env/shop');
    const report = JSON.parse(r.stdout) as { file: string; skipped?: string; findings: unknown[] }[];
    const subchart = report.find((e) => e.file.includes('charts/postgresql/values.yaml'));
    assert.equal(subchart?.skipped, 'dependency');
    assert.deepEqual(subchart?.findings, []);
    assert.match(r.stderr, /skipped \([^)]*1 dependency/);
    assert.ok(report.some((e) => e.file.endsWith('shop/values-production.yaml') && !e.skipped));
  });
});
