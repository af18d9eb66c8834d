// Finding a file's environments from file names alone, and declared environments winning over that.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverEnvironments, DiscoveryOptions, EnvironmentDeclaration } from '../../server/src/core/env/discovery';
import { FileAccess } from '../../server/src/core/types';

function filesWith(paths: string[]): FileAccess {
  const set = new Set(paths);
  return { readFile: (p) => (set.has(p) ? '' : undefined), exists: (p) => set.has(p) };
}

/** name → files, for compact expectations. */
function summary(r: ReturnType<typeof discoverEnvironments>): { role: string; environments: Record<string, string[]> } {
  return { role: r.role, environments: Object.fromEntries(r.environments.map((e) => [`${e.name}${e.production ? '' : ' (not production)'}${e.declared ? ' (declared)' : ''}`, e.files])) };
}

const C = '/repo/charts/shop';

describe('environment discovery: Helm', () => {
  it('finds production overlays of a chart\'s values.yaml under every naming pattern', () => {
    for (const overlay of ['values-prod.yaml', 'values.production.yml', 'prd-values.yaml', 'live.values.yaml', 'values/prod.yaml', 'values_production.yaml']) {
      const files = filesWith([`${C}/Chart.yaml`, `${C}/values.yaml`, `${C}/${overlay}`]);
      const base = discoverEnvironments(`${C}/values.yaml`, 'helm', files);
      assert.equal(base.role, 'base', overlay);
      assert.deepEqual(base.environments.map((e) => [e.production, e.files]), [[true, [`${C}/values.yaml`, `${C}/${overlay}`]]], overlay);
      const over = discoverEnvironments(`${C}/${overlay}`, 'helm', files);
      assert.equal(over.role, 'overlay', overlay);
      assert.deepEqual(over.environments.map((e) => [e.production, e.files]), [[true, [`${C}/values.yaml`, `${C}/${overlay}`]]], overlay);
      assert.deepEqual(over.environments[0].unit, { kind: 'helm', chartDir: C, values: [`${C}/values.yaml`, `${C}/${overlay}`] });
    }
  });

  it('lists one environment per production overlay', () => {
    const files = filesWith([`${C}/Chart.yaml`, `${C}/values.yaml`, `${C}/values-prod.yaml`, `${C}/values-live.yaml`, `${C}/values-dev.yaml`]);
    assert.deepEqual(summary(discoverEnvironments(`${C}/values.yaml`, 'helm', files)), {
      role: 'base',
      environments: { prod: [`${C}/values.yaml`, `${C}/values-prod.yaml`], live: [`${C}/values.yaml`, `${C}/values-live.yaml`] },
    });
  });

  it('a values.yaml without a production overlay is itself production', () => {
    const files = filesWith([`${C}/Chart.yaml`, `${C}/values.yaml`, `${C}/values-dev.yaml`]);
    assert.deepEqual(summary(discoverEnvironments(`${C}/values.yaml`, 'helm', files)), { role: 'standalone', environments: { production: [`${C}/values.yaml`] } });
  });

  it('names a non-production overlay\'s environment and says it is not production', () => {
    const files = filesWith([`${C}/Chart.yaml`, `${C}/values.yaml`, `${C}/values-dev.yaml`, `${C}/values-staging.yaml`]);
    assert.deepEqual(summary(discoverEnvironments(`${C}/values-dev.yaml`, 'helm', files)), {
      role: 'overlay',
      environments: { 'dev (not production)': [`${C}/values.yaml`, `${C}/values-dev.yaml`] },
    });
    assert.equal(discoverEnvironments(`${C}/values-staging.yaml`, 'helm', files).environments[0].production, false);
  });

  it('takes the production names from the settings', () => {
    const files = filesWith([`${C}/Chart.yaml`, `${C}/values.yaml`, `${C}/values-prod.yaml`, `${C}/values-eu.yaml`]);
    const options: DiscoveryOptions = { settings: { productionNames: ['eu', 'us'] } };
    assert.deepEqual(summary(discoverEnvironments(`${C}/values.yaml`, 'helm', files, options)), { role: 'base', environments: { eu: [`${C}/values.yaml`, `${C}/values-eu.yaml`] } });
    assert.equal(discoverEnvironments(`${C}/values-prod.yaml`, 'helm', files, options).environments[0].production, false);
    assert.equal(discoverEnvironments(`${C}/values-EU.yaml`, 'helm', filesWith([`${C}/Chart.yaml`]), options).environments[0].production, true, 'names compare case-insensitively');
  });

  it('an overlay without a values.yaml is its own environment; a file outside any chart has none', () => {
    assert.deepEqual(summary(discoverEnvironments(`${C}/values-prod.yaml`, 'helm', filesWith([`${C}/Chart.yaml`]))), { role: 'overlay', environments: { prod: [`${C}/values-prod.yaml`] } });
    assert.deepEqual(summary(discoverEnvironments('/repo/other/values.yaml', 'helm', filesWith([]))), { role: 'standalone', environments: {} });
  });
});

