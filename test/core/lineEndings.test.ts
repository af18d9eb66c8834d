// Every rule fixture again, written with CRLF, with CR alone, with one or two byte-order marks, and without a
// final line break: the same findings on the same lines, and every fix (repairs and "disable for this
// line") round-trips in the file's own line endings, leaving the BOM where it was.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { applyChanges } from '../../server/src/core/text';
import { Finding } from '../../server/src/core/types';
import { diskFiles } from './diskFiles';
import { Fixture, fixtureFiles, loadFixture, relevant } from './harness';

interface Variant {
  name: string;
  make(lf: string): string;
  /** The line-ending property every fixed text must keep. */
  keeps(text: string): boolean;
}

const VARIANTS: Variant[] = [
  { name: 'CRLF', make: (t) => t.replace(/\n/g, '\r\n'), keeps: (t) => !/(^|[^\r])\n/.test(t) },
  { name: 'CR only', make: (t) => t.replace(/\n/g, '\r'), keeps: (t) => !t.includes('\n') },
  { name: 'a byte-order mark', make: (t) => '\uFEFF' + t, keeps: (t) => t.startsWith('\uFEFF') && !t.slice(1).includes('\uFEFF') },
  // Editors and concatenations can leave more than one (the fuzz run found fixes indented by the second).
  { name: 'two byte-order marks', make: (t) => '\uFEFF\uFEFF' + t, keeps: (t) => t.startsWith('\uFEFF\uFEFF') && !t.slice(2).includes('\uFEFF') },
  { name: 'no final line break', make: (t) => t.replace(/\n+$/, ''), keeps: () => true },
];

/** Zero-based line of an offset, where CR, LF and CRLF all end a line. */
function lineOf(text: string, offset: number): number {
  const before = text.slice(0, offset);
  return (before.match(/\r\n|\r|\n/g) ?? []).length;
}

function signature(text: string, findings: Finding[]): string[] {
  return findings.map((f) => `${lineOf(text, f.span.start)}:${f.ruleId}`).sort();
}

for (const namespace of ['compose', 'helm', 'nginx', 'haproxy']) {
  const files = fixtureFiles(namespace).filter((f) => fs.statSync(f).isFile());
  describe(`${namespace} fixtures in other line endings`, () => {
    for (const file of files) {
      const loaded = loadFixture(file, diskFiles);
      // Variants start from LF (some fixtures are CRLF already).
      const lfText = loaded.text.replace(/\r\n/g, '\n');
      const base: Fixture = { ...loaded, text: lfText, input: { ...loaded.input, text: lfText } };
      const lf = relevant(base, analyze(base.input));
      for (const variant of VARIANTS) {
        it(`${path.basename(file)} with ${variant.name}`, () => {
          const text = variant.make(base.text);
          const fixture: Fixture = { ...base, text, input: { ...base.input, text } };
          const result = analyze(fixture.input);
          const found = relevant(fixture, result);
          assert.deepEqual(signature(text, found), signature(base.text, lf), 'the same findings on the same lines');
          for (const finding of found) {
            for (const fix of finding.fixes) {
              const fixed = applyChanges(text, fix.changes);
              assert.ok(variant.keeps(fixed), `"${fix.title}" keeps the file's line endings and BOM: ${JSON.stringify(fixed.slice(0, 400))}`);
              const after = analyze({ ...fixture.input, text: fixed });
              const syntax = (r: Finding[]) => r.filter((f) => f.ruleId.endsWith('/syntax') && f.ruleId !== finding.ruleId).length;
              assert.equal(syntax(after.findings), syntax(result.findings), `"${fix.title}" keeps the file readable: ${JSON.stringify(fixed)}`);
              const count = (r: Finding[]) => r.filter((f) => f.ruleId === finding.ruleId).length;
              assert.ok(count(after.findings) < count(result.findings), `"${fix.title}" removes its ${finding.ruleId} finding: ${JSON.stringify(fixed)}`);
            }
          }
        });
      }
    }
  });
}
