// Compose environments: one test per merge rule of the Compose Specification (mappings, each keyed
// sequence, the shell-command exceptions, !reset and !override) and the `.env`-based interpolation
// rules read through the merged document.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMap, isSeq, Node, parseAllDocuments } from 'yaml';
import { buildComposeEnvironment, ComposeEnvironment } from '../../server/src/core/env/compose';
import { isSynthetic } from '../../server/src/core/env/merge';
import { ENV_PARSE_OPTIONS, parseEnvYaml } from '../../server/src/core/env/yaml';
import { FileAccess } from '../../server/src/core/types';
import { scalarText, spanOf } from '../../server/src/core/yaml/nav';

const BASE = '/app/docker-compose.yml';
const PROD = '/app/docker-compose.prod.yml';

function filesWith(contents: Record<string, string>): FileAccess {
  return { readFile: (p) => contents[p], exists: (p) => p in contents };
}

function merge(base: string, prod: string, extra: Record<string, string> = {}): ComposeEnvironment {
  return buildComposeEnvironment({ name: 'prod', files: [BASE, PROD], access: filesWith({ [BASE]: base, [PROD]: prod, ...extra }) });
}

/** `web:` service's attribute as the merged document holds it. */
function attr(env: ComposeEnvironment, ...path: string[]): Node | undefined {
  return env.view.at(env.root, 'services', 'web', ...path)?.value;
}

function items(env: ComposeEnvironment, ...path: string[]): (string | undefined)[] {
  return env.view.items(env.view.seq(attr(env, ...path))).map((n) => scalarText(n) ?? JSON.stringify(env.doc.createNode(n).toJSON()));
}

function entries(env: ComposeEnvironment, ...path: string[]): Record<string, string | undefined> {
  return Object.fromEntries(env.view.entries(env.view.map(attr(env, ...path))).map((e) => [e.key, scalarText(e.value)]));
}

function fileOf(env: ComposeEnvironment, node: Node | undefined): string | undefined {
  return env.spans.toFile(spanOf(node))?.file.path;
}

const web = (body: string) => `services:\n  web:\n${body.replace(/^/gm, '    ')}\n`;

describe('compose environment: mappings and plain sequences', () => {
  it('merges mappings, the later file winning', () => {
    const env = merge(web('image: web:1\nrestart: always\ndeploy:\n  replicas: 1\n  mode: replicated'), web('image: web:2\ndeploy:\n  replicas: 3'));
    assert.equal(scalarText(attr(env, 'image')), 'web:2');
    assert.equal(scalarText(attr(env, 'restart')), 'always');
    assert.deepEqual(entries(env, 'deploy'), { replicas: '3', mode: 'replicated' });
    assert.equal(fileOf(env, attr(env, 'deploy', 'mode')), BASE);
    assert.equal(fileOf(env, attr(env, 'deploy', 'replicas')), PROD);
  });

  it('appends other sequences', () => {
    const env = merge(web('deploy:\n  placement:\n    constraints: [node.role == worker]'), web('deploy:\n  placement:\n    constraints:\n      - node.labels.zone == a'));
    assert.deepEqual(items(env, 'deploy', 'placement', 'constraints'), ['node.role == worker', 'node.labels.zone == a']);
  });

  it('keeps the value beneath a null', () => {
    const env = merge(web('image: web:1\nenvironment:\n  A: "1"'), web('image:\nenvironment:'));
    assert.equal(scalarText(attr(env, 'image')), 'web:1');
    assert.deepEqual(entries(env, 'environment'), { A: '1' });
  });

  it('replaces command, entrypoint and healthcheck.test, and merges the rest of healthcheck', () => {
    const env = merge(
      web('command: [npm, start]\nentrypoint: /bin/sh\nhealthcheck:\n  test: [CMD, curl, -f, localhost]\n  interval: 10s'),
      web('command: [node, server.js]\nentrypoint: [tini, --]\nhealthcheck:\n  test: [CMD, wget, -q, localhost]'),
    );
    assert.deepEqual(items(env, 'command'), ['node', 'server.js']);
    assert.deepEqual(items(env, 'entrypoint'), ['tini', '--']);
    assert.deepEqual(items(env, 'healthcheck', 'test'), ['CMD', 'wget', '-q', 'localhost']);
    assert.equal(scalarText(attr(env, 'healthcheck', 'interval')), '10s');
  });

  it('merges logging options only for the same driver', () => {
    const same = merge(web('logging:\n  driver: json-file\n  options: {max-size: 10m}'), web('logging:\n  options: {max-file: "3"}'));
    assert.deepEqual(entries(same, 'logging', 'options'), { 'max-size': '10m', 'max-file': '3' });
    const other = merge(web('logging:\n  driver: json-file\n  options: {max-size: 10m}'), web('logging:\n  driver: syslog\n  options: {syslog-address: "udp://logs:514"}'));
    assert.deepEqual(entries(other, 'logging', 'options'), { 'syslog-address': 'udp://logs:514' });
  });

  it('replaces a ulimit whole', () => {
    const env = merge(web('ulimits:\n  nofile: {soft: 1024, hard: 2048}\n  nproc: 512'), web('ulimits:\n  nofile: 65535'));
    assert.deepEqual(entries(env, 'ulimits'), { nofile: '65535', nproc: '512' });
  });
});

