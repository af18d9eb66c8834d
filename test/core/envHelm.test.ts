// Helm environments: one test per merge rule (deep merge, list replace, null delete, subchart
// defaults unpacked and packaged, alias, global, condition, tags), and packaged charts read in memory:
// the archive reader's caps and its answers to corrupt input.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { buildHelmEnvironment, HelmEnvironment } from '../../server/src/core/env/helm';
import { FileAccess } from '../../server/src/core/types';
import { scalarText, spanOf } from '../../server/src/core/yaml/nav';
import { ARCHIVE_LIMITS, ArchiveLimits, readChartArchive } from '../../server/src/host/archive';
import { tar, tgz } from './tarball';

const CHART = '/repo/charts/shop';
const VALUES = `${CHART}/values.yaml`;
const PROD = `${CHART}/values-production.yaml`;

/** A fake file system; `.tgz` entries hold bytes and are read through readArchive like the host does. */
function filesWith(contents: Record<string, string | Uint8Array>, limits?: ArchiveLimits): FileAccess {
  return {
    readFile: (p) => (typeof contents[p] === 'string' ? (contents[p] as string) : undefined),
    exists: (p) => p in contents,
    readArchive: (p) => (contents[p] instanceof Uint8Array ? readChartArchive(contents[p] as Uint8Array, limits) : { problem: 'missing' }),
  };
}

const POSTGRES_CHART = 'apiVersion: v2\nname: postgresql\nversion: 12.1.0\n';
const POSTGRES_VALUES = 'architecture: standalone\nauth:\n  username: app\n  password: ""\nglobal:\n  imageRegistry: docker.io\n  storageClass: standard\n';

function chartYaml(deps: string): string {
  return `apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n${deps}`;
}

function build(files: Record<string, string | Uint8Array>, values = [VALUES, PROD], limits?: ArchiveLimits): HelmEnvironment {
  return buildHelmEnvironment({ name: 'production', chartDir: CHART, values, access: filesWith(files, limits) });
}

function text(env: HelmEnvironment, ...path: string[]): string | undefined {
  return scalarText(env.view.at(env.root, ...path)?.value);
}

function originPath(env: HelmEnvironment, ...path: string[]): string | undefined {
  return env.spans.toFile(spanOf(env.view.at(env.root, ...path)?.value))?.file.path;
}

const UNPACKED = {
  [`${CHART}/Chart.yaml`]: chartYaml('  - name: postgresql\n    version: 12.x.x\n    repository: https://charts.example.com\n    condition: postgresql.enabled\n'),
  [`${CHART}/charts/postgresql/Chart.yaml`]: POSTGRES_CHART,
  [`${CHART}/charts/postgresql/values.yaml`]: POSTGRES_VALUES,
};

