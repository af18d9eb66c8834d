// The layouts of issue 9 read from disk through the host's own file access: discovery from the
// production overlay, the merged values production gets, and where a finding on an inherited value
// belongs. (test/fixtures/env/README.md describes the files.)

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildComposeEnvironment } from '../../server/src/core/env/compose';
import { discoverEnvironments, EnvUnit } from '../../server/src/core/env/discovery';
import { buildHelmEnvironment, HelmEnvironment } from '../../server/src/core/env/helm';
import { pathAt, placeIn } from '../../server/src/core/env/provenance';
import { applyChanges } from '../../server/src/core/text';
import { FileAccess } from '../../server/src/core/types';
import { scalarText, spanOf } from '../../server/src/core/yaml/nav';
import { withArchives } from '../../server/src/host/archive';
import { diskFileAccess } from '../../server/src/host/files';
import { tgz } from './tarball';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/env');
const SHOP = path.join(FIXTURES, 'shop');
const COMPOSE = path.join(FIXTURES, 'compose');

function helmFrom(file: string, access: FileAccess = diskFileAccess): HelmEnvironment {
  const found = discoverEnvironments(file, 'helm', access);
  assert.equal(found.environments.length, 1);
  const unit = found.environments[0].unit as Extract<EnvUnit, { kind: 'helm' }>;
  return buildHelmEnvironment({ name: found.environments[0].name, chartDir: unit.chartDir, values: unit.values, access });
}

function valueAndOrigin(env: HelmEnvironment, ...keys: string[]): [string | undefined, string | undefined] {
  const value = env.view.at(env.root, ...keys)?.value;
  const origin = env.spans.toFile(spanOf(value));
  return [scalarText(value), origin && path.relative(FIXTURES, origin.file.path)];
}

describe('issue 9 scenario: a chart with a production overlay', () => {
  it('builds what `helm upgrade -f values.yaml -f values-production.yaml` deploys, subchart defaults included', () => {
    const env = helmFrom(path.join(SHOP, 'values-production.yaml'));
    assert.equal(env.name, 'production');
    assert.deepEqual(env.problems, []);
    assert.deepEqual(valueAndOrigin(env, 'replicaCount'), ['3', 'shop/values-production.yaml']);
    assert.deepEqual(valueAndOrigin(env, 'resources', 'limits', 'memory'), ['512Mi', 'shop/values-production.yaml']);
    assert.deepEqual(valueAndOrigin(env, 'postgresql', 'auth', 'password'), ['changeme', 'shop/values.yaml']);
    assert.deepEqual(valueAndOrigin(env, 'postgresql', 'architecture'), ['standalone', 'shop/charts/postgresql/values.yaml']);
    assert.equal(env.spans.toFile(spanOf(env.view.at(env.root, 'postgresql', 'architecture')!.value))!.file.role, 'dependency');
  });

  it('places a finding on an inherited value in the overlay, with a fix that edits only the overlay', () => {
    const env = helmFrom(path.join(SHOP, 'values-production.yaml'));
    const overlay = env.files.find((f) => f.role === 'overlay')!;
    // A rule reports the subchart default `architecture: standalone` on the merged document…
    const reported = spanOf(env.view.at(env.root, 'postgresql', 'architecture')!.value);
    const keys = pathAt(env, reported)!;
    assert.deepEqual(keys, ['postgresql', 'architecture']);
    // …and the finding moves to the overlay's first line (it has no `postgresql:` key), where the fix adds it.
    const place = placeIn(overlay, keys);
    assert.equal(place.entry, undefined);
    const onOverlay = env.spans.toFile(place.span)!;
    assert.equal(onOverlay.file.path, overlay.path);
    assert.equal(overlay.text.slice(onOverlay.span.start, onOverlay.span.end), '# What production runs: helm upgrade shop . -f values.yaml -f values-production.yaml');
    const fix = overlay.edit.ensurePath(overlay.root!, place.missing.slice(0, -1) as string[], { architecture: 'replication' })!;
    const mapped = env.spans.mapToOneFile([fix]);
    assert.ok(mapped.ok);
    assert.equal(mapped.file.path, overlay.path);
    const fixed = applyChanges(overlay.text, mapped.file.changes);
    assert.ok(fixed.endsWith('    - shop.example.com\npostgresql:\n  architecture: replication\n'), fixed);
    assert.ok(fixed.startsWith('# What production runs'), 'the comment is kept');
    // Re-built with the fixed overlay, production gets the value from the overlay.
    const after = buildHelmEnvironment({ name: 'production', chartDir: SHOP, values: env.files.filter((f) => f.role !== 'dependency').map((f) => f.path), access: withText(overlay.path, fixed) });
    assert.deepEqual(valueAndOrigin(after, 'postgresql', 'architecture'), ['replication', 'shop/values-production.yaml']);
  });

  describe('with the subchart packaged', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-env-'));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('reads charts/postgresql-12.1.0.tgz from disk in memory, as the host does', () => {
      const chart = path.join(tmp, 'shop');
      fs.mkdirSync(path.join(chart, 'charts'), { recursive: true });
      for (const f of ['Chart.yaml', 'values.yaml', 'values-production.yaml']) fs.copyFileSync(path.join(SHOP, f), path.join(chart, f));
      const sub = path.join(SHOP, 'charts/postgresql');
      fs.writeFileSync(
        path.join(chart, 'charts/postgresql-12.1.0.tgz'),
        tgz([
          { path: 'postgresql/Chart.yaml', text: fs.readFileSync(path.join(sub, 'Chart.yaml'), 'utf8') },
          { path: 'postgresql/values.yaml', text: fs.readFileSync(path.join(sub, 'values.yaml'), 'utf8') },
        ]),
      );
      const env = helmFrom(path.join(chart, 'values-production.yaml'), withArchives(diskFileAccess));
      assert.deepEqual(env.problems, []);
      assert.equal(scalarText(env.view.at(env.root, 'postgresql', 'architecture')?.value), 'standalone');
      assert.ok(env.spans.toFile(spanOf(env.view.at(env.root, 'postgresql', 'architecture')!.value))!.file.path.endsWith('postgresql-12.1.0.tgz!/postgresql/values.yaml'));
      const plain = helmFrom(path.join(chart, 'values-production.yaml'));
      assert.match(plain.problems[0].message, /packaged chart, which this host cannot read/);
    });
  });
});

