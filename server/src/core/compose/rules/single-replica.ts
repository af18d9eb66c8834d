import { isScalar, Node } from 'yaml';
import { Fix, Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, isGlobal, Service, serviceValue } from '../model';
import { mountsOf } from '../volumes';

/**
 * Data stores: containers whose state two replicas would corrupt or split. Matched on the image's
 * repository path (any segment), so `bitnami/postgresql`, `eclipse-mosquitto` and
 * `mcr.microsoft.com/mssql/server` are recognised as well as the official short names.
 */
const STATEFUL_IMAGE_WORDS =
  /(postgres|postgis|timescale|mysql|mariadb|percona|mongo|redis|valkey|keydb|elasticsearch|opensearch|rabbitmq|kafka|zookeeper|etcd|consul|vault|minio|influxdb|cassandra|scylla|couchdb|couchbase|neo4j|clickhouse|cockroach|nats|memcached|mssql|oracle|db2|solr|questdb|emqx|vernemq|mosquitto|patroni|galera|redpanda|dragonfly|surrealdb|arangodb|rethinkdb|hbase|pulsar|qdrant|weaviate|milvus)/i;

function isStatefulImage(image: string): boolean {
  const repo = image.replace(/[@].*$/, '').replace(/:[^/]*$/, '');
  return STATEFUL_IMAGE_WORDS.test(repo);
}

function isStateful(s: Service): { stateful: boolean; why?: string } {
  const image = scalarText(serviceValue(s, 'image')?.value);
  if (image && isStatefulImage(image)) return { stateful: true, why: `the image ${image} is a data store` };
  const named = mountsOf(s).mounts.find((m) => m.type === 'volume');
  if (named) return { stateful: true, why: `it mounts the named volume "${named.source}"` };
  return { stateful: false };
}

export const singleReplica: Rule<ComposeContext> = {
  meta: {
    id: 'compose/single-replica',
    description: 'Replicated services run at least `prodready.minReplicas` replicas (default 2).',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
    // On one compose host, replicas add no node redundancy and collide on published ports; the
    // advice is about Swarm stacks.
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    const min = ctx.settings.minReplicas;
    for (const s of ctx.services) {
      if (isGlobal(s)) continue;
      const entry = serviceValue(s, 'deploy', 'replicas');
      const text = scalarText(entry?.value);
      if (text !== undefined && (text.includes('$') || !/^\d+$/.test(text))) continue;
      const replicas = text === undefined ? 1 : Number(text);
      if (replicas >= min) continue;
      if (replicas === 0) continue; // deliberately scaled to zero: a parked service, not a single point of failure
      const stateful = isStateful(s);
      const span = entry?.value ? spanOf(entry.value) : spanOf(s.keyNode);
      const said = text === undefined ? 'runs a single replica (deploy.replicas is not set)' : `runs ${replicas} replica`;
      if (stateful.stateful) {
        report({
          span,
          message: `Service "${s.name}" ${said} and is a single point of failure, but ${stateful.why}: do not just raise replicas (two copies on one volume corrupt data). Use the data store's own clustering or replication, with one service per member.`,
        });
        continue;
      }
      report({
        span,
        message: `Service "${s.name}" ${said}: one node failure or one crash takes it down, and every update is an outage. Run at least ${min} replicas.`,
        fixes: () => replicaFix(s, min, entry?.value, entry?.inherited ?? false),
      });
    }
  },
};

function replicaFix(s: Service, min: number, current: Node | undefined, inherited: boolean): Fix[] {
  const { edit } = s.document;
  const title = `Set replicas to ${min}`;
  if (current) {
    // A value merged in from an anchor is shared by other services; changing it there is not this fix's call.
    if (inherited || !isScalar(current)) return [];
    return [{ title, preferred: true, changes: [{ start: current.range![0], end: current.range![1], newText: String(min) }] }];
  }
  const change = edit.ensurePath(s.map, ['deploy', 'replicas'], String(min));
  return change ? [{ title, preferred: true, changes: [change] }] : [];
}