describe('compose environment: unique resources', () => {
  it('ports: one per host IP, published port, target and protocol, in either syntax', () => {
    const env = merge(
      web('ports:\n  - "80:80"\n  - "5432:5432"\n  - 127.0.0.1:6379:6379\n  - "53:53/udp"'),
      web('ports:\n  - target: 80\n    published: 8080\n  - "443:443"\n  - {target: 5432, published: 5432, protocol: tcp, mode: host}\n  - "6379:6379"\n  - "53:53"'),
    );
    assert.deepEqual(items(env, 'ports'), [
      '80:80',
      '{"target":5432,"published":5432,"protocol":"tcp","mode":"host"}',
      '127.0.0.1:6379:6379',
      '53:53/udp',
      '{"target":80,"published":8080}',
      '443:443',
      '6379:6379',
      '53:53',
    ]);
    const kept = merge(web('ports: ["5432:5432"]'), web('ports: ["443:443"]'));
    assert.equal(fileOf(kept, kept.view.items(kept.view.seq(attr(kept, 'ports')))[0]), BASE, 'a port the base publishes and production keeps');
  });

  it('ports: the same published port in long syntax replaces the short one in place', () => {
    const env = merge(web('ports: ["8080:80", "9090:90"]'), web('ports:\n  - {target: 80, published: 8080, host_ip: 0.0.0.0}'));
    assert.deepEqual(items(env, 'ports'), ['{"target":80,"published":8080,"host_ip":"0.0.0.0"}', '9090:90']);
  });

  it('volumes: one per target path, in either syntax', () => {
    const env = merge(
      web('volumes:\n  - ./data:/var/lib/data\n  - logs:/var/log/app:rw\n  - /tmp/cache'),
      web('volumes:\n  - data:/var/lib/data\n  - type: volume\n    source: audit\n    target: /var/log/app\n  - C:\\cache:/tmp/cache'),
    );
    assert.deepEqual(items(env, 'volumes'), ['data:/var/lib/data', '{"type":"volume","source":"audit","target":"/var/log/app"}', 'C:\\cache:/tmp/cache']);
  });

  it('secrets and configs: one per target, a name alone meaning its default target', () => {
    const env = merge(
      web('secrets:\n  - db_password\n  - source: tls_key\n    target: /etc/tls/key.pem\nconfigs:\n  - app_conf'),
      web('secrets:\n  - source: prod_db_password\n    target: /run/secrets/db_password\n  - tls_key\nconfigs:\n  - source: app_conf_prod\n    target: /app_conf'),
    );
    assert.deepEqual(items(env, 'secrets'), ['{"source":"prod_db_password","target":"/run/secrets/db_password"}', '{"source":"tls_key","target":"/etc/tls/key.pem"}', 'tls_key']);
    assert.deepEqual(items(env, 'configs'), ['{"source":"app_conf_prod","target":"/app_conf"}']);
  });

  it('devices: one per container path', () => {
    const env = merge(web('devices:\n  - /dev/ttyUSB0:/dev/ttyUSB0\n  - /dev/sda:/dev/xvda:rwm'), web('devices:\n  - /dev/ttyUSB1:/dev/ttyUSB0'));
    assert.deepEqual(items(env, 'devices'), ['/dev/ttyUSB1:/dev/ttyUSB0', '/dev/sda:/dev/xvda:rwm']);
  });

  it('env_file: one per path, in either syntax', () => {
    const env = merge(web('env_file: [common.env, web.env]'), web('env_file:\n  - path: web.env\n    required: false\n  - prod.env'));
    assert.deepEqual(items(env, 'env_file'), ['common.env', '{"path":"web.env","required":false}', 'prod.env']);
  });

  it('networks\' ipam config: one per subnet', () => {
    const env = merge(
      'networks:\n  back:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n        - subnet: 10.0.1.0/24\n',
      'networks:\n  back:\n    ipam:\n      config:\n        - subnet: 10.0.1.0/24\n          gateway: 10.0.1.1\n',
    );
    const config = env.view.seq(env.view.at(env.root, 'networks', 'back', 'ipam', 'config')!.value);
    assert.equal(env.view.items(config).length, 2);
    assert.equal(scalarText(env.view.at(env.view.map(env.view.items(config)[1]), 'gateway')?.value), '10.0.1.1');
  });
});

