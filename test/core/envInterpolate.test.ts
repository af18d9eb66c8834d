// Compose interpolation, each form against a variable that is set, empty, not defined by the .env
// file, or declared there with its value left to the deploy; and the .env file's syntax.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDotEnv } from '../../server/src/core/env/dotenv';
import { interpolate, Interpolation } from '../../server/src/core/env/interpolate';

const VARS = new Map<string, string | undefined>([
  ['SET', 'value'],
  ['EMPTY', ''],
  ['FROM_DEPLOY', undefined],
]);

const known = (value: string): Interpolation => ({ known: true, value });
const unknown = (names: string[], errors: string[] = []): Interpolation => ({ known: false, unknown: names, errors });

function check(text: string, cases: [variable: string, expected: Interpolation][]): void {
  for (const [name, expected] of cases) assert.deepEqual(interpolate(text.replace(/VAR/g, name), VARS), expected, `${text} with ${name}`);
}

describe('compose interpolation', () => {
  it('${VAR} and $VAR: the value, unknown when the files do not give it', () => {
    for (const form of ['a-${VAR}-b', 'a-$VAR-b']) {
      check(form, [
        ['SET', known('a-value-b')],
        ['EMPTY', known('a--b')],
        ['UNSET', unknown(['UNSET'])],
        ['FROM_DEPLOY', unknown(['FROM_DEPLOY'])],
      ]);
    }
  });

  it('${VAR:-default}: the default when unset or empty', () => {
    check('${VAR:-fallback}', [
      ['SET', known('value')],
      ['EMPTY', known('fallback')],
      ['UNSET', known('fallback')],
      ['FROM_DEPLOY', unknown(['FROM_DEPLOY'])],
    ]);
    assert.deepEqual(interpolate('web:${TAG:-latest}', new Map()), known('web:latest'));
  });

  it('${VAR-default}: the default when unset only', () => {
    check('${VAR-fallback}', [
      ['SET', known('value')],
      ['EMPTY', known('')],
      ['UNSET', known('fallback')],
      ['FROM_DEPLOY', unknown(['FROM_DEPLOY'])],
    ]);
  });

  it('${VAR:?error} and ${VAR?error}: required from the deploy when the files do not set it', () => {
    check('${VAR:?set it}', [
      ['SET', known('value')],
      ['EMPTY', unknown(['EMPTY'], ['EMPTY: set it'])],
      ['UNSET', unknown(['UNSET'], ['UNSET: set it'])],
      ['FROM_DEPLOY', unknown(['FROM_DEPLOY'])],
    ]);
    check('${VAR?set it}', [
      ['SET', known('value')],
      ['EMPTY', known('')],
      ['UNSET', unknown(['UNSET'], ['UNSET: set it'])],
    ]);
    assert.deepEqual(interpolate('${X:?}', new Map()), unknown(['X'], ['X: required variable is not set']));
  });

  it('${VAR:+alternative} and ${VAR+alternative}: the alternative when set (and non-empty)', () => {
    check('${VAR:+--debug}', [
      ['SET', known('--debug')],
      ['EMPTY', known('')],
      ['UNSET', known('')],
      ['FROM_DEPLOY', unknown(['FROM_DEPLOY'])],
    ]);
    check('${VAR+--debug}', [
      ['SET', known('--debug')],
      ['EMPTY', known('--debug')],
      ['UNSET', known('')],
    ]);
  });

  it('$$ is a literal dollar, and defaults may nest', () => {
    assert.deepEqual(interpolate('echo $$HOME $${SET}', VARS), known('echo $HOME ${SET}'));
    assert.deepEqual(interpolate('${UNSET:-${SET}-x}', VARS), known('value-x'));
    assert.deepEqual(interpolate('${UNSET:-${OTHER}}', VARS), unknown(['OTHER']));
    assert.deepEqual(interpolate('no dollars', VARS), known('no dollars'));
  });

  it('malformed expressions are unknown, with the reason', () => {
    for (const text of ['${', '${SET', '${}', '${1X}', '${SET:x}', 'cost: 5$', '$1']) {
      const r = interpolate(text, VARS);
      assert.equal(r.known, false, text);
      assert.ok(!r.known && r.errors.length === 1 && /invalid interpolation/.test(r.errors[0]), text);
    }
  });
});

describe('.env files', () => {
  const vars = (text: string) => Object.fromEntries(parseDotEnv(text).variables);

  it('reads KEY=value, export, KEY: value, comments and blank lines', () => {
    assert.deepEqual(vars('# settings\n\nA=1\nexport B=two\nC: three\n  D = four  \nE=\n'), { A: '1', B: 'two', C: 'three', D: 'four', E: '' });
  });

  it('cuts an inline comment from an unquoted value only', () => {
    assert.deepEqual(vars('A=1 # one\nB=a#b\nC="x # y" # z\nD=\'p # q\'\n'), { A: '1', B: 'a#b', C: 'x # y', D: 'p # q' });
  });

  it('takes single-quoted values literally and expands escapes and variables in double quotes', () => {
    assert.deepEqual(vars('HOST=db\nA=\'${HOST}\\n\'\nB="${HOST}\\tport"\nC="say \\"hi\\""\nD="\\$HOST"\n'), {
      HOST: 'db',
      A: '${HOST}\\n',
      B: 'db\tport',
      C: 'say "hi"',
      D: '$HOST',
    });
  });

  it('reads quoted values over several lines', () => {
    assert.deepEqual(vars('KEY="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1\n'), { KEY: '-----BEGIN-----\nabc\n-----END-----', NEXT: '1' });
  });

  it('expands variables defined above, and leaves a value unknown where they are not known', () => {
    assert.deepEqual(vars('A=x\nB=${A}-y\nC=${MISSING}\nD=${MISSING:-d}\n'), { A: 'x', B: 'x-y', C: undefined, D: 'd' });
  });

  it('reads KEY alone as a value the deploy environment gives', () => {
    const env = parseDotEnv('TOKEN\nA=1\n');
    assert.ok(env.variables.has('TOKEN'));
    assert.equal(env.variables.get('TOKEN'), undefined);
  });

  it('copes with a BOM and CRLF line ends, and reports lines it cannot read', () => {
    const env = parseDotEnv('\uFEFFA=1\r\nB="2"\r\nnot valid\r\nC=\'open\r\n');
    assert.deepEqual(Object.fromEntries(env.variables), { A: '1', B: '2' });
    assert.deepEqual(
      env.problems.map((p) => p.line),
      [3, 4],
    );
  });
});
