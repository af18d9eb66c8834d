// What the engine (core/analyze.ts) does for every rule, so that no kind or rule re-implements it:
// one finding per rule and span unless the rule marks the notes as distinct (Report.dedupeKey), and no
// repair from a rule whose metadata says it has none.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { allRuleMetas, ruleMeta } from '../../server/src/core/catalog';
import { BaseContext, KindModule } from '../../server/src/core/kind';
import { registerKind } from '../../server/src/core/registry';
import { FileAccess, Finding, Rule } from '../../server/src/core/types';
import { diskFiles } from './diskFiles';
import { fixtureFiles, loadFixture } from './harness';

function filesWith(contents: Record<string, string>): FileAccess {
  return { readFile: (p) => contents[p], exists: (p) => p in contents };
}

const INTERNAL_ERROR = 'prodready internal error';

describe('one finding per rule and span', () => {
  it('keeps both helm/schema findings when one value breaks two constraints of the chart schema', () => {
    const chart = '/repo/charts/web';
    const files = filesWith({
      [`${chart}/Chart.yaml`]: 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      [`${chart}/values.schema.json`]: JSON.stringify({ properties: { name: { type: 'string', pattern: '^[a-z]+$', maxLength: 3 } } }),
    });
    const text = 'name: ABCDEFG\n';
    const found = analyze({ text, path: `${chart}/values.yaml`, files }).findings.filter((f) => f.ruleId === 'helm/schema');
    assert.equal(found.length, 2, found.map((f) => f.message).join('\n'));
    assert.deepEqual(found.map((f) => text.slice(f.span.start, f.span.end)), ['ABCDEFG', 'ABCDEFG']);
    assert.ok(found.some((f) => /does not match the pattern/.test(f.message)));
    assert.ok(found.some((f) => /at most 3 characters long/.test(f.message)));
  });

  it('keeps both compose/schema findings when one value has the wrong type and is not an allowed value', () => {
    const text = 'services:\n  api:\n    image: api:1.0\n    volumes:\n      - type: [bind]\n        source: data\n        target: /data\n';
    const found = analyze({ text, path: '/srv/app/docker-compose.yml' }).findings.filter((f) => f.ruleId === 'compose/schema');
    assert.equal(found.length, 2, found.map((f) => f.message).join('\n'));
    assert.deepEqual(found.map((f) => text.slice(f.span.start, f.span.end)), ['[bind]', '[bind]']);
    assert.ok(found.some((f) => /must be text/.test(f.message)));
    assert.ok(found.some((f) => /must be one of "bind", "volume"/.test(f.message)));
  });

  it('reports a value that several services merge from one anchor once, where it is written', () => {
    const text = 'x-defaults: &defaults\n  image: app:latest\nservices:\n  a:\n    <<: *defaults\n  b:\n    <<: *defaults\n';
    const found = analyze({ text, path: '/srv/app/docker-compose.yml' }).findings.filter((f) => f.ruleId === 'compose/image-tag');
    assert.equal(found.length, 1);
    assert.equal(text.slice(found[0].span.start, found[0].span.end), 'app:latest');
  });
});

describe('a fix from a rule not marked fixable', () => {
  // A throwaway kind whose rules report one finding with a repair, one rule marked fixable and one not.
  const withFix = (fixable: boolean): Rule<BaseContext> => ({
    meta: { id: `toy/${fixable ? 'honest' : 'sneaky'}-fix`, description: 'A toy rule.', defaultSeverity: 'warning', category: 'correctness', fixable },
    check(ctx, report) {
      report({
        span: { start: 0, end: ctx.text.length },
        message: 'Toy finding.',
        fixes: [{ title: 'Repair', changes: [{ start: 0, end: ctx.text.length, newText: 'fixed' }] }],
      });
    },
  });
  const toy: KindModule<BaseContext> = {
    kind: 'toy',
    label: 'Toy file',
    plural: 'toy files',
    icon: 'beaker',
    scanGlobs: ['**/*.toy'],
    matchesName: (path) => path.endsWith('.toy'),
    sniff: () => false,
    prepare: (base) => ({ ctx: base, syntax: [] }),
    rules: [withFix(false), withFix(true)],
    syntaxRules: [],
  };
  let unregister: () => void = () => undefined;
  before(() => (unregister = registerKind(toy)));
  after(() => unregister());

  it('becomes an internal-error finding, and the fix is not offered', () => {
    const findings = analyze({ text: 'broken', path: '/work/a.toy' }).findings;
    const sneaky = findings.filter((f) => f.ruleId === 'toy/sneaky-fix');
    assert.equal(sneaky.length, 1);
    assert.equal(sneaky[0].severity, 'error');
    assert.equal(sneaky[0].message, `${INTERNAL_ERROR} in toy/sneaky-fix: offered a fix but is not marked fixable. Please report it.`);
    assert.deepEqual(sneaky[0].fixes.filter((x) => !x.suppression), []);
  });

  it('while a rule marked fixable keeps its fix', () => {
    const honest = analyze({ text: 'broken', path: '/work/a.toy' }).findings.filter((f) => f.ruleId === 'toy/honest-fix');
    assert.equal(honest.length, 1);
    assert.deepEqual(honest[0].fixes.filter((x) => !x.suppression).map((x) => x.title), ['Repair']);
  });
});

