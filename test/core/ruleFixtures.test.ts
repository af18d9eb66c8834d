// Every rule fixture under test/fixtures/rules: the findings match the inline `# expect:` markers, every
// offered fix passes the round-trip property, and Fix All produces the `.fixed` file where there is one.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { applyChanges, LineIndex } from '../../server/src/core/text';
import { AnalysisResult } from '../../server/src/core/types';
import { diskFiles } from './diskFiles';
import { actualMarkers, assertFixRoundTrip, fixAllOf, fixedFileFor, fixtureFiles, loadFixture, relevant, sortedCounts } from './harness';

for (const namespace of ['compose', 'helm', 'nginx', 'haproxy']) {
  const files = fixtureFiles(namespace).filter((f) => fs.statSync(f).isFile());
  if (files.length === 0) continue;
  describe(`${namespace} rule fixtures`, () => {
    for (const file of files) {
      describe(path.basename(file), () => {
        const fixture = loadFixture(file, diskFiles);
        const result = analyze(fixture.input);

        it('reports exactly the expected findings', () => {
          assert.deepEqual(sortedCounts(actualMarkers(fixture, result)), sortedCounts(fixture.expected));
        });

        it('every fix round-trips (finding gone, syntax and comments kept, nothing else changed)', () => {
          for (const finding of relevant(fixture, result)) {
            for (const fix of finding.fixes.filter((x) => !x.suppression)) assertFixRoundTrip(fixture, finding, fix, result);
          }
        });

        it('offers "disable for this line" on every finding, and it silences exactly that finding', () => {
          const lines = new LineIndex(fixture.text);
          for (const finding of relevant(fixture, result)) {
            const disable = finding.fixes.find((x) => x.suppression);
            assert.ok(disable, `${finding.ruleId} has no disable action`);
            const after = analyze({ ...fixture.input, text: applyChanges(fixture.text, disable.changes) });
            const at = (r: AnalysisResult, text: string) =>
              r.findings.filter((x) => x.ruleId === finding.ruleId).map((x) => new LineIndex(text).lineAt(x.span.start));
            // The directive shifts later lines down by one when it is inserted above the finding.
            const inserted = disable.changes.some((c) => c.newText.endsWith('\n'));
            const line = lines.lineAt(finding.span.start) + (inserted ? 1 : 0);
            assert.ok(!at(after, applyChanges(fixture.text, disable.changes)).includes(line), `${finding.ruleId} still reported after disabling it`);
            assert.equal(after.findings.length, result.findings.length - result.findings.filter((x) => x.ruleId === finding.ruleId && lines.lineAt(x.span.start) === lines.lineAt(finding.span.start)).length);
          }
        });

        const fixed = fixedFileFor(file);
        if (fs.existsSync(fixed)) {
          it('Fix All produces the .fixed file', async () => {
            assert.equal(await fixAllOf(fixture), fs.readFileSync(fixed, 'utf8'));
          });
        }
      });
    }
  });
}
