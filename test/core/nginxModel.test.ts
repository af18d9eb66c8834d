// How prodready recognises NGINX files, infers the context of fragments, resolves includes against the
// workspace, and reads listen directives; plus rule behaviour the fixtures cannot express (severities,
// messages).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, detect, resolveSettings } from '../../server/src/core/analyze';
import { matchesNginxName, sniffNginx } from '../../server/src/core/nginx/detect';
import { inferTopContext, IncludeResolver, lookup, prepareNginx } from '../../server/src/core/nginx/model';
import { parseNginx } from '../../server/src/core/nginx/parse';
import { parseListen } from '../../server/src/core/nginx/servers';
import { FileAccess } from '../../server/src/core/types';

/** An in-memory workspace. */
function workspace(files: Record<string, string>): FileAccess & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile(p) {
      reads.push(p);
      return files[p];
    },
    exists: (p) => p in files,
  };
}

function prepare(text: string, path: string, files: FileAccess = workspace({})) {
  return prepareNginx({ text, path, settings: resolveSettings({}), files }).ctx;
}

describe('nginx file detection', () => {
  const yes = [
    '/etc/nginx/nginx.conf',
    '/repo/deploy/nginx.conf',
    '/repo/nginx/default.conf',
    '/repo/docker/nginx/snippets/ssl.conf',
    '/repo/.nginx/site.conf',
    '/repo/nginx/templates/default.conf.template',
    '/repo/conf.d/app.conf',
    '/etc/nginx/sites-available/default',
    '/srv/sites-enabled/example.com',
    '/repo/proxy/site.nginx',
  ];
  const no = [
    '/repo/docker-compose.yml',
    '/repo/haproxy/haproxy.cfg',
    '/etc/supervisor/conf.d/worker.conf',
    '/etc/apache2/sites-available/000-default.conf',
    '/etc/httpd/conf.d/ssl.conf',
    '/repo/nginx/values.yaml',
    '/repo/conf.d/readme.md',
    '/repo/app.conf',
  ];
  for (const p of yes) it(`recognises ${p} by name`, () => assert.equal(matchesNginxName(p), true));
  for (const p of no) it(`does not claim ${p} by name`, () => assert.equal(matchesNginxName(p), false));

  it('sniffs NGINX content in config-like files only', () => {
    const text = '# proxy\nserver {\n    listen 80;\n    location / { proxy_pass http://app; }\n}\n';
    assert.equal(sniffNginx(text, '/repo/proxy/site'), true);
    assert.equal(sniffNginx(text, '/repo/proxy/site.conf'), true);
    assert.equal(sniffNginx(text, '/repo/src/server.js'), false);
    assert.equal(sniffNginx('upstream app {\n  server 10.0.0.1:80;\n}\n', '/repo/lb/upstreams.inc'), true);
    assert.equal(sniffNginx('[program:web]\ncommand=/bin/web\n', '/repo/conf/web.conf'), false);
    assert.equal(sniffNginx('server {\n  host = "x"\n}\n', '/repo/conf/app.conf'), false);
  });

  it('the engine picks nginx for these files and nothing else for a haproxy config', () => {
    const settings = resolveSettings({});
    const files = workspace({});
    assert.equal(detect({ text: 'events {}\n', path: '/etc/nginx/nginx.conf' }, settings, files).kind, 'nginx');
    assert.equal(detect({ text: 'server {\n  listen 80;\n}\n', path: '/srv/web/site' }, settings, files).kind, 'nginx');
    assert.notEqual(detect({ text: 'global\n  maxconn 100\n', path: '/etc/haproxy/haproxy.cfg' }, settings, files).kind, 'nginx');
  });
});

