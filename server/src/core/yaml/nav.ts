// Read access to a parsed YAML document as the tools that consume it see it: aliases followed and
// `<<` merge keys applied, while every value keeps the node (and so the exact range) it came from.
// A finding about a merged value therefore points at the anchor's line, where the author must change it.

import { Document, isAlias, isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { Span } from '../types';
import { AnchorIndex, resolveNode } from './parse';

export interface Entry {
  key: string;
  keyNode: Node;
  /** The value with aliases followed; undefined for `key:` with nothing after it. */
  value: Node | undefined;
  pair: Pair;
  /** The map that physically holds the pair (differs from the viewed map for merged entries). */
  owner: YAMLMap;
  /**
   * True when the value is shared rather than written here: it comes from a `<<` merge, or the value is
   * an alias (`deploy: *defaults`). Fixes must not edit such values: the edit would land in the anchor
   * and change every other user of it.
   */
  inherited: boolean;
}

const MAX_MERGE_DEPTH = 16;

export class YamlView {
  constructor(
    readonly doc: Document,
    readonly text: string,
  ) {}

  private anchorIndex?: AnchorIndex;
  /** Entries of maps with merge keys, computed once per map: merges nest and are read many times. */
  private readonly mergedEntries = new WeakMap<YAMLMap, Entry[]>();

  resolve(node: unknown): Node | undefined {
    if (!isAlias(node)) return (node as Node | undefined) ?? undefined;
    this.anchorIndex ??= new AnchorIndex(this.doc);
    return resolveNode(node, this.anchorIndex);
  }

  map(node: unknown): YAMLMap | undefined {
    const n = this.resolve(node);
    return isMap(n) ? n : undefined;
  }

  seq(node: unknown): YAMLSeq | undefined {
    const n = this.resolve(node);
    return isSeq(n) ? n : undefined;
  }

  /** Entries of a map, merges applied (keys written in the map win over merged ones, as in YAML 1.1). */
  entries(map: YAMLMap | undefined): Entry[] {
    if (!map) return [];
    const cached = this.mergedEntries.get(map);
    if (cached) return cached.slice();
    const out: Entry[] = [];
    const seen = new Set<string>();
    this.collect(map, false, out, seen, 0, new Set());
    if (map.items.some((p) => isMergeKey(p.key))) this.mergedEntries.set(map, out.slice());
    return out;
  }

  /**
   * A map reached twice through merges (`<<: [*a, *a]`, or two merged maps that both merge a third)
   * adds nothing the second time, as every key it has is seen by then: `visited` keeps nested merge
   * bombs linear instead of exponential.
   */
  private collect(map: YAMLMap, inherited: boolean, out: Entry[], seen: Set<string>, depth: number, visited: Set<YAMLMap>): void {
    if (visited.has(map)) return;
    visited.add(map);
    const merges: Node[] = [];
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        merges.push(pair.value as Node);
        continue;
      }
      const key = keyText(pair.key);
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      out.push({ key, keyNode: pair.key as Node, value: this.resolve(pair.value), pair, owner: map, inherited: inherited || isAlias(pair.value) });
    }
    if (depth >= MAX_MERGE_DEPTH) return;
    for (const m of merges) {
      const target = this.resolve(m);
      if (isMap(target)) this.collect(target, true, out, seen, depth + 1, visited);
      else if (isSeq(target)) {
        for (const item of target.items) {
          const t = this.map(item);
          if (t) this.collect(t, true, out, seen, depth + 1, visited);
        }
      }
    }
  }

  get(map: YAMLMap | undefined, key: string): Entry | undefined {
    if (!map) return undefined;
    // Fast path: most maps have no merge key, and a linear scan beats building the entry list.
    let hasMerge = false;
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) hasMerge = true;
      else if (keyText(pair.key) === key) {
        return { key, keyNode: pair.key as Node, value: this.resolve(pair.value), pair, owner: map, inherited: isAlias(pair.value) };
      }
    }
    if (!hasMerge) return undefined;
    return this.entries(map).find((e) => e.key === key);
  }

  /**
   * The value at a key path, following maps only. The entry is `inherited` when any step of the path
   * came from a merge: then the value lives in a shared anchor, not in this map's own text.
   */
  at(map: YAMLMap | undefined, ...path: string[]): Entry | undefined {
    let current: YAMLMap | undefined = map;
    let entry: Entry | undefined;
    let inherited = false;
    for (const key of path) {
      entry = this.get(current, key);
      if (!entry) return undefined;
      inherited ||= entry.inherited;
      current = this.map(entry.value);
    }
    return entry && inherited && !entry.inherited ? { ...entry, inherited } : entry;
  }

  /** Items of a sequence with aliases followed. */
  items(seq: YAMLSeq | undefined): Node[] {
    if (!seq) return [];
    const out: Node[] = [];
    for (const item of seq.items) {
      const n = this.resolve(item);
      if (n) out.push(n);
    }
    return out;
  }
}

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN'));
}

/** A map key as text; complex keys (maps, sequences as keys) have none. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) {
    const v = key.value;
    if (typeof v === 'symbol') return undefined;
    return v === null ? '' : String(v);
  }
  return undefined;
}

/** A scalar's value as text ('80', 'true', 'nginx:1.25'), undefined for collections and nulls. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined || typeof v === 'symbol') return undefined;
  // Keep the author's spelling of numbers (`0755`, `1e3`), which String(number) would lose.
  if (typeof v === 'number' && node.source !== undefined && node.type === 'PLAIN') return node.source;
  return String(v);
}

export function isTrue(node: unknown): boolean {
  return isScalar(node) && (node.value === true || (typeof node.value === 'string' && /^(true|yes|on)$/i.test(node.value) && node.type === 'PLAIN'));
}

export function isFalse(node: unknown): boolean {
  return isScalar(node) && (node.value === false || (typeof node.value === 'string' && /^(false|no|off)$/i.test(node.value) && node.type === 'PLAIN'));
}

export function isEmptyCollection(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && node.items.length === 0;
}

export function isNullish(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}

/** The span a finding about this node should cover: the value itself, without trailing comments. */
export function spanOf(node: Node | undefined | null, fallback?: Node): Span {
  const n = node ?? fallback;
  if (!n?.range) return { start: 0, end: 0 };
  return { start: n.range[0], end: Math.max(n.range[0], n.range[1]) };
}

/** The span of a whole `key: value` pair on its first line, a good anchor for "missing X" findings. */
export function keySpan(entry: Entry): Span {
  return spanOf(entry.keyNode);
}

export function asScalar(node: unknown): Scalar | undefined {
  return isScalar(node) ? node : undefined;
}

export { isAlias };
