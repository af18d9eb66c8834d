import { Rule } from '../../types';
import { Entry, isFalse, isTrue, scalarText, spanOf } from '../../yaml/nav';
import { Component, componentEntry, describeComponent, entryIn, imageOfMap, imageProduct, sectionsWithKey, ValuesMap } from '../components';
import { HelmContext } from '../model';
import { autoscalingOf, replicasOf } from '../replication';
import { intValue, replaceScalarFix } from '../values';

/**
 * Systems whose members vote (Raft, ZAB, Paxos, Mnesia/Ra): a majority of the members must agree, so
 * an even count tolerates no more failures than the odd count below it. Elasticsearch is left out: it
 * drops one master from the voting configuration itself when their number is even.
 */
const QUORUM = /^(etcd|zookeeper|consul|emqx|nats|rabbitmq|cockroachdb|mongodb)$/;

export const evenQuorum: Rule<HelmContext> = {
  meta: {
    id: 'helm/even-quorum',
    description: 'Quorum systems (etcd, ZooKeeper, Consul, EMQX, RabbitMQ, MongoDB…) run an odd, fixed number of members.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    for (const c of ctx.model.components) {
      if (!c.workload || !c.at.active) continue;
      const product = quorumProduct(c, ctx.chart.name);
      if (!product || (product === 'mongodb' && !mongoVotesByCount(c))) continue;
      const hpa = autoscalingOf(c);
      if (hpa) {
        report({
          span: spanOf(hpa.minReplicas?.value ?? hpa.entry.keyNode),
          message: `${describeComponent(c)} autoscales the members of a quorum system (${product}): every scale-up or -down changes the membership the votes are counted over, and an autoscaler stepping to an even count, or removing members faster than they leave the cluster, can lose the majority. Run a fixed, odd number of members.`,
        });
        continue;
      }
      const replicas = replicasOf(c);
      if (!replicas || replicas.count < 2 || replicas.count % 2 !== 0) continue;
      reportEven(c, product, replicas);
    }
    // Vault's integrated storage: `server.ha: {enabled: true, replicas: 4, raft: {enabled: true}}`.
    for (const m of sectionsWithKey(ctx.model, 'ha')) {
      const view = m.document.view;
      if (!m.active || !isTrue(view.get(view.map(entryIn(m, 'raft')?.value), 'enabled')?.value)) continue;
      const entry = entryIn(m, 'replicas');
      const count = intValue(entry?.value);
      if (!entry || count === undefined || count < 2 || count % 2 !== 0 || !m.component) continue;
      reportEven(m.component, 'Vault with Raft storage', { entry, count });
    }

    function reportEven(c: Component, product: string, replicas: { entry: Entry; count: number }): void {
      report({
        span: spanOf(replicas.entry.value),
        message: `${describeComponent(c)} runs ${replicas.count} members of a quorum system (${product}): a majority of ${replicas.count / 2 + 1} must agree, so it survives no more failures than ${replicas.count - 1} members would${replicas.count === 2 ? ' (none: losing either member stops it)' : ''}, and a network split into two equal halves stops both. Use ${replicas.count + 1}.`,
        fixes: replaceScalarFix(replicas.entry, String(replicas.count + 1), `Set the member count to ${replicas.count + 1}`),
      });
    }
  },
};

/** The quorum product a component runs: its key, its image, a section above it, or the chart. */
function quorumProduct(c: Component, chartName: string | undefined): string | undefined {
  // Kafka in KRaft mode: its controllers vote (Bitnami's `controller:` beside the kafka image or under `kafka:`).
  const parent = c.at.parent;
  if (c.at.key === 'controller' && parent && isKafka(parent, chartName)) {
    const view = parent.document.view;
    // `kraft.enabled: false` (ZooKeeper mode in older Bitnami charts): the controllers are not deployed.
    return isFalse(view.get(view.map(entryIn(parent, 'kraft')?.value), 'enabled')?.value) ? undefined : 'Kafka KRaft controllers';
  }
  for (let p: ValuesMap | undefined = c.at; p; p = p.parent) {
    const key = p.key?.toLowerCase();
    if (key && QUORUM.test(key)) return key;
    const image = imageOfMap(p.document.view, p.map);
    if (image && QUORUM.test(imageProduct(image))) return imageProduct(image);
    // A component's own image (an exporter's, a proxy's) names what it runs.
    if (image) return undefined;
  }
  return chartName && QUORUM.test(chartName) ? chartName : undefined;
}

/** MongoDB votes by member count only in a replica set without an arbiter (which makes the count odd). */
function mongoVotesByCount(c: Component): boolean {
  const root: ValuesMap = c.at;
  if (scalarText(componentEntry(c, 'architecture')?.value)?.trim() !== 'replicaset') return false;
  const view = root.document.view;
  const arbiter = view.map(entryIn(root, 'arbiter')?.value);
  return !arbiter || !isTrue(view.get(arbiter, 'enabled')?.value);
}

function isKafka(m: ValuesMap, chartName: string | undefined): boolean {
  if (m.key?.toLowerCase() === 'kafka') return true;
  const image = imageOfMap(m.document.view, m.map);
  if (image) return imageProduct(image) === 'kafka';
  return m.parent === undefined && chartName === 'kafka';
}
