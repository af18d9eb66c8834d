// The benchmark generator makes valid, reproducible NGINX configs on which every rule has work to do,
// (linearity itself is measured by `npm run bench`, never asserted on a shared machine's clock).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { parseNginx } from '../../server/src/core/nginx/parse';
import { generateNginx } from '../bench/gen/nginx';


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

});
