// The core's Fix All loop and its minimal line diff, on their own (the rule fixtures run the loop on
// real rules, test/lsp/fixAll.test.ts through the server).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineChanges } from '../../server/src/core/diff';
import { fixAll } from '../../server/src/core/fixAll';
import { applyChanges } from '../../server/src/core/text';
import { AnalysisResult, Finding, Fix } from '../../server/src/core/types';
import { seededRandom } from '../bench/gen/random';

/** An analysis reporting one finding per occurrence of `word`, fixed by `fix` (a function of the text). */
function findingsOf(text: string, word: string, fix: (text: string, at: number) => Fix): AnalysisResult {
  const findings: Finding[] = [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    findings.push({ ruleId: 'toy/word', severity: 'warning', message: word, span: { start: at, end: at + word.length }, fixes: [fix(text, at)] });
  }
  return { kind: 'toy', findings, passed: [] };
}

const preferred = (changes: Fix['changes'], extra: Partial<Fix> = {}): Fix => ({ title: 'fix', changes, preferred: true, ...extra });

describe('Fix All loop', () => {
  it('applies one fix per round until nothing is left, re-analysing in between', async () => {
    const seen: string[] = [];
    const outcome = await fixAll('a TODO b TODO c', (text) => {
      seen.push(text);
      return findingsOf(text, 'TODO', (_t, at) => preferred([{ start: at, end: at + 4, newText: 'DONE' }]));
    });
    assert.deepEqual(outcome, { text: 'a DONE b DONE c', applied: 2, complete: true });
    assert.deepEqual(seen, ['a TODO b TODO c', 'a DONE b TODO c', 'a DONE b DONE c']);
  });

  it('never applies suppressions, fixes that are not preferred, or empty fixes', async () => {
    const outcome = await fixAll('x TODO', (text) =>
      findingsOf(text, 'TODO', (_t, at) => ({ title: 'disable', changes: [{ start: at, end: at, newText: '# off ' }], preferred: true, suppression: true })),
    );
    assert.deepEqual(outcome, { text: 'x TODO', applied: 0, complete: true });
    const others = await fixAll('x TODO', (text) => findingsOf(text, 'TODO', () => ({ title: 'maybe', changes: [{ start: 0, end: 1, newText: 'y' }] })));
    assert.equal(others.applied, 0);
    const empty = await fixAll('x TODO', (text) => findingsOf(text, 'TODO', () => preferred([])));
    assert.equal(empty.applied, 0);
  });

  it('stops on fixes that undo each other or do not apply, and says when rounds run out', async () => {
    // TODO → DONE → TODO …: the second text was seen already, so that fix is refused.
    const flip = await fixAll('TODO', (text) =>
      text === 'TODO'
        ? findingsOf(text, 'TODO', () => preferred([{ start: 0, end: 4, newText: 'DONE' }]))
        : findingsOf(text, 'DONE', () => preferred([{ start: 0, end: 4, newText: 'TODO' }])),
    );
    assert.deepEqual(flip, { text: 'DONE', applied: 1, complete: true });
    const overlapping = await fixAll('TODO', (text) =>
      findingsOf(text, 'TODO', () => preferred([{ start: 0, end: 3, newText: 'a' }, { start: 1, end: 4, newText: 'b' }])),
    );
    assert.deepEqual(overlapping, { text: 'TODO', applied: 0, complete: true });
    // A fix that never removes its finding (it only appends): bounded, and reported as incomplete.
    const endless = await fixAll('TODO', (text) => findingsOf(text, 'TODO', (t) => preferred([{ start: t.length, end: t.length, newText: '!' }])));
    assert.equal(endless.complete, false);
    assert.equal(endless.applied, 200);
  });

  it('fixes only the findings asked for', async () => {
    const outcome = await fixAll(
      'TODO FIXME',
      (text) => ({
        kind: 'toy',
        passed: [],
        findings: ['TODO', 'FIXME'].flatMap((word) =>
          findingsOf(text, word, (_t, at) => preferred([{ start: at, end: at + word.length, newText: 'ok' }])).findings.map((f) => ({ ...f, ruleId: `toy/${word}` })),
        ),
      }),
      { only: (f) => f.ruleId === 'toy/FIXME' },
    );
    assert.equal(outcome.text, 'TODO ok');
  });

  it('uses the analysis it is given for the first round, and takes an asynchronous analysis', async () => {
    let calls = 0;
    const first = findingsOf('TODO', 'TODO', () => preferred([{ start: 0, end: 4, newText: 'DONE' }]));
    const outcome = await fixAll(
      'TODO',
      async (text) => {
        calls++;
        return findingsOf(text, 'TODO', () => preferred([]));
      },
      { first },
    );
    assert.equal(outcome.text, 'DONE');
    assert.equal(calls, 1, 'only the fixed text is analysed');
  });
});

describe('minimal line changes', () => {
  const apply = (before: string, after: string) => applyChanges(before, lineChanges(before, after));

  it('turn any text into any other, at the edges too', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['', 'a\n'],
      ['a\n', ''],
      ['a', 'a\n'],
      ['a\nb', 'a\nb\nc'],
      ['a\nb\n', 'b\n'],
      ['a\r\nb\r\n', 'a\r\nx\r\nb\r\n'],
      ['x\n', 'x\n'],
    ];
    for (const [before, after] of cases) assert.equal(apply(before, after), after, JSON.stringify([before, after]));
  });

  it('are whole lines, one change per changed run, in order and apart (seeded random texts)', () => {
    const random = seededRandom(5);
    const words = ['a', 'b', 'c', 'd', '# note', ''];
    for (let round = 0; round < 300; round++) {
      const before = Array.from({ length: Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]);
      const after = before.flatMap((line) => {
        const r = random();
        return r < 0.1 ? [] : r < 0.2 ? [line, 'new'] : r < 0.25 ? ['changed'] : [line];
      });
      const [b, a] = [before.join('\n') + (random() < 0.5 ? '\n' : ''), after.join('\n') + (random() < 0.5 ? '\n' : '')];
      const changes = lineChanges(b, a);
      assert.equal(apply(b, a), a, JSON.stringify([b, a]));
      for (const c of changes) {
        for (const offset of [c.start, c.end]) assert.ok(offset === 0 || offset === b.length || b[offset - 1] === '\n', `${offset} is a line start`);
      }
      // Strictly apart: an unchanged line separates two changes (else they would be one run).
      for (let i = 1; i < changes.length; i++) assert.ok(changes[i].start > changes[i - 1].end, 'separate runs');
    }
  });
});
