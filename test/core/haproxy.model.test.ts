// The HAProxy model (defaults inheritance as HAProxy resolves it, addresses, servers), file detection,
// and fixes at the awkward places fixtures do not reach (end of file without a line break).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, resolveSettings } from '../../server/src/core/analyze';
import { matchesHaproxyName, sniffHaproxy } from '../../server/src/core/haproxy/detect';
import { HaproxyContext, parseAddresses, prepareHaproxy, Proxy, resolve, serversOf, trafficMode } from '../../server/src/core/haproxy/model';
import { parseHaproxy } from '../../server/src/core/haproxy/parse';
import { applyChanges } from '../../server/src/core/text';
import { NO_FILE_ACCESS } from '../../server/src/core/types';

function context(text: string): HaproxyContext {
  return prepareHaproxy({ text, path: '/etc/haproxy/haproxy.cfg', settings: resolveSettings({}), files: NO_FILE_ACCESS }).ctx;
}

function proxy(ctx: HaproxyContext, kind: string, name: string): Proxy {
  const p = ctx.proxies.find((x) => x.kind === kind && x.name === name);
  assert.ok(p, `${kind} ${name}`);
  return p;
}

function run(text: string, rule?: string) {
  const r = analyze({ text, path: '/etc/haproxy/haproxy.cfg', kind: 'haproxy' });
  return rule ? r.findings.filter((f) => f.ruleId === rule) : r.findings;
}

/** Applies the preferred fix of the first finding of a rule. */
function fixed(text: string, rule: string): string {
  const finding = run(text, rule)[0];
  assert.ok(finding, `no ${rule} finding`);
  const fix = finding.fixes.find((f) => f.preferred);
  assert.ok(fix, `no preferred fix for ${rule}`);
  return applyChanges(text, fix.changes);
}

describe('haproxy model: defaults inheritance', () => {
  const ctx = context(
    [
      'frontend before_any_defaults',
      'defaults',
      '  mode http',
      '  timeout client 1m',
      'defaults named',
      '  mode tcp',
      '  timeout connect 3s',
      '  default-server check',
      'defaults child from named',
      '  timeout server 9s',
      'defaults fresh',
      'backend after_fresh',
      'backend picks_child from child',
      '  default-server no-check',
      'frontend picks_unknown from elsewhere',
      '',
    ].join('\n'),
  );

  it('gives a proxy the last defaults section above it, named or not, or the one named after "from"', () => {
    assert.equal(proxy(ctx, 'frontend', 'before_any_defaults').defaults, undefined);
    assert.equal(proxy(ctx, 'backend', 'after_fresh').defaults?.name, 'fresh');
    assert.equal(proxy(ctx, 'backend', 'picks_child').defaults?.name, 'child');
    assert.equal(proxy(ctx, 'defaults', 'child').defaults?.name, 'named');
    assert.equal(proxy(ctx, 'frontend', 'picks_unknown').defaults, undefined);
  });

  it('starts a defaults section empty unless it says "from"', () => {
    assert.equal(proxy(ctx, 'defaults', 'named').defaults, undefined);
    assert.equal(resolve(ctx, proxy(ctx, 'backend', 'after_fresh')).mode, undefined);
    assert.equal(resolve(ctx, proxy(ctx, 'backend', 'after_fresh')).timeouts.size, 0);
  });

  it('resolves mode, timeouts and default-server checks through the chain', () => {
    const p = resolve(ctx, proxy(ctx, 'backend', 'picks_child'));
    assert.equal(p.mode?.value, 'tcp');
    assert.deepEqual([...p.timeouts.keys()].sort(), ['connect', 'server']);
    // `no-check` on the proxy's own default-server undoes the inherited `check`.
    assert.equal(p.defaultServerCheck, undefined);
    assert.ok(resolve(ctx, proxy(ctx, 'defaults', 'child')).defaultServerCheck);
  });

  it('takes HAProxy\'s default mode (tcp) unless HTTP-only keywords show the intent', () => {
    const c = context('frontend a\n  bind :1\nfrontend b\n  bind :2\n  option httplog\nfrontend c\n  mode http\n');
    assert.deepEqual(trafficMode(c, proxy(c, 'frontend', 'a')), { mode: 'tcp', explicit: false });
    assert.deepEqual(trafficMode(c, proxy(c, 'frontend', 'b')), { mode: 'http', explicit: false });
    assert.deepEqual(trafficMode(c, proxy(c, 'frontend', 'c')), { mode: 'http', explicit: true });
  });

  it('reads legacy timeouts and treats zero as "no timeout"', () => {
    const c = context('backend b\n  contimeout 5000\n  timeout server 0ms\n  timeout client ${T}\n');
    const t = resolve(c, proxy(c, 'backend', 'b')).timeouts;
    assert.equal(t.get('connect')?.zero, false);
    assert.equal(t.get('server')?.zero, true);
    assert.equal(t.get('client')?.zero, false);
  });

  it('is not fooled by keywords that are also JavaScript property names', () => {
    const text = 'defaults\n  constructor 1\n  toString x\n  __proto__ y\n  hasOwnProperty z\nbackend b\n  constructor\n  server s 10.0.0.1:80\n';
    const c = context(text);
    assert.equal(resolve(c, proxy(c, 'backend', 'b')).timeouts.size, 0);
    assert.ok(run(text).every((f) => !f.message.includes('internal error')));
  });

  it('follows a long chain of "from" without recursion trouble', () => {
    let text = 'defaults d0\n  timeout connect 1s\n';
    for (let i = 1; i < 3000; i++) text += `defaults d${i} from d${i - 1}\n`;
    text += 'backend b from d2999\n  server s 10.0.0.1:80 check\n';
    const c = context(text);
    assert.doesNotThrow(() => resolve(c, proxy(c, 'backend', 'b')));
  });
});

