// Where a finding on the effective document belongs: which file wrote the value, which key path it
// sits at, and — for a value production inherits from a shared file — the place in the production
// overlay where the fix goes (the deepest key of that path the overlay already has).

import { isMap, isSeq, Node } from 'yaml';
import { Span } from '../types';
import { Entry, spanOf } from '../yaml/nav';
import { Environment } from './model';
import { EnvFile } from './virtual';

export type KeyPath = (string | number)[];

const pathIndexes = new WeakMap<Environment, Map<string, KeyPath>>();

/**
 * The key path of the value or key whose range is `span` in the effective document (the spans rules
 * report are nodes' ranges), e.g. `['services', 'db', 'ports', 0]`; undefined for any other span.
 */
export function pathAt(env: Environment, span: Span): KeyPath | undefined {
  let index = pathIndexes.get(env);
  if (!index) pathIndexes.set(env, (index = indexPaths(env)));
  return index.get(`${span.start}:${span.end}`);
}

function indexPaths(env: Environment): Map<string, KeyPath> {
  const index = new Map<string, KeyPath>();
  const record = (node: Node | undefined, path: KeyPath) => {
    if (!node?.range) return;
    const s = spanOf(node);
    const key = `${s.start}:${s.end}`;
    if (!index.has(key)) index.set(key, path);
  };
  // A shared node (an anchor merged into many places) is walked once, at its first place.
  const seen = new Set<Node>();
  const stack: { node: Node | undefined; path: KeyPath }[] = [{ node: env.root, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (!node || seen.has(node)) continue;
    seen.add(node);
    record(node, path);
    if (isMap(node)) {
      for (const e of env.view.entries(node)) {
        record(e.keyNode, [...path, e.key]);
        stack.push({ node: e.value, path: [...path, e.key] });
      }
    } else if (isSeq(node)) env.view.items(node).forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
  }
  return index;
}

/** The file a span of the effective document lies in, and the span in that file's own offsets. */
export function originOf(env: Environment, span: Span): { file: EnvFile; span: Span } | undefined {
  return env.spans.toFile(span);
}

export interface OverlayPlace {
  /** The deepest key of the path the file has (undefined: none, the finding goes on its first line). */
  entry?: Entry;
  /** Virtual span to report on: that key, or the file's first line. */
  span: Span;
  /** The keys below it the fix has to create (`ensurePath` on the file's own editor). */
  missing: KeyPath;
}

/**
 * Where a value at `path` is reported in `file` (the production overlay) when the file does not set
 * it: at the nearest key of the path that exists there, else on the file's first line.
 */
export function placeIn(file: EnvFile, path: KeyPath): OverlayPlace {
  let map = file.root;
  let entry: Entry | undefined;
  let depth = 0;
  for (const key of path) {
    if (typeof key !== 'string' || !map) break;
    const next = file.view.get(map, key);
    if (!next) break;
    entry = next;
    depth++;
    map = file.view.map(next.value);
  }
  const lineEnd = file.text.indexOf('\n');
  const firstLine = { start: file.start, end: file.start + (lineEnd === -1 ? file.text.length : lineEnd) };
  return { entry, span: entry ? spanOf(entry.keyNode) : firstLine, missing: path.slice(depth) };
}
