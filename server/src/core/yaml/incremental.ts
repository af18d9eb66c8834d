// Incremental parsing of big single-document YAML files (150k-line stack files, 50k-line Helm values).
//
// The text is cut into chunks at top-level keys (`services:`, `volumes:`) and, inside a top-level key
// whose value is a block map, at that map's keys (each service its own chunk). Chunks are cached by
// their exact text, so after an edit only the chunk that changed is parsed again; the others are
// reused, their node ranges moved to where the chunk now starts. The chunks' pairs are then put into
// synthetic maps that give every consumer (YamlView, AnchorIndex, YamlEditor) the same answers as the
// full parse would. The first version (or one where most chunks changed) is parsed whole, as before,
// and its tree is cut into chunks for the next version to reuse.
//
// Whenever cutting the text could change what it means (document markers, directives, a top level
// that is not a block map, tabs in indentation, BOMs, any error in a chunk, a chunk that is not
// exactly one `key: value`, a key repeated across chunks) the whole text is parsed instead, which is
// also what reports the problem to the user.

import { Document, isMap, isScalar, Node, Pair, parseAllDocuments, YAMLMap, YAMLWarning } from 'yaml';
import { AnalysisCache } from '../types';
import { forEachNode } from './walk';

export type YamlParseOptions = NonNullable<Parameters<typeof parseAllDocuments>[1]>;

export interface IncrementalOptions {
  /**
   * Texts with fewer lines are always parsed whole. Measured on generated stack files: a re-parse
   * after an edit costs 2-4 ms at any size, a full parse about 10 µs a line; below 1,000 lines the
   * full parse takes ~10-15 ms, too little to be worth a second code path.
   */
  minLines: number;
  /**
   * When more chunks than this (and more than half of them) are not in the cache, the text is parsed
   * whole and the cache filled from that tree: parsing thousands of chunks one by one costs more than
   * one full parse. Tests set 0 (always) or Infinity (never) to cover both ways of filling the cache.
   */
  wholeParseAbove: number;
}

export const DEFAULT_INCREMENTAL_OPTIONS: IncrementalOptions = { minLines: 1000, wholeParseAbove: 16 };

/** What the last parseYaml call with a cache did; for tests and benchmarks. */
export interface IncrementalStats {
  /** The result was assembled from chunks. */
  chunked: boolean;
  /** Why it was not: the text was parsed whole (by the caller, or here to fill the cache). */
  fallback?: string;
  parsedChunks: number;
  reusedChunks: number;
}

const CACHE_KEY = 'yaml.chunks';

/** A cache for parseYaml/analyze with non-default incremental settings (tests force chunking on small texts). */
export function newYamlCache(options: Partial<IncrementalOptions> = {}): AnalysisCache {
  const state = new ChunkState({ ...DEFAULT_INCREMENTAL_OPTIONS, ...options });
  return { [CACHE_KEY]: state };
}

export function incrementalStats(cache: AnalysisCache): IncrementalStats | undefined {
  const state = cache[CACHE_KEY];
  return state instanceof ChunkState ? state.stats : undefined;
}

/**
 * The text's documents, assembled from cached and freshly parsed chunks (or parsed whole to fill the
 * cache), or undefined when the caller must parse the whole text (small text, or chunking could change
 * its meaning).
 *
 * The nodes of reused chunks are shared with the previous result and their ranges are moved in place:
 * a result is valid until the next call with the same cache.
 */
