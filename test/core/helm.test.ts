// The helm-values kind: detection, the component model the rules stand on, and the guarantees the
// fixtures cannot show on their own (no fix on merged values, bounded work on hostile input).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { Component } from '../../server/src/core/helm/components';
import { HelmContext, prepareHelm } from '../../server/src/core/helm/model';
import { helmModule } from '../../server/src/core/helm';
import { resolveSettings } from '../../server/src/core/analyze';
import { ruleKinds } from '../../server/src/core/catalog';
import { applyChanges, LineIndex } from '../../server/src/core/text';
import { FileAccess, NO_FILE_ACCESS } from '../../server/src/core/types';
import { generateHelmValues } from '../bench/gen/helm';

/** A fake file system holding the given paths. */
function filesWith(contents: Record<string, string>): FileAccess {
  return { readFile: (p) => contents[p], exists: (p) => p in contents };
}

const CHART = filesWith({ '/repo/charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n' });

function model(text: string, files: FileAccess = NO_FILE_ACCESS, path = '/repo/charts/web/values.yaml'): HelmContext {
  return prepareHelm({ text, path, settings: resolveSettings(), files }).ctx;
}

function byName(ctx: HelmContext): Map<string, Component> {
  return new Map(ctx.model.components.map((c) => [c.name, c]));
}

function lineOf(text: string, offset: number): number {
  return new LineIndex(text).lineAt(offset);
}

describe('helm-values detection', () => {
  it('recognises values files next to a Chart.yaml, environment overrides included', () => {
    for (const name of ['values.yaml', 'values.yml', 'values-production.yaml', 'values.prod.yaml', 'values_eu.yml']) {
      assert.equal(helmModule.matchesName(`/repo/charts/web/${name}`, CHART), true, name);
      assert.equal(analyze({ text: 'replicaCount: 1\n', path: `/repo/charts/web/${name}`, files: CHART }).kind, 'helm-values', name);
    }
  });

  it('ignores values files without a chart, other files in a chart, and the schema', () => {
    assert.equal(helmModule.matchesName('/repo/other/values.yaml', CHART), false);
    assert.equal(helmModule.matchesName('/repo/charts/web/Chart.yaml', CHART), false);
    assert.equal(helmModule.matchesName('/repo/charts/web/values.schema.json', CHART), false);
    assert.equal(helmModule.matchesName('/repo/charts/web/templates/deployment.yaml', CHART), false);
    assert.equal(analyze({ text: 'replicaCount: 1\n', path: '/repo/other/values.yaml', files: CHART }).skipped, 'not-a-config');
  });

  it('leaves non-production overrides to the engine, and honours prodready.files', () => {
    const dev = analyze({ text: 'replicaCount: 1\n', path: '/repo/charts/web/values-dev.yaml', files: CHART });
    assert.equal(dev.kind, 'helm-values');
    assert.equal(dev.skipped, 'non-production');
    const configured = analyze({ text: 'replicaCount: 1\nimage: {repository: x}\naffinity: {}\n', path: '/deploy/prod.yaml', settings: { files: { '**/deploy/*.yaml': 'helm-values' } } });
    assert.equal(configured.kind, 'helm-values');
    assert.ok(configured.findings.some((f) => f.ruleId === 'helm/single-replica'));
  });

  it('exposes the chart folder and Chart.yaml facts to the rules', () => {
    const files = filesWith({ '/c/db/Chart.yaml': 'name: "postgresql"\nkeywords:\n  - database\n  - sql\n' });
    const ctx = model('architecture: standalone\n', files, '/c/db/values.yaml');
    assert.equal(ctx.chartDir, '/c/db');
    assert.equal(ctx.chart.name, 'postgresql');
    assert.deepEqual(ctx.chart.hints, ['database', 'sql']);
    assert.equal(model('a: 1\n', NO_FILE_ACCESS, '/c/db/values.yaml').chartDir, undefined);
  });

  it('survives a file access that throws', () => {
    const broken: FileAccess = {
      readFile: () => {
        throw new Error('EACCES');
      },
      exists: () => {
        throw new Error('EACCES');
      },
    };
    assert.doesNotThrow(() => model('replicaCount: 1\n', broken));
  });
});

