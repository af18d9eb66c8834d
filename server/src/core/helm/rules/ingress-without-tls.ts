import { isMap, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { Fix, Rule, TextChange } from '../../types';
import { eolOf, lineStartOf, nextLineStart } from '../../text';
import { YamlDocument } from '../../yaml/document';
import { scalarSource } from '../../yaml/edit';
import { Entry, isFalse, isTrue, keySpan, scalarText, spanOf } from '../../yaml/nav';
import { editableEntry, entryIn, sectionsWithKey, ValuesMap } from '../components';
import { INGRESS_KEY, isIngressMap } from '../exposure';
import { HelmContext } from '../model';
import { flipSwitchFix, isMeaningful, isTemplate } from '../values';

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
        fixes: () => tlsFix(m, tls, hosts),
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
