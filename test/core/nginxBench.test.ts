// The benchmark generator makes valid, reproducible NGINX configs on which every rule has work to do,
// and analysis time grows linearly with their size (a loose bound: only a quadratic blow-up fails).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { parseNginx } from '../../server/src/core/nginx/parse';
import { generateNginx } from '../bench/gen/nginx';

function analyzeMs(text: string): number {
  const start = process.hrtime.bigint();
  analyze({ text, path: '/etc/nginx/nginx.conf', settings: { maxFileSize: 1e9 } });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

describe('nginx benchmark generator', () => {
  it('is reproducible from its seed and reaches the requested size', () => {
    assert.equal(generateNginx(2000, 7), generateNginx(2000, 7));
    assert.notEqual(generateNginx(2000, 7), generateNginx(2000, 8));
    const lines = generateNginx(20_000, 1).split('\n').length;
    assert.ok(lines >= 20_000 && lines < 20_100, `${lines} lines`);
  });

  it('generates valid NGINX on which the rules find what a real config has', () => {
    const text = generateNginx(20_000, 1);
    assert.deepEqual(parseNginx(text).problems, []);
    const result = analyze({ text, path: '/etc/nginx/nginx.conf' });
    const ids = new Set(result.findings.map((f) => f.ruleId));
    for (const id of ['nginx/http-only', 'nginx/single-upstream-server', 'nginx/weak-tls-protocols', 'nginx/deprecated-ssl-on', 'nginx/no-hsts']) {
      assert.ok(ids.has(id), `no ${id} finding in the generated config`);
    }
    assert.ok(!ids.has('nginx/ssl-without-certificate') && !ids.has('nginx/syntax'));
  });

  it('analyses in time proportional to the size (16x the lines: well under 64x the time)', () => {
    const small = generateNginx(5_000, 3);
    const large = generateNginx(80_000, 3);
    analyzeMs(small); // warm up the JIT
    const best = (text: string) => Math.min(analyzeMs(text), analyzeMs(text), analyzeMs(text));
    const a = best(small);
    const b = best(large);
    assert.ok(b < Math.max(a, 2) * 64, `5k lines: ${a.toFixed(1)} ms, 80k lines: ${b.toFixed(1)} ms`);
  });
});
