// Port publications of a service, in both Compose syntaxes:
//   short: 80 | "8080:80" | "127.0.0.1:8080:80" | "8000-8010:8000-8010/udp" | "${PORT:-80}:80"
//   long:  { target: 80, published: "8080", protocol: tcp, mode: ingress, host_ip: 127.0.0.1 }

import { isMap, isScalar, Node, YAMLSeq } from 'yaml';
import { scalarText } from '../yaml/nav';
import { Service } from './model';

export type PortRange = [number, number];

export interface Publication {
  node: Node;
  syntax: 'short' | 'long';
  target?: PortRange;
  published?: PortRange;
  hostIp?: string;
  protocol: string;
  /** Only reachable from the node itself (bound to a loopback address). */
  loopbackOnly: boolean;
  /** Part of the value is a `${VAR}` interpolation, so we cannot know it. */
  variable: boolean;
}

export function publicationsOf(s: Service): { seq: YAMLSeq | undefined; publications: Publication[] } {
  const view = s.document.view;
  const seq = view.seq(view.get(s.map, 'ports')?.value);
  const publications: Publication[] = [];
  for (const item of view.items(seq)) {
    const p = isMap(item) ? parseLong(s, item) : parseShort(item);
    if (p) publications.push(p);
  }
  return { seq, publications };
}

function parseRange(text: string | undefined): PortRange | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const lo = Number(m[1]);
  return [lo, m[2] ? Number(m[2]) : lo];
}

function parseShort(node: Node): Publication | undefined {
  const text = scalarText(node);
  if (text === undefined || !isScalar(node)) return undefined;
  const variable = text.includes('$');
  const [body, protocol = 'tcp'] = text.split('/');
  // IPv6 host addresses come in brackets: "[::1]:8080:80".
  let hostIp: string | undefined;
  let rest = body;
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(body);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  let published: string | undefined;
  let target: string;
  if (parts.length >= 3 && !hostIp) {
    hostIp = parts.slice(0, parts.length - 2).join(':');
    published = parts[parts.length - 2];
    target = parts[parts.length - 1];
  } else if (parts.length === 2) {
    published = parts[0];
    target = parts[1];
  } else target = parts[parts.length - 1];
  return {
    node,
    syntax: 'short',
    target: parseRange(target),
    // "80" alone publishes the container port on an ephemeral host port: still published.
    published: published === undefined || published === '' ? parseRange(target) : parseRange(published),
    hostIp,
    protocol,
    loopbackOnly: isLoopback(hostIp),
    variable,
  };
}

function parseLong(s: Service, map: Node): Publication | undefined {
  const view = s.document.view;
  if (!isMap(map)) return undefined;
  const target = scalarText(view.get(map, 'target')?.value);
  const published = scalarText(view.get(map, 'published')?.value);
  const hostIp = scalarText(view.get(map, 'host_ip')?.value);
  return {
    node: map,
    syntax: 'long',
    target: parseRange(target),
    published: parseRange(published ?? target),
    hostIp,
    protocol: scalarText(view.get(map, 'protocol')?.value) ?? 'tcp',
    loopbackOnly: isLoopback(hostIp),
    variable: `${target}${published}`.includes('$'),
  };
}

function isLoopback(ip: string | undefined): boolean {
  return !!ip && (/^127\./.test(ip) || ip === '::1' || ip === 'localhost');
}

export function inRange(range: PortRange | undefined, port: number): boolean {
  return !!range && range[0] <= port && port <= range[1];
}

/** Whether the publication serves `port`, on the container side or the published side. */
export function servesPort(p: Publication, port: number): boolean {
  return inRange(p.target, port) || inRange(p.published, port);
}

/**
 * Publications reachable from outside the host. A loopback host address keeps a port private under
 * `docker compose`, but `docker stack deploy` ignores host addresses and publishes on every node.
 */
export function publicPublications(s: Service, swarm: boolean): Publication[] {
  return publicationsOf(s).publications.filter((p) => (swarm || !p.loopbackOnly) && !p.variable && p.protocol !== 'udp');
}