describe('nginx top-level context', () => {
  const cases: [string, string, string][] = [
    ['events {}\nhttp {}\n', '/etc/nginx/nginx.conf', 'main'],
    ['worker_processes 2;\n', '/x/custom.conf', 'main'],
    ['server { listen 80; }\n', '/etc/nginx/conf.d/site.conf', 'http'],
    ['server { listen 80; }\n', '/etc/nginx/sites-enabled/site', 'http'],
    ['server { listen 1883; proxy_pass b; }\n', '/etc/nginx/stream.d/mqtt.conf', 'stream'],
    ['set $a 1;\nif ($scheme = http) { return 301 https://$host; }\n', '/etc/nginx/conf.d/include/force.conf', 'http'],
    ['location / { root /srv; }\n', '/x/snippets/loc.conf', 'server'],
    ['server { listen 80; location / { root /srv; } }\n', '/repo/web/nginx.conf', 'http'],
    ['proxy_cache_path /tmp/c keys_zone=c:1m;\nserver { listen 80; }\n', '/repo/nginx/default.conf', 'http'],
    ['server { listen 12345; proxy_pass backend:5432; }\n', '/repo/tcp.conf', 'stream'],
    ['ssl_protocols TLSv1.2;\n', '/repo/nginx/snippets/ssl.conf', 'unknown'],
    ['upstream a { server x:1; }\n', '/repo/nginx/snippets/up.conf', 'unknown'],
    ['server { listen 80; }\n', '/repo/nginx.conf', 'main'],
  ];
  for (const [text, path, expected] of cases) {
    it(`${path}: ${JSON.stringify(text.slice(0, 40))} → ${expected}`, () => {
      assert.equal(inferTopContext(parseNginx(text), path), expected);
    });
  }

  it('gives servers of a conf.d file the http protocol, and leaves them out when the context is unknown', () => {
    const server = 'server {\n  listen 443 ssl;\n}\n';
    assert.equal(prepare(server, '/etc/nginx/conf.d/a.conf').servers[0]?.protocol, 'http');
    assert.equal(prepare(server, '/repo/nginx/snippets/a.conf').servers.length, 0);
    assert.equal(prepare('stream { server { listen 1883; } }\n', '/etc/nginx/nginx.conf').servers[0]?.protocol, 'stream');
  });
});