export function parseIncrementally(text: string, cache: AnalysisCache, options: YamlParseOptions): Document.Parsed[] | undefined {
  let state = cache[CACHE_KEY];
  if (!(state instanceof ChunkState)) {
    state = new ChunkState(DEFAULT_INCREMENTAL_OPTIONS);
    cache[CACHE_KEY] = state;
  }
  try {
    return (state as ChunkState).parse(text, options);
  } catch (e) {
    // A bug here must cost speed, never the analysis: start over with an empty cache, parse whole.
    const fresh = new ChunkState((state as ChunkState).options);
    fresh.stats = { chunked: false, fallback: `internal error: ${(e as Error)?.message ?? e}`, parsedChunks: 0, reusedChunks: 0 };
    cache[CACHE_KEY] = fresh;
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Cutting the text

/** One top-level key with everything up to the next one. */
interface Block {
  /** The first block also holds the comments and blank lines before the first key. */
  start: number;
  keyStart: number;
  end: number;
  /** Starts of the second-level keys when the block is split (the first one ends the header). */
  subStarts?: number[];
  /** Indentation of the second-level keys. */
  indent: number;
}

interface Layout {
  blocks: Block[];
}

const enum Ch {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Hash = 35,
  Dash = 45,
  Dot = 46,
  Percent = 37,
}

// Characters that cannot start an implicit key written at the start of a line (indicators, flow
// punctuation, properties). Quotes can, and are allowed.
const NOT_KEY_START = new Set([...' \t\r\n#-[]{},?:|>&*!%@`'].map((c) => c.charCodeAt(0)));

/** `services:` / `"x-defaults":  # comment`: a key line with no value on it. */
const BARE_KEY_LINE = /^((?:[^\s#'"[\]{},?:|>&*!%@`-][^#]*?)|"[^"\\\n]*"|'[^'\n]*')[ \t]*:[ \t]*(?:#.*)?\r?$/;

/** Cuts the text, or says why it must not be cut. */
function layoutOf(text: string, minLines: number): Layout | string {
  if (text.includes('\uFEFF')) return 'byte order mark';
  // A lone CR is a line break to YAML but not to the line scan below.
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return 'carriage return without line feed';
  const blocks: Block[] = [];
  let lines = 0;
  let current: Block | undefined;
  // Second-level cutting of the current block: whether it is still possible, and whether the first
  // content line after the key (which sets the indentation of the keys to cut at) has been seen.
  let firstSeen = false;
  let splittable = false;

  const closeBlock = (end: number): void => {
    if (!current) return;
    current.end = end;
    if (!splittable || !current.subStarts?.length) current.subStarts = undefined;
    blocks.push(current);
  };

  for (let start = 0; start < text.length;) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    lines++;
    let i = start;
    while (i < nl && text.charCodeAt(i) === Ch.Space) i++;
    const indent = i - start;
    let c = i < nl ? text.charCodeAt(i) : Ch.LF;
    if (c === Ch.Tab) {
      // Tabs are not indentation in YAML; where they meet, column arithmetic could cut a value in two.
      let j = i;
      while (j < nl && (text.charCodeAt(j) === Ch.Tab || text.charCodeAt(j) === Ch.Space)) j++;
      if (j < nl && text.charCodeAt(j) !== Ch.CR) return 'tab in indentation';
      c = Ch.LF;
    }
    const blank = c === Ch.LF || c === Ch.CR;
    if (!blank && c !== Ch.Hash) {
      if (indent === 0) {
        if (c === Ch.Percent) return 'directive';
        if ((c === Ch.Dash || c === Ch.Dot) && text.startsWith(c === Ch.Dash ? '---' : '...', i)) return 'document marker';
        if (!NOT_KEY_START.has(c)) {
          closeBlock(start);
          current = { start: current ? start : 0, keyStart: start, end: text.length, indent: 0 };
          firstSeen = false;
          // Only `key:` alone on its line can head a split block; `: ` inside the key means it is not one.
          const bare = BARE_KEY_LINE.exec(text.slice(start, nl));
          splittable = bare !== null && !/:\s/.test(bare[1]);
        } else if (!current) return 'top level is not a block map';
        else splittable = false;
      } else if (!current) return 'top level is not a block map';
      else if (splittable) {
        const keyStart = !NOT_KEY_START.has(c);
        if (!firstSeen) {
          firstSeen = true;
          current.indent = indent;
          if (keyStart) current.subStarts = [start];
          else splittable = false;
        } else if (indent < current.indent || (indent === current.indent && !keyStart)) splittable = false;
        else if (indent === current.indent) current.subStarts!.push(start);
      }
    }
    start = nl + 1;
  }
  closeBlock(text.length);
  if (lines < minLines) return 'small text';
  if (blocks.length === 0) return 'no top-level keys';
  return { blocks };
}

// ---------------------------------------------------------------------------------------------------
// Chunks and their cache

type Range = [number, number, number];

// A chunk is parsed in the surroundings it has in the file, recreated: a second-level chunk under a
// parent key, and any chunk followed by a key at the indentation of the line that follows it. How a
// node at the end of a chunk ends (an empty value's range runs to the next key's first character, the
// last map of a block closes where the next line dedents) depends on what follows, so without these
// the ranges of the last nodes of a chunk would differ from the full parse's.
const PARENT_KEY = '_prodready_parent_';
const NEXT_KEY = '_prodready_next_';
const PARENT_LINE = `${PARENT_KEY}:\n`;

interface Chunk {
  /** False when the chunk's parse had errors or was not exactly one `key: value` pair of a block map. */
  ok: boolean;
  pair?: Pair;
  /** Offset of the key within the chunk: the indentation (and, for the first chunk, the leading comments). */
  keyOffset: number;
  /** The pair is `key:` with nothing after it, so the chunk can head a split block. */
  bareKey: boolean;
  /**
   * Ranges of the map holding the pair, the top-level map and the document, as parsed in context.
   * Only the parts a chunk's place decides are read: the start of the first chunk's document, the
   * end of a split block's map from its last chunk, the ends of the top-level map and the document
   * from the last chunk (places that the context key keeps apart).
   */
  inner?: Range;
  outer?: Range;
  doc?: Range;
  warnings: YAMLWarning[];
  /** Where in the text the chunk starts as far as its ranges know (moveChunk updates them together). */
  base: number;
  /** Every range array of the chunk's nodes, collected on the first move. */
  ranges?: number[][];
  /** The parse call that last placed this chunk (one chunk object serves one place per version). */
  stamp: number;
}

/** One chunk of this version: where it is, what it must hold and in which surroundings it is parsed. */
interface Spec {
  start: number;
  end: number;
  role: 'pair' | 'header' | 'sub';
  block: number;
  /** A second-level chunk's place in its block. */
  index: number;
  keyOffset: number;
  /** The key line appended for the parse ('' at the end of the text). */
  next: string;
  /** role + next: chunks are only reused in the same surroundings. */
  contextKey: string;
}

function specsOf(text: string, layout: Layout): Spec[] {
  const specs: Spec[] = [];
  const add = (start: number, end: number, role: Spec['role'], block: number, keyOffset: number, next: string, index = -1): void => {
    specs.push({ start, end, role, block, index, keyOffset, next, contextKey: role[0] + next });
  };
  layout.blocks.forEach((b, i) => {
    const after = contextAfter(text, b.end, 0);
    const subStarts = b.subStarts;
    if (!subStarts) return add(b.start, b.end, 'pair', i, b.keyStart - b.start, after);
    // The header only contributes its key, which nothing after it can change.
    add(b.start, subStarts[0], 'header', i, b.keyStart - b.start, '');
    subStarts.forEach((s, j) => {
      const end = subStarts[j + 1] ?? b.end;
      add(s, end, 'sub', i, b.indent, j + 1 < subStarts.length ? contextAfter(text, end, b.indent) : after, j);
    });
  });
  return specs;
}

function contextAfter(text: string, nextStart: number, indent: number): string {
  if (nextStart >= text.length) return '';
  const c = text[nextStart + indent];
  const key = c === '"' || c === "'" ? `${c}${NEXT_KEY}${c}` : NEXT_KEY;
  return `${' '.repeat(indent)}${key}:`;
}

class ChunkState {
  /** Context key → chunk text → chunks (the same text can occur twice in one version). */
  private chunks = new Map<string, Map<string, Chunk[]>>();
  private stampCounter = 0;
  stats: IncrementalStats = { chunked: false, parsedChunks: 0, reusedChunks: 0 };

  constructor(readonly options: IncrementalOptions) {}

  parse(text: string, parseOptions: YamlParseOptions): Document.Parsed[] | undefined {
    const layout = layoutOf(text, this.options.minLines);
    if (typeof layout === 'string') {
      this.stats = { chunked: false, fallback: layout, parsedChunks: 0, reusedChunks: 0 };
      return undefined;
    }
    const specs = specsOf(text, layout);
    const texts = specs.map((s) => text.slice(s.start, s.end));
    const stamp = ++this.stampCounter;
    const found = specs.map((s, i) => {
      const chunk = this.chunks
        .get(s.contextKey)
        ?.get(texts[i])
        ?.find((c) => c.stamp !== stamp);
      if (chunk) chunk.stamp = stamp;
      return chunk;
    });
    const misses = found.filter((c) => !c).length;
    const reused = specs.length - misses;
    const next = new Map<string, Map<string, Chunk[]>>();
    const keep = (spec: Spec, chunkText: string, chunk: Chunk): void => {
      let byText = next.get(spec.contextKey);
      if (!byText) next.set(spec.contextKey, (byText = new Map()));
      const list = byText.get(chunkText);
      if (list) list.push(chunk);
      else byText.set(chunkText, [chunk]);
    };

    if (misses > this.options.wholeParseAbove && misses * 2 > specs.length) {
      const docs = parseAll(text, parseOptions);
      const cut = cutTree(docs, layout, specs);
      // A tree that cannot be cut (it has errors) leaves the chunks this version still has.
      specs.forEach((s, i) => {
        const chunk = cut?.[i] ?? found[i];
        if (chunk) keep(s, texts[i], chunk);
      });
      this.chunks = next;
      this.stats = { chunked: false, fallback: 'most chunks changed: parsed whole', parsedChunks: 0, reusedChunks: reused };
      return docs;
    }

    let failure: string | undefined;
    let parsed = 0;
    specs.forEach((s, i) => {
      let chunk = found[i];
      if (!chunk) {
        // After a failure the rest are only looked up: the whole text gets parsed anyway.
        if (failure !== undefined) return;
        chunk = parseChunk(texts[i], s, parseOptions);
        chunk.stamp = stamp;
        found[i] = chunk;
        parsed++;
      }
      keep(s, texts[i], chunk);
      if (failure !== undefined) return;
      if (!chunk.ok) failure = 'chunk does not parse on its own';
      else if (chunk.keyOffset !== s.keyOffset) failure = 'chunk key not where expected';
      else if (s.role === 'header' && !chunk.bareKey) failure = 'split key has a value';
    });
    this.chunks = next;
    const chunks = found as Chunk[];
    if (failure === undefined && hasDuplicateKeys(specs, chunks)) failure = 'key repeated across chunks';
    this.stats = { chunked: failure === undefined, fallback: failure, parsedChunks: parsed, reusedChunks: reused };
    if (failure !== undefined) return undefined;

    specs.forEach((s, i) => moveChunk(chunks[i], s.start));
    return [assemble(specs, chunks, parseOptions)];
  }
}

/**
 * parseAllDocuments without stack traces: the parser makes an Error object for every syntax problem, and
 * capturing a stack for each one dominated damaged files (a 500 KB file with an error on every line: 50 s
 * with stacks, 10 s without; a 1 MB line of `&a `: half the time and memory). Nothing reads those stacks.
 */
export function parseAll(text: string, options: YamlParseOptions): Document.Parsed[] {
  // A V8 setting the core's library types leave out.
  const errors = Error as { stackTraceLimit?: number };
  const limit = errors.stackTraceLimit;
  errors.stackTraceLimit = 0;
  try {
    const parsed = parseAllDocuments(text, options);
    // An empty stream comes back as a non-array "EmptyStream" object.
    return Array.isArray(parsed) ? parsed : [];
  } finally {
    errors.stackTraceLimit = limit;
  }
}

/** The document the full parse would give, from chunks already moved into place. */
function assemble(specs: Spec[], chunks: Chunk[], options: YamlParseOptions): Document.Parsed {
  const doc = new Document(undefined, options);
  const root = new YAMLMap(doc.schema);
  let split: YAMLMap | undefined;
  specs.forEach((s, i) => {
    const chunk = chunks[i];
    if (s.role === 'pair') root.items.push(chunk.pair!);
    else if (s.role === 'header') {
      split = new YAMLMap(doc.schema);
      root.items.push(new Pair(chunk.pair!.key, split));
    } else {
      if (split!.items.length === 0) split!.range = [chunk.inner![0], 0, 0];
      split!.items.push(chunk.pair!);
      // Until the next chunk comes, this one is the last of its block, which then ends where it does.
      split!.range![1] = chunk.inner![1];
      split!.range![2] = chunk.inner![2];
    }
  });
  // The first chunk was parsed at the start of the text and the last at its end, as the full parse
  // sees them: the document and the top-level map start and end where they do in those parses.
  const first = chunks[0];
  const last = chunks[chunks.length - 1];
  root.range = [(root.items[0].key as Node).range![0], last.outer![1], last.outer![2]];
  doc.contents = root;
  doc.range = [first.doc![0], last.doc![1], last.doc![2]];
  doc.errors = [];
  doc.warnings = chunks.flatMap((c) => c.warnings);
  return doc as unknown as Document.Parsed;
}

function parseChunk(text: string, spec: Spec, options: YamlParseOptions): Chunk {
  const prefix = spec.role === 'sub' ? PARENT_LINE : '';
  const chunk: Chunk = { ok: false, keyOffset: -1, bareKey: false, warnings: [], base: prefix.length, stamp: 0 };
  const docs = parseAll(prefix + text + spec.next, options);
  if (docs.length !== 1) return chunk;
  const doc = docs[0];
  const root = doc.contents;
  if (doc.errors.length || !isMap(root) || root.flow || !root.range || !doc.range) return chunk;
  // The appended key belongs to the top-level map or to the nested one, by its indentation.
  const nextInRoot = spec.next !== '' && !spec.next.startsWith(' ');
  if (root.items.length !== (nextInRoot ? 2 : 1) || (nextInRoot && !isKey(root.items[1].key, NEXT_KEY))) return chunk;
  let inner: YAMLMap = root;
  if (prefix) {
    const parent = root.items[0];
    if (!isKey(parent.key, PARENT_KEY) || !isMap(parent.value) || parent.value.flow || !parent.value.range) return chunk;
    inner = parent.value;
    const nextInInner = spec.next.startsWith(' ');
    if (inner.items.length !== (nextInInner ? 2 : 1) || (nextInInner && !isKey(inner.items[1].key, NEXT_KEY))) return chunk;
  }
  const pair = inner.items[0];
  const key = pair.key as Node | null;
  if (!isScalar(key) || !key.range || key.range[0] !== inner.range![0]) return chunk;
  chunk.ok = true;
  chunk.pair = pair;
  chunk.keyOffset = key.range[0] - prefix.length;
  chunk.bareKey = isEmptyValue(pair.value);
  chunk.inner = [...inner.range!];
  chunk.outer = [...root.range];
  chunk.doc = [...doc.range];
  chunk.warnings = doc.warnings;
  return chunk;
}

function isKey(node: unknown, name: string): boolean {
  return isScalar(node) && node.value === name;
}

/** `key:` with nothing after it (no value, no anchor, no tag). */
function isEmptyValue(value: unknown): boolean {
  return isScalar(value) && value.value === null && !value.anchor && !value.tag && !!value.range && value.range[0] === value.range[1];
}

/**
 * Cuts a whole parse into the chunks chunk parses would give, so the next version can reuse them;
 * undefined when the tree does not fall apart along the cuts exactly (then it was not error-free).
 */
function cutTree(docs: Document.Parsed[], layout: Layout, specs: Spec[]): Chunk[] | undefined {
  const doc = docs[0];
  const root = doc?.contents;
  if (docs.length !== 1 || doc.errors.length || !isMap(root) || root.flow || !root.range || root.items.length !== layout.blocks.length) return undefined;
  const out: Chunk[] = [];
  const lastSpec = specs.length - 1;
  const keyAt = (node: unknown, offset: number): node is Node => isScalar(node) && !!node.range && node.range[0] === offset;
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i];
    const block = layout.blocks[s.block];
    let pair: Pair = root.items[s.block];
    if (!keyAt(pair.key, block.keyStart)) return undefined;
    let inner: Range | undefined;
    if (s.role === 'header') {
      const map = pair.value;
      if (!isMap(map) || map.flow || map.anchor || map.tag || !map.range || map.items.length !== block.subStarts!.length) return undefined;
      pair = new Pair(pair.key);
    } else if (s.role === 'sub') {
      const map = pair.value as YAMLMap;
      pair = map.items[s.index];
      if (!keyAt(pair.key, s.start + block.indent)) return undefined;
      const isLastOfBlock = s.index === block.subStarts!.length - 1;
      const start = (pair.key as Node).range![0];
      inner = isLastOfBlock ? [start, map.range![1], map.range![2]] : [start, start, start];
    }
    const keyStart = (pair.key as Node).range![0];
    const chunk: Chunk = {
      ok: true,
      pair,
      keyOffset: s.keyOffset,
      bareKey: s.role === 'header' || isEmptyValue(pair.value),
      inner: inner ?? [keyStart, keyStart, keyStart],
      outer: i === lastSpec ? [...root.range] : [keyStart, keyStart, keyStart],
      doc: [i === 0 ? doc.range[0] : s.start, i === lastSpec ? doc.range[1] : s.start, i === lastSpec ? doc.range[2] : s.start],
      warnings: [],
      base: s.start,
      stamp: 0,
    };
    out.push(chunk);
  }
  for (const w of doc.warnings) {
    // The chunk holding the warning's position: the last one starting at or before it.
    let lo = 0;
    let hi = specs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (specs[mid].start <= w.pos[0]) lo = mid;
      else hi = mid - 1;
    }
    out[lo].warnings.push(w);
  }
  return out;
}

/** A map's keys must be unique (the full parse reports a repeat); a repeat across chunks means "parse it all". */
function hasDuplicateKeys(specs: Spec[], chunks: Chunk[]): boolean {
  const top = new Set<unknown>();
  let sub = new Set<unknown>();
  for (let i = 0; i < specs.length; i++) {
    const key = (chunks[i].pair!.key as Node & { value: unknown }).value;
    const seen = specs[i].role === 'sub' ? sub : top;
    if (seen.has(key)) return true;
    seen.add(key);
    if (specs[i].role === 'header') sub = new Set();
  }
  return false;
}

/** Moves a chunk's node ranges (and warning positions) so they point into the text where the chunk now starts. */
function moveChunk(chunk: Chunk, base: number): void {
  const delta = base - chunk.base;
  if (delta === 0) return;
  chunk.ranges ??= collectRanges(chunk);
  for (const r of chunk.ranges) {
    r[0] += delta;
    r[1] += delta;
    r[2] += delta;
  }
  for (const w of chunk.warnings) {
    w.pos[0] += delta;
    w.pos[1] += delta;
  }
  chunk.base = base;
}

function collectRanges(chunk: Chunk): number[][] {
  const out: number[][] = [chunk.inner!, chunk.outer!, chunk.doc!];
  forEachNode(chunk.pair, (node) => {
    if (node.range) out.push(node.range);
  });
  return out;
}
