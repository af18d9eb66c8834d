// Where a chart exposes something outside the cluster: services of type LoadBalancer or NodePort, and
// enabled ingresses.

import { Node } from 'yaml';
import { isTrue, scalarText } from '../yaml/nav';
import { entriesWithKey, entryIn, sectionsWithKey, ValuesMap } from './components';
import { HelmContext } from './model';
import { intValue, isMeaningful } from './values';

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

/** What an Ingress resource is configured with, beside its `enabled` switch. */
const INGRESS_SHAPE = ['hosts', 'hostname', 'host', 'extraHosts', 'paths', 'path', 'rules', 'tls', 'extraTls', 'className', 'ingressClassName', 'annotations'];

/**
 * `ingress:` sections (also `grpcIngress:`, `serverIngress:`) shaped like an Ingress resource: an
 * `enabled` switch and hosts, paths, tls, a class name or annotations. Not the `ingress:` rules of a
 * NetworkPolicy, an ingress controller's own container (`ingressController:` with its image), nor a
 * provider switch (Traefik's `providers.kubernetesIngress`) that only tells a proxy to read Ingresses.
 */
export function isIngressMap(m: ValuesMap): boolean {
  if (!m.key || !INGRESS_KEY.test(m.key)) return false;
  if (m.path.some((p) => /networkpolic/i.test(p))) return false;
  if (entryIn(m, 'enabled') === undefined || m.component?.at === m) return false;
  return INGRESS_SHAPE.some((key) => entryIn(m, key) !== undefined);
}

/** Whether `inner` lies within the subtree at `outer` (same document, path prefix). */
function within(inner: ValuesMap, outer: ValuesMap): boolean {
  if (inner.document !== outer.document || inner.path.length < outer.path.length) return false;
  return outer.path.every((p, i) => inner.path[i] === p);
}

/** The first exposure within a section (a component's subtree, or the whole document). */
export function exposureWithin(ctx: HelmContext, scope: ValuesMap): Exposure | undefined {
  return exposures(ctx).find((e) => within(e.at, scope));
}

/** A port a service section publishes, and the node that writes it. */
export interface ServicePort {
  port: number;
  node: Node;
}

/** Keys of a service section that hold numbers other than the ports it publishes. */
const NOT_PUBLISHED = /^(nodePorts?|targetPorts?|containerPorts?|healthCheckNodePort)$|timeout|seconds|weight|replica|ttl/i;

/**
 * The ports a service section publishes: `port: 5432`, `ports: {postgresql: 5432}`, `ports: [{port: 80}]`,
 * and EMQX-style `mqtt: 1883` / `httpPort: 8080` beside the type. Node ports and target ports are not
 * what the service publishes.
 */
export function servicePorts(m: ValuesMap): ServicePort[] {
  const view = m.document.view;
  const out: ServicePort[] = [];
  const add = (node: unknown) => {
    const port = intValue(node);
    if (port !== undefined && port > 0 && port < 65536) out.push({ port, node: node as Node });
  };
  for (const e of m.entries) {
    if (NOT_PUBLISHED.test(e.key) || !e.value) continue;
    if (e.key === 'ports' || e.key === 'extraPorts') {
      const map = view.map(e.value);
      if (map) for (const p of view.entries(map)) if (!NOT_PUBLISHED.test(p.key)) add(p.value);
      for (const item of view.items(view.seq(e.value))) {
        const entry = view.map(item);
        add(entry ? view.get(entry, 'port')?.value : item);
      }
    } else add(e.value);
  }
  return out;
}

/** How a service section reaches outside the cluster: its type (LoadBalancer/NodePort), or `externalIPs`. */
export function serviceExposure(m: ValuesMap): { type?: string; typeNode?: Node; externalIPs?: Node } {
  const type = entryIn(m, 'type') ?? entryIn(m, 'serviceType');
  const text = scalarText(type?.value);
  const external = entryIn(m, 'externalIPs')?.value;
  return {
    type: text && EXPOSING_TYPES.has(text) ? text : undefined,
    typeNode: text && EXPOSING_TYPES.has(text) ? type?.value : undefined,
    externalIPs: external && isMeaningful(external) ? external : undefined,
  };
}

/** Switched-on service sections (`service:`, `adminService:`, …) with a type or external IPs that reach outside the cluster. */
export function exposedServices(ctx: HelmContext): { at: ValuesMap; type?: string; typeNode?: Node; externalIPs?: Node }[] {
  return sectionsWithKey(ctx.model, isServiceKey)
    .filter((m) => m.active)
    .map((m) => ({ at: m, ...serviceExposure(m) }))
    .filter((s) => s.type || s.externalIPs);
}

/** A cloud load balancer annotated as internal (AWS, GCP, Azure, …) or limited to source ranges: not public. */
export function internalLoadBalancer(m: ValuesMap): boolean {
  if (isMeaningful(entryIn(m, 'loadBalancerSourceRanges')?.value)) return true;
  const view = m.document.view;
  const annotations = view.map(entryIn(m, 'annotations')?.value);
  return view.entries(annotations).some((e) => /internal|load-balancer-type|scheme/i.test(e.key) && /^(true|internal)$/i.test(scalarText(e.value)?.trim() ?? ''));
}
