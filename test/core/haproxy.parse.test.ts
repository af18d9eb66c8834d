// The HAProxy parser: it keeps every word and comment at its exact offsets (so the text can be rebuilt
// byte for byte), reads words the way HAProxy does, builds sections, reports what HAProxy would reject,
// and never throws or stalls, whatever it is given.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { HaproxyConfig, parseHaproxy } from '../../server/src/core/haproxy/parse';
import { seededRandom } from '../bench/gen/random';
import { FIXTURES } from './harness';

/** Rebuilds the text from words, comments and the blanks between them; every gap must be blank. */
function rebuild(config: HaproxyConfig): string {
  const { text } = config;
  const pieces = config.lines.flatMap((l) => [...l.words.map((w) => ({ start: w.start, end: w.end, raw: w.raw })), ...(l.comment ? [{ start: l.comment.start, end: l.comment.end, raw: l.comment.text }] : [])]);
  let out = '';
  let pos = 0;
  for (const p of pieces) {
    const gap = text.slice(pos, p.start);
    assert.match(gap, /^[ \t\v\f\r\n]*$/, `non-blank text between pieces at ${pos}: ${JSON.stringify(gap)}`);
    assert.equal(p.raw, text.slice(p.start, p.end), `piece at ${p.start} is not the text at its offsets`);
    out += gap + p.raw;
    pos = p.end;
  }
  const tail = text.slice(pos);
  assert.match(tail, /^[ \t\v\f\r\n]*$/);
  return out + tail;
}

function words(line: string): string[] {
  return parseHaproxy(line).config.lines[0].words.map((w) => w.value);
}

function problems(text: string): string[] {
  return parseHaproxy(text).problems.map((p) => text.slice(p.span.start, p.span.end));
}


describe('haproxy parser: words', () => {
  it('splits on blanks and keeps exact offsets', () => {
    const text = 'frontend www\n    bind  *:80\tname web\n';
    const { config } = parseHaproxy(text);
    const bind = config.sections[0].directives[0];
    assert.equal(bind.keyword, 'bind');
    assert.deepEqual(
      bind.words.map((w) => [w.value, w.start, w.end]),
      [
        ['bind', 17, 21],
        ['*:80', 23, 27],
        ['name', 28, 32],
        ['web', 33, 36],
      ],
    );
    assert.equal(bind.line.indent, '    ');
  });

  it('removes quotes, which may start and stop inside a word', () => {
    assert.deepEqual(words('a "b c" \'d e\' f"g h"i'), ['a', 'b c', 'd e', 'fg hi']);
  });

  it('resolves backslash escapes outside single quotes, and keeps unknown ones', () => {
    assert.deepEqual(words('a\\ b \\#x \\x41 "\\"q\\"" \'\\n\' \\d'), ['a b', '#x', 'A', '"q"', '\\n', '\\d']);
  });

  it('starts a comment at # outside quotes, even inside a word', () => {
    const { config } = parseHaproxy('set-header X abc#def "g # h" # end');
    const line = config.lines[0];
    assert.deepEqual(line.words.map((w) => w.value), ['set-header', 'X', 'abc']);
    assert.equal(line.comment?.text, '#def "g # h" # end');
    assert.deepEqual(words('x "g # h" \'#\' \\#'), ['x', 'g # h', '#', '#']);
  });

  it('marks environment references outside single quotes', () => {
    const { config } = parseHaproxy('bind "${ADDR}" $PORT \'${LITERAL}\' price$ "${X-default}"');
    assert.deepEqual(
      config.lines[0].words.map((w) => [w.value, w.env]),
      [
        ['bind', false],
        ['${ADDR}', true],
        ['$PORT', true],
        ['${LITERAL}', false],
        ['price$', false],
        ['${X-default}', true],
      ],
    );
  });

  it('reads CRLF files exactly like LF files, with the \\r outside every word', () => {
    const lf = 'global\n  maxconn 100 # c\nfrontend a\n  bind :80\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parseHaproxy(lf).config;
    const b = parseHaproxy(crlf).config;
    assert.deepEqual(
      b.lines.map((l) => l.words.map((w) => w.value)),
      a.lines.map((l) => l.words.map((w) => w.value)),
    );
    for (const l of b.lines) {
      assert.ok(!crlf.slice(l.start, l.contentEnd).includes('\r'));
      if (l.comment) assert.ok(!l.comment.text.includes('\r'));
    }
    assert.equal(b.lines[1].comment?.text, '# c');
    assert.equal(rebuild(b), crlf);
  });

  it('rebuilds every fixture and hand-written oddity byte for byte', () => {
    const samples = [
      '',
      '\n\n',
      'global',
      'global\r',
      '  \t # only a comment\n',
      'frontend a\n  bind :80 "unterminated\n  acl x { src 1.2.3.4\n',
      'x\ty\v z\f\r\n',
      'listen a\n\tserver b c:1 check#comment\n',
    ];
    for (const file of fs.readdirSync(path.join(FIXTURES, 'haproxy'))) samples.push(fs.readFileSync(path.join(FIXTURES, 'haproxy', file), 'utf8'));
    for (const text of samples) assert.equal(rebuild(parseHaproxy(text).config), text);
  });
});

