// Volume mounts of a service, in both Compose syntaxes:
//   short: "./data:/var/lib/data:ro" | "data:/var/lib/data" | "/var/lib/data" (anonymous)
//   long:  { type: bind|volume|tmpfs|npipe|cluster, source: ./data, target: /var/lib/data, read_only: true }

import { isAlias, isMap, Node, YAMLSeq } from 'yaml';
import { scalarText } from '../yaml/nav';
import { Service } from './model';

export interface Mount {
  node: Node;
  syntax: 'short' | 'long';
  type: 'bind' | 'volume' | 'anonymous' | 'tmpfs' | 'other';
  source?: string;
  target?: string;
  /** Short syntax only: the `:ro`/`:rw,z` suffix, kept when the mount is rewritten. */
  mode?: string;
  /** The item is an alias (`- *data_mount`): its text lives in an anchor other services share. */
  shared?: boolean;
  /** Long syntax only: the `type:` and `source:` value nodes, the targets of minimal edits. */
  typeNode?: Node;
  sourceNode?: Node;
}

const DOCKER_SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock']);

export function isDockerSocket(m: Mount): boolean {
  return m.type === 'bind' && !!m.source && DOCKER_SOCKETS.has(m.source.replace(/\/+$/, ''));
}

/** A host path, as opposed to a named volume: `/…`, `./…`, `../…`, `~/…`, `.`, or a Windows drive. */
export function isHostPath(source: string): boolean {
  return /^(\/|\.\.?(\/|$)|~(\/|$)|[A-Za-z]:[\\/]|\$\{?PWD\}?)/.test(source);
}

export function mountsOf(s: Service): { seq: YAMLSeq | undefined; mounts: Mount[] } {
  const view = s.document.view;
  const seq = view.seq(view.get(s.map, 'volumes')?.value);
  const mounts: Mount[] = [];
  for (const raw of seq?.items ?? []) {
    const item = view.resolve(raw);
    if (!item) continue;
    const m = isMap(item) ? parseLong(s, item) : parseShort(item);
    if (m) mounts.push(isAlias(raw) ? { ...m, shared: true } : m);
  }
  return { seq, mounts };
}

function parseShort(node: Node): Mount | undefined {
  const text = scalarText(node);
  if (text === undefined) return undefined;
  // Windows drive letters contain a colon of their own ("C:\data:/data").
  const drive = /^[A-Za-z]:[\\/]/.test(text) ? text.slice(0, 2) : '';
  const parts = text.slice(drive.length).split(':');
  if (drive) parts[0] = drive + parts[0];
  if (parts.length === 1) return { node, syntax: 'short', type: 'anonymous', target: parts[0] };
  const [source, target, ...mode] = parts;
  return {
    node,
    syntax: 'short',
    type: isHostPath(source) ? 'bind' : 'volume',
    source,
    target,
    mode: mode.length ? mode.join(':') : undefined,
  };
}

function parseLong(s: Service, map: Node): Mount | undefined {
  const view = s.document.view;
  if (!isMap(map)) return undefined;
  const typeEntry = view.get(map, 'type');
  const sourceEntry = view.get(map, 'source');
  const type = scalarText(typeEntry?.value);
  const source = scalarText(sourceEntry?.value);
  const kind: Mount['type'] =
    type === 'bind' ? 'bind' : type === 'volume' ? (source ? 'volume' : 'anonymous') : type === 'tmpfs' ? 'tmpfs' : type ? 'other' : 'volume';
  return {
    node: map,
    syntax: 'long',
    type: kind,
    source,
    target: scalarText(view.get(map, 'target')?.value),
    typeNode: typeEntry?.value,
    sourceNode: sourceEntry?.value,
  };
}
