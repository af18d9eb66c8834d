// The NGINX parser: lossless (lexemes reproduce the file byte for byte), exact offsets, NGINX's own
// tokenising quirks, syntax problems where `nginx -t` would stop, and no throw or hang on any input.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { Directive, parseNginx, ParsedConfig, unescapeNginx, walkDirectives } from '../../server/src/core/nginx/parse';
import { FIXTURES } from './harness';

/** Every property a parse must have, whatever the input. */
function assertLossless(text: string, parsed: ParsedConfig = parseNginx(text, { lexemes: true })): ParsedConfig {
  const lexemes = parsed.lexemes!;
  let at = 0;
  for (const l of lexemes) {
    assert.equal(l.start, at, `lexeme ${l.kind} starts at ${l.start}, expected ${at}`);
    assert.ok(l.end > l.start, `empty ${l.kind} lexeme at ${l.start}`);
    at = l.end;
  }
  assert.equal(at, text.length, 'lexemes end at the end of the text');
  assert.equal(lexemes.map((l) => text.slice(l.start, l.end)).join(''), text);
  for (const c of parsed.comments) {
    assert.equal(text[c.start], '#');
    assert.equal(text.slice(c.start + 1, c.end), c.text);
    assert.ok(!c.text.includes('\n'));
  }
  walkDirectives(parsed.directives, (d) => {
    for (const w of [d.name, ...d.args]) {
      const raw = text.slice(w.start, w.end);
      if (w.quoted) assert.ok(raw.startsWith('"') || raw.startsWith("'"), `quoted word ${raw} starts with a quote`);
      else if (!w.templated) assert.equal(unescapeNginx(raw), w.value);
    }
    assert.ok(d.end >= d.start && d.end <= text.length);
    if (d.semicolon !== undefined) assert.equal(text[d.semicolon], ';');
    if (d.block) {
      assert.equal(text[d.block.open], '{');
      if (d.block.close !== undefined) assert.equal(text[d.block.close], '}');
    }
  });
  return parsed;
}

function names(ds: Directive[]): string[] {
  return ds.map((d) => d.name.value);
}

function find(parsed: ParsedConfig, name: string): Directive {
  let found: Directive | undefined;
  walkDirectives(parsed.directives, (d) => {
    if (!found && d.name.value === name) found = d;
  });
  assert.ok(found, `no ${name} directive`);
  return found;
}