describe('the fixable flag, against every rule fixture', () => {
  const findings: Finding[] = [];
  for (const namespace of ['compose', 'helm', 'nginx', 'haproxy']) {
    for (const file of fixtureFiles(namespace).filter((f) => fs.statSync(f).isFile())) findings.push(...analyze(loadFixture(file, diskFiles).input).findings);
  }
  const repaired = new Set(findings.filter((f) => f.fixes.some((x) => !x.suppression)).map((f) => f.ruleId));

  it('marks fixable every rule that offers a repair (the engine would otherwise turn it into an internal error)', () => {
    assert.deepEqual(findings.filter((f) => f.message.startsWith(INTERNAL_ERROR)).map((f) => f.message), []);
    assert.deepEqual([...repaired].filter((id) => !ruleMeta(id)?.fixable), []);
  });

  it('shows a repair on some fixture for every rule marked fixable, so the claim the docs make is tested', () => {
    assert.deepEqual(allRuleMetas().filter((m) => m.fixable && !repaired.has(m.id)).map((m) => m.id), []);
  });
});

describe('findings a prodready-disable comment silences', () => {
  const text = 'services:\n  web:\n    # prodready-disable-next-line compose/image-tag -- pinned by the deploy job\n    image: nginx:latest\n  api:\n    image: api:latest\n';
  const path = '/srv/app/docker-compose.yml';

  it('are kept apart in `suppressed`, with their span, and are not findings', () => {
    const result = analyze({ text, path });
    const tags = (list: Finding[] = []) => list.filter((f) => f.ruleId === 'compose/image-tag').map((f) => text.slice(f.span.start, f.span.end));
    assert.deepEqual(tags(result.findings), ['api:latest']);
    assert.deepEqual(tags(result.suppressed), ['nginx:latest']);
    assert.deepEqual(result.suppressed!.flatMap((f) => f.fixes), [], 'no fixes for what is not reported');
    // Everything else is what the file without the comment gets, less the silenced finding.
    const uncommented = text.replace(/ *# prodready-disable.*\n/, '');
    const plain = analyze({ text: uncommented, path });
    const silenced = result.suppressed![0];
    const summary = (f: Finding) => `${f.ruleId} ${f.severity} ${f.message}`;
    assert.deepEqual(result.findings.map(summary), plain.findings.filter((f) => summary(f) !== summary(silenced) || uncommented.slice(f.span.start, f.span.end) !== 'nginx:latest').map(summary));
    assert.equal(plain.suppressed, undefined, 'absent when nothing is silenced');
  });

  it('follow the file through a byte-order mark like the findings do', () => {
    const result = analyze({ text: `\ufeff${text}`, path });
    const s = result.suppressed!.find((f) => f.ruleId === 'compose/image-tag')!;
    assert.equal(`\ufeff${text}`.slice(s.span.start, s.span.end), 'nginx:latest');
  });

  it('are not listed for a rule that is off', () => {
    const result = analyze({ text, path, settings: { rules: { 'compose/image-tag': 'off' } } });
    assert.deepEqual(result.suppressed?.filter((f) => f.ruleId === 'compose/image-tag') ?? [], []);
  });
});
