// Inputs built to hurt: whatever the text, analyze() returns a result (no exception, no stack overflow,
// no exponential merge resolution, no flood of findings), and says in the file what it could not do.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyze, MAX_FINDINGS_PER_RULE } from '../../server/src/core/analyze';
import { BaseContext, KindModule } from '../../server/src/core/kind';
import { MAX_NESTING } from '../../server/src/core/nesting';
import { registerKind } from '../../server/src/core/registry';

const STACK = '/srv/app/docker-stack.yml';

describe('nesting beyond what prodready reads', () => {
  const cases: [string, string, string][] = [
    ['flow sequences 160,000 deep', STACK, `k: ${'['.repeat(160_000)}${']'.repeat(160_000)}\n`],
    ['a compact block sequence 5,000 deep followed by a less-indented line', STACK, `k:\n${'- '.repeat(5000)}x\nz: 1\n`],
    ['Helm values nested 1,000 maps deep', '/repo/values.yaml', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'],
    ['4 MB of NGINX block openings (just under the default maxFileSize)', '/etc/nginx/nginx.conf', '{'.repeat(4_000_000)],
  ];
  for (const [name, path, text] of cases) {
    it(`${name}: one syntax finding, no parse`, () => {
      // Twice in one process: the crash this guards against came on the second analysis.
      for (let run = 0; run < 2; run++) {
        const result = analyze({ text, path, kind: path.endsWith('values.yaml') ? 'helm-values' : undefined });
        assert.equal(result.findings.length, 1, result.findings.map((f) => f.message).join('\n'));
        assert.match(result.findings[0].message, new RegExp(`nested too deeply: \\d+ levels, more than the ${MAX_NESTING} prodready reads; not analysed`));
        assert.match(result.findings[0].ruleId, /\/syntax$/);
      }
    });
  }

  it('reads ordinary nesting as before', () => {
    const result = analyze({ text: 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      placement:\n        constraints: [node.role != manager]\n', path: STACK });
    assert.ok(!result.findings.some((f) => /nested too deeply/.test(f.message)));
    assert.ok(result.passed.includes('compose/manager-placement'));
  });
});

describe('a parser that fails', () => {
  const exploding: KindModule<BaseContext> = {
    kind: 'exploding',
    label: 'Exploding file',
    plural: 'exploding files',
    icon: 'flame',
    scanGlobs: ['**/*.boom'],
    matchesName: (path) => path.endsWith('.boom'),
    sniff: () => false,
    prepare: () => {
      throw new RangeError('Maximum call stack size exceeded');
    },
    rules: [],
    syntaxRules: [{ id: 'exploding/syntax', description: 'Parses.', defaultSeverity: 'error', category: 'correctness', fixable: false }],
  };
  let unregister: () => void;
  before(() => (unregister = registerKind(exploding)));
  after(() => unregister());

  it('is contained: the file gets a syntax finding saying it could not be analysed', () => {
    const result = analyze({ text: 'anything', path: '/x/a.boom' });
    assert.equal(result.kind, 'exploding');
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.message]),
      [['exploding/syntax', 'could not be analysed: Maximum call stack size exceeded']],
    );
  });
});

describe('merge bombs and floods', () => {
  it('resolves nested merges of the same anchor once (linear, not 3^20)', () => {
    let text = 'x-0: &g0 {a0: 1}\n';
    for (let i = 1; i <= 20; i++) text += `x-${i}: &g${i} {<<: [*g${i - 1}, *g${i - 1}, *g${i - 1}], a${i}: 1}\n`;
    text += 'services:\n';
    for (let i = 0; i < 50; i++) text += `  s${i}: {<<: *g20, image: nginx:1.27}\n`;
    const result = analyze({ text, path: STACK });
    assert.equal(result.findings.filter((f) => f.ruleId === 'compose/manager-placement').length, 50);
  });

  it(`keeps at most ${MAX_FINDINGS_PER_RULE} findings of one rule and sums up the rest`, () => {
    const text = 'k: ' + '&a '.repeat(3000) + 'x\n';
    const found = analyze({ text, path: STACK }).findings.filter((f) => f.ruleId === 'yaml/syntax');
    assert.equal(found.length, MAX_FINDINGS_PER_RULE + 1);
    assert.ok(found.some((f) => /^\d+ more yaml\/syntax findings in this file are not shown \(the first 1000 are\)\.$/.test(f.message)));
  });

  it('finds a repeated key in a 40,000-key map (one pass, not a comparison of every pair)', () => {
    let text = 'services:\n';
    for (let i = 0; i < 40_000; i++) text += `  s${i}: {image: "app:${i}"}\n`;
    text += '  s17: {image: "app:dup"}\n';
    const found = analyze({ text, path: '/srv/app/docker-compose.yml' }).findings.filter((f) => f.ruleId === 'yaml/syntax');
    assert.deepEqual(found.map((f) => f.message), ['Map keys must be unique at line 40002, column 3:']);
  });
});
