// Environments in analyze(): what a file's findings become when it is part of a production
// environment (issue 9). The layouts are test/fixtures/env (see its README).

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { settingsFromConfig } from '../../server/src/core/settings';
import { applyChanges } from '../../server/src/core/text';
import { AnalysisResult, FileAccess } from '../../server/src/core/types';
import { diskFiles } from './diskFiles';

describe('the Compose merge tags in a single file', () => {
  it('reads !reset and !override as valid YAML: no yaml/syntax finding', () => {
    const text = 'services:\n  web:\n    image: web:1.2.3\n    ports: !reset []\n    volumes: !reset null\n    command: !override ["serve"]\n    deploy: !override\n      replicas: 2\n';
    const result = analyze({ text, path: '/repo/docker-compose.prod.yml', kind: 'compose' });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'yaml/syntax'), []);
  });
});

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/env');
const SHOP = path.join(FIXTURES, 'shop');
const COMPOSE = path.join(FIXTURES, 'compose');

function analyseOnDisk(file: string, files: FileAccess = diskFiles): AnalysisResult {
  return analyze({ text: files.readFile(file)!, path: file, files });
}

function withText(file: string, text: string): FileAccess {
  return { readFile: (p) => (p === file ? text : diskFiles.readFile(p)), exists: (p) => p === file || diskFiles.exists(p) };
}

const atWarning = (r: AnalysisResult) => r.findings.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.ruleId);

