import { Rule } from '../../types';
import { isFalse, isTrue, scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey, entryIn, rootOf, sectionsWithKey, ValuesMap } from '../components';
import { exposureWithin, isServiceKey } from '../exposure';
import { HelmContext } from '../model';
import { intValue } from '../values';

/** Keys that switch TLS on or off: `tls`, `ssl`, `https`, `enableTls`, `useSsl`, `serverTLS`, `tlsEnabled`… */
const TLS_SWITCH = /^(?:enable|use)?[a-z]*?(?:tls|ssl|https)(?:enabled?)?$/i;
/** …and switches that disable it when true (`tlsDisable: true`, Vault's global setting). */
const TLS_DISABLE = /^(?:(?:tls|ssl|https)disabled?|disable(?:tls|ssl|https))$/i;
/** Names that mention TLS but switch something else: redirects, auto-generated certs, STARTTLS, client auth. */
const NOT_A_TLS_SWITCH = /auto|start|www|redirect|client|verify|insecure|skip|prefer|only/i;

/** Every key that can be a TLS switch, tested once per distinct key. */
const isSwitchKey = (key: string) => !NOT_A_TLS_SWITCH.test(key) && (TLS_SWITCH.test(key) || TLS_DISABLE.test(key));

const PLAIN_PORTS = new Set([80, 8080, 1883, 8083]);

export const tlsDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/tls-disabled',
    description: 'Components reachable from outside the cluster keep TLS on, and exposed services do not offer only plain HTTP/MQTT ports.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    // Ingress TLS is helm/ingress-without-tls's business; scrape settings (`serviceMonitor.https`)
    // are about how Prometheus reaches the pod inside the cluster, not about exposure.
    const excluded = (m: ValuesMap) => m.path.some((p) => /ingress|monitor$/i.test(p));
    for (const { at: m, entry: e } of entriesWithKey(ctx.model, isSwitchKey)) {
      if (!m.active || !e.value || excluded(m)) continue;
      const off = (TLS_SWITCH.test(e.key) && isFalse(e.value)) || (TLS_DISABLE.test(e.key) && isTrue(e.value));
      if (!off) continue;
      const scope = scopeOf(m);
      if (connectsElsewhere(m, scope)) continue;
      const exposed = exposureWithin(ctx, scope);
      if (!exposed) continue;
      report({
        span: spanOf(e.value),
        message: `${e.key}: ${scalarText(e.value)} in "${pathOf(m)}" turns TLS off, and ${exposedVia(exposed)}: traffic and credentials reach it unencrypted. Keep TLS on (with a certificate secret) for anything reachable from outside the cluster.`,
      });
    }
    // `tls: {enabled: false}`: the section itself is switched off, so look at whether its parent runs.
    for (const m of sectionsWithKey(ctx.model, /^(tls|ssl|https)$/i)) {
      if (!m.parent?.active || excluded(m)) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      const scope = scopeOf(m.parent);
      if (connectsElsewhere(m.parent, scope)) continue;
      const exposed = exposureWithin(ctx, scope);
      if (!exposed) continue;
      report({
        span: spanOf(enabled.value),
        message: `${m.key}.enabled: false in "${pathOf(m.parent)}" turns TLS off, and ${exposedVia(exposed)}: traffic and credentials reach it unencrypted. Enable ${m.key} (with a certificate secret) for anything reachable from outside the cluster.`,
      });
    }
    for (const m of sectionsWithKey(ctx.model, isServiceKey)) if (m.active && !excluded(m)) checkPlainService(m, report);
  },
};

