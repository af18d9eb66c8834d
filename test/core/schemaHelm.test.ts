// helm/schema: compiling charts' values.schema.json in every draft found in the wild (never fetching
// anything), merging an override over the chart's defaults as Helm does, and reporting only what the
// file at hand can change. The rule is called directly, so these tests do not depend on its registration.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, resolveSettings } from '../../server/src/core/analyze';
import { prepareHelm } from '../../server/src/core/helm/model';
import { chartSchema, coalesce, compileChartSchema, helmSchema } from '../../server/src/core/helm/rules/schema';
import { applyChanges, LineIndex } from '../../server/src/core/text';
import { FileAccess, Fix, Report } from '../../server/src/core/types';
import { fixesNow } from '../../server/src/core/collect';

const CHART = '/repo/charts/web';

function filesWith(contents: Record<string, string>): FileAccess {
  return { readFile: (p) => contents[p], exists: (p) => p in contents };
}

function chart(schema: unknown, defaults?: string): FileAccess {
  const files: Record<string, string> = {
    [`${CHART}/Chart.yaml`]: 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    [`${CHART}/values.schema.json`]: typeof schema === 'string' ? schema : JSON.stringify(schema),
  };
  if (defaults !== undefined) files[`${CHART}/values.yaml`] = defaults;
  return filesWith(files);
}

/** A report with its fixes computed. */
type Checked = Report & { fixes: Fix[] };

function check(text: string, files: FileAccess, name = 'values.yaml'): Checked[] {
  const { ctx } = prepareHelm({ text, path: `${CHART}/${name}`, settings: resolveSettings(), files });
  const out: Checked[] = [];
  helmSchema.check(ctx, (r) => out.push({ ...r, fixes: fixesNow(r.fixes) }));
  return out;
}

const at = (text: string, r: Report) => text.slice(r.span.start, r.span.end);
const lineOf = (text: string, r: Report) => new LineIndex(text).lineAt(r.span.start);

function compiled(schema: unknown) {
  const s = compileChartSchema(JSON.stringify(schema));
  assert.ok(s.validate, s.problem);
  return s;
}