describe('compose environment: lists or maps merged by key', () => {
  it('environment: by variable name, whether written as KEY=value items or a map', () => {
    const env = merge(web('environment:\n  - LOG_LEVEL=debug\n  - DB_HOST=db\n  - "FEATURE=on"'), web('environment:\n  LOG_LEVEL: warn\n  SENTRY_DSN: https://sentry'));
    assert.deepEqual(entries(env, 'environment'), { LOG_LEVEL: 'warn', DB_HOST: 'db', FEATURE: 'on', SENTRY_DSN: 'https://sentry' });
    // An item shown as a map entry: key and value cover their part of the item's text.
    const host = env.view.at(env.view.map(attr(env, 'environment')), 'DB_HOST')!;
    assert.ok(isSynthetic(host.keyNode));
    const inBase = env.spans.toFile(spanOf(host.value))!;
    assert.equal(inBase.file.path, BASE);
    assert.equal(inBase.file.text.slice(inBase.span.start, inBase.span.end), 'db');
    const quoted = env.spans.toFile(spanOf(env.view.at(env.view.map(attr(env, 'environment')), 'FEATURE')!.value))!;
    assert.equal(quoted.file.text.slice(quoted.span.start, quoted.span.end), 'on');
  });

  it('environment: a map over a list keeps the list form when the later file writes a list', () => {
    const env = merge(web('environment:\n  A: "1"\n  B: "2"'), web('environment:\n  - B=3'));
    assert.deepEqual(items(env, 'environment'), ['A=1', 'B=3']);
  });

  it('labels, annotations, sysctls, deploy labels and build args: by key', () => {
    const env = merge(
      web('labels: [traefik.enable=true, tier=web]\nsysctls:\n  net.core.somaxconn: 1024\ndeploy:\n  labels: {a: "1"}\nbuild:\n  context: .\n  args: [VERSION=1]'),
      web('labels:\n  tier: frontend\nsysctls: [net.core.somaxconn=4096]\ndeploy:\n  labels: {b: "2"}\nbuild:\n  args: {VERSION: "2"}'),
    );
    assert.deepEqual(entries(env, 'labels'), { 'traefik.enable': 'true', tier: 'frontend' });
    assert.deepEqual(items(env, 'sysctls'), ['net.core.somaxconn=4096']);
    assert.deepEqual(entries(env, 'deploy', 'labels'), { a: '1', b: '2' });
    assert.deepEqual(entries(env, 'build', 'args'), { VERSION: '2' });
    assert.equal(scalarText(attr(env, 'build', 'context')), '.');
  });

  it('extra_hosts: an identical entry once, other addresses of a host kept', () => {
    const env = merge(web('extra_hosts:\n  - db=10.0.0.5\n  - cache:10.0.0.6'), web('extra_hosts:\n  - db=10.0.0.5\n  - db=10.0.0.7\n  - cache=10.0.0.6'));
    assert.deepEqual(items(env, 'extra_hosts'), ['db=10.0.0.5', 'cache=10.0.0.6', 'db=10.0.0.7']);
  });

  it('dns, dns_search, tmpfs, cap_add, expose, profiles: each value once, a single value counting as a list', () => {
    const env = merge(
      web('dns: 1.1.1.1\ndns_search: [a.example]\ntmpfs: [/run]\ncap_add: [NET_ADMIN]\nexpose: ["3000"]\nprofiles: [web]'),
      web('dns: [8.8.8.8, 1.1.1.1]\ndns_search: b.example\ntmpfs: [/run, /tmp]\ncap_add: [NET_ADMIN, SYS_TIME]\nexpose: ["3000", "9090"]\nprofiles: [web, prod]'),
    );
    assert.deepEqual(items(env, 'dns'), ['1.1.1.1', '8.8.8.8']);
    assert.deepEqual(items(env, 'dns_search'), ['a.example', 'b.example']);
    assert.deepEqual(items(env, 'tmpfs'), ['/run', '/tmp']);
    assert.deepEqual(items(env, 'cap_add'), ['NET_ADMIN', 'SYS_TIME']);
    assert.deepEqual(items(env, 'expose'), ['3000', '9090']);
    assert.deepEqual(items(env, 'profiles'), ['web', 'prod']);
  });

  it('networks and depends_on: by name, their settings merged', () => {
    const env = merge(
      web('networks:\n  - front\n  - back\ndepends_on:\n  db:\n    condition: service_healthy'),
      web('networks:\n  back:\n    aliases: [api]\n  monitoring: {}\ndepends_on: [db, cache]'),
    );
    const networks = env.view.map(attr(env, 'networks'))!;
    assert.deepEqual(env.view.entries(networks).map((e) => e.key).sort(), ['back', 'front', 'monitoring']);
    assert.deepEqual(items(env, 'networks', 'back', 'aliases'), ['api']);
    assert.deepEqual(Object.keys(entries(env, 'depends_on')).sort(), ['cache', 'db']);
    assert.equal(scalarText(attr(env, 'depends_on', 'db', 'condition')), 'service_healthy', 'a name alone keeps the settings');
    const names = merge(web('networks: [front]'), web('networks: [back]'));
    assert.ok(isSeq(attr(names, 'networks')));
    assert.deepEqual(items(names, 'networks'), ['front', 'back']);
  });

  it('networks\' aliases: each once', () => {
    const env = merge(web('networks:\n  back:\n    aliases: [api, web]'), web('networks:\n  back:\n    aliases: [api, www]'));
    assert.deepEqual(items(env, 'networks', 'back', 'aliases'), ['api', 'web', 'www']);
  });
});