describe('issue 9 scenario: a compose base with a production overlay', () => {
  it('merges what `docker stack deploy -c docker-compose.yml -c docker-compose.prod.yml` deploys', () => {
    const base = path.join(COMPOSE, 'docker-compose.yml');
    const found = discoverEnvironments(base, 'compose', diskFileAccess);
    assert.equal(found.role, 'base');
    const unit = found.environments[0].unit as Extract<EnvUnit, { kind: 'compose' }>;
    const env = buildComposeEnvironment({ name: found.environments[0].name, files: unit.files, access: diskFileAccess });
    const web = (...keys: string[]) => env.view.at(env.root, 'services', 'web', ...keys)?.value;
    const rel = (node: unknown) => path.relative(FIXTURES, env.spans.toFile(spanOf(node as never))!.file.path);
    assert.deepEqual(env.view.items(env.view.seq(web('ports'))).map(scalarText), ['80:80', '443:443']);
    assert.equal(web('volumes'), undefined, 'the dev bind mount is reset');
    assert.equal(scalarText(web('image')), 'shop/web:1.4.0', 'the tag comes from .env');
    assert.equal(scalarText(web('environment', 'LOG_LEVEL')), 'warn');
    const dbPort = env.view.items(env.view.seq(env.view.at(env.root, 'services', 'db', 'ports')!.value))[0];
    assert.equal(scalarText(dbPort), '5432:5432');
    assert.equal(rel(dbPort), 'compose/docker-compose.yml', 'production keeps the port the base publishes');
    assert.equal(env.envFile, path.join(COMPOSE, '.env'));
  });
});

function withText(file: string, text: string): FileAccess {
  return { readFile: (p) => (p === file ? text : diskFileAccess.readFile(p)), exists: (p) => p === file || diskFileAccess.exists(p) };
}

