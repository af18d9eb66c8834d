import { isScalar } from 'yaml';
import { Fix, Rule } from '../../types';
import { Entry, isFalse, keySpan, scalarText, spanOf } from '../../yaml/nav';
import { Component, componentEntry, editableEntry, entriesWithKey, entryIn, imageProduct, sectionsWithKey, ValuesMap } from '../components';
import { HelmContext } from '../model';
import { autoscalingOf, flipSwitchFix, isMeaningful, minimumPods, replaceScalarFix, replicasOf } from '../values';

export const singleReplica: Rule<HelmContext> = {
  meta: {
    id: 'helm/single-replica',
    description: 'Stateless workloads run at least `prodready.minReplicas` replicas (default 2), or autoscale from at least that many.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    const min = ctx.settings.minReplicas;
    for (const c of ctx.model.components) {
      // Data stores are not made highly available by adding pods; helm/standalone-architecture covers them.
      if (!c.workload || !c.at.active || c.dataStore) continue;
      const hpa = autoscalingOf(c);
      if (hpa) {
        if (hpa.min !== undefined && hpa.min >= min) continue;
        if (hpa.minReplicas && hpa.min === undefined) continue; // a template or a non-number: not ours to judge
        if (!hpa.minReplicas && ctx.overrides) continue; // the chart's defaults decide it
        report({
          span: hpa.minReplicas?.value ? spanOf(hpa.minReplicas.value) : keySpan(hpa.entry),
          message: `${describe(c)} autoscales from ${hpa.min ?? 1} pod${hpa.min === undefined ? ' (autoscaling.minReplicas is not set)' : ''}: whenever load is low it runs a single pod, and one node failure or eviction is an outage. Set autoscaling.minReplicas to at least ${min}.`,
          fixes: minReplicasFix(c, hpa, min),
        });
        continue;
      }
      const replicas = replicasOf(c);
      // 0 is a deliberately parked component, not a single point of failure.
      if (!replicas || replicas.count === 0 || replicas.count >= min) continue;
      report({
        span: spanOf(replicas.entry.value),
        message: `${describe(c)} runs ${replicas.count} replica: a node failure, an eviction or a crash takes it down, and every rollout restarts it with nothing to take over. Run at least ${min} replicas.`,
        fixes: replaceScalarFix(replicas.entry, String(min), `Set ${replicas.entry.key} to ${min}`),
      });
    }
  },
};

function minReplicasFix(c: Component, hpa: NonNullable<ReturnType<typeof autoscalingOf>>, min: number): Fix[] {
  const title = `Set autoscaling.minReplicas to ${min}`;
  if (hpa.minReplicas) return replaceScalarFix(hpa.minReplicas, String(min), title);
  const { view, edit } = c.at.document;
  const map = view.map(hpa.entry.value);
  if (!map || !editableEntry(hpa.entry)) return [];
  const change = edit.addEntry(map, 'minReplicas', String(min));
  return change ? [{ title, preferred: true, changes: [change] }] : [];
}

export function describe(c: Component): string {
  if (c.at.path.length === 0) return "The chart's workload (top-level values)";
  return c.workload ? `Component "${c.name}"` : `Container "${c.name}"`;
}

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
        message: `${where(m)}runs ${product ?? 'its data store'} as a single instance (architecture: standalone): a node failure, an eviction or an upgrade takes ${product === 'memcached' ? 'the cache' : 'the data'} offline, with no replica to fail over to.${target ? ` Use architecture: ${target}.` : ''}`,
        fixes: target ? replaceScalarFix(arch, target, `Set architecture to ${target}`) : [],
      });
    }
    for (const { at: m, entry: mode } of entriesWithKey(ctx.model, 'mode')) {
      if (!m.active || !m.dataStore || !mode.value || scalarText(mode.value) !== 'standalone') continue;
      report({
        span: spanOf(mode.value),
        message: `${where(m)}runs the data store in standalone mode (${m.dataStore}): one pod holds all the data, so a node failure or an upgrade takes it offline. Use the chart's distributed or clustered mode.`,
      });
    }
    for (const m of sectionsWithKey(ctx.model, (key) => REPLICATION_SWITCHES.has(key))) {
      // `replication: {enabled: false}` inside a data store: the map itself is switched off, its parent is not.
      if (!m.parent?.active || !m.parent.dataStore) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      report({
        span: spanOf(enabled.value),
        message: `${where(m.parent)}switches ${m.key} off for a data store (${m.parent.dataStore}): a single instance holds the data, and losing its node means downtime or data loss. Enable ${m.key}; three members keep a quorum through the loss of one.`,
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
          ? `${describe(c)} runs a single cache instance (${c.dataStore}): when its pod restarts or its node fails, every lookup falls through to the backend at once. Run at least ${ctx.settings.minReplicas} replicas.`
          : `${describe(c)} runs a single instance of a data store (${c.dataStore}): a node failure or an upgrade takes the data offline. Run it as a cluster (typically 3 replicas, an odd number for quorum) as the chart documents.`,
      });
    }
  },
};

