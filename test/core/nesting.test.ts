// The pre-scans that keep deeply nested input away from recursive parsers, and input the YAML parser is
// slowest on (thousands of anchors, aliases, tags or flow brackets) away from it.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { braceNesting, MAX_YAML_MARKS, yamlMarks, yamlNesting } from '../../server/src/core/nesting';
import { nginxNesting } from '../../server/src/core/nginx/parse';

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
    // Keys chained in one flow entry nest; keys in separate entries do not.
    assert.equal(yamlNesting('k: {a: 1, b: 2, c: [d: 1, e: 2]}\n'), 3);
    assert.equal(yamlNesting('k: {a: b: c: d}\n'), 4);
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

describe('nginxNesting', () => {
  it('counts a Lua block as one level, whatever braces its code, strings and comments hold', () => {
    const lua = 'content_by_lua_block {\n  local t = { a = "}", b = { c = 1 } } -- {{{ a comment\n  ngx.say("{")\n}\n';
    assert.equal(nginxNesting(`http {\n  server {\n    location / {\n      ${lua}    }\n  }\n}\n`), 4);
  });

  it('does not let unbalanced braces in many Lua blocks add up (a 300-site config is not "nested too deeply")', () => {
    const site = 'server {\n  location /s {\n    content_by_lua_block {\n      ngx.say("x") -- a Lua comment with a {\n    }\n  }\n}\n';
    const text = `http {\n${site.repeat(300)}}\n`;
    assert.equal(nginxNesting(text), 4);
    const result = analyze({ text, path: '/etc/nginx/nginx.conf', kind: 'nginx' });
    assert.ok(!result.findings.some((f) => /nested too deeply/.test(f.message)));
  });

  it('still counts plain NGINX blocks like braceNesting', () => {
    assert.equal(nginxNesting('{'.repeat(1000)), braceNesting('{'.repeat(1000)));
    assert.equal(nginxNesting('http { server { } } # {{{'), 2);
  });
});

describe('yamlMarks', () => {
  it('counts anchors, aliases and tags where a token starts, and flow brackets', () => {
    assert.equal(yamlMarks('a: &x {b: 1}\nc: *x\nd: !!str [1, 2]\n'), 7);
    assert.equal(yamlMarks('a: b&c*d!e\n'), 0);
    assert.equal(yamlMarks(`k: ${'&a '.repeat(1000)}\n`), 1000);
  });

  it('leaves out comments, quoted scalars and block scalars', () => {
    assert.equal(yamlMarks('# [&a] {*b}\na: "[&x]" # {}\nb: \'{*y}\'\n'), 0);
    const json = `dashboard: |\n  {"panels": [{"a": [1, 2]}, {"b": {}}]}\n\n  [[[]]]\nnext: [1]\n`;
    assert.equal(yamlMarks(json), 2);
    assert.equal(yamlMarks('- >-\n  {[\n- |2+\n   ]}\n- [x]\n'), 2);
  });
});

describe('the marks budget in analyze()', () => {
  it('refuses a file with more marks than MAX_YAML_MARKS with one syntax finding, without parsing it', () => {
    const text = `services:\n  web:\n    image: x\n    command: ${'*a '.repeat(MAX_YAML_MARKS + 1)}\n`;
    const result = analyze({ text, path: '/srv/docker-compose.yml', kind: 'compose' });
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].ruleId, 'yaml/syntax');
    assert.match(result.findings[0].message, /too many anchors, aliases, tags and flow brackets: 100,001, more than the 100,000/);
  });

  it('parses a file at the budget as usual', () => {
    const text = `services:\n  web:\n    image: x\n    command: ${'*a '.repeat(MAX_YAML_MARKS)}\n`;
    const result = analyze({ text, path: '/srv/docker-compose.yml', kind: 'compose' });
    assert.ok(result.findings.some((f) => f.ruleId === 'compose/image-tag'));
  });
});