describe('nginx parser', () => {
  it('builds the tree with exact offsets', () => {
    const text = 'http {\n  server {\n    listen 80;\n    location / { proxy_pass http://app; }\n  }\n}\n';
    const parsed = assertLossless(text);
    assert.deepEqual(parsed.problems, []);
    const http = parsed.directives[0];
    assert.equal(http.name.value, 'http');
    assert.deepEqual(names(http.block!.children), ['server']);
    const listen = find(parsed, 'listen');
    assert.equal(text.slice(listen.start, listen.end), 'listen 80;');
    assert.equal(listen.args[0].value, '80');
    assert.equal(text.slice(listen.args[0].start, listen.args[0].end), '80');
    const location = find(parsed, 'location');
    assert.equal(text.slice(location.start, location.end), 'location / { proxy_pass http://app; }');
    assert.equal(location.parent?.name.value, 'server');
    assert.equal(location.parent?.parent?.name.value, 'http');
  });

  it('follows NGINX quoting and escaping', () => {
    const text = `return 200 "a \\"quoted\\" word; {not a block}" 'single \\' quote' plain\\ space;\n`;
    const parsed = assertLossless(text);
    assert.deepEqual(parsed.problems, []);
    const ret = parsed.directives[0];
    assert.deepEqual(
      ret.args.map((a) => a.value),
      ['200', 'a "quoted" word; {not a block}', "single ' quote", 'plain\\ space'],
    );
    assert.equal(ret.args[1].quoted, true);
    assert.equal(text.slice(ret.args[1].start, ret.args[1].end), '"a \\"quoted\\" word; {not a block}"');
  });

  it('treats # as a comment only where a token starts, and keeps every comment', () => {
    const text = 'location /\\{\\;\\}\\ #\\ ab {}# hello\nset $a foo#bar; # trailing\n"http" {#right after the brace\n}\n';
    const parsed = assertLossless(text);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.comments.map((c) => c.text),
      [' hello', ' trailing', 'right after the brace'],
    );
    assert.equal(parsed.directives[0].args[0].value, '/\\{\\;\\}\\ #\\ ab');
    assert.equal(parsed.directives[1].args[1].value, 'foo#bar');
    assert.equal(parsed.directives[2].name.value, 'http');
  });

  it('reads a brace inside a word as part of it, as NGINX does, but `{` ends a word', () => {
    const parsed = assertLossless('location /a{}location /b{}\ntry_files /x/${uri} =404;\n');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(names(parsed.directives), ['location', 'location', 'try_files']);
    assert.equal(parsed.directives[2].args[0].value, '/x/${uri}');
  });

  it('keeps log_format strings with braces, and quoted regexes with quantifiers', () => {
    const text = `log_format main escape=json\n  '{ "time": "$time_iso8601", '\n  '"uri": "$uri" }';\nlocation ~ "^/[0-9a-f]{8}$" { return 204; }\n`;
    const parsed = assertLossless(text);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.directives[0].args.length, 4);
    assert.equal(parsed.directives[1].args[1].value, '^/[0-9a-f]{8}$');
  });

  it('keeps *_by_lua_block bodies as opaque Lua, with braces in strings, long brackets and comments', () => {
    const text = [
      'server {',
      '  server_name content_by_lua_block;',
      '  set_by_lua_block $res { -- a comment with a } brace',
      '    local t = { 1, 2, "}" }',
      "    local s = '{' .. [[ } ]] .. [==[ ]] } ]==]",
      '    --[[ long } comment ]]',
      '    return 1',
      '  }',
      '  "rewrite_by_lua_block" { ngx.say("{") }',
      '  upstream content_by_lua_block { }',
      '  listen 80;',
      '}',
      '',
    ].join('\n');
    const parsed = assertLossless(text);
    assert.deepEqual(parsed.problems, []);
    const server = parsed.directives[0];
    assert.deepEqual(names(server.block!.children), ['server_name', 'set_by_lua_block', 'rewrite_by_lua_block', 'upstream', 'listen']);
    const set = server.block!.children[1];
    assert.deepEqual(set.args.map((a) => a.value), ['$res']);
    assert.ok(text.slice(set.block!.lua!.start, set.block!.lua!.end).includes('return 1'));
    assert.deepEqual(set.block!.children, []);
    assert.ok(parsed.lexemes!.some((l) => l.kind === 'lua'));
  });

  it('reports a Lua block that never closes', () => {
    const parsed = assertLossless('content_by_lua_block {\n  local s = "}"\n  -- }\n');
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0].message, /Lua/);
  });

  it('understands template placeholders and template tags', () => {
    const text = [
      '{% if enabled %}',
      'server {',
      '  listen {{ port }} reuseport {%- if certificate %} ssl {%- endif %};',
      '  set $backend "{{ forward_host }}";',
      '  access_log /data/logs/host-{{ id }}_access.log;',
      '  listen ${NGINX_PORT};',
      '{{ advanced_config }}',
      '}',
      '{% endif %}',
      '',
    ].join('\n');
    const parsed = assertLossless(text);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(names(parsed.directives), ['server']);
    assert.equal(parsed.templates.length, 3);
    const server = parsed.directives[0];
    assert.deepEqual(names(server.block!.children), ['listen', 'set', 'access_log', 'listen']);
    assert.equal(server.block!.children[0].args[0].value, '{{ port }}');
    assert.ok(server.block!.children[0].args.some((a) => a.value === 'ssl'));
    assert.equal(server.block!.children[2].args[0].value, '/data/logs/host-{{ id }}_access.log');
    assert.equal(server.block!.children[3].args[0].templated, true);
  });

  it('a {{ without a closer on its line is an ordinary brace', () => {
    const parsed = assertLossless('a {{\n}}\n');
    assert.ok(parsed.problems.length > 0);
  });

  it('keeps CRLF line breaks out of comments and tokens', () => {
    const text = 'server {\r\n  listen 80; # web\r\n}\r\n';
    const parsed = assertLossless(text);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.comments.map((c) => c.text), [' web']);
  });

  describe('syntax problems, where nginx -t would stop', () => {
    const cases: [string, string, RegExp, number][] = [
      ['missing ; before }', 'server {\n  location / {\n    proxy_pass http://a\n  }\n}\n', /Missing ';' after the "proxy_pass"/, 2],
      ['missing ; at the end', 'worker_processes 2', /Missing ';'/, 0],
      ['stray ;', 'listen 80;;\n', /Stray ';'/, 0],
      ['stray }', 'events {}\n}\n', /closes no block/, 1],
      ['unclosed block', 'http {\n  server {\n    listen 80;\n', /"server" block is never closed \(2 blocks/, 1],
      ['block without a name', '{ listen 80; }\n', /needs a name/, 0],
      ['unterminated string', 'return 200 "oops;\n}\n', /never closed/, 0],
      ['character after a closing quote', 'add_header X "v"x;\n', /after a closing quote/, 0],
    ];
    for (const [title, text, message, line] of cases) {
      it(title, () => {
        const parsed = assertLossless(text);
        assert.equal(parsed.problems.length, 1, JSON.stringify(parsed.problems));
        assert.match(parsed.problems[0].message, message);
        assert.equal(text.slice(0, parsed.problems[0].span.start).split('\n').length - 1, line);
      });
    }

    it('still builds the tree around a problem', () => {
      const parsed = assertLossless('http {\n  server {\n    location /a {\n      proxy_pass http://a\n    }\n    location /b { root /b; }\n  }\n}\n');
      assert.deepEqual(names(parsed.directives[0].block!.children[0].block!.children), ['location', 'location']);
    });

    it('caps the number of problems and says how many more there are', () => {
      const parsed = assertLossless(';'.repeat(5000));
      assert.equal(parsed.problems.length, 100);
      assert.match(parsed.problems[99].message, /4900 more syntax errors/);
    });
  });

  describe('never throws, never hangs', () => {
    const weird: [string, () => string][] = [
      ['100k nested named blocks', () => 'a {'.repeat(100_000) + '}'.repeat(100_000)],
      ['100k unclosed braces', () => '{'.repeat(100_000)],
      ['100k closing braces', () => '}'.repeat(100_000)],
      ['20k nested server/location pairs in conf.d', () => 'server { listen 80; location / {'.repeat(20_000)],
      ['100k nested ifs in a server', () => 'server { listen 80; location / { root /srv; } ' + 'if ($a) { '.repeat(100_000)],
      ['100k nested ifs in a location', () => 'server { listen 80; location / { ' + 'if ($a) { '.repeat(100_000)],
      ['100k {{ on one line', () => '{{'.repeat(100_000)],
      ['100k {% on one line', () => 'x {%'.repeat(100_000)],
      ['unterminated quote', () => 'server { return 200 "' + 'x'.repeat(200_000)],
      ['lua with 100k unclosed long brackets', () => 'content_by_lua_block {' + '[=['.repeat(100_000)],
      ['lua with many strings', () => 'content_by_lua_block {' + '"\\"'.repeat(100_000)],
      ['backslash at the end', () => 'listen \\'],
      ['only a quote', () => '"'],
      ['empty', () => ''],
      ['binary garbage', () => {
        let seed = 42;
        let s = '';
        for (let i = 0; i < 200_000; i++) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          s += String.fromCharCode(seed % 256);
        }
        return s;
      }],
      ['replacement characters from a failed UTF-8 decode', () => 'server {\n  # caf\uFFFD\uFFFD\n  return 200 "\uFFFD";\n}\n'],
      ['a 2 MB line of words', () => 'x '.repeat(1_000_000)],
    ];
    for (const [title, make] of weird) {
      it(title, { timeout: 120_000 }, () => {
        const text = make();
        // A hang fails through the test's timeout; speed itself is measured by `npm run bench`.
        const parsed = parseNginx(text, { lexemes: true });
        assertLossless(text, parsed);
        assert.ok(parsed.problems.length <= 100);
        // The whole analysis (model, includes, rules) must survive it too, in every context.
        const contexts = title === '100k nested named blocks' ? ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/x.conf', '/etc/nginx/stream.d/x.conf'] : ['/etc/nginx/conf.d/x.conf'];
        for (const p of contexts) {
          const result = analyze({ text, path: p, kind: 'nginx' });
          assert.equal(result.kind, 'nginx');
          assert.ok(!result.findings.some((f) => f.message.includes('internal error')), result.findings.find((f) => f.message.includes('internal error'))?.message);
        }
      });
    }
  });

  it('reproduces every fixture and every file it parses byte for byte', () => {
    const files = fs.readdirSync(path.join(FIXTURES, 'nginx')).filter((n) => n.endsWith('.conf'));
    assert.ok(files.length > 10);
    for (const f of files) assertLossless(fs.readFileSync(path.join(FIXTURES, 'nginx', f), 'utf8'));
  });

});