describe('nginx include resolution', () => {
  it('resolves relative includes against the file, then against the folder holding nginx.conf', () => {
    const files = workspace({
      '/ws/deploy/nginx/nginx.conf': 'events {}\n',
      '/ws/deploy/nginx/snippets/tls.conf': 'ssl_certificate /c.crt;\n',
      '/ws/deploy/nginx/conf.d/local.conf': 'ssl_certificate_key /c.key;\n',
    });
    const resolver = new IncludeResolver(files, '/ws/deploy/nginx/conf.d/site.conf', 1e6);
    assert.equal(resolver.resolve('local.conf', '/ws/deploy/nginx/conf.d/site.conf')?.path, '/ws/deploy/nginx/conf.d/local.conf');
    assert.equal(resolver.resolve('snippets/tls.conf', '/ws/deploy/nginx/conf.d/site.conf')?.path, '/ws/deploy/nginx/snippets/tls.conf');
    assert.equal(resolver.resolve('missing.conf', '/ws/deploy/nginx/conf.d/site.conf'), undefined);
  });

  it('maps /etc/nginx/… onto the folder holding nginx.conf, and any absolute path onto a rootfs layout', () => {
    const files = workspace({
      '/ws/nginx/nginx.conf': 'events {}\n',
      '/ws/nginx/snippets/a.conf': 'a;\n',
      '/ws/image/rootfs/etc/nginx/conf.d/include/b.conf': 'b;\n',
      '/ws/image/rootfs/data/custom.conf': 'c;\n',
    });
    assert.equal(new IncludeResolver(files, '/ws/nginx/nginx.conf', 1e6).resolve('/etc/nginx/snippets/a.conf', '/ws/nginx/nginx.conf')?.path, '/ws/nginx/snippets/a.conf');
    const rootfs = new IncludeResolver(files, '/ws/image/rootfs/etc/nginx/nginx.conf', 1e6);
    assert.equal(rootfs.resolve('/etc/nginx/conf.d/include/b.conf', '/ws/image/rootfs/etc/nginx/nginx.conf')?.path, '/ws/image/rootfs/etc/nginx/conf.d/include/b.conf');
    assert.equal(rootfs.resolve('/data/custom[.]conf', '/ws/image/rootfs/etc/nginx/nginx.conf')?.path, '/ws/image/rootfs/data/custom.conf');
  });

  it('never reads the machine\'s own /etc/nginx, nor expands wildcards or variables', () => {
    const files = workspace({ '/etc/nginx/snippets/a.conf': 'a;\n', '/ws/conf.d/x.conf': 'x;\n' });
    const resolver = new IncludeResolver(files, '/ws/site/nginx.conf', 1e6);
    assert.equal(resolver.resolve('/etc/nginx/snippets/a.conf', '/ws/site/nginx.conf'), undefined);
    assert.deepEqual(resolver.candidates('conf.d/*.conf', '/ws/site/nginx.conf'), []);
    assert.deepEqual(resolver.candidates('$dir/x.conf', '/ws/site/nginx.conf'), []);
    assert.ok(!files.reads.includes('/etc/nginx/snippets/a.conf'));
  });

  it('expands includes in place, marks the unreadable ones, and ignores the harmless ones', () => {
    const files = workspace({ '/ws/nginx/tls.conf': 'ssl_certificate /c.crt;\nssl_certificate_key /c.key;\n' });
    const ctx = prepare(
      'events {}\nhttp {\n  include /etc/nginx/mime.types;\n  server {\n    listen 443 ssl;\n    include tls.conf;\n  }\n  server {\n    include other.conf;\n  }\n}\n',
      '/ws/nginx/nginx.conf',
      files,
    );
    const [first, second] = ctx.servers;
    assert.deepEqual(first.children.map((n) => `${n.name}:${n.local}`), ['listen:true', 'include:true', 'ssl_certificate:false', 'ssl_certificate_key:false']);
    assert.equal(lookup(first, 'ssl_certificate').certain, true);
    assert.equal(lookup(first, 'ssl_certificate').nodes[0].file, '/ws/nginx/tls.conf');
    assert.equal(second.unresolved.length, 1);
    assert.equal(lookup(second, 'ssl_certificate').certain, false);
    assert.equal(ctx.httpBlocks[0].unresolved.length, 0, 'mime.types cannot hide a server_tokens or certificate');
    assert.deepEqual(ctx.localNodes.map((n) => n.name), ['events', 'http', 'include', 'server', 'listen', 'include', 'server', 'include']);
  });

  it('survives include cycles and self-includes', () => {
    const files = workspace({
      '/ws/nginx/nginx.conf': 'include a.conf;\n',
      '/ws/nginx/a.conf': 'include b.conf;\nuser a;\n',
      '/ws/nginx/b.conf': 'include a.conf;\ninclude nginx.conf;\nuser b;\n',
    });
    const ctx = prepare('include a.conf;\n', '/ws/nginx/nginx.conf', files);
    assert.deepEqual(ctx.top.children.map((n) => n.name), ['include', 'include', 'include', 'include', 'user', 'user']);
  });

  it('a fragment is uncertain about what its enclosing blocks set', () => {
    const ctx = prepare('server {\n  listen 443 ssl;\n}\n', '/etc/nginx/conf.d/a.conf');
    assert.equal(lookup(ctx.servers[0], 'ssl_certificate').certain, false);
    const main = prepare('events {}\nhttp {\n  server {\n    listen 443 ssl;\n  }\n}\n', '/etc/nginx/nginx.conf');
    assert.deepEqual(lookup(main.servers[0], 'ssl_certificate'), { nodes: [], certain: true });
  });
});

describe('nginx listen parsing', () => {
  const cases: [string, Partial<ReturnType<typeof parseListen>>][] = [
    ['listen 80;', { port: 80, ssl: false, internal: false }],
    ['listen 443 ssl http2;', { port: 443, ssl: true }],
    ['listen [::]:443 ssl ipv6only=on;', { host: '::', port: 443, ssl: true }],
    ['listen 127.0.0.1:8080;', { host: '127.0.0.1', port: 8080, internal: true }],
    ['listen [::1]:80;', { port: 80, internal: true }],
    ['listen localhost:80;', { internal: true }],
    ['listen unix:/run/nginx.sock;', { internal: true, port: undefined }],
    ['listen example.com;', { host: 'example.com', port: 80 }],
    ['listen ${PORT};', { port: undefined }],
    ['listen [::]:${PORT} ssl;', { port: undefined, ssl: true }],
    ['listen {{ .Port }};', { port: undefined }],
    ['listen 443 quic reuseport;', { port: 443, ssl: true, udp: true }],
    ['listen 53 udp;', { port: 53, udp: true }],
  ];
  for (const [text, expected] of cases) {
    it(text, () => {
      const ctx = prepare(`server {\n  ${text}\n}\n`, '/etc/nginx/conf.d/a.conf');
      const listen = parseListen(ctx.servers[0].children[0], 80);
      for (const [k, v] of Object.entries(expected)) assert.equal(listen[k as keyof typeof listen], v, `${k} of ${text}`);
    });
  }
});