describe('helm component model', () => {
  it('finds the scaffold workload at the top level', () => {
    const ctx = model('replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\nresources: {}\nnodeSelector: {}\naffinity: {}\nservice:\n  type: ClusterIP\n  port: 80\n');
    assert.deepEqual(ctx.model.components.map((c) => [c.name, c.workload]), [['(top level)', true]]);
    assert.equal(ctx.model.components[0].at.active, true);
  });

  it('finds components wherever they sit, and tells workloads from container specs', () => {
    const ctx = model(`
controller:
  replicaCount: 1
  image: {repository: ctrl}
  resources: {}
  metrics:
    enabled: true
    image: {repository: exporter}
    resources: {}
server:
  deployment:
    replicas: 2
    affinity: {}
    tolerations: []
  sidecars:
    - name: shipper
      image: busybox:1.36
      resources: {}
      args: [run]
global:
  nodeSelector: {}
  tolerations: []
  affinity: {}
serviceAccount:
  create: true
  name: ""
`);
    const c = byName(ctx);
    assert.deepEqual([...c.keys()].sort(), ['controller', 'controller.metrics', 'server.deployment', 'server.sidecars[0]'].sort());
    assert.equal(c.get('controller')!.workload, true);
    assert.equal(c.get('controller.metrics')!.workload, false);
    assert.equal(c.get('server.sidecars[0]')!.workload, false);
    assert.equal(ctx.model.globals.length, 1);
  });

  it('knows which sections are switched off', () => {
    const ctx = model(`
architecture: standalone
primary:
  resources: {}
  affinity: {}
  nodeSelector: {}
readReplicas:
  replicaCount: 1
  resources: {}
  affinity: {}
dex:
  enabled: false
  image: {repository: dex}
  resources: {}
  affinity: {}
  sub:
    replicaCount: 1
    nodeSelector: {}
    tolerations: []
vault:
  enabled: "-"
  image: {repository: vault}
  resources: {}
  affinity: {}
`);
    const c = byName(ctx);
    assert.equal(c.get('primary')!.at.active, true);
    assert.equal(c.get('readReplicas')!.at.active, false, 'not deployed by the standalone architecture');
    assert.equal(c.get('dex')!.at.active, false);
    assert.equal(c.get('dex.sub')!.at.active, false, 'everything below a disabled section is off');
    assert.equal(c.get('vault')!.at.active, true, 'the tri-state "-" inherits a global, it is not "off"');
  });

  it('marks data stores by chart, section name or image, and not their helpers', () => {
    const files = filesWith({ '/c/redis/Chart.yaml': 'name: redis\n' });
    const bitnami = byName(model('master:\n  resources: {}\n  affinity: {}\n  nodeSelector: {}\nmetrics:\n  image: {repository: bitnami/redis-exporter}\n  resources: {}\n  nodeSelector: {}\n', files, '/c/redis/values.yaml'));
    assert.match(bitnami.get('master')!.dataStore ?? '', /redis/);
    assert.equal(bitnami.get('metrics')!.dataStore, undefined);

    const app = byName(
      model(`
replicaCount: 2
image: {repository: example/web}
affinity: {}
postgresql:
  primary:
    resources: {}
    affinity: {}
    nodeSelector: {}
cache:
  image: {repository: docker.io/library/redis:7.4}
  resources: {}
  affinity: {}
`),
    );
    assert.equal(app.get('(top level)')!.dataStore, undefined);
    assert.match(app.get('postgresql.primary')!.dataStore ?? '', /postgresql/);
    assert.match(app.get('cache')!.dataStore ?? '', /redis/);
  });

  it('reads merged keys when recognising a component', () => {
    const ctx = model('defaults: &d\n  nodeSelector: {}\n  tolerations: []\n  affinity: {}\napi:\n  <<: *d\n  image: {repository: api}\n');
    assert.ok(byName(ctx).has('api'));
  });

  it('walks each collection once, so an alias bomb stays cheap', { timeout: 30_000 }, () => {
    let text = 'l0: &l0 {replicaCount: 1, nodeSelector: {}, tolerations: []}\n';
    for (let i = 1; i <= 20; i++) text += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
    text += 'top:\n  <<: *l0\n  affinity: {}\n';
    const ctx = model(text);
    const result = analyze({ text, path: '/x/values.yaml', kind: 'helm-values' });
    assert.ok(ctx.model.maps.length < 50, `walked ${ctx.model.maps.length} maps`);
    assert.ok(!result.findings.some((f) => f.message.includes('internal error')));
  });

  it('covers every document of a multi-document file', () => {
    const ctx = model('replicaCount: 1\nimage: {repository: a}\naffinity: {}\n---\nserver:\n  replicaCount: 1\n  image: {repository: b}\n  affinity: {}\n');
    assert.equal(ctx.documents.length, 2);
    assert.deepEqual(ctx.model.components.map((c) => c.name), ['(top level)', 'server']);
  });
});