describe('a chart with a production overlay', () => {
  it('values.yaml: no warning for what production overrides, what reaches production only as information', () => {
    const result = analyseOnDisk(path.join(SHOP, 'values.yaml'));
    assert.deepEqual(atWarning(result), []);
    const secret = result.findings.find((f) => f.ruleId === 'helm/plaintext-secret')!;
    assert.equal(secret.severity, 'information');
    assert.match(secret.message, /reaches production through values-production\.yaml/);
    assert.ok(!result.findings.some((f) => f.ruleId === 'helm/single-replica' || f.ruleId === 'helm/no-resources'));
    assert.ok(result.dependencies!.includes(path.join(SHOP, 'values-production.yaml')));
  });

  it('values-production.yaml: the literal password it inherits, reported on the overlay and pointing at values.yaml', () => {
    const overlay = path.join(SHOP, 'values-production.yaml');
    const result = analyseOnDisk(overlay);
    const secret = result.findings.find((f) => f.ruleId === 'helm/plaintext-secret')!;
    assert.equal(secret.severity, 'warning');
    assert.match(secret.message, /^postgresql\.auth\.password is "changeme", set in values\.yaml/);
    assert.deepEqual(secret.related?.map((r) => [r.path, r.line, r.character]), [[path.join(SHOP, 'values.yaml'), 11, 14]]);
    assert.deepEqual(secret.span, { start: 0, end: 84 }, 'the overlay has no postgresql key: its first line');
    assert.ok(result.dependencies!.includes(path.join(SHOP, 'values.yaml')));
    assert.ok(result.dependencies!.includes(path.join(SHOP, 'charts/postgresql/values.yaml')));
  });

  it("values-production.yaml: the subchart's standalone default, fixed in the overlay only", () => {
    const overlay = path.join(SHOP, 'values-production.yaml');
    const text = diskFiles.readFile(overlay)!;
    const finding = analyseOnDisk(overlay).findings.find((f) => f.ruleId === 'helm/standalone-architecture')!;
    assert.match(finding.message, /^postgresql\.architecture is "standalone", the postgresql subchart's default/);
    assert.deepEqual(finding.related ?? [], [], 'no related place: the subchart is nobody\'s file here');
    const fix = finding.fixes.find((f) => f.preferred)!;
    assert.equal(fix.title, 'Set architecture to replication in values-production.yaml');
    const fixed = applyChanges(text, fix.changes);
    assert.equal(fixed, `${text}postgresql:\n  architecture: replication\n`);
    const after = analyseOnDisk(overlay, withText(overlay, fixed));
    assert.ok(!after.findings.some((f) => f.ruleId === 'helm/standalone-architecture'));
    assert.deepEqual(
      after.findings.map((f) => f.ruleId).filter((id) => id !== 'helm/standalone-architecture').sort(),
      analyseOnDisk(overlay).findings.map((f) => f.ruleId).filter((id) => id !== 'helm/standalone-architecture').sort(),
    );
  });
});

describe('a compose base with a production overlay', () => {
  it('docker-compose.prod.yml: the database port the base publishes and production keeps', () => {
    const result = analyseOnDisk(path.join(COMPOSE, 'docker-compose.prod.yml'));
    const port = result.findings.find((f) => f.ruleId === 'compose/exposed-internal-port')!;
    assert.equal(port.severity, 'warning');
    assert.match(port.message, /^services\.db\.ports\[0\] is "5432:5432", set in docker-compose\.yml/);
    assert.deepEqual(port.related?.map((r) => [r.path, r.line, r.character]), [[path.join(COMPOSE, 'docker-compose.yml'), 12, 8]]);
  });

  it('docker-compose.prod.yml: a fix for an inherited finding edits the overlay, and re-analysis shows it gone', () => {
    const overlay = path.join(COMPOSE, 'docker-compose.prod.yml');
    const text = diskFiles.readFile(overlay)!;
    const inherited = analyseOnDisk(overlay).findings.find((f) => f.ruleId === 'compose/manager-placement' && f.related?.length)!;
    const fixed = applyChanges(text, inherited.fixes.find((f) => f.preferred)!.changes);
    assert.ok(fixed.startsWith(text) && fixed.endsWith('  db:\n    deploy:\n      placement:\n        constraints:\n          - node.role != manager\n'), fixed);
    const after = analyseOnDisk(overlay, withText(overlay, fixed));
    assert.ok(!after.findings.some((f) => f.ruleId === 'compose/manager-placement' && f.related?.length));
  });

  it('docker-compose.yml: http-only and bind-mount, fixed by production, no longer warn; nothing at warning level', () => {
    const result = analyseOnDisk(path.join(COMPOSE, 'docker-compose.yml'));
    assert.ok(!result.findings.some((f) => f.ruleId === 'compose/http-only' || f.ruleId === 'compose/bind-mount'));
    assert.deepEqual(atWarning(result), []);
    assert.match(result.findings.find((f) => f.ruleId === 'compose/exposed-internal-port')!.message, /reaches production through docker-compose\.prod\.yml/);
  });

  it('a file in no environment is judged alone, as before', () => {
    const text = diskFiles.readFile(path.join(COMPOSE, 'docker-compose.yml'))!;
    const alone = analyze({ text, path: '/elsewhere/docker-compose.yml', files: diskFiles });
    assert.ok(alone.findings.some((f) => f.ruleId === 'compose/http-only' && f.severity === 'warning'));
    assert.ok(alone.findings.some((f) => f.ruleId === 'compose/bind-mount' && f.severity === 'warning'));
  });
});

describe('declared environments (prodready.environments)', () => {
  const files: Record<string, string> = {
    '/p/deploy/docker-compose.yml': 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "5432:5432"\n',
    '/p/deploy/shop-live-overrides.yml': 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_DB: shop\n',
  };
  const access: FileAccess = { readFile: (p) => files[p], exists: (p) => p in files };
  const overlay = '/p/deploy/shop-live-overrides.yml';

  it('pairs files that names do not, and reports what production inherits on the declared overlay', () => {
    const settings = settingsFromConfig({ environments: { production: { compose: { files: ['deploy/docker-compose.yml', 'deploy/shop-live-overrides.yml'] } } } }, assert.fail);
    const result = analyze({ text: files[overlay], path: overlay, files: access, kind: 'compose', settings: { ...settings, root: '/p' } });
    assert.deepEqual(result.environments, ['production']);
    const port = result.findings.find((f) => f.ruleId === 'compose/exposed-internal-port')!;
    assert.equal(port.related?.[0].path, '/p/deploy/docker-compose.yml');
  });

  it('without the declaration, the same file is judged alone', () => {
    const result = analyze({ text: files[overlay], path: overlay, files: access, kind: 'compose' });
    assert.ok(!result.findings.some((f) => f.ruleId === 'compose/exposed-internal-port'));
  });

  it('ignores a declaration of the wrong shape, and says so', () => {
    const said: string[] = [];
    assert.deepEqual(settingsFromConfig({ environments: { production: { compose: { files: 'docker-compose.yml' } } } }, (m) => said.push(m)).environments, {});
    assert.match(said[0], /ignoring prodready\.environments\["production"\]/);
  });
});

describe('an environment that cannot be built as deployed', () => {
  it('a corrupt packaged subchart: a clear finding on the overlay, the rest still judged', () => {
    const chart = '/c/shop';
    const files: Record<string, string> = {
      [`${chart}/Chart.yaml`]: 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: 12.1.0\n',
      [`${chart}/values.yaml`]: 'replicaCount: 1\n',
      [`${chart}/values-production.yaml`]: 'replicaCount: 3\n',
      [`${chart}/charts/postgresql-12.1.0.tgz`]: '',
    };
    const access: FileAccess = {
      readFile: (p) => files[p],
      exists: (p) => p in files,
      readArchive: () => ({ problem: 'not a gzip stream' }),
    };
    const overlay = `${chart}/values-production.yaml`;
    const result = analyze({ text: files[overlay], path: overlay, files: access });
    const problem = result.findings.find((f) => f.ruleId === 'yaml/syntax')!;
    assert.equal(problem.severity, 'warning');
    assert.match(problem.message, /^Environment "production": Chart\.yaml: subchart "postgresql": .*not a gzip stream/);
    assert.deepEqual(problem.span, { start: 0, end: 0 });
    assert.ok(!result.findings.some((f) => f.ruleId === 'helm/single-replica'));
  });
});

describe('inherited findings on one overlay key', () => {
  const base = '/s/docker-compose.yml';
  const overlay = '/s/docker-compose.prod.yml';
  const analyseOverlay = (baseText: string) => {
    const files: Record<string, string> = { [base]: baseText, [overlay]: 'services:\n  web:\n    image: web:1.2.3\n' };
    return analyze({ text: files[overlay], path: overlay, files: { readFile: (p) => files[p], exists: (p) => p in files } });
  };
  const exposed = (baseText: string) => analyseOverlay(baseText).findings.filter((f) => f.ruleId === 'compose/exposed-internal-port').map((f) => f.message.split(',')[0]);

  it('keeps one finding per inherited value, even where several land on the same key', () => {
    const text = 'services:\n  db:\n    image: postgres:16.4\n    ports: ["5432:5432"]\n  cache:\n    image: redis:7.4\n    ports: ["6379:6379"]\n';
    assert.deepEqual(exposed(text).sort(), ['services.cache.ports[0] is "6379:6379"', 'services.db.ports[0] is "5432:5432"']);
  });

  it('honours a suppression written where the value is', () => {
    const text = 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      # prodready-disable-next-line compose/exposed-internal-port\n      - "5432:5432"\n';
    assert.deepEqual(exposed(text), []);
  });
});

describe("an inherited value's fix, read from the changed value alone", () => {
  const files: Record<string, string> = {
    '/fx/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    '/fx/values.yaml': 'ingress:\n  enabled: true\n  hosts:\n    - host: web.example.com\n  tls: []\nresources: {}\n',
    '/fx/values-prod.yaml': 'replicaCount: 3\n',
  };
  const access: FileAccess = { readFile: (p) => files[p], exists: (p) => p in files };
  const run = (text: string) => analyze({ text, path: '/fx/values-prod.yaml', files: { ...access, readFile: (p) => (p === '/fx/values-prod.yaml' ? text : files[p]) } });

  it('a flow [] the fix replaces with block lines below its key: the overlay gets the block, and the finding goes', () => {
    const finding = run(files['/fx/values-prod.yaml']).findings.find((f) => f.ruleId === 'helm/ingress-without-tls')!;
    const fix = finding.fixes.find((f) => f.preferred)!;
    assert.match(fix.title, /in values-prod\.yaml$/);
    const fixed = applyChanges(files['/fx/values-prod.yaml'], fix.changes);
    assert.match(fixed, /^ingress:\n {2}tls:\n {4}- secretName: /m);
    assert.ok(!run(fixed).findings.some((f) => f.ruleId === 'helm/ingress-without-tls'));
  });
});
