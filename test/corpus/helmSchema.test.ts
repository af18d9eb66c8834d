// helm/schema on the charts of the shared corpus that come with their values.schema.json: a chart's own
// defaults always satisfy its own schema (Helm would refuse to install it otherwise), so any finding is
// a false positive of ours. A wrongly typed override shows the check is not vacuous on these schemas.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, resolveSettings } from '../../server/src/core/analyze';
import { prepareHelm } from '../../server/src/core/helm/model';
import { helmSchema } from '../../server/src/core/helm/rules/schema';
import { LineIndex } from '../../server/src/core/text';
import { FileAccess, Report } from '../../server/src/core/types';
import { CORPUS, corpusSkip, readCorpusFile } from './corpus';

const SUFFIX = '__values.schema.json';

/** The chart folder the corpus file stands for, in memory: Chart.yaml, values.yaml, values.schema.json. */
function chartFiles(dir: string, schema: string, defaults: string): FileAccess {
  const files: Record<string, string> = { [`${dir}/Chart.yaml`]: 'apiVersion: v2\nname: corpus\nversion: 0.1.0\n', [`${dir}/values.schema.json`]: schema, [`${dir}/values.yaml`]: defaults };
  return { readFile: (p) => files[p], exists: (p) => p in files };
}

function check(text: string, filePath: string, files: FileAccess): Report[] {
  const { ctx } = prepareHelm({ text, path: filePath, settings: resolveSettings(), files });
  const out: Report[] = [];
  helmSchema.check(ctx, (r) => out.push(r));
  return out;
}

type Json = Record<string, unknown>;

/** Follows `#/…` $refs (a few hops) within a schema. */
function follow(root: Json, node: unknown): Json | undefined {
  let cur = node as Json | undefined;
  for (let i = 0; i < 5 && cur && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
    cur = cur.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((o, seg) => (o as Json | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')], root) as Json | undefined;
  }
  return cur;
}

/** A top-level key the schema gives exactly one non-string type, if there is one. */
function typedTopLevelKey(schema: Json): string | undefined {
  const properties = (follow(schema, schema)?.properties ?? {}) as Json;
  return Object.keys(properties).find((k) => {
    const t = follow(schema, properties[k])?.type;
    return typeof t === 'string' && ['boolean', 'integer', 'number', 'object', 'array'].includes(t);
  });
}

describe('corpus: helm/schema', { skip: corpusSkip() }, () => {
  const dir = path.join(CORPUS, 'helm-values');
  const schemas = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(SUFFIX)).sort() : [];

  it('holds charts with a values.schema.json', () => assert.ok(schemas.length >= 5, `only ${schemas.length}`));

  for (const name of schemas) {
    const valuesFile = path.join(dir, name.slice(0, -SUFFIX.length) + '__values.yaml');
    if (!fs.existsSync(valuesFile)) continue;
    const chartDir = `/corpus/${name.slice(0, -SUFFIX.length)}`;
    const schemaText = readCorpusFile(path.join(dir, name));
    const defaults = readCorpusFile(valuesFile);
    const files = chartFiles(chartDir, schemaText, defaults);

    it(`${name}: the chart's defaults satisfy its schema`, { timeout: 60_000 }, () => {
      const result = analyze({ text: defaults, path: `${chartDir}/values.yaml`, kind: 'helm-values', files });
      assert.deepEqual(result.findings.filter((f) => f.message.startsWith('prodready internal error')).map((f) => f.message), []);
      const lines = new LineIndex(defaults);
      const found = check(defaults, `${chartDir}/values.yaml`, files);
      assert.deepEqual(found.map((f) => `${lines.lineAt(f.span.start) + 1}: ${f.message}`), []);
    });

    it(`${name}: a wrongly typed override is caught, on its own line`, { timeout: 60_000 }, () => {
      const key = typedTopLevelKey(JSON.parse(schemaText) as Json);
      if (!key) return;
      const override = `# production\n${JSON.stringify(key)}: "wrong type on purpose"\n`;
      const found = check(override, `${chartDir}/values-production.yaml`, files).filter((f) => f.severity !== 'information');
      assert.equal(found.length, 1, `${key}: ${found.map((f) => f.message).join(' | ')}`);
      assert.equal(new LineIndex(override).lineAt(found[0].span.start), 1);
    });
  }

  it('an override from the corpus, merged over its chart, passes', { timeout: 60_000 }, () => {
    const base = path.join(dir, 'hashicorp__vault-helm__');
    if (!fs.existsSync(base + 'values.openshift.yaml')) return;
    const files = chartFiles('/corpus/vault', readCorpusFile(base + 'values.schema.json'), readCorpusFile(base + 'values.yaml'));
    const text = readCorpusFile(base + 'values.openshift.yaml');
    assert.deepEqual(check(text, '/corpus/vault/values.openshift.yaml', files).map((f) => f.message), []);
  });
});
