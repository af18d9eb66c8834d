// What compose rules know about data stores by image: where each keeps its data (so a missing volume
// can be told apart from a mounted one), and which ones elect a leader by majority vote.

import { imageBaseName, imageRepository } from '../images';
import { commandText, environmentOf } from './environment';
import { imageName, Service } from './model';

interface DataStore {
  label: string;
  /** Repositories of the image (`postgres`, `bitnami/postgresql`), compared after stripping a registry and `library/`. */
  repositories: string[];
  /** Where the image keeps its data; a mount at one of them, or at a folder above, keeps it. */
  paths: string[];
  /** An environment variable that moves the data directory (then its value is the path). */
  pathVariable?: string;
  /** Command-line options that move the data directory (then the rule gives the benefit of the doubt). */
  pathOptions?: RegExp;
  /** Only a data store when the command says so (Redis as a pure cache keeps nothing worth a volume). */
  persistsWhen?: RegExp;
}

const DATA_STORES: DataStore[] = [
  {
    label: 'PostgreSQL',
    repositories: ['postgres', 'postgis/postgis', 'timescale/timescaledb', 'timescale/timescaledb-ha', 'pgvector/pgvector'],
    // /var/lib/postgresql covers PostgreSQL 18's versioned layout as well.
    paths: ['/var/lib/postgresql/data', '/var/lib/postgresql'],
    pathVariable: 'PGDATA',
    pathOptions: /(^|\s)(-D|--pgdata|data_directory)\b/,
  },
  { label: 'PostgreSQL', repositories: ['bitnami/postgresql'], paths: ['/bitnami/postgresql'] },
  { label: 'MySQL', repositories: ['mysql', 'mysql/mysql-server', 'percona', 'percona/percona-server'], paths: ['/var/lib/mysql'], pathOptions: /--datadir\b/ },
  { label: 'MariaDB', repositories: ['mariadb'], paths: ['/var/lib/mysql'], pathOptions: /--datadir\b/ },
  { label: 'MySQL', repositories: ['bitnami/mysql'], paths: ['/bitnami/mysql'] },
  { label: 'MariaDB', repositories: ['bitnami/mariadb'], paths: ['/bitnami/mariadb'] },
  { label: 'MongoDB', repositories: ['mongo', 'mongodb/mongodb-community-server'], paths: ['/data/db'], pathOptions: /--dbpath\b/ },
  { label: 'MongoDB', repositories: ['bitnami/mongodb'], paths: ['/bitnami/mongodb'] },
  { label: 'Redis', repositories: ['redis', 'valkey/valkey'], paths: ['/data'], pathOptions: /--dir\b/, persistsWhen: /--appendonly\s+yes|--save\s+["']?\d/ },
  { label: 'Elasticsearch', repositories: ['elasticsearch', 'elasticsearch/elasticsearch'], paths: ['/usr/share/elasticsearch/data'], pathOptions: /path\.data/ },
  { label: 'OpenSearch', repositories: ['opensearchproject/opensearch'], paths: ['/usr/share/opensearch/data'], pathOptions: /path\.data/ },
  { label: 'InfluxDB', repositories: ['influxdb'], paths: ['/var/lib/influxdb', '/var/lib/influxdb2'] },
  { label: 'Cassandra', repositories: ['cassandra'], paths: ['/var/lib/cassandra'] },
  { label: 'CouchDB', repositories: ['couchdb'], paths: ['/opt/couchdb/data'] },
  { label: 'Neo4j', repositories: ['neo4j'], paths: ['/data'] },
  { label: 'ClickHouse', repositories: ['clickhouse/clickhouse-server', 'yandex/clickhouse-server', 'clickhouse'], paths: ['/var/lib/clickhouse'] },
  { label: 'RabbitMQ', repositories: ['rabbitmq'], paths: ['/var/lib/rabbitmq'] },
  { label: 'EMQX', repositories: ['emqx/emqx', 'emqx', 'emqx/emqx-enterprise'], paths: ['/opt/emqx/data'] },
  { label: 'SQL Server', repositories: ['mssql/server'], paths: ['/var/opt/mssql'] },
  { label: 'CockroachDB', repositories: ['cockroachdb/cockroach'], paths: ['/cockroach/cockroach-data'], pathOptions: /--store\b/ },
];

/** `docker.io/library/postgres` → `postgres`; `mcr.microsoft.com/mssql/server` → `mssql/server`. */
function shortRepository(image: string): string {
  const parts = imageRepository(image).split('/');
  // A first segment with a dot or a port, or `localhost`, is a registry.
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

export interface DataPath {
  label: string;
  /** The folders holding the data, any one of which a mount must cover. */
  paths: string[];
}

/** Where this service's data store keeps its data, when the image is a known one and nothing moves it. */
export function dataPathOf(s: Service): DataPath | undefined {
  const image = imageName(s);
  if (!image || image.includes('$')) return undefined;
  const repo = shortRepository(image);
  const store = DATA_STORES.find((d) => d.repositories.includes(repo));
  if (!store) return undefined;
  const command = commandText(s);
  if (store.persistsWhen && !store.persistsWhen.test(command)) return undefined;
  if (store.pathOptions?.test(command)) return undefined;
  const moved = store.pathVariable ? environmentOf(s).find((v) => v.name === store.pathVariable) : undefined;
  if (moved) return moved.value.includes('$') ? undefined : { label: store.label, paths: [moved.value.trim()] };
  return { label: store.label, paths: store.paths };
}

/** Whether a mount target covers a data path: the path itself or a folder above it. */
export function covers(target: string, path: string): boolean {
  const t = target.replace(/\/+$/, '') || '/';
  const p = path.replace(/\/+$/, '');
  return p === t || p.startsWith(t === '/' ? '/' : t + '/');
}

/** Systems whose members elect a leader by majority: an even member count tolerates no more failures than one fewer. */
const QUORUM_SYSTEMS: { label: string; baseNames: string[]; member?: (s: Service) => boolean }[] = [
  { label: 'etcd', baseNames: ['etcd'] },
  { label: 'ZooKeeper', baseNames: ['zookeeper', 'cp-zookeeper'] },
  // Consul client agents run the same image but do not vote.
  { label: 'Consul', baseNames: ['consul'], member: (s) => /(^|\s)-server\b/.test(commandText(s)) },
];

/** The quorum system this service is a voting member of, if any. */
export function quorumSystemOf(s: Service): string | undefined {
  const image = imageName(s);
  if (!image || image.includes('$')) return undefined;
  const base = imageBaseName(image);
  const system = QUORUM_SYSTEMS.find((q) => q.baseNames.includes(base));
  return system && (!system.member || system.member(s)) ? system.label : undefined;
}