describe('haproxy model: addresses and servers', () => {
  const addr = (word: string) => parseAddresses(parseHaproxy(`bind ${word}`).config.lines[0].words[1]);

  it('reads hosts, ports, ranges, families and sockets', () => {
    assert.deepEqual(addr('*:80').map((a) => [a.host, a.ports, a.loopback, a.socket]), [['*', [80], false, false]]);
    assert.deepEqual(addr('[::1]:8443').map((a) => [a.host, a.ports, a.loopback]), [['::1', [8443], true]]);
    assert.deepEqual(addr('ipv4@127.0.0.1:9000,:9001').map((a) => [a.host, a.ports, a.loopback]), [
      ['127.0.0.1', [9000], true],
      ['', [9001], false],
    ]);
    assert.deepEqual(addr(':8000-8002')[0].ports, [8000, 8001, 8002]);
    assert.equal(addr('/var/run/haproxy.sock')[0].socket, true);
    assert.equal(addr('unix@/run/x.sock')[0].socket, true);
    assert.equal(addr('"${ADDR}"')[0].env, true);
  });

  it('counts server-template lines as the servers they declare', () => {
    const c = context('backend b\n  server a 10.0.0.1:80 backup\n  server-template t 3 svc:80\n  server-template r 10-14 svc:80\n  server-template e ${N} svc:80\n');
    assert.deepEqual(
      serversOf(proxy(c, 'backend', 'b')).map((s) => [s.count, s.backup]),
      [
        [1, true],
        [3, false],
        [5, false],
        [undefined, false],
      ],
    );
  });
});

describe('haproxy detection', () => {
  it('recognises the conventional names', () => {
    for (const p of ['/etc/haproxy/haproxy.cfg', '/srv/haproxy-edge.cfg', '/x/HAProxy.cfg', '/x/lb.haproxy']) assert.ok(matchesHaproxyName(p), p);
    for (const p of ['/x/lb.cfg', '/x/haproxy.conf', '/x/haproxy.cfg.j2', '/x/setup.cfg']) assert.ok(!matchesHaproxyName(p), p);
  });

  it('sniffs .cfg files that have HAProxy sections and proxy keywords, and nothing else', () => {
    assert.ok(sniffHaproxy('global\n  maxconn 100\n\nfrontend www\n  bind :80\n', '/x/lb.cfg'));
    assert.ok(sniffHaproxy('    backend galera-nodes\n      mode tcp\n', '/x/fragment.cfg'));
    assert.ok(!sniffHaproxy('global\n  maxconn 100\nfrontend www\n  bind :80\n', '/x/lb.conf'));
    assert.ok(!sniffHaproxy('[metadata]\nname = pkg\n[options]\npackages = find:\n', '/x/setup.cfg'));
    assert.ok(!sniffHaproxy('define host {\n  host_name web\n  address 10.0.0.1\n}\n', '/x/hosts.cfg'));
    assert.ok(!sniffHaproxy('global\n', '/x/other.cfg'));
  });

  it('sniffs a global section next to a backend whose keywords other formats share', () => {
    // Servers filled from DNS by a template, and a backend that only holds a stick table for peers.
    assert.ok(sniffHaproxy('global\n\tnbthread 4\n\nbackend be_dyn\n\tserver-template web 1-10 _http._tcp.web.svc:80 resolvers dns check\n', '/x/dyn.cfg'));
    assert.ok(sniffHaproxy('global\n    master-worker\n\nbackend st_src\n    stick-table type ip size 100k expire 30s\n', '/x/tables.cfg'));
    assert.ok(sniffHaproxy('defaults\n  timeout queue 5s\nlisten stats_only\n  stats enable\n', '/x/stats.cfg'));
    // Near misses: a global section alone, or a named section without any HAProxy section beside it.
    assert.ok(!sniffHaproxy('global\n  nbthread 4\n', '/x/other.cfg'));
    assert.ok(!sniffHaproxy('backend storage\n  path = /var/lib\n', '/x/app.cfg'));
  });

  it('is what analyze() uses when no kind is forced', () => {
    const text = 'frontend www\n  mode http\n  bind :80\n  default_backend app\nbackend app\n  server a 10.0.0.1:80 check\n  server b 10.0.0.2:80 check\n';
    assert.equal(analyze({ text, path: '/srv/lb/edge.cfg' }).kind, 'haproxy');
    assert.equal(analyze({ text, path: '/etc/haproxy/haproxy.cfg' }).kind, 'haproxy');
    assert.equal(analyze({ text: '[section]\nkey = value\n', path: '/srv/tool.cfg' }).skipped, 'not-a-config');
  });
});

