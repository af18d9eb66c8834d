import { isMap, Node } from 'yaml';
import { Fix, Rule } from '../../types';
import { Snippet } from '../../yaml/edit';
import { scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, Service } from '../model';
import { inRange, Publication, publicationsOf, servesPort } from '../ports';

const HTTP_PORTS = [80, 8080, 8000];
const TLS_PORTS = [443, 8443];

/**
 * Publications reachable from outside the host. A loopback host address keeps a port private under
 * `docker compose`, but `docker stack deploy` ignores host addresses and publishes on every node.
 */
function publicOnes(s: Service, swarm: boolean): Publication[] {
  return publicationsOf(s).publications.filter((p) => (swarm || !p.loopbackOnly) && !p.variable && p.protocol !== 'udp');
}

export const httpOnly: Rule<ComposeContext> = {
  meta: {
    id: 'compose/http-only',
    description: 'A service that publishes plain HTTP also publishes HTTPS.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const publications = publicOnes(s, ctx.swarm);
      const http = publications.find((p) => HTTP_PORTS.some((port) => servesPort(p, port)));
      if (!http) continue;
      // Only a TLS port the public can reach counts: a loopback-bound 443 protects no one.
      if (publications.some((p) => TLS_PORTS.some((port) => servesPort(p, port)))) continue;
      const seq = publicationsOf(s).seq;
      const shared = s.document.view.get(s.map, 'ports')?.inherited ?? false;
      const fix = seq && !shared ? tlsPublicationFix(s, seq, http) : undefined;
      report({
        span: spanOf(http.node),
        message: `Service "${s.name}" publishes plain HTTP with no HTTPS port: traffic and credentials cross the network unencrypted. Publish 443 and terminate TLS here or at the load balancer in front of it.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

function tlsPublicationFix(s: Service, seq: import('yaml').YAMLSeq, http: Publication): Fix | undefined {
  const { view, edit } = s.document;
  let item: Snippet;
  if (http.syntax === 'short') {
    const like = http.node;
    const quote = 'type' in like && (like.type === 'QUOTE_DOUBLE' || like.type === 'QUOTE_SINGLE') ? (like.type === 'QUOTE_DOUBLE' ? '"' : "'") : '"';
    const host = http.hostIp ? `${http.hostIp.includes(':') ? `[${http.hostIp}]` : http.hostIp}:` : '';
    item = `${quote}${host}443:443${quote}`;
  } else {
    if (!isMap(http.node)) return undefined;
    // Mirror the keys the author wrote, in their order, so the new entry looks like its neighbour.
    const out: { [k: string]: Snippet } = {};
    for (const e of view.entries(http.node)) {
      if (e.key === 'target' || e.key === 'published') out[e.key] = '443';
      else {
        const v = scalarText(e.value as Node);
        if (v !== undefined) out[e.key] = e.value && 'source' in e.value && typeof e.value.source === 'string' ? e.value.source : v;
      }
    }
    item = out;
  }
  const change = edit.insertItemAfter(seq, http.node, item);
  return change ? { title: 'Publish HTTPS port 443 next to the HTTP port', changes: [change], preferred: true } : undefined;
}

const MQTT_PAIRS: [plain: number, tls: number, what: string][] = [
  [1883, 8883, 'MQTT'],
  [8083, 8084, 'MQTT over WebSocket'],
];

export const plaintextMqtt: Rule<ComposeContext> = {
  meta: {
    id: 'compose/plaintext-mqtt',
    description: 'A service that publishes plain MQTT (1883/8083) also publishes its TLS counterpart (8883/8084).',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const publications = publicOnes(s, ctx.swarm);
      for (const [plain, tls, what] of MQTT_PAIRS) {
        const p = publications.find((x) => servesPort(x, plain));
        if (!p || publications.some((x) => servesPort(x, tls))) continue;
        report({
          span: spanOf(p.node),
          message: `Service "${s.name}" publishes ${what} on ${plain} without TLS on ${tls}: device credentials and payloads travel in clear text. Publish ${tls} (or terminate TLS at the load balancer) and keep ${plain} internal.`,
        });
      }
    }
  },
};

/** Ports of data stores, caches and cluster-internal protocols: never on the routing mesh. */
export const INTERNAL_PORTS: Record<number, string> = {
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
      for (const p of publicOnes(s, ctx.swarm)) {
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
