// Network facts several kinds share: which addresses a person would replace with a DNS name, and
// which ports belong to data stores, caches, cluster-internal protocols and management consoles.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The host part of `1.2.3.4`, `1.2.3.4:8080`, `https://1.2.3.4:8443/path`, `[2001:db8::1]:443`. */
export function hostPart(value: string): string | undefined {
  let v = value.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(v);
  if (scheme) v = v.slice(scheme[0].length).replace(/^[^@/]*@/, '');
  else if (v.includes('/')) return undefined; // a CIDR or a path, not a host
  v = v.split(/[/?#]/)[0];
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') === -1 ? undefined : v.indexOf(']'));
  const colons = (v.match(/:/g) ?? []).length;
  if (colons === 1) return v.split(':')[0];
  return v;
}

/** An IP address a person would have to replace with a name: not loopback, unspecified, link-local or broadcast. */
export function isReplaceableIp(host: string): boolean {
  if (IPV4.test(host)) {
    return !/^(0\.0\.0\.0|127\.|169\.254\.|255\.255\.255\.255)/.test(host);
  }
  // IPv6: hex groups with at least two colons; `::` and `::1` are the unspecified and loopback addresses.
  if (/^[0-9a-f:]+$/i.test(host) && (host.match(/:/g) ?? []).length >= 2 && /[0-9a-f]/i.test(host)) {
    return !/^(::1?|fe80:.*)$/i.test(host);
  }
  return false;
}

/** Ports of data stores, caches, cluster-internal protocols and management consoles: never public. */
export const INTERNAL_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
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

export const INTERNAL_PORT_NUMBERS: readonly number[] = Object.keys(INTERNAL_PORTS).map(Number);

/** Last words of a setting's name that say its value is a host or URL to connect to (DB_HOST, apiUrl, KAFKA_BOOTSTRAP_SERVERS). */
const HOST_SETTING_WORDS = new Set(['host', 'hosts', 'hostname', 'url', 'urls', 'uri', 'endpoint', 'endpoints', 'server', 'servers', 'address', 'addr', 'broker', 'brokers', 'dsn']);
/** Words that make it an address to bind to, a range, or resolver/allow-list settings, where an IP is what belongs. */
const ADDRESS_SETTING_WORDS = new Set(['ip', 'ips', 'cidr', 'subnet', 'bind', 'listen', 'local', 'range', 'dns', 'nameserver', 'resolver', 'mask', 'gateway', 'allowed', 'allow', 'trusted', 'whitelist', 'allowlist', 'proxies', 'no', 'advertised', 'advertise', 'mac', 'email', 'mail']);

/** The lower-case words of a setting's name: `DB_HOST`, `db-host`, `dbHost`, `db.host` → db, host. */
export function settingWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a setting of this name holds a host or URL to connect to, where a DNS name belongs. */
export function namesHostToReach(name: string): boolean {
  const words = settingWords(name);
  return HOST_SETTING_WORDS.has(words[words.length - 1] ?? '') && !words.some((w) => ADDRESS_SETTING_WORDS.has(w));
}

/** The replaceable IP addresses in a value that lists hosts or URLs (`10.0.0.1:9092,10.0.0.2:9092`). */
export function replaceableIpsIn(value: string): string[] {
  return value
    .split(/[,;\s]+/)
    .map((part) => hostPart(part))
    .filter((host): host is string => !!host && isReplaceableIp(host));
}

/**
 * Loopback, RFC 1918, carrier-grade NAT, unique-local and link-local addresses: a listener bound to
 * one of them is reachable only from the machine or its private network, not from the internet.
 */
export function isPrivateOrLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (IPV4.test(h)) {
    const [a, b] = h.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return /^(f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):/.test(h);
}

/**
 * INTERNAL_PORTS entries that ordinary web applications use as often as the product named there (8081
 * is the classic "second HTTP port", 7000 a common dev-server port): a plain HTTP listener on one of
 * them only shows the product when it also forwards to that same port.
 */
export const AMBIGUOUS_HTTP_PORTS: ReadonlySet<number> = new Set([7000, 8081]);