describe('haproxy fixes at the edges of the file', () => {
  it('appends "check" before a trailing comment, and on a last line without a line break', () => {
    assert.equal(
      fixed('backend b\n  server a 10.0.0.1:80 # primary\n  server c 10.0.0.2:80 check', 'haproxy/no-health-check'),
      'backend b\n  server a 10.0.0.1:80 check # primary\n  server c 10.0.0.2:80 check',
    );
    assert.equal(fixed('backend b\n  server a 10.0.0.1:80 check\n  server c 10.0.0.2:80', 'haproxy/no-health-check'), 'backend b\n  server a 10.0.0.1:80 check\n  server c 10.0.0.2:80 check');
  });

  it('inserts whole lines after a last line that has no line break, in the file\'s own indentation', () => {
    const text = 'defaults\n\tmode http\n\ttimeout connect 5s\n\ttimeout client 5s\n\ttimeout server 5s\nfrontend www\n\tbind 10.1.2.3:80';
    assert.equal(
      fixed(text, 'haproxy/http-only'),
      text + '\n\tbind 10.1.2.3:443 ssl crt /etc/haproxy/certs/\n\thttp-request redirect scheme https code 301 unless { ssl_fc }',
    );
    const defaults = 'defaults\n  mode tcp\n  timeout client 5s\nfrontend f\n  bind 127.0.0.1:1\n  default_backend b\nbackend b\n  server a 10.0.0.1:1 check\n  server c 10.0.0.2:1 check\ndefaults\n  timeout client 1s';
    const after = fixed(defaults, 'haproxy/missing-timeouts');
    assert.equal(after, defaults.replace('  timeout client 5s\n', '  timeout client 5s\n  timeout connect 5s\n  timeout server 30s\n'));
  });

  it('offers no HTTPS fix where port 443 itself is plain HTTP (a redirect would loop)', () => {
    const text = 'defaults\n  mode http\n  timeout connect 5s\n  timeout client 5s\n  timeout server 5s\nfrontend www\n  bind :443\n';
    const [finding] = run(text, 'haproxy/http-only');
    assert.ok(finding);
    assert.deepEqual(finding.fixes.filter((f) => !f.suppression), []);
  });

  it('reports missing timeouts once per defaults section, not once per proxy', () => {
    let text = 'defaults\n  mode http\n  timeout client 5s\n';
    for (let i = 0; i < 40; i++) text += `backend b${i}\n  server a 10.0.0.1:80 check\n  server c 10.0.0.2:80 check\n`;
    const found = run(text, 'haproxy/missing-timeouts');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /backend "b0" and 39 other proxy sections/);
  });
});

describe('haproxy version flags alone', () => {
  it('are information that names HAProxy 2.2, with the explicit-minimum fix kept', () => {
    const text = 'frontend f\n  bind :443 ssl crt /etc/site.pem no-sslv3\n  default_backend b\nbackend b\n  server a 10.0.0.1:80 check\n  server c 10.0.0.2:80 check\n';
    const [f] = analyze({ text, path: '/x/haproxy.cfg' }).findings.filter((x) => x.ruleId === 'haproxy/weak-tls');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /Since HAProxy 2\.2 a bind's minimum version defaults to TLS 1\.2 and these flags don't lower it/);
    assert.ok(f.fixes.some((x) => x.preferred && x.changes.some((c) => c.newText === 'ssl-min-ver TLSv1.2')));
    const lowered = analyze({ text: text.replace('no-sslv3', 'ssl-min-ver TLSv1.0'), path: '/x/haproxy.cfg' }).findings.filter((x) => x.ruleId === 'haproxy/weak-tls');
    assert.equal(lowered[0].severity, 'warning');
  });
});

describe('haproxy analysis never fails', () => {
  it('runs every rule on garbage without an internal error', () => {
    const inputs = [
      '\0\0\0binary',
      'frontend\nbackend\nlisten\n  server\n  server-template\n  bind\n  bind ssl\n  default_backend\n  use_backend\n  timeout\n  stats\n  mode\n',
      'listen l from l\n  bind :1883 ssl\n  server s :1883\n  stats enable\n  default_backend l\n',
      'global\n  ssl-default-bind-options no-sslv3 ssl-min-ver\nfrontend f\n  bind :443 ssl crt x force-tlsv10 ssl-min-ver\n',
      'defaults a from a\nfrontend f from a\n  bind :80\n',
    ];
    for (const text of inputs) {
      const r = analyze({ text, path: '/x/haproxy.cfg', kind: 'haproxy' });
      assert.ok(r.findings.every((f) => !f.message.includes('internal error')), JSON.stringify(r.findings.map((f) => f.message)));
    }
  });
});