describe('helm rules on edge cases', () => {
  const run = (text: string, settings = {}) => analyze({ text, path: '/x/values.yaml', kind: 'helm-values', settings });

  it('offers no fix for a value inherited through a << merge', () => {
    const text = 'common: &common\n  replicaCount: 1\n  nodeSelector: {}\nbackend:\n  <<: *common\n  image: {repository: b}\n  tolerations: []\n';
    const findings = run(text).findings.filter((f) => f.ruleId === 'helm/single-replica');
    assert.equal(findings.length, 1);
    assert.equal(lineOf(text, findings[0].span.start), 1, 'points at the anchor, where the value is written');
    assert.deepEqual(findings[0].fixes.filter((f) => !f.suppression), []);
  });

  it('reports a value shared by several components once', () => {
    const text = 'pod: &pod\n  replicaCount: 1\n  nodeSelector: {}\n  tolerations: []\na:\n  <<: *pod\n  image: {repository: a}\nb:\n  <<: *pod\n  image: {repository: b}\n';
    assert.equal(run(text).findings.filter((f) => f.ruleId === 'helm/single-replica').length, 1);
  });

  it('follows prodready.minReplicas', () => {
    const text = 'replicaCount: 2\nimage: {repository: a}\naffinity: {}\n';
    assert.equal(run(text).findings.filter((f) => f.ruleId === 'helm/single-replica').length, 0);
    const three = run(text, { minReplicas: 3 }).findings.find((f) => f.ruleId === 'helm/single-replica');
    assert.ok(three);
    assert.equal(applyChanges(text, three.fixes[0].changes), 'replicaCount: 3\nimage: {repository: a}\naffinity: {}\n');
  });

  it('keeps the file quiet when it has no values, only comments, or a BOM', () => {
    for (const text of ['', '\n', '# nothing here\n', '---\n', '\uFEFFreplicaCount: 2\nimage: {repository: a}\npodAntiAffinityPreset: soft\nresources: {requests: {cpu: 1}, limits: {memory: 1Gi}}\n', 'just a string\n', '- a\n- b\n']) {
      const r = run(text);
      assert.deepEqual(r.findings.map((f) => f.ruleId), [], JSON.stringify(text));
    }
  });

  it('never throws on hostile input', { timeout: 30_000 }, () => {
    const deep = `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    let nested = '';
    for (let i = 0; i < 200; i++) nested += `${' '.repeat(i * 2)}k${i}:\n`;
    for (const text of [deep, nested, 'a: *undefined\n', '? [a, b]\n: c\n', 'a: !!binary xyz\n', '&a a: *a\n', 'x: &x\n  y: *x\n']) {
      assert.doesNotThrow(() => run(text));
      assert.ok(!run(text).findings.some((f) => f.message.includes('internal error')), text.slice(0, 40));
    }
  });

  it('gives every helm rule a kind, a category and an id in its namespace', () => {
    for (const rule of helmModule.rules) {
      assert.match(rule.meta.id, /^helm\//);
      assert.deepEqual(ruleKinds(rule.meta.id), ['helm-values']);
    }
    assert.deepEqual(helmModule.syntaxRules.map((m) => m.id), ['yaml/syntax']);
  });
});

describe('helm rules: severities and exemptions the fixtures cannot show', () => {
  const findings = (text: string, rule: string) => analyze({ text, path: '/repo/charts/web/values.yaml', files: CHART }).findings.filter((f) => f.ruleId === rule);

  it('notes a major-only image tag as information and warns about a moving one', () => {
    const text = 'image:\n  repository: postgres\n  tag: 16\nsidecar:\n  image: busybox:latest\n  resources: {}\n';
    const severities = findings(text, 'helm/image-tag').map((f) => [lineOf(text, f.span.start), f.severity]);
    assert.deepEqual(severities, [
      [2, 'information'],
      [4, 'warning'],
    ]);
  });

  it('exempts a whole chart named for a node agent, and only that chart', () => {
    const text = 'image:\n  repository: registry.example.com/agent\nhostNetwork: true\nsecurityContext:\n  privileged: true\n';
    const agent = filesWith({ '/repo/charts/web/Chart.yaml': 'apiVersion: v2\nname: fluent-bit\nversion: 0.1.0\n' });
    const run = (files: FileAccess) => analyze({ text, path: '/repo/charts/web/values.yaml', files }).findings.filter((f) => /host-access|privileged/.test(f.ruleId)).length;
    assert.equal(run(agent), 0);
    assert.equal(run(CHART), 2);
    // A name that merely contains an agent's word is an application.
    const lookAlike = filesWith({ '/repo/charts/web/Chart.yaml': 'apiVersion: v2\nname: weave-gitops\nversion: 0.1.0\n' });
    assert.equal(run(lookAlike), 2);
  });
});

describe('helm benchmark generator', () => {
  it('is reproducible from its seed and reaches the requested size', () => {
    const a = generateHelmValues(2000, 7);
    assert.equal(a, generateHelmValues(2000, 7));
    assert.notEqual(a, generateHelmValues(2000, 8));
    const lines = a.split('\n').length - 1;
    assert.ok(lines >= 2000 && lines < 2200, `${lines} lines`);
  });

  it('produces valid values that give the rules real work', () => {
    const text = generateHelmValues(5000, 42);
    const result = analyze({ text, path: '/bench/values.yaml', kind: 'helm-values' });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'yaml/syntax' || f.message.includes('internal error')), []);
    const rules = new Set(result.findings.map((f) => f.ruleId));
    for (const id of ['helm/single-replica', 'helm/no-resources', 'helm/standalone-architecture', 'helm/image-tag']) assert.ok(rules.has(id), `no ${id} finding`);
    const ctx = model(text, NO_FILE_ACCESS, '/bench/values.yaml');
    assert.ok(ctx.model.components.length > 30, `${ctx.model.components.length} components`);
  });
});
