// The depth pre-scan that keeps deeply nested input away from recursive parsers.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { braceNesting, yamlNesting } from '../../server/src/core/nesting';

describe('yamlNesting', () => {
  it('counts block levels by indentation', () => {
    assert.equal(yamlNesting('a: 1\n'), 1);
    assert.equal(yamlNesting('a:\n  b:\n    c: 1\n'), 3);
    assert.equal(yamlNesting('a:\n  b:\n    c: 1\nd: 2\n'), 3);
  });

  it('counts compact sequence entries as levels', () => {
    assert.equal(yamlNesting('- - - x\n'), 4);
    assert.ok(yamlNesting(`k:\n${'- '.repeat(4000)}x\n`) > 4000);
  });

  it('counts flow brackets outside quotes and comments', () => {
    assert.equal(yamlNesting('k: [[[1]]]\n'), 4);
    assert.equal(yamlNesting(`k: ${'['.repeat(5000)}${']'.repeat(5000)}\n`), 5001);
    assert.equal(yamlNesting('k: "[[[[" # {{{{\n'), 1);
    assert.equal(yamlNesting("k: it's [fine]\n"), 2);
    assert.equal(yamlNesting('k: {a: [1,\n  # [[[[ a comment\n  2]}\n'), 3);
  });

  it('ignores comment and blank lines and stays linear on big input', () => {
    assert.equal(yamlNesting('# [[[\n\n   \na: 1\n'), 1);
    const big = 'services:\n' + Array.from({ length: 20000 }, (_, i) => `  s${i}:\n    image: x:${i}\n    ports: ["80:80"]\n`).join('');
    assert.equal(yamlNesting(big), 4);
  });
});

describe('braceNesting', () => {
  it('counts blocks outside quotes and comments', () => {
    assert.equal(braceNesting('http { server { location / { } } }'), 3);
    assert.equal(braceNesting('set $x "{{{"; # {{{\nhttp { }'), 1);
    assert.equal(braceNesting('{'.repeat(100_000)), 100_000);
  });
});