describe('compiling a chart schema', () => {
  it('reads draft-04 boolean exclusive bounds as the numbers later drafts use', () => {
    const { validate } = compiled({
      $schema: 'http://json-schema.org/draft-04/schema#',
      id: 'http://example.com/chart.json',
      properties: { replicas: { type: 'integer', minimum: 0, exclusiveMinimum: true }, pct: { maximum: 100, exclusiveMaximum: true }, n: { minimum: 1, exclusiveMinimum: false } },
    });
    assert.equal(validate!({ replicas: 0 }), false);
    assert.equal(validate!({ replicas: 1 }), true);
    assert.equal(validate!({ pct: 100 }), false);
    assert.equal(validate!({ n: 1 }), true);
  });

  it('compiles draft 2019-09 and 2020-12 schemas with their own keywords', () => {
    const s2019 = compiled({ $schema: 'https://json-schema.org/draft/2019-09/schema', $defs: { p: { type: 'integer' } }, properties: { a: { $ref: '#/$defs/p' } }, unevaluatedProperties: false });
    assert.equal(s2019.validate!({ a: 1 }), true);
    assert.equal(s2019.validate!({ a: 1, b: 2 }), false);
    const s2020 = compiled({ $schema: 'https://json-schema.org/draft/2020-12/schema', properties: { t: { prefixItems: [{ type: 'integer' }, { type: 'string' }] } } });
    assert.equal(s2020.validate!({ t: [1, 'x'] }), true);
    assert.equal(s2020.validate!({ t: ['x', 1] }), false);
  });

  it('takes the unversioned meta-schema URI, or none, as draft-07', () => {
    for (const $schema of ['http://json-schema.org/schema#', undefined, 'https://json-schema.org/draft-07/schema#']) {
      const { validate } = compiled({ $schema, definitions: { n: { type: 'integer' } }, properties: { a: { $ref: '#/definitions/n' } } });
      assert.equal(validate!({ a: 'x' }), false, String($schema));
    }
  });

  it('never fetches a remote $ref: the part is left out and listed for a note', () => {
    const realFetch = globalThis.fetch;
    globalThis.fetch = (() => assert.fail('fetch called')) as typeof fetch;
    try {
      const s = compiled({ properties: { affinity: { $ref: 'https://example.com/k8s/affinity.json' }, other: { $ref: 'other.json#/x' }, n: { type: 'integer' } } });
      assert.deepEqual(s.remoteRefs, ['https://example.com/k8s/affinity.json', 'other.json#/x']);
      assert.equal(s.validate!({ affinity: 'anything', other: 1, n: 1 }), true);
      assert.equal(s.validate!({ n: 'x' }), false);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('keeps refs to other schemas of the same file, by $id', () => {
    const s = compiled({ $id: 'http://example.com/root.json', properties: { a: { $ref: 'item.json' } }, definitions: { item: { $id: 'item.json', type: 'string' } } });
    assert.deepEqual(s.remoteRefs, []);
    assert.equal(s.validate!({ a: 1 }), false);
  });

  it('survives what real schemas get wrong: bad patterns, unknown types, draft-3 required, dangling pointers', () => {
    const s = compiled({
      properties: {
        name: { type: 'string', pattern: '(?i)^web$' },
        size: { type: 'int' },
        legacy: { required: true, type: 'string' },
        dangling: { $ref: '#/definitions/nowhere' },
        n: { type: 'integer', multipleOf: 0 },
      },
      patternProperties: { '(?i)x-.*': { type: 'string' } },
    });
    assert.equal(s.validate!({ name: 'WEB', size: 'big', legacy: 'x', dangling: {}, n: 3 }), true);
    assert.equal(s.validate!({ legacy: 1 }), false);
  });

  it('reports JSON that does not parse as a problem Helm shares, and never throws', () => {
    const s = compileChartSchema('{ "type": "object", }');
    assert.equal(s.validate, undefined);
    assert.equal(s.fatal, true);
    assert.match(s.problem!, /not valid JSON/);
    assert.equal(compileChartSchema('[1, 2]').fatal, true);
    assert.ok(compileChartSchema('true').validate, 'a boolean schema is a schema');
  });

  it('caches the compiled validator by content: the same schema text is compiled once, wherever it lives', () => {
    const text = JSON.stringify({ properties: { a: { type: 'string' } } });
    const first = chartSchema(text);
    assert.equal(chartSchema(text), first);
    assert.equal(chartSchema(String(text)), first);
    assert.notEqual(chartSchema(text + ' '), first);
  });

  it('reuses the validator of a large generated schema when the values are edited', () => {
    // About 300 KB, shaped like generated chart schemas: many components with the same structure.
    const component = (i: number) => ({
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        replicaCount: { type: 'integer', minimum: 0 },
        image: { type: 'object', properties: { repository: { type: 'string' }, tag: { type: 'string', pattern: '^[\\w.-]+$' } } },
        service: { type: 'object', properties: { port: { type: 'integer', minimum: 1, maximum: 65535 } } },
        [`extra${i}`]: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      },
    });
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 900; i++) properties[`component${i}`] = component(i);
    const text = JSON.stringify({ type: 'object', properties }, null, 2);
    assert.ok(text.length > 250_000, String(text.length));
    const dir = '/charts/big';
    const files = {
      readFile: (p: string) => (p === `${dir}/values.schema.json` ? text : p === `${dir}/Chart.yaml` ? 'apiVersion: v2\nname: big\nversion: 1.0.0\n' : undefined),
      exists: (p: string) => p === `${dir}/values.schema.json` || p === `${dir}/Chart.yaml`,
    };
    const values = (n: number) => `component1:\n  replicaCount: ${n}\n  image:\n    tag: 1.2.3\n`;
    const schemaFindings = (n: number) => analyze({ text: values(n), path: `${dir}/values.yaml`, files }).findings.filter((f) => f.ruleId === 'helm/schema');
    assert.deepEqual(schemaFindings(2), []);
    const compiled = chartSchema(text);
    assert.equal(schemaFindings(-1).length, 1);
    assert.equal(chartSchema(text), compiled, 'an edit of the values did not recompile the schema');
  });
});

describe("Helm's merge of an override over the defaults", () => {
  it('merges maps key by key, replaces everything else, and deletes a default with null', () => {
    const merged = coalesce({ a: { x: 1, y: 2 }, list: [1, 2], gone: { deep: 1 }, keep: 1 }, { a: { y: 3 }, list: [9], gone: null, extra: null });
    assert.deepEqual(JSON.parse(JSON.stringify(merged)), { a: { x: 1, y: 3 }, list: [9], keep: 1, extra: null });
  });
});

describe('helm/schema', () => {
  const schema = {
    type: 'object',
    required: ['image'],
    properties: {
      replicaCount: { type: 'integer', minimum: 1 },
      image: { type: 'object', required: ['repository'], additionalProperties: false, properties: { repository: { type: 'string' }, tag: { type: 'string' } } },
      service: { type: 'object', additionalProperties: false, properties: { port: { type: 'integer' }, timeoutSeconds: { type: 'integer' } } },
    },
  };
  const defaults = 'replicaCount: 2\nimage:\n  repository: web\n  tag: "1.0.0"\nservice:\n  port: 80\n';

  it("checks the chart's own values.yaml directly, with findings on the exact key or value", () => {
    const text = 'replicaCount: 0\nimage:\n  repository: web\n  tagg: "1.0"\nservice:\n  port: http\n';
    const r = check(text, chart(schema));
    assert.deepEqual(r.map((x) => at(text, x)), ['0', 'tagg', 'http']);
    assert.match(r[1].message, /Unknown key "tagg" in image \(did you mean "tag"\?\)/);
    assert.equal(applyChanges(text, r[1].fixes![0].changes), text.replace('tagg', 'tag'));
  });

  it('validates an override merged over the defaults, reporting only keys the override wrote', () => {
    const brokenDefaults = defaults + 'bogus: 1\n';
    const text = 'replicaCount: "3"\nservice:\n  timeoutSecnds: 5\n';
    const r = check(text, chart({ ...schema, additionalProperties: false }, brokenDefaults), 'values-production.yaml');
    assert.deepEqual(r.map((x) => at(text, x)), ['"3"', 'timeoutSecnds']);
    assert.equal(r[1].fixes![0].changes[0].newText, 'timeoutSeconds');
    // The same defaults, checked as the chart's values.yaml, do get the finding.
    assert.deepEqual(check(brokenDefaults, chart({ ...schema, additionalProperties: false })).map((x) => at(brokenDefaults, x)), ['bogus']);
  });

  it('needs the defaults: a required key the defaults provide is not missing from an override', () => {
    assert.deepEqual(check('replicaCount: 3\n', chart(schema, defaults), 'values-production.yaml'), []);
    assert.equal(check('replicaCount: 3\n', chart(schema, defaults)).length, 1, 'as values.yaml, image is missing');
  });

  it('points at the null that deletes a required default', () => {
    const text = 'image:\n  repository: null\n';
    const r = check(text, chart(schema, defaults), 'values-production.yaml');
    assert.equal(r.length, 1);
    assert.equal(at(text, r[0]), 'repository');
    assert.match(r[0].message, /"repository" is required in image, and leaving it empty here removes it/);
  });

  it('offers the rename even when the intended key is set in the defaults (overriding it is the point)', () => {
    const text = 'service:\n  portt: 8080\n';
    const [r] = check(text, chart(schema, defaults), 'values-production.yaml');
    assert.equal(r.fixes![0].changes[0].newText, 'port');
  });

  it('reports a broken schema once, as an error on the first line of content', () => {
    const text = '# production values\n\nreplicaCount: 3\nimage: {repository: web}\n';
    const r = check(text, chart('{"type": "object",}', defaults));
    assert.equal(r.length, 1);
    assert.equal(r[0].severity, 'error');
    assert.equal(lineOf(text, r[0]), 2);
    assert.match(r[0].message, /values\.schema\.json is unusable: it is not valid JSON/);
  });

  it('adds one information note for remote refs and still checks the rest', () => {
    const text = 'replicaCount: 0\nimage: {repository: web}\n';
    const r = check(text, chart({ ...schema, properties: { ...schema.properties, affinity: { $ref: 'https://example.com/a.json' } } }));
    assert.deepEqual(r.map((x) => x.severity ?? 'error'), ['information', 'error']);
  });

  it('does nothing without a chart folder or a values.schema.json', () => {
    const noSchema = filesWith({ [`${CHART}/Chart.yaml`]: 'name: web\n' });
    assert.deepEqual(check('replicaCount: zero\n', noSchema), []);
    const { ctx } = prepareHelm({ text: 'replicaCount: zero\n', path: '/tmp/values.yaml', settings: resolveSettings(), files: chart(schema) });
    const out: Report[] = [];
    helmSchema.check(ctx, (r) => out.push(r));
    assert.deepEqual(out, []);
  });

  it('skips an override when the defaults do not parse, rather than guess', () => {
    assert.deepEqual(check('replicaCount: zero\n', chart(schema, 'image: [\n'), 'values-production.yaml'), []);
  });

  it('validates the first document only, as Helm reads no further', () => {
    assert.deepEqual(check('image: {repository: web}\n---\nreplicaCount: zero\n', chart(schema)), []);
  });

  it('turns an alias bomb in the values into one warning', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const r = check(lines.join('\n') + '\n', chart(schema));
    assert.equal(r.length, 1);
    assert.equal(r[0].severity, 'warning');
    assert.match(r[0].message, /^Too many aliases/);
  });
});
