// The virtual text of an environment: every file of it, one after another, each in its own offset
// range, so that one set of character offsets addresses all of them. Each file is parsed on its own
// and its nodes' ranges are moved into its range; the merged document (merge.ts) is then assembled
// from those very nodes, and YamlView, YamlEditor and the rules work on it unchanged. The SpanMap
// turns any virtual span back into a file and offsets in it, and a fix's changes into per-file changes.
//
// Layout: file A at [0, a), then — when A does not end with a line break — one line break standing in
// for it, then one separating line break; file B starts on the next offset, and so on. The separator
// keeps the end of one file apart from the start of the next (an insertion at A's end is not an
// insertion at B's start), and the stand-in line break lets YamlEditor append lines after A's last
// line as it does in any file that ends with one.

import { Document, YAMLMap } from 'yaml';
import { AnalysisCache, Span, TextChange } from '../types';
import { eolOf } from '../text';
import { YamlEditor } from '../yaml/edit';
import { YamlView } from '../yaml/nav';
import { AnchorIndex, ParsedYaml, YamlSyntaxProblem } from '../yaml/parse';
import { forEachNode } from '../yaml/walk';
import { EnvView, parseEnvYaml } from './yaml';

/**
 * `base`: the shared file overlays build on (values.yaml, docker-compose.yml); `overlay`: a file
 * applied over it; `dependency`: defaults nobody in the project wrote (a subchart's values.yaml),
 * never reported on.
 */
export type EnvFileRole = 'base' | 'overlay' | 'dependency';

export interface SourceFile {
  /** Absolute, '/'-separated; a file inside a packaged chart is `<archive>!/<entry path>`. */
  path: string;
  text: string;
  role: EnvFileRole;
}

export interface EnvFile extends SourceFile {
  /** Virtual offset of the file's first character. */
  start: number;
  /** Virtual characters the file occupies: its own, plus the stand-in line break when it has none at its end. */
  length: number;
  /** The file's documents, their node ranges in virtual offsets. */
  docs: Document.Parsed[];
  /** The first document's top-level map, when it is one. */
  root: YAMLMap | undefined;
  /** Syntax problems, in the file's own offsets (they are reported on the file, as today). */
  problems: YamlSyntaxProblem[];
  /** The file alone, read and edited in virtual offsets: fixes for this file are built here. */
  view: YamlView;
  edit: YamlEditor;
  anchors(offset: number): AnchorIndex | undefined;
}

/** Keeps parsed files between builds (one object per workspace or per environment, created as `{}`). */
export type EnvCache = AnalysisCache;

interface CachedParse {
  text: string;
  parsed: ParsedYaml;
  /** Virtual offset the nodes' ranges currently start from. */
  base: number;
  ranges?: number[][];
  /** Anchor indexes by document, built once: walking a big file for them on every build is the cost. */
  anchors: Map<Document.Parsed, MovableAnchors>;
}

/** An AnchorIndex that stays right when its file moves: lookups are shifted back to where it was built. */
class MovableAnchors extends AnchorIndex {
  private readonly builtAt: number;

  constructor(
    doc: Document.Parsed,
    private readonly entry: CachedParse,
  ) {
    super(doc);
    this.builtAt = entry.base;
  }

  override lookup(name: string, aliasOffset: number) {
    return super.lookup(name, aliasOffset - (this.entry.base - this.builtAt));
  }
}

const SEPARATOR = '\n';

/**
 * Parses (or takes from the cache) each file and lays them out in one virtual text. With a cache, a
 * file whose text did not change is not parsed again: its nodes are moved to where it now starts. As
 * with parseYaml's cache, nodes handed out by one build are valid until the next build with the cache.
 */
