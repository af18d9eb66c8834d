// The NGINX language contributions: the TextMate grammar is well formed (every include resolves, every
// pattern compiles) and the language configuration has the comment, bracket and auto-closing setup.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from './harness';

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
}

const grammar = JSON.parse(fs.readFileSync(path.join(REPO, 'syntaxes/nginx.tmLanguage.json'), 'utf8')) as {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
};
const configuration = JSON.parse(fs.readFileSync(path.join(REPO, 'language-configuration/nginx.json'), 'utf8'));

function* rules(list: Rule[] | undefined): Generator<Rule> {
  for (const r of list ?? []) {
    yield r;
    yield* rules(r.patterns);
    for (const group of [r.captures, r.beginCaptures, r.endCaptures]) yield* rules(Object.values(group ?? {}));
  }
}

describe('nginx language support', () => {
  it('the grammar is source.nginx and every #include names a repository entry', () => {
    assert.equal(grammar.scopeName, 'source.nginx');
    const all = [...rules(grammar.patterns), ...rules(Object.values(grammar.repository))];
    for (const r of all) {
      if (r.include?.startsWith('#')) assert.ok(grammar.repository[r.include.slice(1)], `unknown include ${r.include}`);
    }
  });

  it('every pattern compiles (JavaScript syntax is close enough to Oniguruma for these)', () => {
    const all = [...rules(grammar.patterns), ...rules(Object.values(grammar.repository))];
    for (const r of all) {
      for (const source of [r.match, r.begin, r.end]) if (source !== undefined) assert.doesNotThrow(() => new RegExp(source), source);
    }
  });

  it('scopes comments, strings, variables, directives, block names and numbers', () => {
    const names = JSON.stringify(grammar);
    for (const scope of ['comment.line.number-sign', 'string.quoted.double', 'string.quoted.single', 'variable.other', 'keyword.other.directive', 'storage.type.section', 'constant.numeric']) {
      assert.ok(names.includes(scope), `no ${scope} scope`);
    }
    const comment = new RegExp(grammar.repository.comment.match!);
    assert.ok(comment.test('# a comment'));
    assert.ok(comment.test('listen 80; # trailing'));
    assert.ok(!comment.test('set $a foo#bar;'), 'a # inside a word is not a comment');
  });

  it('the language configuration has # comments, braces and auto-closing quotes', () => {
    assert.equal(configuration.comments.lineComment, '#');
    assert.ok(configuration.brackets.some((b: string[]) => b[0] === '{' && b[1] === '}'));
    const pairs = configuration.autoClosingPairs.map((p: { open: string; close: string }) => p.open + p.close);
    for (const pair of ['{}', '""', "''"]) assert.ok(pairs.includes(pair), `no auto-closing ${pair}`);
  });
});
