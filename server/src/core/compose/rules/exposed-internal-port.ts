import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext } from '../model';
import { inRange, publicPublications } from '../ports';

/** Ports of data stores, caches and cluster-internal protocols: never on the routing mesh. */
const INTERNAL_PORTS: Record<number, string> = {
  1433: 'SQL Server',
  2181: 'ZooKeeper',
  2379: 'etcd',
  2380: 'etcd peer',
  3306: 'MySQL/MariaDB',
  4369: 'Erlang port mapper (EMQX/RabbitMQ clustering)',
  4370: 'EMQX cluster RPC',
  5370: 'EMQX cluster RPC',
  5432: 'PostgreSQL',
  5672: 'AMQP (RabbitMQ)',
  5984: 'CouchDB',
  6379: 'Redis',
  7000: 'Cassandra intra-node',
  8081: 'a management API on most brokers and registries (EMQX, schema registries)',
  8086: 'InfluxDB',
  8500: 'Consul',
  9042: 'Cassandra CQL',
  9092: 'Kafka',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch transport',
  11211: 'Memcached',
  15672: 'RabbitMQ management',
  18083: 'EMQX dashboard',
  26257: 'CockroachDB',
  27017: 'MongoDB',
};

const INTERNAL_PORT_NUMBERS = Object.keys(INTERNAL_PORTS).map(Number);

export const exposedInternalPort: Rule<ComposeContext> = {
  meta: {
    id: 'compose/exposed-internal-port',
    description: 'Database, cache and cluster-internal ports are not published.',
    defaultSeverity: 'warning',
    category: 'data',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      for (const p of publicPublications(s, ctx.swarm)) {
        // Judged by the container port: "15432:5432" still exposes PostgreSQL, "8081:80" is a web app.
        const port = INTERNAL_PORT_NUMBERS.find((n) => inRange(p.target, n));
        if (port === undefined) continue;
        report({
          span: spanOf(p.node),
          message: ctx.swarm
            ? `Service "${s.name}" publishes port ${port} (${INTERNAL_PORTS[port]}) on every node of the swarm through the routing mesh. Keep it on an internal overlay network and let only the services that need it connect.`
            : `Service "${s.name}" publishes port ${port} (${INTERNAL_PORTS[port]}) on the host's public interfaces. Keep it on an internal network (or bind it to 127.0.0.1) and let only the services that need it connect.`,
        });
      }
    }
  },
};
