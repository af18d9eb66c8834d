// The benchmark generator must produce what the benchmarks claim to measure: valid HAProxy of the
// requested size, the same for the same seed, and realistic enough that every rule has work to do.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { HAPROXY_RULES } from '../../server/src/core/haproxy';
import { generateHaproxy } from '../bench/gen/haproxy';

describe('haproxy benchmark generator', () => {
  it('is reproducible from its seed and gives exactly the requested number of lines', () => {
    assert.equal(generateHaproxy(3000, 1), generateHaproxy(3000, 1));
    assert.notEqual(generateHaproxy(3000, 1), generateHaproxy(3000, 2));
    for (const n of [1, 57, 3000]) assert.equal(generateHaproxy(n, 3).split('\n').length - 1, n);
  });

  it('writes HAProxy without syntax problems on which every rule reports something', () => {
    const result = analyze({ text: generateHaproxy(6000, 42), path: '/bench/haproxy.cfg' });
    assert.equal(result.kind, 'haproxy');
    const seen = new Set(result.findings.map((f) => f.ruleId));
    assert.ok(!seen.has('haproxy/syntax'), 'generated text has syntax problems');
    for (const rule of HAPROXY_RULES) assert.ok(seen.has(rule.meta.id), `${rule.meta.id} never fires`);
  });
});
