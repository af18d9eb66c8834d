// The examples/ workspace is what a newcomer opens first: every "-before" file shows real findings, and
// every "-production" file is clean at warning level and above (that is the promise of the README).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { AnalysisResult } from '../../server/src/core/types';
import { withArchives } from '../../server/src/host/archive';
import { diskFiles } from './diskFiles';
import { REPO } from './harness';

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}

describe('examples/', () => {
  const files = [...walk(path.join(REPO, 'examples'))].filter((f) => /(before|production)/.test(path.basename(f)));
  it('has before/production pairs', () => assert.ok(files.length >= 2));
  for (const file of files) {
    const rel = path.relative(REPO, file);
    // As the CLI and the server read them: packaged subcharts included.
    const result = analyze({ text: fs.readFileSync(file, 'utf8'), path: file.split(path.sep).join('/'), files: withArchives(diskFiles) });
    const serious = result.findings.filter((f) => f.severity === 'warning' || f.severity === 'error');
    if (path.basename(file).includes('production')) {
      it(`${rel} is detected and has zero warnings`, () => {
        assert.ok(result.kind && !result.skipped, `not analysed: ${result.skipped}`);
        assert.deepEqual(serious.map((f) => `${f.ruleId}: ${f.message}`), []);
      });
    } else {
      it(`${rel} is detected and shows what is not production-ready`, () => {
        assert.ok(result.kind && !result.skipped, `not analysed: ${result.skipped}`);
        assert.ok(serious.length >= 3, `only ${serious.length} warnings`);
      });
    }
  }
});

describe('examples/environments: production environments clean, each base alone not', () => {
  const dir = path.join(REPO, 'examples/environments');
  const files = withArchives(diskFiles);
  const analyseAt = (file: string, at = file, text = fs.readFileSync(file, 'utf8')) => analyze({ text, path: at, files });
  const serious = (r: AnalysisResult) => r.findings.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`);
  const units = [
    { base: 'shop/values.yaml', overlay: 'shop/values-production.yaml', environment: 'production' },
    { base: 'compose/docker-compose.yml', overlay: 'compose/docker-compose.prod.yml', environment: 'prod' },
  ];
  for (const unit of units) {
    it(`${unit.overlay} and ${unit.base}, merged as production deploys them, have zero warnings`, () => {
      for (const file of [unit.overlay, unit.base]) {
        const result = analyseAt(path.join(dir, file));
        assert.deepEqual(result.environments, [unit.environment], file);
        assert.deepEqual(serious(result), [], file);
      }
    });
    it(`${unit.base} alone (no overlay beside it) has warnings`, () => {
      const alone = analyze({ text: fs.readFileSync(path.join(dir, unit.base), 'utf8'), path: `/alone/${path.basename(unit.base)}`, files: { readFile: () => 'apiVersion: v2\nname: alone\nversion: 1.0.0\n', exists: (p) => p === '/alone/Chart.yaml' } });
      assert.ok(serious(alone).length >= 3, serious(alone).join('\n'));
    });
  }

  it("reads the packaged subchart: without the overlay's architecture, its standalone default is reported", () => {
    const overlay = path.join(dir, 'shop/values-production.yaml');
    const text = fs.readFileSync(overlay, 'utf8').replace('  architecture: replication\n', '');
    const result = analyseAt(overlay, overlay, text);
    assert.ok(result.dependencies?.includes(path.join(dir, 'shop/charts/postgresql-12.1.0.tgz')));
    assert.match(result.findings.find((f) => f.ruleId === 'helm/standalone-architecture')!.message, /the postgresql subchart's default/);
  });
});
