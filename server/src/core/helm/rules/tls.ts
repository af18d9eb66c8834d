import { isMap, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { Fix, Rule, TextChange } from '../../types';
import { eolOf, lineStartOf, nextLineStart } from '../../text';
import { scalarSource } from '../../yaml/edit';
import { Entry, isFalse, isTrue, keySpan, scalarText, spanOf } from '../../yaml/nav';
import { editableEntry, entriesWithKey, entryIn, sectionsWithKey, ValuesMap } from '../components';
import { YamlDocument } from '../../yaml/document';
import { HelmContext } from '../model';
import { exposureWithin, flipSwitchFix, INGRESS_KEY, intValue, isIngressMap, isMeaningful, isServiceKey, isTemplate, rootOf } from '../values';

export const ingressWithoutTls: Rule<HelmContext> = {
  meta: {
    id: 'helm/ingress-without-tls',
    description: 'Enabled ingresses terminate TLS (a `tls` entry for their hosts).',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, INGRESS_KEY)) {
      if (!m.active || !isIngressMap(m)) continue;
      if (!isTrue(entryIn(m, 'enabled')?.value)) continue;
      const tls = entryIn(m, 'tls');
      if (hasTls(m, tls)) continue;
      const hosts = ingressHosts(m);
      const named = hosts.literal.length ? ` for ${hosts.literal.join(', ')}` : '';
      report({
        span: tls ? (tls.value?.range && !tls.inherited ? spanOf(tls.value) : keySpan(tls)) : spanOf(m.keyNode),
        message: `Ingress "${m.path.join('.')}" is enabled without TLS${named}: browsers, devices and API clients talk to it over plain HTTP, so credentials and data cross the network readable by anyone on the path. Add a tls entry with a certificate secret (or let cert-manager issue one).`,
        fixes: tlsFix(m, tls, hosts),
      });
    }
  },
};

/** TLS is configured: a non-empty `tls` list, `tls: true` (Bitnami), a tls map not switched off, or `extraTls`. */
function hasTls(m: ValuesMap, tls: Entry | undefined): boolean {
  const view = m.document.view;
  if (isMeaningful(entryIn(m, 'extraTls')?.value)) return true;
  const value = tls?.value;
  if (!tls || value === undefined) return false;
  if (isSeq(value)) return value.items.length > 0;
  if (isMap(value)) {
    if (value.items.length === 0) return false;
    return !isFalse(view.get(value, 'enabled')?.value);
  }
  if (!isScalar(value) || value.value === null || isFalse(value)) return false;
  const text = scalarText(value)?.trim() ?? '';
  // A template or a YAML string the chart renders: it may well produce a tls block.
  return text !== '' && text !== '[]' && text !== '{}';
}

interface Hosts {
  /** Host names written as plain strings, in order. */
  literal: string[];
  /** Some host is a template or has an unexpected shape: the list above is not the whole story. */
  unknown: boolean;
}

/** `hosts: [a, b]`, `hosts: [{host: a}]`, Bitnami's `hostname:` + `extraHosts: [{name: b}]`. */
export function ingressHosts(m: ValuesMap): Hosts {
  const view = m.document.view;
  const out: Hosts = { literal: [], unknown: false };
  const add = (node: unknown) => {
    const text = scalarText(node);
    if (text === undefined || text.trim() === '') return;
    if (isTemplate(text) || !/^[A-Za-z0-9*.-]+$/.test(text)) out.unknown = true;
    else if (!out.literal.includes(text)) out.literal.push(text);
  };
  const hostname = entryIn(m, 'hostname')?.value;
  if (hostname) add(hostname);
  for (const key of ['hosts', 'extraHosts']) {
    const value = entryIn(m, key)?.value;
    if (!value) continue;
    const seq = view.seq(value);
    if (!seq) {
      if (isMeaningful(value)) out.unknown = true;
      continue;
    }
    for (const item of view.items(seq)) {
      if (isScalar(item)) add(item);
      else if (isMap(item)) add(view.get(item, 'host')?.value ?? view.get(item, 'name')?.value);
      else out.unknown = true;
    }
  }
  return out;
}