describe('environment discovery: Compose', () => {
  const D = '/srv/app';

  it('finds `<base>.<env>.yml` and `<base>-<env>.yml` production overlays', () => {
    for (const overlay of ['docker-compose.prod.yml', 'docker-compose-production.yaml', 'docker-compose.live.yaml']) {
      const files = filesWith([`${D}/docker-compose.yml`, `${D}/${overlay}`]);
      assert.deepEqual(discoverEnvironments(`${D}/docker-compose.yml`, 'compose', files).environments.map((e) => e.files), [[`${D}/docker-compose.yml`, `${D}/${overlay}`]], overlay);
      const over = discoverEnvironments(`${D}/${overlay}`, 'compose', files);
      assert.equal(over.role, 'overlay');
      assert.deepEqual(over.environments[0].unit, { kind: 'compose', files: [`${D}/docker-compose.yml`, `${D}/${overlay}`] });
      assert.equal(over.environments[0].production, true);
    }
  });

  it('treats docker-compose.override.yml as a development layer, never production', () => {
    const files = filesWith([`${D}/compose.yaml`, `${D}/compose.override.yaml`, `${D}/compose.prod.yaml`]);
    assert.deepEqual(summary(discoverEnvironments(`${D}/compose.yaml`, 'compose', files)), {
      role: 'base',
      environments: { prod: [`${D}/compose.yaml`, `${D}/compose.prod.yaml`], 'development (not production)': [`${D}/compose.yaml`, `${D}/compose.override.yaml`] },
    });
    assert.deepEqual(summary(discoverEnvironments(`${D}/compose.override.yaml`, 'compose', files)), {
      role: 'overlay',
      environments: { 'development (not production)': [`${D}/compose.yaml`, `${D}/compose.override.yaml`] },
    });
  });

  it('a base without a production overlay is itself production, even beside a development layer', () => {
    const files = filesWith([`${D}/docker-compose.yml`, `${D}/docker-compose.override.yml`, `${D}/docker-compose.ci.yml`]);
    const r = discoverEnvironments(`${D}/docker-compose.yml`, 'compose', files);
    assert.deepEqual(r.environments.map((e) => [e.name, e.production, e.files.length]), [
      ['production', true, 1],
      ['development', false, 2],
    ]);
    assert.equal(discoverEnvironments(`${D}/docker-compose.ci.yml`, 'compose', files).environments[0].production, false);
  });

  it('a stack file alone is standalone production', () => {
    assert.deepEqual(summary(discoverEnvironments(`${D}/docker-stack.yml`, 'compose', filesWith([`${D}/docker-stack.yml`]))), {
      role: 'standalone',
      environments: { production: [`${D}/docker-stack.yml`] },
    });
  });
});

describe('environment discovery: declared environments', () => {
  const declared: Record<string, EnvironmentDeclaration> = {
    production: {
      helm: { chart: 'charts/shop', values: ['values.yaml', 'values-eu-prod.yaml'] },
      compose: { files: ['deploy/docker-compose.yml', 'deploy/docker-compose.swarm.yml'], swarm: true, envFile: 'deploy/prod.env' },
    },
    qa: { compose: [{ files: ['deploy/docker-compose.yml', 'deploy/docker-compose.qa.yml'] }] },
  };
  const options: DiscoveryOptions = { root: '/repo', settings: { environments: declared } };
  const files = filesWith([
    `${C}/Chart.yaml`,
    `${C}/values.yaml`,
    `${C}/values-eu-prod.yaml`,
    `${C}/values-prod.yaml`,
    '/repo/deploy/docker-compose.yml',
    '/repo/deploy/docker-compose.prod.yml',
    '/repo/deploy/docker-compose.swarm.yml',
    '/repo/deploy/docker-compose.qa.yml',
  ]);

  it('declared files win over the names', () => {
    assert.deepEqual(summary(discoverEnvironments(`${C}/values.yaml`, 'helm', files, options)), {
      role: 'base',
      environments: { 'production (declared)': [`${C}/values.yaml`, `${C}/values-eu-prod.yaml`] },
    });
    const compose = discoverEnvironments('/repo/deploy/docker-compose.yml', 'compose', files, options);
    assert.deepEqual(summary(compose), {
      role: 'base',
      environments: {
        'production (declared)': ['/repo/deploy/docker-compose.yml', '/repo/deploy/docker-compose.swarm.yml'],
        'qa (not production) (declared)': ['/repo/deploy/docker-compose.yml', '/repo/deploy/docker-compose.qa.yml'],
      },
    });
    assert.deepEqual(compose.environments[0].unit, {
      kind: 'compose',
      files: ['/repo/deploy/docker-compose.yml', '/repo/deploy/docker-compose.swarm.yml'],
      swarm: true,
      envFile: '/repo/deploy/prod.env',
    });
    assert.equal(discoverEnvironments('/repo/deploy/docker-compose.swarm.yml', 'compose', files, options).role, 'overlay');
  });

  it('turns discovery off for what the declarations cover', () => {
    assert.deepEqual(summary(discoverEnvironments(`${C}/values-prod.yaml`, 'helm', files, options)), { role: 'standalone', environments: {} });
    assert.deepEqual(summary(discoverEnvironments('/repo/deploy/docker-compose.prod.yml', 'compose', files, options)), { role: 'standalone', environments: {} });
  });

  it('lets a declaration say whether it is production', () => {
    const r = discoverEnvironments(`${C}/values.yaml`, 'helm', files, { root: '/repo', settings: { environments: { blue: { production: true, helm: { chart: 'charts/shop', values: ['values.yaml'] } } } } });
    assert.deepEqual(summary(r), { role: 'standalone', environments: { 'blue (declared)': [`${C}/values.yaml`] } });
  });
});
