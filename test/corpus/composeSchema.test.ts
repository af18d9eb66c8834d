// compose/schema on every real-world compose/stack file of the shared corpus: no crash or hang, and no
// schema finding on any file the manifest does not mark as bad. Marked files get their counts printed.
// The rule is called directly (as well as through analyze), so this holds before it is registered too.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, resolveSettings } from '../../server/src/core/analyze';
import { prepareCompose } from '../../server/src/core/compose/model';
import { composeSchema } from '../../server/src/core/compose/rules/schema';
import { LineIndex } from '../../server/src/core/text';
import { NO_FILE_ACCESS, Report } from '../../server/src/core/types';
import { corpusSkip, corpusFiles, manifest, readCorpusFile } from './corpus';

function schemaFindings(text: string, file: string): Report[] {
  const { ctx } = prepareCompose({ text, path: file, settings: resolveSettings(), files: NO_FILE_ACCESS }, {});
  const out: Report[] = [];
  composeSchema.check(ctx, (r) => out.push(r));
  return out;
}

describe('corpus: compose/schema', { skip: corpusSkip() }, () => {
  const files = corpusFiles('compose');
  const marked = new Set(manifest().filter((e) => /\bBAD\b/.test(e.note)).map((e) => path.basename(e.file)));
  const counts: string[] = [];

  it('holds files to check', () => assert.ok(files.length > 10, `only ${files.length} files`));

  for (const file of files) {
    const name = path.basename(file);
    it(name, { timeout: 60_000 }, () => {
      const text = readCorpusFile(file);
      const posix = file.split(path.sep).join('/');
      const result = analyze({ text, path: posix, kind: 'compose' });
      assert.deepEqual(result.findings.filter((f) => f.message.startsWith('prodready internal error')).map((f) => f.message), []);
      const found = schemaFindings(text, posix);
      for (const f of found) assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length);
      if (marked.has(name)) {
        counts.push(`${String(found.length).padStart(4)}  ${name}`);
        return;
      }
      const lines = new LineIndex(text);
      assert.deepEqual(found.map((f) => `${lines.lineAt(f.span.start) + 1}: ${f.message}`), [], 'a file not marked bad follows the Compose format');
    });
  }

  it('prints the schema findings of files marked bad', () => {
    console.log(`\ncompose/schema on files the manifest marks bad (${counts.length}):\n${counts.join('\n')}`);
    assert.ok(counts.length > 0);
  });
});
