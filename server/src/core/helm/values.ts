// Small readings of values that several helm rules share: literal numbers and switches (never a
// `{{ template }}` or the tri-state `"-"`), replica counts, and where a chart exposes something.

import { isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import { Fix } from '../types';
import { scalarSource } from '../yaml/edit';
import { Entry, isFalse, isTrue, scalarText } from '../yaml/nav';
import { Component, componentEntry, editableEntry, entriesWithKey, entryIn, sectionsWithKey, ValuesMap } from './components';
import { HelmContext } from './model';

/** A literal non-negative integer (`3`, `"3"`); undefined for templates, ranges, maps. */
export function intValue(node: unknown): number | undefined {
  const text = scalarText(node);
  if (text === undefined || !/^\d{1,6}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

export function isTemplate(text: string): boolean {
  return text.includes('{{');
}

/** The replica count a component asks for: `replicaCount:` or `replicas:` written as a number. */
export function replicasOf(c: Component): { entry: Entry; count: number } | undefined {
  if (replicasUnused(c)) return undefined;
  for (const key of ['replicaCount', 'replicas']) {
    const entry = componentEntry(c, key);
    const count = intValue(entry?.value);
    if (entry && count !== undefined) return { entry, count };
  }
  return undefined;
}

/**
 * The replica count does not apply: the component runs as a DaemonSet (`kind: DaemonSet`,
 * `daemonset.enabled: true`) or its Deployment is switched off (filebeat's `deployment.enabled: false`).
 */
export function replicasUnused(c: Component): boolean {
  const view = c.at.document.view;
  if (scalarText(componentEntry(c, 'kind')?.value) === 'DaemonSet') return true;
  const switched = (key: string) => {
    const map = view.map(componentEntry(c, key)?.value);
    const enabled = map ? view.get(map, 'enabled')?.value : undefined;
    return enabled === undefined ? undefined : isTrue(enabled) ? true : isFalse(enabled) ? false : undefined;
  };
  if (switched('daemonset') === true || switched('daemonSet') === true) return true;
  return switched('deployment') === false && switched('statefulset') !== true && switched('statefulSet') !== true;
}

/** `autoscaling: {enabled: true, minReplicas: n}` (or `hpa:`), when switched on. */
export function autoscalingOf(c: Component): { entry: Entry; minReplicas?: Entry; min?: number } | undefined {
  const view = c.at.document.view;
  if (replicasUnused(c)) return undefined;
  for (const key of ['autoscaling', 'hpa']) {
    const entry = componentEntry(c, key);
    const map = view.map(entry?.value);
    if (!entry || !map || !isTrue(view.get(map, 'enabled')?.value)) continue;
    const minReplicas = view.get(map, 'minReplicas');
    return { entry, minReplicas, min: intValue(minReplicas?.value) };
  }
  return undefined;
}

/** How many pods a component runs at least, when the values say so. */
export function minimumPods(c: Component): number | undefined {
  const hpa = autoscalingOf(c);
  if (hpa) return hpa.min;
  return replicasOf(c)?.count;
}

/** Fix: rewrite a scalar in place, keeping its quoting; none when the value is merged in or aliased. */
export function replaceScalarFix(entry: Entry | undefined, newValue: string, title: string): Fix[] {
  if (!entry || !editableEntry(entry) || !isScalar(entry.value) || !entry.value.range) return [];
  const node = entry.value as Scalar;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return [];
  const [start, end] = node.range!;
  // A plain `1` becomes a plain `2` (scalarSource would quote a number to keep it a string).
  const plain = node.type === 'PLAIN' && /^(\d+|[A-Za-z][\w-]*)$/.test(newValue) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(newValue);
  return [{ title, preferred: true, changes: [{ start, end, newText: plain ? newValue : scalarSource(newValue, node) }] }];
}

/** `false` → `true` (or `no` → `yes`, `False` → `True`), in the author's spelling. */
export function flipSwitchFix(entry: Entry | undefined, title: string, to: boolean): Fix[] {
  if (!entry || !editableEntry(entry) || !isScalar(entry.value) || !entry.value.range) return [];
  const node = entry.value;
  // Only plain scalars are switches; a quoted "false" is a string the chart compares as text.
  if (node.type !== 'PLAIN' || typeof node.source !== 'string') return [];
  const source = node.source;
  const pairs: [string, string][] = [
    ['false', 'true'],
    ['no', 'yes'],
    ['off', 'on'],
  ];
  for (const [off, on] of pairs) {
    const from = to ? off : on;
    const into = to ? on : off;
    if (source.toLowerCase() !== from) continue;
    const cased = source === source.toUpperCase() ? into.toUpperCase() : source[0] === source[0].toUpperCase() ? into[0].toUpperCase() + into.slice(1) : into;
    return [{ title, preferred: true, changes: [{ start: node.range![0], end: node.range![1], newText: cased }] }];
  }
  return [];
}

const EXPOSING_TYPES = new Set(['LoadBalancer', 'NodePort']);

export interface Exposure {
  at: ValuesMap;
  /** `type: LoadBalancer`, `ingress enabled`… for messages. */
  how: string;
  node: Node;
}

/** Services of type LoadBalancer/NodePort and enabled ingresses, in switched-on sections. */
export function exposures(ctx: HelmContext): Exposure[] {
  const cached = exposureCache.get(ctx);
  if (cached) return cached;
  const out: Exposure[] = [];
  for (const m of sectionsWithKey(ctx.model, isServiceKey)) {
    const type = entryIn(m, 'type');
    const text = scalarText(type?.value);
    if (m.active && type?.value && text && EXPOSING_TYPES.has(text)) out.push({ at: m, how: `type: ${text}`, node: type.value });
  }
  for (const m of sectionsWithKey(ctx.model, INGRESS_KEY)) {
    const enabled = entryIn(m, 'enabled');
    if (m.active && isIngressMap(m) && enabled?.value && isTrue(enabled.value)) out.push({ at: m, how: 'an enabled ingress', node: enabled.value });
  }
  // `serviceType: LoadBalancer` beside the service's other settings (vault's `ui:`).
  for (const { at: m, entry } of entriesWithKey(ctx.model, 'serviceType')) {
    const st = scalarText(entry.value);
    if (m.active && entry.value && st && EXPOSING_TYPES.has(st)) out.push({ at: m, how: `serviceType: ${st}`, node: entry.value });
  }
  exposureCache.set(ctx, out);
  return out;
}

const exposureCache = new WeakMap<HelmContext, Exposure[]>();

export function isServiceKey(key: string): boolean {
  return key === 'service' || /^[a-z][A-Za-z]*Service$/.test(key);
}

/** `ingress:`, `ingressGrpc:`, `grpcIngress:`; not `ingressClass:` / `ingressClassResource:` (an IngressClass is no Ingress). */
export const INGRESS_KEY = /^(ingress|ingress(?!Class)[A-Z][a-z]+|[a-z][A-Za-z]*Ingress)$/;

/** `ingress:` sections (also `grpcIngress:`, `serverIngress:`), not the `ingress:` rules of a NetworkPolicy. */
export function isIngressMap(m: ValuesMap): boolean {
  if (!m.key || !INGRESS_KEY.test(m.key)) return false;
  if (m.path.some((p) => /networkpolic/i.test(p))) return false;
  return entryIn(m, 'enabled') !== undefined;
}

/** Whether `inner` lies within the subtree at `outer` (same document, path prefix). */
export function within(inner: ValuesMap, outer: ValuesMap): boolean {
  if (inner.document !== outer.document || inner.path.length < outer.path.length) return false;
  return outer.path.every((p, i) => inner.path[i] === p);
}

/** The first exposure within a section (a component's subtree, or the whole document). */
export function exposureWithin(ctx: HelmContext, scope: ValuesMap): Exposure | undefined {
  return exposures(ctx).find((e) => within(e.at, scope));
}

/** The document root's ValuesMap (the walk visits it first). */
export function rootOf(m: ValuesMap): ValuesMap {
  let r = m;
  while (r.parent) r = r.parent;
  return r;
}

/** A non-empty value: a non-empty collection, a non-empty string other than "none", true. */
export function isMeaningful(node: unknown): boolean {
  if (node === undefined || node === null) return false;
  if (isMap(node) || isSeq(node)) return node.items.length > 0;
  if (!isScalar(node)) return false;
  if (node.value === null || node.value === false) return false;
  if (isFalse(node)) return false;
  const text = scalarText(node)?.trim().toLowerCase();
  return text !== undefined && text !== '' && text !== 'none' && text !== '{}' && text !== '[]';
}
