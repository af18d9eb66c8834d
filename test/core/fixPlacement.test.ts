// Fixes that add keys to a service land inside that service, whatever follows its last entry: a key
// with no value, comments, blank lines, the end of the file, a flow collection.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { applyChanges } from '../../server/src/core/text';

const STACK = '/srv/shop/docker-stack.yml';

const SHAPES: Record<string, string> = {
  'a key with no value, then a comment': 'services:\n  web:\n    image: nginx:1.27\n    labels:\n    # a comment\n  db:\n    image: postgres:16\n',
  'blank lines': 'services:\n  web:\n    image: nginx:1.27\n\n\n  db:\n    image: postgres:16\n',
  'a comment line': 'services:\n  web:\n    image: nginx:1.27\n    # comment\n  db:\n    image: postgres:16\n',
  'a less indented comment': 'services:\n  web:\n    image: nginx:1.27\n  # about db\n  db:\n    image: postgres:16\n',
  'the end of a file without a final line break': 'services:\n  db:\n    image: postgres:16\n  web:\n    image: nginx:1.27',
  'a last line of blanks (a tab) without a line break': 'services:\n  db:\n    image: postgres:16\n  web:\n    image: nginx:1.27\n \t',
  'a trailing comment at the end of the file': 'services:\n  db:\n    image: postgres:16\n  web:\n    image: nginx:1.27\n    # trailing\n',
  'a flow sequence': 'services:\n  web:\n    image: nginx:1.27\n    ports: ["443:443"]\n  db:\n    image: postgres:16\n',
  'a block scalar': 'services:\n  web:\n    image: nginx:1.27\n    command: |\n      nginx -g "daemon off;"\n\n  db:\n    image: postgres:16\n',
  'CRLF line endings and a comment': 'services:\r\n  web:\r\n    image: nginx:1.27\r\n    labels:\r\n    # note\r\n  db:\r\n    image: postgres:16\r\n',
};

function serviceBlock(text: string, name: string): string {
  const start = text.indexOf(`  ${name}:`);
  const next = text.slice(start + 3).search(/\n  [a-z]/);
  return next === -1 ? text.slice(start) : text.slice(start, start + 3 + next + 1);
}

describe('fixes that add keys to a service', () => {
  for (const [shape, text] of Object.entries(SHAPES)) {
    for (const rule of ['compose/manager-placement', 'compose/single-replica']) {
      it(`${rule} after ${shape}: lands in that service and removes its finding`, () => {
        const finding = analyze({ text, path: STACK }).findings.find((f) => f.ruleId === rule && text.slice(f.span.start, f.span.end) === 'web');
        assert.ok(finding, 'the web service has the finding');
        const fix = finding.fixes.find((f) => !f.suppression && f.preferred);
        assert.ok(fix, 'with a preferred repair');
        const fixed = applyChanges(text, fix.changes);
        const after = analyze({ text: fixed, path: STACK });
        assert.deepEqual(after.findings.filter((f) => f.ruleId === 'yaml/syntax').map((f) => f.message), []);
        assert.ok(!after.findings.some((f) => f.ruleId === rule && fixed.slice(f.span.start, f.span.end) === 'web'), 'the finding is gone');
        assert.ok(serviceBlock(fixed, 'web').includes('deploy:'), 'the deploy key is in the web service');
        assert.equal(serviceBlock(fixed, 'db'), serviceBlock(text, 'db'), 'the db service is untouched');
        for (const comment of text.match(/#.*/g) ?? []) assert.ok(fixed.includes(comment), `keeps ${comment}`);
      });
    }
  }
});

describe('fixes that add top-level keys', () => {
  it('after a last line of blanks without a line break: the new keys go after it, the file still parses', () => {
    // The fuzzer's shape (seed 2026, mutant 46084): a tab on the last line, under a new `postgres-data:`.
    const text = "version: '3.9'\nservices:\n  postgres:\n    image: postgres:14\n\t";
    const path = '/srv/shop/docker-compose.yml';
    const finding = analyze({ text, path }).findings.find((f) => f.ruleId === 'compose/data-without-volume');
    assert.ok(finding, 'the data store without a volume is found');
    const fix = finding.fixes.find((f) => !f.suppression && f.preferred);
    assert.ok(fix, 'with a preferred repair');
    const fixed = applyChanges(text, fix.changes);
    assert.ok(fixed.startsWith(text), 'nothing before the end changes');
    const after = analyze({ text: fixed, path });
    assert.deepEqual(after.findings.filter((f) => f.ruleId === 'yaml/syntax').map((f) => f.message), []);
    assert.ok(!after.findings.some((f) => f.ruleId === 'compose/data-without-volume'), 'the finding is gone');
  });
});