describe('haproxy parser: sections', () => {
  it('recognises section headers however they are indented, and keeps body lines in order', () => {
    const text = '    global\n      maxconn 10\n    defaults\n      mode tcp\n  frontend fe\n bind :1\nbackend be\nserver s 1.2.3.4:80\n';
    const { config, problems: found } = parseHaproxy(text);
    assert.deepEqual(
      config.sections.map((s) => [s.keyword, s.name?.value, s.directives.map((d) => d.keyword)]),
      [
        ['global', undefined, ['maxconn']],
        ['defaults', undefined, ['mode']],
        ['frontend', 'fe', ['bind']],
        ['backend', 'be', ['server']],
      ],
    );
    assert.deepEqual(found, []);
  });

  it('knows the non-proxy sections', () => {
    const kinds = ['resolvers dns', 'peers p', 'userlist u', 'program p', 'http-errors e', 'ring r', 'cache c', 'mailers m', 'crt-store s', 'traces', 'fcgi-app f', 'log-forward l', 'acme a'];
    const { config, problems: found } = parseHaproxy(kinds.map((k) => `${k}\n  x y\n`).join(''));
    assert.deepEqual(
      config.sections.map((s) => s.keyword),
      kinds.map((k) => k.split(' ')[0]),
    );
    assert.deepEqual(found, []);
  });

  it('reads named defaults and "from" on every proxy header', () => {
    const { config, problems: found } = parseHaproxy('defaults base\ndefaults web from base\ndefaults from web\nfrontend f from web\nlisten l from base\nbackend b from web\n');
    assert.deepEqual(
      config.sections.map((s) => [s.keyword, s.name?.value, s.from?.value]),
      [
        ['defaults', 'base', undefined],
        ['defaults', 'web', 'base'],
        ['defaults', undefined, 'web'],
        ['frontend', 'f', 'web'],
        ['listen', 'l', 'base'],
        ['backend', 'b', 'web'],
      ],
    );
    assert.deepEqual(found, []);
  });

  it('accepts what HAProxy accepts after a defaults name (it ignores it)', () => {
    const { config, problems: found } = parseHaproxy('defaults mydefaults  mode http\n  maxconn 3000\n');
    assert.equal(config.sections[0].name?.value, 'mydefaults');
    assert.deepEqual(found, []);
  });

  it('keeps conditional blocks out of the sections', () => {
    const { config, problems: found } = parseHaproxy('.if defined(X)\nglobal\n  .if streq("$A",b)\n  maxconn 1\n  .else\n  maxconn 2\n  .endif\n.endif\n');
    assert.deepEqual(
      config.sections[0].directives.map((d) => d.args[0].value),
      ['1', '2'],
    );
    assert.equal(config.conditionals.length, 5);
    assert.deepEqual(found, []);
  });
});

