// The examples/ workspace is what a newcomer opens first: every "-before" file shows real findings, and
// every "-production" file is clean at warning level and above (that is the promise of the README).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
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
    const result = analyze({ text: fs.readFileSync(file, 'utf8'), path: file.split(path.sep).join('/'), files: diskFiles });
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