describe('nginx rules: severities and messages', () => {
  it('stream-plaintext warns for MQTT and only informs for other TCP', () => {
    const text = 'stream {\n  server {\n    listen 1883;\n    proxy_pass 10.0.0.1:1883;\n  }\n  server {\n    listen 5432;\n    proxy_pass 10.0.0.2:5432;\n  }\n}\n';
    const findings = analyze({ text, path: '/etc/nginx/nginx.conf' }).findings.filter((f) => f.ruleId === 'nginx/stream-plaintext');
    assert.deepEqual(findings.map((f) => f.severity), ['warning', 'information']);
    assert.match(findings[0].message, /MQTT/);
    assert.match(findings[0].message, /8883/);
  });

  it('the EMQX guide configuration has nothing at warning level or above', () => {
    const text =
      'stream {\n  upstream stream_backend {\n      zone tcp_servers 64k;\n      hash $remote_addr;\n' +
      '      server 192.168.0.2:1883 max_fails=2 fail_timeout=30s;\n      server 192.168.0.3:1883 max_fails=2 fail_timeout=30s;\n  }\n\n' +
      '  server {\n      listen 8883 ssl;\n      status_zone tcp_server;\n      proxy_pass stream_backend;\n      proxy_buffer_size 4k;\n' +
      '      ssl_handshake_timeout 15s;\n      ssl_certificate     /etc/emqx/certs/cert.pem;\n      ssl_certificate_key /etc/emqx/certs/key.pem;\n  }\n}\n';
    const result = analyze({ text, path: '/etc/nginx/nginx.conf' });
    assert.equal(result.kind, 'nginx');
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning'), []);
    assert.ok(result.passed.includes('nginx/stream-plaintext'));
    assert.ok(result.passed.includes('nginx/single-upstream-server'));
  });

  it('single-upstream-server explains that a service name may already balance', () => {
    const findings = analyze({ text: 'upstream app {\n  server web:5000;\n}\n', path: '/etc/nginx/conf.d/a.conf' }).findings;
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /service address/);
  });

  it('http-only offers no fix when the plain listener is not on port 80', () => {
    const text = 'server {\n  listen 8080;\n  location / { proxy_pass http://app; }\n}\n';
    const findings = analyze({ text, path: '/etc/nginx/conf.d/a.conf' }).findings.filter((f) => f.ruleId === 'nginx/http-only');
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].fixes.filter((f) => !f.suppression), []);
  });

  it('http-only says when 443 is used without ssl', () => {
    const text = 'server {\n  listen 443;\n  location / { root /srv; }\n}\n';
    const findings = analyze({ text, path: '/etc/nginx/conf.d/a.conf' }).findings.filter((f) => f.ruleId === 'nginx/http-only');
    assert.match(findings[0].message, /443 without the ssl parameter/);
  });

  it('every nginx finding is one of the registered rules, and every message says why it matters', () => {
    const text = [
      'events {}',
      'http {',
      '  ssl_protocols TLSv1 TLSv1.2;',
      '  upstream one { server 10.0.0.1:80; }',
      '  server { listen 80; server_name app.example.com; location / { proxy_pass http://one; } }',
      '  server { listen 443 ssl; ssl on; root /srv; }',
      '}',
      'stream { server { listen 1883; proxy_pass 10.0.0.1:1883; } }',
      '',
    ].join('\n');
    const result = analyze({ text, path: '/etc/nginx/nginx.conf' });
    const ids = new Set(result.findings.map((f) => f.ruleId));
    for (const id of ['nginx/weak-tls-protocols', 'nginx/single-upstream-server', 'nginx/http-only', 'nginx/ssl-without-certificate', 'nginx/deprecated-ssl-on', 'nginx/server-tokens', 'nginx/no-hsts', 'nginx/stream-plaintext']) {
      assert.ok(ids.has(id), `${id} missing from ${[...ids].join(', ')}`);
    }
    for (const f of result.findings) assert.ok(f.message.length > 60 && /:/.test(f.message), f.message);
  });
});