describe('haproxy parser: syntax problems', () => {
  it('reports keyword lines before any section', () => {
    assert.deepEqual(problems('# header\nmaxconn 10\nglobal\n  maxconn 10\n'), ['maxconn 10']);
  });

  it('reports unterminated quotes from the quote to the end of the line', () => {
    assert.deepEqual(problems('global\n  log-format "abc def\n  x \'y\n'), ['"abc def', "'y"]);
  });

  it('reports unbalanced ACL braces, and accepts the negated "!{" form', () => {
    assert.deepEqual(problems('frontend f\n  http-request deny if { src 1.2.3.4\n  http-request deny if x }\n  redirect scheme https if !{ ssl_fc }\n  acl a path "{"\n'), ['{', '}']);
  });

  it('reports headers HAProxy rejects', () => {
    assert.deepEqual(problems('global maxconn 1\nfrontend\nbackend b 1.2.3.4:80\nlisten l from\n'), ['maxconn 1', 'frontend', '1.2.3.4:80', 'from']);
  });

  it('reports unbalanced conditional blocks', () => {
    assert.deepEqual(problems('.endif\n.else\n.if defined(A)\n'), ['.endif', '.else', '.if']);
  });

  it('reports template markup and bad hex escapes', () => {
    assert.deepEqual(problems('listen a\n{{range .}} server x y\n{% endfor %}\n  http-request set-header A \\x4g\n'), ['{{range .}} server x y', '{% endfor %}', '\\x']);
  });

  it('stops counting problems after a bound, whatever the input', () => {
    const { problems: found } = parseHaproxy('"\n'.repeat(10_000));
    assert.ok(found.length > 0 && found.length <= 200);
  });
});

describe('haproxy parser: hostile input', { timeout: 120_000 }, () => {
  // A hang fails through the suite's timeout; speed itself is measured by `npm run bench`.
  const bounded = (label: string, text: string) => {
    const { config } = parseHaproxy(text);
    assert.equal(rebuild(config), text, `${label}: not rebuilt byte for byte`);
  };

  it('survives random bytes decoded as Latin-1 and as UTF-8', () => {
    const next = seededRandom(42);
    for (let round = 0; round < 20; round++) {
      const bytes = Buffer.alloc(20_000, 0);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
      bounded(`latin1 ${round}`, bytes.toString('latin1'));
      bounded(`utf8 ${round}`, bytes.toString('utf8'));
    }
  });

  it('survives random HAProxy-like tokens', () => {
    const next = seededRandom(7);
    const atoms = ['frontend', 'backend', 'listen', 'defaults', 'global', '{', '}', '!{', '"', "'", '\\', '#', '${', '$X', ' ', '\t', '\n', '\r\n', 'bind', ':80', 'ssl', 'crt', 'from', '.if', '.endif', '{{', '\\x', 'server', 'check'];
    for (let round = 0; round < 50; round++) {
      let text = '';
      for (let i = 0; i < 2000; i++) text += atoms[Math.floor(next() * atoms.length)];
      bounded(`tokens ${round}`, text);
    }
  });

  it('handles huge lines, long brace, quote and backslash runs, and NUL bytes without stalling', () => {
    bounded('5 MB line', 'bind ' + 'a'.repeat(5_000_000));
    bounded('brace run', 'frontend f\n  acl x ' + '{ '.repeat(200_000) + '\n');
    bounded('quote run', 'frontend f\n  acl x ' + '"a" '.repeat(200_000) + '\n');
    bounded('backslash run', 'frontend f\n  x ' + '\\'.repeat(1_000_001) + '\n');
    bounded('many lines', 'frontend f\n' + '  server s 10.0.0.1:80 check\n'.repeat(50_000));
    bounded('NUL bytes', '\0'.repeat(1_000_000));
  });
});