function where(m: ValuesMap): string {
  return m.path.length === 0 ? 'The chart ' : `"${m.path.join('.')}" `;
}

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

const PDB_KEYS = ['podDisruptionBudget', 'pdb'];

export const noDisruptionBudget: Rule<HelmContext> = {
  meta: {
    id: 'helm/no-disruption-budget',
    description: 'Replicated components keep their PodDisruptionBudget, so node drains cannot evict every pod at once.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    for (const c of ctx.model.components) {
      if (!c.workload || !c.at.active) continue;
      const pods = minimumPods(c);
      if (pods === undefined || pods < 2) continue;
      const view = c.at.document.view;
      for (const key of PDB_KEYS) {
        const pdb = view.map(componentEntry(c, key)?.value);
        if (!pdb) continue;
        const off = [view.get(pdb, 'enabled'), view.get(pdb, 'create')].find((e) => e?.value && isFalse(e.value));
        if (!off) continue;
        report({
          span: spanOf(off.value),
          message: `${describe(c)} runs ${pods} pods but its PodDisruptionBudget is switched off (${key}.${off.key}: false): a node drain or cluster upgrade may evict all of them at once. Enable it (with minAvailable or maxUnavailable).`,
        });
      }
    }
  },
};

export const noSpread: Rule<HelmContext> = {
  meta: {
    id: 'helm/no-spread',
    description: 'Replicated components spread their pods over nodes or zones (anti-affinity or topology spread constraints).',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    // `global.affinity` / `global.topologySpreadConstraints` apply to every component (Argo CD does this).
    if (ctx.model.globals.some((g) => spreads(g))) return;
    for (const c of ctx.model.components) {
      if (!c.workload || !c.at.active) continue;
      const pods = minimumPods(c);
      if (pods === undefined || pods < 2) continue;
      if (spreads(c.at)) continue;
      const anchor = componentEntry(c, 'affinity') ?? componentEntry(c, 'topologySpreadConstraints');
      // Without either key the chart decides placement itself (many charts ship a default anti-affinity).
      if (!anchor) continue;
      report({
        span: anchor.inherited ? spanOf(anchor.keyNode) : keySpan(anchor),
        message: `${describe(c)} runs ${pods} pods with no pod anti-affinity and no topology spread constraints: the scheduler may put them all on one node or in one zone, which then takes them all down together. Add a soft pod anti-affinity or topologySpreadConstraints on kubernetes.io/hostname (and the zone label).`,
      });
    }
  },
};

/** Whether a section asks for its pods to be spread (any anti-affinity, a spread constraint, a preset). */
function spreads(m: ValuesMap): boolean {
  const view = m.document.view;
  for (const e of m.entries) {
    if (e.key === 'topologySpreadConstraints' && isMeaningful(e.value)) return true;
    if (/antiaffinity/i.test(e.key) && isMeaningful(e.value)) return true;
    if (e.key === 'affinity') {
      if (isScalar(e.value)) {
        if (isMeaningful(e.value)) return true; // a YAML string or template the chart renders
        continue;
      }
      const map = view.map(e.value);
      if (map && view.entries(map).some((x) => /antiaffinity/i.test(x.key) && isMeaningful(x.value))) return true;
    }
  }
  return false;
}

export const persistenceDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/persistence-disabled',
    description: 'Data stores keep their data on a persistent volume (`persistence.enabled` is not false).',
    defaultSeverity: 'warning',
    category: 'data',
    fixable: true,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, (key) => PERSISTENCE_KEYS.has(key))) {
      if (!m.parent?.active) continue;
      const store = m.parent.dataStore;
      // A cache is meant to lose its contents; a restart only costs warm-up.
      if (!store || /memcached/i.test(store)) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      report({
        span: spanOf(enabled.value),
        message: `${where(m.parent)}stores its data in the pod's ephemeral filesystem (${m.key}.enabled: false) although ${store}: every restart, rescheduling or upgrade deletes the data. Enable ${m.key}.`,
        fixes: flipSwitchFix(enabled, `Enable ${m.key}`, true),
      });
    }
  },
};

const PERSISTENCE_KEYS = new Set(['persistence', 'persistentVolume', 'dataStorage']);