/** `chart-example.local` → `chart-example-local-tls`. */
export function secretNameFor(host: string): string {
  const base = host
    .toLowerCase()
    .replace(/^\*\./, 'wildcard.')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base.slice(0, 240)}-tls`;
}

function tlsFix(m: ValuesMap, tls: Entry | undefined, hosts: Hosts): Fix[] {
  if (hosts.literal.length === 0 || hosts.unknown) return [];
  const view = m.document.view;
  const title = `Add TLS for ${hosts.literal[0]}${hosts.literal.length > 1 ? ` (+${hosts.literal.length - 1})` : ''}`;
  // Bitnami-style charts switch TLS on with `tls: true` and derive the secret from `hostname`.
  if (tls && isScalar(tls.value) && isFalse(tls.value)) {
    const hostname = scalarText(entryIn(m, 'hostname')?.value);
    return hostname && hostname === hosts.literal[0] ? flipSwitchFix(tls, `Enable TLS for ${hostname}`, true) : [];
  }
  if (!view.seq(entryIn(m, 'hosts')?.value)) return [];
  const item = { secretName: scalarSource(secretNameFor(hosts.literal[0])), hosts: hosts.literal.map((h) => scalarSource(h)) };
  const change = tls ? replaceEmptyTls(m.document, m.map, tls, item) : m.document.edit.addEntry(m.map, 'tls', [item]);
  return change ? [{ title, preferred: true, changes: Array.isArray(change) ? change : [change] }] : [];
}

/** `tls: []` / `tls:` becomes a one-item list, in block style unless the ingress map is flow. */
function replaceEmptyTls(doc: YamlDocument, map: YAMLMap, tls: Entry, item: { secretName: string; hosts: string[] }): TextChange | TextChange[] | undefined {
  if (!editableEntry(tls)) return undefined;
  const { edit, view } = doc;
  const text = view.text;
  const value = tls.value;
  const keyNode = tls.keyNode;
  if (!keyNode.range) return undefined;
  const emptyList = isSeq(value) && value.items.length === 0 && value.flow;
  const nothing = value === undefined || (isScalar(value) && (value.value === null || scalarText(value) === ''));
  // `tls: false` is a switch in that chart, and anything else is not ours to replace.
  if (!emptyList && !nothing) return undefined;
  if (map.flow) {
    if (!value?.range || value.range[1] <= value.range[0]) return undefined;
    return { start: value.range[0], end: value.range[1], newText: edit.flow([item]) };
  }
  // The list goes on the lines after `tls:`, indented the way the file indents its lists.
  const keyColumn = keyNode.range[0] - lineStartOf(text, keyNode.range[0]);
  const { seqOffset } = edit.layout;
  const dash = ' '.repeat(keyColumn + seqOffset);
  const inner = ' '.repeat(keyColumn + seqOffset + 2);
  const eol = eolOf(text);
  const lines = [`${dash}- secretName: ${item.secretName}`, `${inner}hosts:`, ...item.hosts.map((h) => `${inner}${' '.repeat(seqOffset)}- ${h}`)];
  const valueNode = value as Node | undefined;
  const changes: TextChange[] = [];
  if (valueNode?.range && valueNode.range[1] > valueNode.range[0]) {
    // Drop ` []`, keeping `tls:` and a trailing comment on that line.
    let from = valueNode.range[0];
    while (from > keyNode.range[1] && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    if (text.slice(keyNode.range[1], from).trim() !== ':') return undefined;
    changes.push({ start: from, end: valueNode.range[1], newText: '' });
  }
  const lineEnd = nextLineStart(text, keyNode.range[1]);
  if (lineEnd === text.length && text[lineEnd - 1] !== '\n') changes.push({ start: lineEnd, end: lineEnd, newText: eol + lines.join(eol) });
  else changes.push({ start: lineEnd, end: lineEnd, newText: lines.join(eol) + eol });
  return changes;
}

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
      const exposed = exposureWithin(ctx, scopeOf(m));
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
      const exposed = exposureWithin(ctx, scopeOf(m.parent));
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
