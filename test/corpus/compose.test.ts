// Every real-world compose/stack file in the shared corpus: analysed with the kind forced, without a
// crash, a hang or an internal error; what each rule reports is printed so changes show in the log.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { corpusSkip, corpusFiles, printCounts, readCorpusFile } from './corpus';

describe('corpus: compose and stack files', { skip: corpusSkip() }, () => {
  const counts = new Map<string, number>();
  const files = corpusFiles('compose');

  it('holds files to check', () => assert.ok(files.length > 10, `only ${files.length} files`));

  for (const file of files) {
    it(path.basename(file), () => {
      const text = readCorpusFile(file);
      const result = analyze({ text, path: file.split(path.sep).join('/'), kind: 'compose' });
      assert.equal(result.kind, 'compose');
      const internal = result.findings.filter((f) => f.message.startsWith('prodready internal error'));
      assert.deepEqual(internal.map((f) => f.message), [], 'no rule crashed');
      for (const f of result.findings) {
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${f.ruleId} span in range`);
        counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
      }
    });
  }

  it('prints the findings per rule', () => {
    printCounts(`compose corpus: ${files.length} files`, counts);
    assert.ok(counts.size > 0);
  });
});
