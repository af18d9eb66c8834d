// helm/schema on an environment: values.schema.json validated on the merged values of each production
// environment, as `helm upgrade -f values.yaml -f values-prod.yaml` does, each finding on the file that
// writes the offending value (the overlay for a subchart's default).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { applyChanges } from '../../server/src/core/text';
import { AnalysisResult, FileAccess } from '../../server/src/core/types';

const SCHEMA = JSON.stringify({
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', minimum: 1 },
    image: { type: 'object', properties: { pullPolicy: { enum: ['Always', 'IfNotPresent'] } } },
    postgresql: { type: 'object', properties: { architecture: { enum: ['replication'] } } },
  },
});

const CHART: Record<string, string> = {
  '/c/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: 12.1.0\n    repository: https://charts.example.com\n',
  '/c/values.schema.json': SCHEMA,
  '/c/charts/postgresql/Chart.yaml': 'apiVersion: v2\nname: postgresql\nversion: 12.1.0\n',
  // A default the chart's schema does not allow (its case differs from the enum's).
  '/c/charts/postgresql/values.yaml': 'architecture: Replication\n',
  // replicaCount 0 breaks the schema, but production overrides it; pullPolicy reaches production.
  '/c/values.yaml': 'replicaCount: 0\nimage:\n  pullPolicy: Sometimes\n',
  '/c/values-prod.yaml': 'replicaCount: three\n',
};

function access(files: Record<string, string>): FileAccess {
  return { readFile: (p) => files[p], exists: (p) => p in files };
}

function schemaFindings(path: string, files = CHART): AnalysisResult['findings'] {
  return analyze({ text: files[path], path, files: access(files) }).findings.filter((f) => f.ruleId === 'helm/schema');
}

const at = (files: Record<string, string>, path: string, f: { span: { start: number; end: number } }) => files[path].slice(f.span.start, f.span.end);

describe('helm/schema on the merged values of production', () => {
  it('the overlay: its own offending value, at the rule\'s severity', () => {
    const findings = schemaFindings('/c/values-prod.yaml');
    const own = findings.find((f) => at(CHART, '/c/values-prod.yaml', f) === 'three')!;
    assert.equal(own.severity, 'error');
    assert.match(own.message, /"prod"/);
  });

  it("the overlay: a subchart's default that breaks the schema, with a fix in the overlay", () => {
    const findings = schemaFindings('/c/values-prod.yaml');
    const inherited = findings.find((f) => /postgresql\.architecture/.test(f.message))!;
    assert.match(inherited.message, /the postgresql subchart's default/);
    assert.ok(!findings.some((f) => /pullPolicy/.test(f.message)), "the base's value is reported on the base, not here");
    const fix = inherited.fixes.find((f) => f.preferred)!;
    const text = applyChanges(CHART['/c/values-prod.yaml'], fix.changes);
    assert.equal(text, 'replicaCount: three\npostgresql:\n  architecture: replication\n');
    assert.ok(!schemaFindings('/c/values-prod.yaml', { ...CHART, '/c/values-prod.yaml': text }).some((f) => /postgresql\.architecture/.test(f.message)));
  });

  it('the base: what reaches production is reported where it is written, not what production overrides', () => {
    const findings = schemaFindings('/c/values.yaml');
    const policy = findings.find((f) => at(CHART, '/c/values.yaml', f) === 'Sometimes')!;
    assert.equal(policy.severity, 'error', 'Helm refuses the deploy: no information-level note');
    assert.ok(!findings.some((f) => at(CHART, '/c/values.yaml', f) === '0'), 'replicaCount 0 never reaches production');
    assert.ok(!findings.some((f) => /architecture/.test(f.message)), "the subchart's default is the overlay's to set");
  });

  it('a base alone (no production overlay) is validated as Helm validates it, subchart defaults included', () => {
    const alone = { ...CHART };
    delete alone['/c/values-prod.yaml'];
    const findings = schemaFindings('/c/values.yaml', alone);
    assert.ok(findings.some((f) => at(alone, '/c/values.yaml', f) === '0'));
    assert.ok(findings.some((f) => at(alone, '/c/values.yaml', f) === 'Sometimes'));
  });
});
