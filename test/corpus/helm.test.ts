// Every real-world file under the corpus's helm-values folder (values files, overlays, the odd broken
// one, and the values.schema.json files that sit beside them) analysed with the kind forced to
// helm-values: no crash, no hang, no internal error, spans inside the text. What each rule reports on
// the values files is printed so that a change in behaviour shows in the log; the schema side of the
// corpus is test/corpus/helmSchema.test.ts.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { corpusSkip, corpusFiles, printCounts, readCorpusFile } from './corpus';

describe('corpus: helm values files', { skip: corpusSkip() }, () => {
  const counts = new Map<string, number>();
  const files = corpusFiles('helm-values');

  it('holds files to check', () => assert.ok(files.length > 10, `only ${files.length} files`));

  for (const file of files) {
    // A hang fails through the timeout; speed itself is measured by `npm run bench`.
    it(path.basename(file), { timeout: 60_000 }, () => {
      const text = readCorpusFile(file);
      const result = analyze({ text, path: file.split(path.sep).join('/'), kind: 'helm-values' });
      assert.equal(result.kind, 'helm-values');
      const internal = result.findings.filter((f) => f.message.startsWith('prodready internal error'));
      assert.deepEqual(internal.map((f) => f.message), [], 'no rule crashed');
      for (const f of result.findings) {
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${f.ruleId} span in range`);
        if (file.endsWith('.yaml') || file.endsWith('.yml')) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
      }
    });
  }

  it('prints the findings per rule', () => {
    printCounts(`helm-values corpus: ${files.length} files`, counts);
    assert.ok(counts.size > 0);
  });
});