describe('helm environment: merge rules', () => {
  it('merges maps deeply, the later file winning key by key', () => {
    const env = build({ [`${CHART}/Chart.yaml`]: chartYaml('  []\n'), [VALUES]: 'image:\n  repository: shop/web\n  tag: "1.0"\n', [PROD]: 'image:\n  tag: "1.1"\n' });
    assert.equal(text(env, 'image', 'repository'), 'shop/web');
    assert.equal(text(env, 'image', 'tag'), '1.1');
    assert.equal(originPath(env, 'image', 'repository'), VALUES);
    assert.equal(originPath(env, 'image', 'tag'), PROD);
  });

  it('replaces lists and scalars whole', () => {
    const env = build({ [`${CHART}/Chart.yaml`]: chartYaml('  []\n'), [VALUES]: 'hosts: [a.example.com, b.example.com]\nport: 80\n', [PROD]: 'hosts:\n  - shop.example.com\nport: {http: 8080}\n' });
    const hosts = env.view.seq(env.view.at(env.root, 'hosts')!.value)!;
    assert.deepEqual(env.view.items(hosts).map(scalarText), ['shop.example.com']);
    assert.equal(originPath(env, 'hosts'), PROD);
    assert.equal(text(env, 'port', 'http'), '8080', 'a map replaces a scalar');
  });

  it('removes a key a later file sets to null, and keeps a null that removes nothing', () => {
    const env = build({
      [`${CHART}/Chart.yaml`]: chartYaml('  []\n'),
      [VALUES]: 'resources:\n  limits: {cpu: 1}\nnodeSelector:\n  disk: ssd\naffinity:\n',
      [PROD]: 'resources: null\nnodeSelector:\nextra: ~\n',
    });
    assert.equal(env.view.at(env.root, 'resources'), undefined);
    assert.equal(env.view.at(env.root, 'nodeSelector'), undefined, '`key:` with nothing is a null too');
    assert.ok(env.view.at(env.root, 'affinity'), 'a null in the first file stays');
    assert.ok(env.view.at(env.root, 'extra'), 'a null over nothing stays');
  });

  it('puts an unpacked subchart\'s defaults under its name, beneath the chart\'s values', () => {
    const env = build({ ...UNPACKED, [VALUES]: 'postgresql:\n  auth:\n    password: changeme\n', [PROD]: 'replicaCount: 3\n' });
    assert.equal(text(env, 'postgresql', 'architecture'), 'standalone');
    assert.equal(originPath(env, 'postgresql', 'architecture'), `${CHART}/charts/postgresql/values.yaml`);
    assert.equal(text(env, 'postgresql', 'auth', 'username'), 'app');
    assert.equal(text(env, 'postgresql', 'auth', 'password'), 'changeme');
    assert.equal(originPath(env, 'postgresql', 'auth', 'password'), VALUES);
    const sub = env.files.find((f) => f.path.endsWith('charts/postgresql/values.yaml'))!;
    assert.equal(sub.role, 'dependency');
    assert.deepEqual(env.subcharts.map((s) => [s.key, s.enabled, s.location]), [['postgresql', true, `${CHART}/charts/postgresql`]]);
  });

  it('puts a subchart under its alias', () => {
    const env = build({
      [`${CHART}/Chart.yaml`]: chartYaml('  - name: postgresql\n    alias: db\n    version: 12.1.0\n'),
      [`${CHART}/charts/postgresql/Chart.yaml`]: POSTGRES_CHART,
      [`${CHART}/charts/postgresql/values.yaml`]: POSTGRES_VALUES,
      [VALUES]: 'db:\n  architecture: replication\n',
      [PROD]: '',
    });
    assert.equal(text(env, 'db', 'architecture'), 'replication');
    assert.equal(text(env, 'db', 'auth', 'username'), 'app');
    assert.equal(env.view.at(env.root, 'postgresql'), undefined);
  });

  it('shares the parent\'s global values with each subchart, the parent winning', () => {
    const env = build({ ...UNPACKED, [VALUES]: 'global:\n  imageRegistry: registry.example.com\n', [PROD]: 'global:\n  imagePullSecrets: [regcred]\n' });
    assert.equal(text(env, 'postgresql', 'global', 'imageRegistry'), 'registry.example.com');
    assert.equal(originPath(env, 'postgresql', 'global', 'imageRegistry'), VALUES);
    assert.equal(text(env, 'postgresql', 'global', 'storageClass'), 'standard', 'the subchart\'s own globals stay where the parent sets none');
    assert.ok(env.view.at(env.root, 'postgresql', 'global', 'imagePullSecrets'));
    assert.equal(text(env, 'global', 'imageRegistry'), 'registry.example.com');
    assert.equal(env.view.at(env.root, 'global', 'storageClass'), undefined, 'a subchart\'s globals do not flow up');
  });

  it('leaves out a subchart whose condition is false in the merged values', () => {
    const env = build({ ...UNPACKED, [VALUES]: 'postgresql:\n  enabled: true\n', [PROD]: 'postgresql:\n  enabled: false\nexternalDatabase:\n  host: db.internal\n' });
    assert.equal(env.view.at(env.root, 'postgresql', 'architecture'), undefined);
    assert.equal(text(env, 'postgresql', 'enabled'), 'false', 'the user\'s own values stay');
    assert.deepEqual(env.subcharts.map((s) => [s.enabled, s.disabledBy]), [[false, 'condition']]);
  });

  it('takes the first condition path that holds a boolean', () => {
    const deps = '  - name: postgresql\n    version: 12.1.0\n    condition: database.internal, postgresql.enabled\n';
    const files = { ...UNPACKED, [`${CHART}/Chart.yaml`]: chartYaml(deps) };
    assert.equal(build({ ...files, [VALUES]: 'postgresql: {enabled: false}\n', [PROD]: '' }).subcharts[0].enabled, false);
    assert.equal(build({ ...files, [VALUES]: 'database: {internal: true}\npostgresql: {enabled: false}\n', [PROD]: '' }).subcharts[0].enabled, true);
    assert.equal(build({ ...files, [VALUES]: 'database: {internal: "no"}\npostgresql: {enabled: false}\n', [PROD]: '' }).subcharts[0].enabled, false, 'a string is no boolean');
  });

  it('leaves out a subchart whose tags are all false, unless one is true or its condition says otherwise', () => {
    const deps = '  - name: postgresql\n    version: 12.1.0\n    tags: [database, backend]\n';
    const files = { ...UNPACKED, [`${CHART}/Chart.yaml`]: chartYaml(deps) };
    const off = build({ ...files, [VALUES]: 'tags:\n  database: false\n', [PROD]: '' });
    assert.deepEqual([off.subcharts[0].enabled, off.subcharts[0].disabledBy], [false, 'tags']);
    assert.equal(off.view.at(off.root, 'postgresql', 'architecture'), undefined);
    assert.equal(build({ ...files, [VALUES]: 'tags:\n  database: false\n  backend: true\n', [PROD]: '' }).subcharts[0].enabled, true);
    assert.equal(build({ ...files, [VALUES]: 'replicaCount: 1\n', [PROD]: '' }).subcharts[0].enabled, true, 'no tag set: enabled');
    const withCondition = { ...files, [`${CHART}/Chart.yaml`]: chartYaml(deps + '    condition: postgresql.enabled\n') };
    assert.equal(build({ ...withCondition, [VALUES]: 'tags: {database: false}\npostgresql: {enabled: true}\n', [PROD]: '' }).subcharts[0].enabled, true);
  });

  it('reads an apiVersion v1 chart\'s dependencies from requirements.yaml', () => {
    const env = build({
      ...UNPACKED,
      [`${CHART}/Chart.yaml`]: 'apiVersion: v1\nname: shop\nversion: 1.0.0\n',
      [`${CHART}/requirements.yaml`]: 'dependencies:\n  - name: postgresql\n    version: 12.1.0\n',
      [VALUES]: '',
      [PROD]: '',
    });
    assert.equal(text(env, 'postgresql', 'architecture'), 'standalone');
  });

  it('reports a dependency that is not in charts/, and builds the rest', () => {
    const env = build({ [`${CHART}/Chart.yaml`]: chartYaml('  - name: redis\n    version: 17.x.x\n'), [VALUES]: 'replicaCount: 1\n', [PROD]: 'replicaCount: 2\n' });
    assert.equal(text(env, 'replicaCount'), '2');
    assert.match(env.problems.map((p) => p.message).join('\n'), /subchart "redis" is not in .*charts.*helm dependency build/);
  });
});

