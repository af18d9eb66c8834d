// Deferred fixes (AnalysisInput.fixes `deferred`, what the server runs on every keystroke) must give
// exactly the findings and, once asked for, exactly the fixes of an eager analysis: over every corpus
// file and every fixture, and over the fixtures with a byte-order mark and CR-only line breaks (where
// the engine shifts fixes on the way out).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { AnalysisInput, AnalysisResult } from '../../server/src/core/types';
import { diskFiles } from '../core/diskFiles';
import { corpusFiles, corpusSkip, manifest, readCorpusFile, CORPUS } from './corpus';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Checks one input; returns how many fixes the eager analysis offered (so a suite can show it checked some). */
function assertSameFixes(input: AnalysisInput, label: string): number {
  const eager = analyze(input);
  const cache = {};
  const deferred = analyze({ ...input, cache, fixes: 'deferred' });
  const withoutFixes = (r: AnalysisResult) => r.findings.map((f) => ({ ...f, fixes: [] }));
  assert.deepEqual(withoutFixes(deferred), withoutFixes(eager), `${label}: the deferred findings differ`);
  assert.ok(deferred.findings.every((f) => f.fixes.length === 0), `${label}: a deferred finding carries fixes`);
  const asked = analyze({ ...input, cache });
  assert.deepEqual(asked, eager, `${label}: the fixes computed later differ from the eager ones`);
  // The fixes came from the kept analysis, not from a new one: asking again gives that same result.
  if (eager.findings.length > 0) assert.equal(analyze({ ...input, cache }), asked, `${label}: the deferred analysis was not reused`);
  return eager.findings.reduce((n, f) => n + f.fixes.filter((x) => !x.suppression).length, 0);
}

describe('deferred fixes equal eager fixes', () => {
  it('on every fixture, as written and with a BOM and CR-only line breaks', () => {
    let fixes = 0;
    for (const file of filesUnder(FIXTURES)) {
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes('\0')) continue;
      const posix = file.split(path.sep).join('/');
      fixes += assertSameFixes({ text, path: posix, files: diskFiles }, posix);
      assertSameFixes({ text: `\ufeff${text.replace(/\r?\n/g, '\r')}`, path: posix, files: diskFiles }, `${posix} (BOM, CR)`);
    }
    assert.ok(fixes > 50, `only ${fixes} fixes offered over the fixtures`);
  });

  it('on every corpus file', { skip: corpusSkip() }, () => {
    let fixes = 0;
    const entries = manifest();
    assert.ok(entries.length > 0);
    for (const { kind, file } of entries) {
      const full = path.join(CORPUS, file);
      const text = readCorpusFile(full);
      fixes += assertSameFixes({ text, path: full.split(path.sep).join('/'), kind }, file);
    }
    // Files beside the manifest's (NGINX includes) are analysed under their own detection.
    for (const full of corpusFiles('nginx')) {
      if (fs.statSync(full).isFile()) assertSameFixes({ text: readCorpusFile(full), path: full.split(path.sep).join('/') }, full);
    }
    assert.ok(fixes > 50, `only ${fixes} fixes offered over the corpus`);
  });
});
