import { isScalar } from 'yaml';
import { Rule } from '../../types';
import { Entry, isFalse, isTrue, scalarText, spanOf } from '../../yaml/nav';
import { describeComponent, entriesWithKey, entryIn, imageProduct, isDataStoreName, sectionsWithKey, sectionSubject, ValuesMap } from '../components';
import { HelmContext } from '../model';
import { autoscalingOf, replicasOf } from '../replication';
import { intValue, replaceScalarFix } from '../values';

/** The value Bitnami charts take for their replicated architecture, by product. */
const REPLICATED: Record<string, string> = {
  mongodb: 'replicaset',
  memcached: 'high-availability',
  postgresql: 'replication',
  postgres: 'replication',
  mariadb: 'replication',
  mysql: 'replication',
  redis: 'replication',
  valkey: 'replication',
};

const REPLICATION_SWITCHES = new Set(['replication', 'cluster', 'clustering', 'ha', 'highAvailability']);

/** Roles that are single by design inside a replicated data store. */
const SINGLETON_ROLES = new Set(['primary', 'master', 'arbiter', 'hidden', 'standalone']);

export const standaloneArchitecture: Rule<HelmContext> = {
  meta: {
    id: 'helm/standalone-architecture',
    description: 'Databases, caches and brokers run replicated (`architecture: replication`), not as a single instance.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    for (const { at: m, entry: arch } of entriesWithKey(ctx.model, 'architecture')) {
      if (!m.active || !arch.value || scalarText(arch.value) !== 'standalone') continue;
      const product = productOf(ctx, m);
      const target = (product && REPLICATED[product]) ?? replicatedValueFromComment(ctx.text, arch);
      report({
        span: spanOf(arch.value),
        message: `${sectionSubject(m)}runs ${product ?? 'its data store'} as a single instance (architecture: standalone): a node failure, an eviction or an upgrade takes ${product === 'memcached' ? 'the cache' : 'the data'} offline, with no replica to fail over to.${target ? ` Use architecture: ${target}.` : ''}`,
        fixes: target ? replaceScalarFix(arch, target, `Set architecture to ${target}`) : [],
      });
    }
    for (const { at: m, entry: mode } of entriesWithKey(ctx.model, 'mode')) {
      if (!m.active || !m.dataStore || !mode.value || scalarText(mode.value) !== 'standalone') continue;
      report({
        span: spanOf(mode.value),
        message: `${sectionSubject(m)}runs the data store in standalone mode (${m.dataStore}): one pod holds all the data, so a node failure or an upgrade takes it offline. Use the chart's distributed or clustered mode.`,
      });
    }
    for (const m of sectionsWithKey(ctx.model, (key) => REPLICATION_SWITCHES.has(key))) {
      // `replication: {enabled: false}` inside a data store: the map itself is switched off, its parent is not.
      if (!m.parent?.active || !m.parent.dataStore) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      report({
        span: spanOf(enabled.value),
        message: `${sectionSubject(m.parent)}switches ${m.key} off for a data store (${m.parent.dataStore}): a single instance holds the data, and losing its node means downtime or data loss. Enable ${m.key}; three members keep a quorum through the loss of one.`,
      });
    }
    // Stores that cluster by replica count (etcd, ZooKeeper, RabbitMQ…): one replica is one instance.
    for (const c of ctx.model.components) {
      if (!c.workload || !c.at.active || !c.dataStore) continue;
      if (c.at.key && SINGLETON_ROLES.has(c.at.key)) continue;
      if (hasArchitecture(c.at)) continue;
      const replicas = replicasOf(c);
      if (!replicas || replicas.count !== 1 || autoscalingOf(c)) continue;
      const cache = /memcached/i.test(c.dataStore);
      report({
        span: spanOf(replicas.entry.value),
        message: cache
          ? `${describeComponent(c)} runs a single cache instance (${c.dataStore}): when its pod restarts or its node fails, every lookup falls through to the backend at once. Run at least ${ctx.settings.minReplicas} replicas.`
          : `${describeComponent(c)} runs a single instance of a data store (${c.dataStore}): a node failure or an upgrade takes the data offline. Run it as a cluster (typically 3 replicas, an odd number for quorum) as the chart documents.`,
      });
    }
    // The Elastic chart's layout in an umbrella chart: `elasticsearch: {enabled: true, replicas: 1}`, a
    // section named for the store that sets only its pod count (too few keys to be a component itself).
    for (const key of ['replicas', 'replicaCount']) {
      for (const { at: m, entry } of entriesWithKey(ctx.model, key)) {
        if (!m.active || !m.dataStore || m.component?.at === m || !isDataStoreName(m.key) || hasArchitecture(m)) continue;
        if (intValue(entry.value) !== 1 || isTrue(entryIn(m, 'autoscaling')?.value)) continue;
        report({
          span: spanOf(entry.value),
          message: `"${m.path.join('.')}" runs a single instance of a data store (${m.dataStore}): a node failure or an upgrade takes the data offline. Run it as a cluster (typically 3 replicas, an odd number for quorum) as the chart documents.`,
        });
      }
    }
    // The Elastic chart's `minimumMasterNodes` (Elasticsearch 6's discovery.zen.minimum_master_nodes): below a
    // majority of the master-eligible pods, a network partition elects two masters.
    for (const { at: m, entry } of entriesWithKey(ctx.model, 'minimumMasterNodes')) {
      if (!m.active || !m.dataStore || !entry.value) continue;
      const minimum = intValue(entry.value);
      const replicas = intValue(entryIn(m, 'replicas')?.value);
      // One replica is the finding above (or the component loop's); no count stated and 1 is still a lone master.
      if (minimum === undefined || replicas === 1 || (replicas === undefined ? minimum !== 1 : minimum > replicas / 2)) continue;
      const majority = replicas === undefined ? undefined : Math.floor(replicas / 2) + 1;
      report({
        span: spanOf(entry.value),
        message:
          replicas === undefined
            ? `"${m.path.join('.') || '(top level)'}" sets minimumMasterNodes: 1 (${m.dataStore}): a single master-eligible node may form the cluster on its own, so either one master carries the cluster or a network partition splits it into two that both accept writes. Run three master-eligible nodes with minimumMasterNodes: 2.`
            : `"${m.path.join('.') || '(top level)'}" sets minimumMasterNodes: ${minimum} for ${replicas} master-eligible pods (${m.dataStore}): less than a majority, so a network partition can elect a master on each side and the two halves diverge (split brain). Use ${majority}.`,
        fixes: majority === undefined ? [] : replaceScalarFix(entry, String(majority), `Set minimumMasterNodes to ${majority}`),
      });
    }
  },
};