describe('helm environment: packaged subcharts', () => {
  const archive = `${CHART}/charts/postgresql-12.1.0.tgz`;
  const packaged = (bytes: Uint8Array) => ({
    [`${CHART}/Chart.yaml`]: chartYaml('  - name: postgresql\n    version: ~12.1.0\n    condition: postgresql.enabled\n'),
    [`${CHART}/Chart.lock`]: 'dependencies:\n  - name: postgresql\n    repository: https://charts.example.com\n    version: 12.1.0\n',
    [archive]: bytes,
    [VALUES]: 'postgresql:\n  auth:\n    password: changeme\n',
    [PROD]: 'replicaCount: 3\n',
  });
  const chartFiles = [
    { path: 'postgresql/Chart.yaml', text: 'apiVersion: v2\nname: postgresql\nversion: 12.1.0\ndependencies:\n  - name: common\n    version: 2.x.x\n' },
    { path: 'postgresql/values.yaml', text: POSTGRES_VALUES },
    { path: 'postgresql/templates/primary.yaml', text: 'kind: StatefulSet\n' },
    { path: 'postgresql/charts/common/Chart.yaml', text: 'name: common\nversion: 2.2.0\n' },
    { path: 'postgresql/charts/common/values.yaml', text: 'exampleValue: common-chart\n' },
  ];

  it('reads a .tgz subchart in memory, found through Chart.lock\'s version', () => {
    const env = build(packaged(tgz(chartFiles)));
    assert.deepEqual(env.problems, []);
    assert.equal(text(env, 'postgresql', 'architecture'), 'standalone');
    assert.equal(originPath(env, 'postgresql', 'architecture'), `${archive}!/postgresql/values.yaml`);
    assert.equal(text(env, 'postgresql', 'auth', 'password'), 'changeme');
    assert.equal(text(env, 'postgresql', 'common', 'exampleValue'), 'common-chart', 'its own subcharts, stored unpacked inside it');
    assert.deepEqual(
      env.subcharts.map((s) => s.path.join('.')),
      ['postgresql', 'postgresql.common'],
    );
  });

  it('reports a corrupt archive clearly and builds the rest', () => {
    const env = build(packaged(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8])));
    assert.equal(text(env, 'replicaCount'), '3');
    assert.equal(env.view.at(env.root, 'postgresql', 'architecture'), undefined);
    assert.equal(env.problems.length, 1);
    assert.match(env.problems[0].message, /subchart "postgresql": the archive is not a readable gzip file/);
    assert.equal(env.problems[0].severity, 'warning');
  });

  it('stops at the size caps, before reading what it would not keep', () => {
    const big = tgz([...chartFiles, { path: 'postgresql/files/blob.txt', text: 'x'.repeat(200_000) }]);
    const env = build(packaged(big), undefined, { ...ARCHIVE_LIMITS, maxUncompressed: 100_000 });
    assert.match(env.problems[0]?.message ?? '', /expands to more than 100000 bytes/);
    assert.match((readChartArchive(big, { ...ARCHIVE_LIMITS, maxCompressed: 100 }) as { problem: string }).problem, /larger than 100 bytes/);
    assert.match((readChartArchive(tgz(chartFiles), { ...ARCHIVE_LIMITS, maxEntries: 3 }) as { problem: string }).problem, /more than 3 entries/);
  });

  it('says so when the host cannot read archives', () => {
    const files = packaged(tgz(chartFiles));
    const access = filesWith(files);
    delete access.readArchive;
    const env = buildHelmEnvironment({ name: 'production', chartDir: CHART, values: [VALUES, PROD], access });
    assert.match(env.problems[0].message, /packaged chart, which this host cannot read/);
  });
});