export function layoutFiles(sources: SourceFile[], cache?: EnvCache): { files: EnvFile[]; text: string; spans: SpanMap } {
  const parts: string[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (const source of sources) {
    const padded = source.text.length > 0 && !source.text.endsWith('\n') ? source.text + '\n' : source.text;
    starts.push(offset);
    parts.push(padded, SEPARATOR);
    offset += padded.length + SEPARATOR.length;
  }
  const text = parts.join('');
  const files = sources.map((source, i) => placeFile(source, parseAt(source, starts[i], cache), starts[i], parts[2 * i].length, text));
  return { files, text, spans: new SpanMap(files, text) };
}

function placeFile(source: SourceFile, entry: CachedParse, start: number, length: number, text: string): EnvFile {
  const { parsed } = entry;
  const anchors = (offset: number): AnchorIndex | undefined => {
    const doc = parsed.docs.find((d) => d.range[0] <= offset && offset <= d.range[2]) ?? parsed.docs[0];
    if (!doc) return undefined;
    let index = entry.anchors.get(doc);
    if (!index) entry.anchors.set(doc, (index = new MovableAnchors(doc, entry)));
    return index;
  };
  const view = new EnvView(parsed.docs[0] ?? new Document(), text, { anchorsAt: anchors });
  return { ...source, start, length, docs: parsed.docs, root: view.map(parsed.docs[0]?.contents), problems: parsed.problems, view, edit: new YamlEditor(view), anchors };
}

/**
 * Parses kept for every analysis in this process, by path and confirmed by text: the files of an
 * environment are shared by several analysed files (a base by each of its overlays), so an edit of the
 * base parses it once for all of them, and an overlay's edit parses only the overlay. Bounded by count
 * and by characters held. Analyses run one at a time (the server's worker, the CLI), which is what lets
 * one parse's nodes move from one environment's layout to the next.
 */
const shared = new Map<string, CachedParse>();
const MAX_SHARED = 64;
const MAX_SHARED_CHARS = 64 * 1024 * 1024;
let sharedChars = 0;

/** How many files environments have parsed in this process (a test's way to see the cache work). */
export const envParseCounter = { parses: 0 };

function remember(path: string, entry: CachedParse): void {
  const old = shared.get(path);
  if (old) {
    shared.delete(path);
    sharedChars -= old.text.length;
  }
  shared.set(path, entry);
  sharedChars += entry.text.length;
  while (shared.size > MAX_SHARED || (sharedChars > MAX_SHARED_CHARS && shared.size > 1)) {
    const [first, dropped] = shared.entries().next().value!;
    shared.delete(first);
    sharedChars -= dropped.text.length;
  }
}

function parseAt(source: SourceFile, start: number, cache?: EnvCache): CachedParse {
  const key = `env-parse:${source.path}`;
  const own = cache?.[key] as CachedParse | undefined;
  const cached = own?.text === source.text ? own : shared.get(source.path);
  if (cached && cached.text === source.text) {
    moveTo(cached, start);
    if (cache) cache[key] = cached;
    remember(source.path, cached);
    return cached;
  }
  envParseCounter.parses++;
  const fresh: CachedParse = { text: source.text, parsed: parseEnvYaml(source.text), base: 0, anchors: new Map() };
  moveTo(fresh, start);
  if (cache) cache[key] = fresh;
  remember(source.path, fresh);
  return fresh;
}

function moveTo(entry: CachedParse, start: number): void {
  const delta = start - entry.base;
  if (delta === 0) return;
  if (!entry.ranges) {
    const ranges: number[][] = [];
    for (const doc of entry.parsed.docs) {
      ranges.push(doc.range);
      forEachNode(doc.contents, (node) => {
        if (node.range) ranges.push(node.range);
      });
    }
    entry.ranges = ranges;
  }
  for (const r of entry.ranges) {
    r[0] += delta;
    r[1] += delta;
    r[2] += delta;
  }
  entry.base = start;
}

/** The changes of one fix that fall in one file, in that file's offsets and line breaks. */
export interface FileChanges {
  path: string;
  changes: TextChange[];
}

export type MappedChanges = { ok: true; files: FileChanges[] } | { ok: false; reason: string };

/** Between virtual offsets and (file, offset). */
export class SpanMap {
  constructor(
    readonly files: readonly EnvFile[],
    readonly text: string,
  ) {}

  /**
   * The file holding a virtual offset. A file's range includes its end (an insertion after its last
   * character is its own); the separator's other side is the next file's start.
   */
  fileAt(offset: number): EnvFile | undefined {
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.files[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const f = this.files[lo];
    return f && f.start <= offset && offset <= f.start + f.length ? f : undefined;
  }

  fileOf(path: string): EnvFile | undefined {
    return this.files.find((f) => f.path === path);
  }

  /** A virtual span as a span of one file; undefined when it spans two files. */
  toFile(span: Span): { file: EnvFile; span: Span } | undefined {
    const file = this.fileAt(span.start);
    if (!file || span.end < span.start || span.end > file.start + file.length) return undefined;
    const size = file.text.length;
    return { file, span: { start: Math.min(span.start - file.start, size), end: Math.min(span.end - file.start, size) } };
  }

  /** A span of a file as a virtual span. */
  toVirtual(path: string, span: Span): Span | undefined {
    const file = this.fileOf(path);
    if (!file || span.start < 0 || span.end > file.text.length) return undefined;
    return { start: file.start + span.start, end: file.start + span.end };
  }

  /**
   * A fix's changes, grouped by file in each file's own offsets. A change that runs from one file into
   * another (or into the separator) is refused, and so is the fix: nothing partial is ever applied.
   * Inserted line breaks take the target file's own style; text inserted after a stand-in line break
   * gets a real one in front.
   */
  mapChanges(changes: TextChange[]): MappedChanges {
    const byFile = new Map<EnvFile, TextChange[]>();
    for (const c of changes) {
      const file = this.fileAt(c.start);
      if (!file || c.end < c.start || c.end > file.start + file.length) {
        return { ok: false, reason: `a change at ${c.start}-${c.end} does not lie within one file` };
      }
      const size = file.text.length;
      const eol = eolOf(file.text);
      let newText = c.newText.replace(/\r?\n/g, eol);
      const start = c.start - file.start;
      // Past the end of the file's own text means after the stand-in line break the file lacks.
      if (start > size) newText = eol + newText;
      const list = byFile.get(file) ?? [];
      list.push({ start: Math.min(start, size), end: Math.min(c.end - file.start, size), newText });
      byFile.set(file, list);
    }
    return { ok: true, files: [...byFile].map(([file, list]) => ({ path: file.path, changes: list })) };
  }

  /** As mapChanges, for fixes that must stay in one file (a code action on one document). */
  mapToOneFile(changes: TextChange[]): { ok: true; file: FileChanges } | { ok: false; reason: string } {
    const mapped = this.mapChanges(changes);
    if (!mapped.ok) return mapped;
    if (mapped.files.length !== 1) return { ok: false, reason: `the changes touch ${mapped.files.length} files` };
    return { ok: true, file: mapped.files[0] };
  }
}