/** Whether an architecture switch governs this component (the component or a section above it has `architecture:`). */
function hasArchitecture(m: ValuesMap): boolean {
  for (let p: ValuesMap | undefined = m; p; p = p.parent) {
    if (entryIn(p, 'architecture')) return true;
  }
  return false;
}

/** The data store a section configures: its key (`mongodb:`), its image, the chart's name or image. */
function productOf(ctx: HelmContext, m: ValuesMap): string | undefined {
  for (let p: ValuesMap | undefined = m; p; p = p.parent) {
    const key = p.key?.toLowerCase();
    if (key && REPLICATED[key]) return key;
    const image = imageRepository(p);
    if (image && REPLICATED[imageProduct(image)]) return imageProduct(image);
  }
  const name = ctx.chart.name;
  if (name && REPLICATED[name]) return name;
  return undefined;
}

function imageRepository(m: ValuesMap): string | undefined {
  const view = m.document.view;
  const image = entryIn(m, 'image')?.value;
  if (isScalar(image)) return scalarText(image);
  const map = view.map(image);
  return map ? scalarText(view.get(map, 'repository')?.value) : undefined;
}

/** Bitnami documents the allowed values above the key: `## @param architecture … (`standalone` or `replicaset`)`. */
function replicatedValueFromComment(text: string, arch: Entry): string | undefined {
  const start = arch.keyNode.range?.[0];
  if (start === undefined) return undefined;
  const before = text.slice(Math.max(0, start - 600), start).split('\n').slice(-6, -1);
  const comments = before.filter((l) => /^\s*#/.test(l)).join(' ');
  const m = /`standalone`\s+or\s+`([a-z-]+)`/.exec(comments) ?? /`([a-z-]+)`\s+or\s+`standalone`/.exec(comments);
  return m?.[1];
}