describe('chart archive reader', () => {
  it('returns only values.yaml, Chart.yaml and values.schema.json of the chart and its subcharts', () => {
    const read = readChartArchive(
      tgz([
        { path: 'web/Chart.yaml', text: 'name: web\n' },
        { path: 'web/values.yaml', text: 'a: 1\n' },
        { path: 'web/values.schema.json', text: '{}' },
        { path: 'web/templates/values.yaml', text: 'not: values\n' },
        { path: 'web/charts/db/values.yaml', text: 'b: 2\n' },
        { path: 'web/README.md', text: '# web\n' },
        { path: 'web/charts/db', text: '', type: '5' },
      ]),
    );
    assert.ok('entries' in read);
    assert.deepEqual(
      read.entries.map((e) => e.path),
      ['web/Chart.yaml', 'web/values.yaml', 'web/values.schema.json', 'web/charts/db/values.yaml'],
    );
  });

  it('follows PAX long names', () => {
    const long = `web/charts/${'a'.repeat(120)}/values.yaml`;
    const read = readChartArchive(tgz([{ path: long, text: 'deep: true\n' }]));
    assert.deepEqual('entries' in read && read.entries, [{ path: long, text: 'deep: true\n' }]);
  });

  it('answers corrupt and truncated archives with a problem, never an exception', () => {
    const good = tar([{ path: 'web/values.yaml', text: 'a: 1\n' }]);
    const badSum = Buffer.from(good);
    badSum[10] ^= 0xff;
    assert.match((readChartArchive(zlib.gzipSync(badSum)) as { problem: string }).problem, /corrupt/);
    assert.match((readChartArchive(zlib.gzipSync(good.subarray(0, 700))) as { problem: string }).problem, /truncated/);
    assert.match((readChartArchive(new Uint8Array([1, 2, 3])) as { problem: string }).problem, /not a readable gzip/);
    assert.match((readChartArchive(zlib.gzipSync(good).subarray(0, 30)) as { problem: string }).problem, /not a readable gzip/);
    for (let i = 0; i < 200; i++) {
      const noise = Buffer.from(good.map((b, j) => (j % 97 === i % 97 ? (b + i) & 0xff : b)));
      assert.doesNotThrow(() => readChartArchive(zlib.gzipSync(noise)));
    }
  });
});