describe('compose environment: three files', () => {
  it('merges each file onto the result of the ones before', () => {
    const third = '/app/docker-compose.eu.yml';
    const env = buildComposeEnvironment({
      name: 'prod-eu',
      files: [BASE, PROD, third],
      access: filesWith({
        [BASE]: web('extra_hosts:\n  db: 10.0.0.5\nenvironment: [A=1]\nports: ["80:80"]'),
        [PROD]: web('extra_hosts:\n  cache: 10.0.0.6\nenvironment: {B: "2"}\nports: ["443:443"]'),
        [third]: web('extra_hosts:\n  db: 10.0.0.5\n  cache: 10.0.0.9\nenvironment: [A=3]\nports: !override ["8443:443"]'),
      }),
    });
    assert.deepEqual(items(env, 'extra_hosts'), ['db=10.0.0.5', 'cache=10.0.0.6', 'cache=10.0.0.9'], 'both addresses of cache, db once');
    assert.deepEqual(items(env, 'environment'), ['A=3', 'B=2']);
    assert.deepEqual(items(env, 'ports'), ['8443:443']);
    assert.equal(fileOf(env, attr(env, 'ports')), third);
  });
});

describe('compose environment: !reset and !override', () => {
  it('parses both tags on any value without a warning', () => {
    const text = 'services:\n  web:\n    ports: !reset []\n    image: !reset null\n    command: !override [a]\n    deploy: !override\n      replicas: 2\n    user: !override root\n';
    assert.deepEqual(parseEnvYaml(text).problems, []);
    const plain = parseAllDocuments(text, { ...ENV_PARSE_OPTIONS, customTags: [] });
    assert.ok(!Array.isArray(plain) || plain[0].warnings.length > 0, 'without them the parse warns');
  });

  it('!reset removes the value beneath, in a map or a list', () => {
    const env = merge(
      web('image: web\nports: ["8080:80"]\nenvironment:\n  FOO: BAR\n  KEEP: "1"\nvolumes:\n  - ./src:/app'),
      web('ports: !reset []\nenvironment:\n  FOO: !reset null\nvolumes: !reset'),
    );
    assert.equal(attr(env, 'ports'), undefined);
    assert.equal(attr(env, 'volumes'), undefined);
    assert.deepEqual(entries(env, 'environment'), { KEEP: '1' });
    assert.equal(scalarText(attr(env, 'image')), 'web');
  });

  it('!reset in the first file, or where nothing lies beneath, leaves nothing', () => {
    const env = merge(web('image: web\nports: !reset ["80:80"]'), 'services:\n  worker:\n    image: worker\n    ports: !reset []\n');
    assert.equal(attr(env, 'ports'), undefined);
    assert.equal(env.view.at(env.root, 'services', 'worker', 'ports'), undefined);
    assert.equal(scalarText(env.view.at(env.root, 'services', 'worker', 'image')?.value), 'worker');
  });

  it('!override replaces instead of merging', () => {
    const env = merge(web('ports: ["8080:80"]\ndeploy:\n  replicas: 1\n  mode: replicated'), web('ports: !override\n  - "8443:443"\ndeploy: !override\n  replicas: 3'));
    assert.deepEqual(items(env, 'ports'), ['8443:443']);
    assert.deepEqual(entries(env, 'deploy'), { replicas: '3' });
    assert.ok(isMap(attr(env, 'deploy')));
  });
});

