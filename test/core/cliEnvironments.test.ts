// `prodready check --env <name>`: the report limited to the files of one environment, each judged in it.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
