// Merging the files of an environment into one effective tree that keeps every value's own node.
//
// Merging works on a small intermediate tree (Merged): a value one file wrote and nothing changed is
// a Leaf that points at that file's node; only where two files meet is a MergedMap or MergedList
// built. `materialise` then turns it into YAML nodes: untouched values are the files' own nodes (so a
// value's range is where it is written, in virtual offsets), and new maps and sequences appear only
// where merging happened, taking the range and style of the last file's collection there (where an
// edit to the effective value belongs).
//
// What a file shares within itself stays visible as shared: a value that came to its place through a
// `<<` merge or an alias in its own file ends up, in a merged map, under a synthetic `<<` entry, so
// YamlView reports it `inherited` and YamlEditor declines to edit it (the edit would land in an anchor
// other places use).

import { isAlias, isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { scalarText } from '../yaml/nav';
import { EnvFile } from './virtual';
import { hasTag, isPlainNull, OVERRIDE_TAG, RESET_TAG } from './yaml';

/** Which file a value comes from, and its place in merge order (later layers win). */
export interface Source {
  file: EnvFile;
  layer: number;
}

/** A value as one file wrote it: `raw` is what the file holds there (a node or an alias), `node` resolved. */
export interface Leaf {
  kind: 'leaf';
  raw: unknown;
  node: Node | undefined;
  source: Source;
  /** It reached this place through a `<<` merge or an alias in its own file. */
  inherited: boolean;
}

export interface MapEntry {
  key: string;
  /** The key as the winning file wrote it; undefined for keys no file wrote (a subchart's place). */
  keyNode?: Node;
  pair?: Pair;
  /** The list item this entry came from, for collections written as lists or maps (`environment`). */
  item?: ListItem;
  value?: Merged;
  inherited: boolean;
}

export interface MergedMap {
  kind: 'map';
  entries: Map<string, MapEntry>;
  /** The last file's collection at this place: range and style of the result. */
  container?: Node;
  layer: number;
  inherited: boolean;
  /** Written as a list in the last file (`- KEY=value`): the result is a sequence. */
  listForm?: boolean;
}

export interface ListItem {
  raw: unknown;
  node: Node | undefined;
  source: Source;
  inherited: boolean;
}

export interface MergedList {
  kind: 'seq';
  items: ListItem[];
  container?: Node;
  inherited: boolean;
}

export type Merged = Leaf | MergedMap | MergedList;

/** The identity of a sequence item for merging (a port's host IP, ports and protocol; a mount's target). */
export type ItemKey = (node: Node, source: Source) => string | undefined;

export type Strategy =
  /** Maps merge key by key; sequences follow MergePolicy.sequences; anything else is replaced. */
  | { kind: 'default' }
  | { kind: 'replace' }
  /** A sequence whose items are unique by a key: a later item with a known key replaces the earlier in place. */
  | { kind: 'unique'; key: ItemKey }
  /**
   * A collection written as a list (`- KEY=value`, `- name`) or a map, merged by key. `nested`: the
   * values are maps that merge in turn (`networks`, `depends_on`); otherwise a later entry replaces.
   */
  | { kind: 'keyed'; key: ItemKey; entryKey?: (key: string, value: Node | undefined) => string; nested?: boolean }
  /** Compose `logging`: the options merge only when both files name the same driver (or one names none). */
  | { kind: 'logging' };

export interface MergePolicy {
  strategy(path: readonly string[]): Strategy;
  /** Sequences under the default strategy: Compose appends, Helm replaces. */
  sequences: 'append' | 'replace';
  /** A null written over a value: Helm deletes the key, Compose keeps the value beneath. */
  nullOverValue: 'delete' | 'keep';
  /** Compose's `!reset` (remove) and `!override` (replace) tags. */
  mergeTags: boolean;
  /** Whether a value must be walked even with nothing beneath it (it holds `!reset` values to drop). */
  expand?(leaf: Leaf): boolean;
}

export function leafOf(raw: unknown, source: Source, inherited = false): Leaf {
  return { kind: 'leaf', raw, node: source.file.view.resolve(raw), source, inherited: inherited || isAlias(raw) };
}

/** A file's whole document as a layer. */
export function rootLeaf(file: EnvFile, layer: number): Leaf | undefined {
  const contents = file.docs[0]?.contents;
  return contents ? leafOf(contents, { file, layer }) : undefined;
}

/** `value` placed at `path` (a subchart's defaults under its alias), as a value to merge at the root. */
export function placeAt(path: readonly string[], value: Merged, layer: number): Merged {
  let out = value;
  for (let i = path.length - 1; i >= 0; i--) {
    out = { kind: 'map', entries: new Map([[path[i], { key: path[i], value: out, inherited: false }]]), layer, inherited: false };
  }
  return out;
}

function isMapLike(m: Merged | undefined): boolean {
  return !!m && (m.kind === 'map' || (m.kind === 'leaf' && isMap(m.node)));
}

function isSeqLike(m: Merged | undefined): boolean {
  return !!m && (m.kind === 'seq' || (m.kind === 'leaf' && isSeq(m.node)));
}

function layerOf(m: Merged): number {
  return m.kind === 'leaf' ? m.source.layer : m.kind === 'map' ? m.layer : -1;
}

function containerOf(m: Merged): Node | undefined {
  return m.kind === 'leaf' ? m.node : m.container;
}

export function entriesOf(m: Merged | undefined): MapEntry[] {
  if (!m) return [];
  if (m.kind === 'map') return [...m.entries.values()];
  if (m.kind !== 'leaf' || !isMap(m.node)) return [];
  return m.source.file.view.entries(m.node).map((e) => {
    const inherited = m.inherited || e.inherited;
    return { key: e.key, keyNode: e.keyNode, pair: e.pair, value: leafOf(e.pair.value, m.source, inherited), inherited };
  });
}

export function itemsOf(m: Merged | undefined): ListItem[] {
  if (!m) return [];
  if (m.kind === 'seq') return m.items;
  if (m.kind !== 'leaf') return [];
  const { node, source } = m;
  if (isSeq(node)) {
    return node.items.map((raw) => ({ raw, node: source.file.view.resolve(raw), source, inherited: m.inherited || isAlias(raw) }));
  }
  // `dns: 8.8.8.8`: a single value where a list may stand.
  return isScalar(node) && node.value !== null ? [{ raw: m.raw, node, source, inherited: m.inherited }] : [];
}

/** The value at a key path of a merged tree. */
export function valueAt(m: Merged | undefined, path: readonly string[]): Merged | undefined {
  let current = m;
  for (const key of path) {
    if (!current) return undefined;
    if (current.kind === 'map') current = current.entries.get(key)?.value;
    else if (current.kind === 'leaf' && isMap(current.node)) {
      const entry = current.source.file.view.get(current.node, key);
      current = entry ? leafOf(entry.pair.value, current.source, current.inherited || entry.inherited) : undefined;
    } else return undefined;
  }
  return current;
}

export class Merger {
  constructor(private readonly policy: MergePolicy) {}

  /** `over` merged onto `base` at `path`; undefined when the result is no value (a reset or deleted key). */
  merge(base: Merged | undefined, over: Merged, path: readonly string[]): Merged | undefined {
    if (over.kind === 'leaf') {
      if (this.policy.mergeTags && hasTag(over.node, RESET_TAG)) return undefined;
      if (this.policy.mergeTags && hasTag(over.node, OVERRIDE_TAG)) return over;
      if (base !== undefined && isPlainNull(over.node)) return this.policy.nullOverValue === 'delete' ? undefined : base;
      if (base === undefined && !this.expands(over)) return over;
    }
    const strategy = this.policy.strategy(path);
    switch (strategy.kind) {
      case 'replace':
        return over;
      case 'unique':
        return isSeqLike(over) || (over.kind === 'leaf' && isScalar(over.node)) ? this.unique(base, over, strategy.key) : over;
      case 'keyed':
        return this.keyed(base, over, path, strategy);
      case 'logging':
        return isMapLike(over) && isMapLike(base) && sameDriver(base!, over) ? this.maps(base, over, path) : over;
      default:
        if (isMapLike(over)) return this.maps(isMapLike(base) ? base : undefined, over, path);
        if (isSeqLike(over) && this.policy.sequences === 'append') return this.list(isSeqLike(base) ? itemsOf(base) : [], over);
        return over;
    }
  }

  private expands(leaf: Leaf): boolean {
    return (isMap(leaf.node) || isSeq(leaf.node)) && !!this.policy.expand?.(leaf);
  }

  private maps(base: Merged | undefined, over: Merged, path: readonly string[]): MergedMap {
    const entries = new Map<string, MapEntry>();
    for (const e of entriesOf(base)) entries.set(e.key, e);
    for (const e of entriesOf(over)) {
      const prev = entries.get(e.key);
      const value = e.value && this.merge(prev?.value, e.value, [...path, e.key]);
      if (!value) entries.delete(e.key);
      else entries.set(e.key, value === prev?.value ? prev : { ...e, keyNode: e.keyNode ?? prev?.keyNode, value });
    }
    return { kind: 'map', entries, container: containerOf(over), layer: layerOf(over), inherited: over.inherited };
  }

  private live(m: Merged): ListItem[] {
    return itemsOf(m).filter((i) => !(this.policy.mergeTags && hasTag(i.node, RESET_TAG)));
  }

  private list(items: ListItem[], over: Merged): MergedList {
    return { kind: 'seq', items: [...items, ...this.live(over)], container: containerOf(over), inherited: over.inherited };
  }

  private unique(base: Merged | undefined, over: Merged, key: ItemKey): MergedList {
    const items: ListItem[] = [];
    const at = new Map<string, number>();
    for (const item of [...(base ? this.live(base) : []), ...this.live(over)]) {
      const k = item.node && key(item.node, item.source);
      const i = k === undefined ? undefined : at.get(k);
      if (i !== undefined) items[i] = item;
      else {
        if (k !== undefined) at.set(k, items.length);
        items.push(item);
      }
    }
    return { kind: 'seq', items, container: containerOf(over), inherited: over.inherited };
  }

  private keyed(base: Merged | undefined, over: Merged, path: readonly string[], strategy: Extract<Strategy, { kind: 'keyed' }>): MergedMap {
    const entries = new Map<string, MapEntry>();
    let anonymous = 0;
    const entriesFrom = (m: Merged | undefined): MapEntry[] => {
      if (!m) return [];
      // An earlier merge's result is keyed already; a file's map is keyed here.
      if (m.kind === 'map') return entriesOf(m);
      if (isMapLike(m)) {
        return entriesOf(m).map((e) => {
          const node = e.value?.kind === 'leaf' ? e.value.node : undefined;
          return strategy.entryKey ? { ...e, key: strategy.entryKey(e.key, node) } : e;
        });
      }
      return this.live(m).map((item) => ({ key: (item.node && strategy.key(item.node, item.source)) ?? `\0${anonymous++}`, item, inherited: item.inherited }));
    };
    for (const e of entriesFrom(base)) entries.set(e.key, e);
    for (const e of entriesFrom(over)) {
      const prev = entries.get(e.key);
      if (this.policy.mergeTags && e.value?.kind === 'leaf' && hasTag(e.value.node, RESET_TAG)) entries.delete(e.key);
      else if (!prev) entries.set(e.key, e);
      else if (!strategy.nested) entries.set(e.key, e);
      // `- front` over `front: {aliases: …}`: the name alone changes nothing.
      else if (!e.value || isPlainNull(e.value.kind === 'leaf' ? e.value.node : undefined)) continue;
      else if (!prev.value) entries.set(e.key, e);
      else {
        const value = this.merge(prev.value, e.value, [...path, prev.key]);
        if (!value) entries.delete(e.key);
        else entries.set(e.key, { ...e, keyNode: e.keyNode ?? prev.keyNode, value });
      }
    }
    // A list can only name networks and dependencies; once one carries settings the result is a map.
    const needsMap = strategy.nested && [...entries.values()].some((e) => e.value && !isPlainNull(e.value.kind === 'leaf' ? e.value.node : undefined));
    // Entries keyed by more than their name (a host and its address) may repeat a name: only a list holds them.
    const listForm = !!strategy.entryKey || (!isMapLike(over) && !needsMap);
    return { kind: 'map', entries, container: containerOf(over), layer: layerOf(over), inherited: over.inherited, listForm };
  }
}

function sameDriver(base: Merged, over: Merged): boolean {
  const driver = (m: Merged) => {
    const v = entriesOf(m).find((e) => e.key === 'driver')?.value;
    return v?.kind === 'leaf' ? scalarText(v.node) : undefined;
  };
  const a = driver(base);
  const b = driver(over);
  return a === undefined || b === undefined || a === b;
}

// ---------------------------------------------------------------------------------------------------
// From the merged tree to YAML nodes

const synthetic = new WeakSet<object>();

/**
 * Nodes no file wrote as such: the `<<` entries that hold shared values, the key a subchart's defaults
 * sit under, and list items shown as map entries (or the reverse) when two files wrote a collection
 * in different forms. Their ranges, where they have one, cover the text they stand for; a fix must
 * not be built on them.
 */
export function isSynthetic(node: unknown): boolean {
  return !!node && typeof node === 'object' && synthetic.has(node);
}

function syntheticScalar(value: string | null, range?: [number, number, number]): Scalar {
  const s = new Scalar(value);
  if (range) s.range = range;
  synthetic.add(s);
  return s;
}

/** Turns a merged tree into YAML nodes over the virtual text (needed to split `KEY=value` items). */
export class Materialiser {
  constructor(private readonly text: string) {}

  node(m: Merged): unknown {
    if (m.kind === 'leaf') return m.raw;
    if (m.kind === 'seq') return this.collection(new YAMLSeq(), m.container, m.items.map((i) => i.raw));
    if (m.listForm) return this.collection(new YAMLSeq(), m.container, [...m.entries.values()].map((e) => e.item?.raw ?? this.itemOfEntry(e)));
    const direct: Pair[] = [];
    const shared: Pair[] = [];
    // The last file's own keys first: YamlEditor takes a map's indentation from its first key.
    const entries = [...m.entries.values()];
    const own = entries.filter((e) => this.layerOfEntry(e) === m.layer);
    for (const e of own.length && own.length < entries.length ? [...own, ...entries.filter((e) => !own.includes(e))] : entries) {
      (e.inherited ? shared : direct).push(this.pairOf(e));
    }
    if (shared.length) {
      const source = new YAMLMap();
      source.items = shared;
      synthetic.add(source);
      const mergeKey = syntheticScalar('<<');
      mergeKey.type = 'PLAIN';
      direct.push(new Pair(mergeKey, source));
    }
    return this.collection(new YAMLMap(), m.container, direct);
  }

  private layerOfEntry(e: MapEntry): number {
    const v = e.value;
    return v ? layerOf(v) : (e.item?.source.layer ?? -1);
  }

  private collection<T extends YAMLMap | YAMLSeq>(out: T, container: Node | undefined, items: unknown[]): T {
    out.items = items as never;
    if (container?.range) out.range = container.range;
    if (isMap(container) || isSeq(container)) out.flow = container.flow;
    return out;
  }

  private pairOf(e: MapEntry): Pair {
    if (e.item) return this.pairOfItem(e);
    const value = e.value!;
    if (e.pair && value.kind === 'leaf' && value.raw === e.pair.value && e.pair.key === e.keyNode) return e.pair;
    return new Pair(e.keyNode ?? syntheticScalar(e.key), this.node(value));
  }

  /** `- KEY=value` as `KEY: value`: key and value cover their parts of the item's text. */
  private pairOfItem(e: MapEntry): Pair {
    const item = e.item!;
    const text = isScalar(item.node) ? (scalarText(item.node) ?? '') : '';
    const range = item.node?.range;
    const eq = text.indexOf('=');
    const name = eq === -1 ? text : text.slice(0, eq);
    if (!range) return new Pair(syntheticScalar(name), syntheticScalar(eq === -1 ? null : text.slice(eq + 1)));
    const written = this.text.slice(range[0], range[1]);
    const at = written.indexOf(name + (eq === -1 ? '' : '='));
    const keyStart = at === -1 ? range[0] : range[0] + at;
    const keyEnd = at === -1 ? range[1] : keyStart + name.length;
    const quoted = item.node && isScalar(item.node) && item.node.type !== 'PLAIN' ? 1 : 0;
    const valueStart = at === -1 || eq === -1 ? range[1] : keyEnd + 1;
    const valueEnd = Math.max(valueStart, range[1] - quoted);
    return new Pair(
      syntheticScalar(name, [keyStart, keyEnd, keyEnd]),
      syntheticScalar(eq === -1 ? null : text.slice(eq + 1), [valueStart, valueEnd, valueEnd]),
    );
  }

  /** `KEY: value` as `- KEY=value`, covering the pair's text. */
  private itemOfEntry(e: MapEntry): Scalar {
    const value = e.value?.kind === 'leaf' ? e.value.node : undefined;
    const text = scalarText(value);
    const start = e.keyNode?.range?.[0];
    const end = value?.range?.[1] ?? e.keyNode?.range?.[1];
    const name = e.pair ? (scalarText(e.pair.key) ?? e.key) : e.key;
    return syntheticScalar(text === undefined ? name : `${name}=${text}`, start === undefined || end === undefined ? undefined : [start, end, end]);
  }
}