describe('compose environment: interpolation from .env', () => {
  it('reads a value whose effective text is known as that text, keeping its span on the written text', () => {
    const env = merge(web('image: web:${TAG:-latest}\nports: ["${PORT:-80}:80"]'), web('environment:\n  URL: https://${DOMAIN}'), { '/app/.env': 'PORT=8080\n' });
    const image = attr(env, 'image')!;
    assert.equal(scalarText(image), 'web:latest');
    assert.deepEqual(env.scalar(image), { known: true, value: 'web:latest', interpolated: true });
    const written = env.spans.toFile(spanOf(image))!;
    assert.equal(written.file.text.slice(written.span.start, written.span.end), 'web:${TAG:-latest}');
    assert.deepEqual(items(env, 'ports'), ['8080:80']);
    const url = attr(env, 'environment', 'URL');
    assert.equal(scalarText(url), 'https://${DOMAIN}', 'an unknown value reads as written');
    assert.deepEqual(env.scalar(url), { known: false, unknown: ['DOMAIN'], errors: [] });
    assert.deepEqual(env.scalar(attr(env, 'ports')), undefined, 'only scalars have one');
  });

  it('keys sequence items by their interpolated text', () => {
    const env = merge(web('ports: ["${PORT:-80}:80"]'), web('ports: ["80:80"]'));
    assert.deepEqual(items(env, 'ports'), ['80:80']);
    assert.equal(fileOf(env, env.view.items(env.view.seq(attr(env, 'ports')))[0]), PROD);
  });

  it('reads the .env beside the first file only, and never the process environment', () => {
    process.env.PRODREADY_TEST_TAG = 'from-process';
    try {
      const env = merge(web('image: web:${PRODREADY_TEST_TAG}\nuser: ${USER_ID:-1000}'), web('restart: always'), { '/elsewhere/.env': 'USER_ID=0\n' });
      assert.equal(env.scalar(attr(env, 'image'))!.known, false);
      assert.equal(scalarText(attr(env, 'user')), '1000');
      assert.equal(env.envFile, undefined);
      const explicit = buildComposeEnvironment({ name: 'prod', files: [BASE, PROD], envFile: '/elsewhere/.env', access: filesWith({ [BASE]: web('user: ${USER_ID:-1000}'), [PROD]: '', '/elsewhere/.env': 'USER_ID=0\n' }) });
      assert.equal(scalarText(attr(explicit, 'user')), '0');
      assert.equal(explicit.envFile, '/elsewhere/.env');
    } finally {
      delete process.env.PRODREADY_TEST_TAG;
    }
  });

  it('reads $$ as a literal dollar', () => {
    const env = merge(web('command: ["sh", "-c", "echo $$HOME"]\nimage: web'), '');
    assert.deepEqual(items(env, 'command'), ['sh', '-c', 'echo $HOME']);
  });

  it('reports .env lines it cannot read', () => {
    const env = merge(web('image: web'), '', { '/app/.env': 'GOOD=1\nthis is not a variable\n' });
    assert.match(env.problems.map((p) => `${p.path}: ${p.message}`).join('\n'), /\/app\/\.env: line 2: not a KEY=value line/);
  });
});