function checkPlainService(m: ValuesMap, report: Parameters<Rule<HelmContext>['check']>[1]): void {
  const type = entryIn(m, 'type');
  const typeText = scalarText(type?.value);
  if (!type?.value || (typeText !== 'LoadBalancer' && typeText !== 'NodePort')) return;
  const ports = servicePorts(m);
  if (ports.length === 0 || !ports.every((p) => PLAIN_PORTS.has(p))) return;
  // 8083 is MQTT over WebSocket on brokers, but just another HTTP port elsewhere (Argo CD's metrics).
  const mqtt = ports.some((p) => p === 1883) || (ports.includes(8083) && /mqtt|ws|websocket/i.test(portNames(m)));
  const list = [...new Set(ports)].join(', ');
  report({
    span: spanOf(type.value),
    message: `${m.path.length === 1 ? "The chart's service" : `Service "${m.path.join('.')}"`} is exposed outside the cluster (type: ${typeText}) on plain ${mqtt ? 'MQTT' : 'HTTP'} only (port ${list}): everything it carries, logins and tokens included, crosses the network unencrypted. Offer ${mqtt ? 'MQTTS (8883) or WSS (8084)' : 'HTTPS (443)'} instead, or keep the service internal behind an ingress with TLS.`,
  });
}

/** The ports a service map publishes: `port:`, `*Port:` (not node/target ports), `ports:` as a map or list. */
function servicePorts(m: ValuesMap): number[] {
  const view = m.document.view;
  const out: number[] = [];
  for (const e of m.entries) {
    if (/^(node|target|container|health|metrics|admin|status)/i.test(e.key)) continue;
    if (e.key === 'port' || /^[a-z]+Port$/.test(e.key)) {
      const n = intValue(e.value);
      if (n !== undefined) out.push(n);
    } else if (e.key === 'ports') {
      const map = view.map(e.value);
      if (map) {
        for (const p of view.entries(map)) {
          const n = intValue(p.value) ?? intValue(view.get(view.map(p.value), 'port')?.value);
          if (n !== undefined) out.push(n);
        }
      }
      for (const item of view.items(view.seq(e.value))) {
        const n = intValue(view.get(view.map(item), 'port')?.value);
        if (n !== undefined) out.push(n);
      }
    }
  }
  return out;
}

/**
 * The section whose exposure matters: the nearest component; outside any component, the top-level
 * section the switch sits in (`kubeProxy:`), and the whole document for top-level and `global:` switches.
 */
function scopeOf(m: ValuesMap): ValuesMap {
  if (m.component) return m.component.at;
  let top = m;
  while (top.parent && top.parent.parent) top = top.parent;
  return top.parent && top.key !== 'global' ? top : rootOf(m);
}

/** Keys that give the address of something the component connects to. */
const REMOTE_ADDRESS = ['host', 'hostname', 'hosts', 'url', 'uri', 'endpoint', 'address', 'server', 'connectionString'];

/**
 * The switch configures a connection the component makes to another system (`externalDatabase.ssl`,
 * `smtp.tls`), not a listener of its own: a section on the way from the scope down to it is named
 * `external…` or gives a remote address. Exposing the component says nothing about that connection.
 */
function connectsElsewhere(m: ValuesMap, scope: ValuesMap): boolean {
  for (let at: ValuesMap | undefined = m; at && at !== scope; at = at.parent) {
    if (at.key && /^external/i.test(at.key)) return true;
    if (REMOTE_ADDRESS.some((key) => scalarText(entryIn(at!, key)?.value)?.trim())) return true;
  }
  return false;
}

function pathOf(m: ValuesMap): string {
  return m.path.length ? m.path.join('.') : '(top level)';
}

function exposedVia(e: { at: ValuesMap; how: string }): string {
  return `it is reachable from outside the cluster (${e.how} at ${e.at.path.join('.')})`;
}

/** Names of a service's ports (`ports: {mqtt: 1883}`, `ports: [{name: ws}]`), for telling protocols apart. */
function portNames(m: ValuesMap): string {
  const view = m.document.view;
  const ports = entryIn(m, 'ports')?.value;
  const names = view.entries(view.map(ports)).map((e) => e.key);
  for (const item of view.items(view.seq(ports))) names.push(scalarText(view.get(view.map(item), 'name')?.value) ?? '');
  return names.join(' ');
}
