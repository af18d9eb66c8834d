// JSON Schema validation of YAML documents, shared by compose/schema and helm/schema.
//
// Two halves. `yamlToJs` turns a document into the plain data the tools validate (aliases followed,
// `<<` merges applied), under a budget: an alias bomb expands to billions of nodes from a few lines,
// so the expanded size is counted (anchored nodes are converted once and shared) and the check is
// skipped past the budget. No node map is kept: an ajv error's instancePath is walked back through the
// YAML with the same merge rules (YamlView), which costs nothing when the file is valid.
// `schemaReports` turns ajv's error list into findings: one per location, at the key or value the
// author must change, in prodready's own words, with a key-rename fix when the intended key is obvious.

import type { ErrorObject } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, Node, Scalar, YAMLMap } from 'yaml';
import { closest, editDistance, LineIndex } from '../text';
import { Fix, Report, Span } from '../types';
import { scalarSource } from './edit';
import { isMergeKey, keyText, YamlView } from './nav';

// ---------------------------------------------------------------------------------------------------
// YAML → plain data

export type ConversionProblem = 'aliases' | 'depth' | 'cycle';

export type Conversion = { ok: true; value: unknown } | { ok: false; problem: ConversionProblem };

export interface ConversionLimits {
  /** Maximum number of nodes after alias expansion. */
  maxNodes: number;
  /** Maximum nesting of maps and sequences. */
  maxDepth: number;
}

/**
 * The expansion a file may legitimately reach: every real node (at most one per two characters)
 * several times over, plus headroom for small files that reuse anchors a lot.
 */
export function limitsFor(text: string): ConversionLimits {
  return { maxNodes: 200_000 + 2 * text.length, maxDepth: 200 };
}

class Stop {
  constructor(readonly problem: ConversionProblem) {}
}

interface Converted {
  value: unknown;
  /** Nodes this value stands for once every alias in it is expanded. */
  size: number;
}

/** Converts one document (from its root node) to plain data; never throws, never hangs. */
export function yamlToJs(view: YamlView, root: unknown, limits: ConversionLimits): Conversion {
  const converter = new Converter(view, limits);
  try {
    return { ok: true, value: converter.convert(root, 0).value };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, problem: e.problem };
    // A stack overflow on some input we did not foresee still must not take the analysis down.
    if (e instanceof RangeError) return { ok: false, problem: 'depth' };
    throw e;
  }
}

class Converter {
  /** Only anchored nodes can be reached twice, so only they are memoised (and checked for cycles). */
  private readonly done = new Map<Node, Converted>();
  private readonly active = new Set<Node>();

  constructor(
    private readonly view: YamlView,
    private readonly limits: ConversionLimits,
  ) {}

  convert(node: unknown, depth: number): Converted {
    if (isAlias(node)) {
      const target = this.view.resolve(node);
      return target ? this.convertNode(target, depth) : { value: null, size: 1 };
    }
    if (node === null || node === undefined) return { value: null, size: 1 };
    return this.convertNode(node as Node, depth);
  }

  private convertNode(node: Node, depth: number): Converted {
    if (isScalar(node)) return { value: scalarData(node), size: 1 };
    const anchored = !!node.anchor;
    if (anchored) {
      const memo = this.done.get(node);
      if (memo) return memo;
      if (this.active.has(node)) throw new Stop('cycle');
      this.active.add(node);
    }
    if (depth >= this.limits.maxDepth) throw new Stop('depth');
    let result: Converted;
    if (isMap(node)) result = this.convertMap(node, depth);
    else if (isSeq(node)) {
      const arr: unknown[] = new Array(node.items.length);
      let size = 1;
      for (let i = 0; i < node.items.length; i++) {
        const c = this.convert(node.items[i], depth + 1);
        arr[i] = c.value;
        size = this.grow(size, c.size);
      }
      result = { value: arr, size };
    } else result = { value: null, size: 1 };
    if (anchored) {
      this.active.delete(node);
      this.done.set(node, result);
    }
    return result;
  }

  private convertMap(map: YAMLMap, depth: number): Converted {
    // Null prototype: a `__proto__:` or `constructor:` key is just a key here.
    const obj: Record<string, unknown> = Object.create(null);
    let size = 1;
    let merges: unknown[] | undefined;
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        (merges ??= []).push(pair.value);
        continue;
      }
      const key = keyText(pair.key);
      // Same precedence as YamlView: the first own occurrence wins, merged keys never override own ones.
      if (key === undefined || key in obj) continue;
      const c = this.convert(pair.value, depth + 1);
      obj[key] = c.value;
      size = this.grow(size, c.size);
    }
    for (const m of merges ?? []) {
      const target = this.view.resolve(m);
      const sources = isSeq(target) ? target.items : [m];
      for (const source of sources) {
        const c = this.convert(source, depth + 1);
        if (!isPlainObject(c.value)) continue;
        size = this.grow(size, c.size);
        for (const key of Object.keys(c.value)) if (!(key in obj)) obj[key] = c.value[key];
      }
    }
    return { value: obj, size };
  }

  private grow(size: number, by: number): number {
    const total = size + by;
    if (total > this.limits.maxNodes) throw new Stop('aliases');
    return total;
  }
}

function scalarData(node: Scalar): unknown {
  const v = node.value;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'bigint':
      return Number(v);
    case 'undefined':
      return null;
    case 'object':
      if (v === null) return null;
      if (v instanceof Date) return v.toISOString();
      return node.source ?? String(v);
    default:
      return String(v);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function conversionMessage(problem: ConversionProblem, what: string): string {
  switch (problem) {
    case 'aliases':
      return `Too many aliases: expanding the anchors of this document would produce an enormous tree (an "alias bomb"), so the ${what} check is skipped. Tools that expand it may run out of memory.`;
    case 'cycle':
      return `An anchor refers to itself through an alias, so this document has no finite value and the ${what} check is skipped. Tools reading it will fail.`;
    case 'depth':
      return `This document is nested too deeply to check against the ${what}; the check is skipped.`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Locating an instancePath in the YAML

export interface Location {
  /** The value at the path (aliases followed); undefined when the path ends at a key with no value. */
  value?: Node;
  /** The key naming the value in its parent map (undefined at the root and for sequence items). */
  key?: Node;
  /** The map physically holding that key (an anchor's map for merged entries). */
  owner?: YAMLMap;
  inherited: boolean;
  /** False when part of the path is not in this document (it came from elsewhere, e.g. chart defaults). */
  complete: boolean;
}

export function pathSegments(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function locate(view: YamlView, root: Node, segments: string[]): Location {
  let current: Node | undefined = view.resolve(root);
  let key: Node | undefined;
  let owner: YAMLMap | undefined;
  let inherited = false;
  for (const seg of segments) {
    if (isMap(current)) {
      const entry = view.get(current, seg);
      if (!entry) return { value: current, key, owner, inherited, complete: false };
      key = entry.keyNode;
      owner = entry.owner;
      inherited = inherited || entry.inherited;
      current = entry.value;
    } else if (isSeq(current) && /^\d+$/.test(seg) && Number(seg) < current.items.length) {
      current = view.resolve(current.items[Number(seg)]);
      key = undefined;
      owner = undefined;
    } else {
      return { value: current, key, owner, inherited, complete: false };
    }
  }
  return { value: current, key, owner, inherited, complete: true };
}

// ---------------------------------------------------------------------------------------------------
// ajv errors → findings

export interface SchemaReportOptions {
  view: YamlView;
  /** The document's root node (the data validated was converted from it). */
  root: Node;
  /** What refuses the file, and so why the finding matters: ends the message. */
  consequence: string;
  /** Errors on values the tools transform before validating (compose interpolation and casts) are not real. */
  lenient?: (error: ErrorObject) => boolean;
  /** Only errors located in this document's own keys (a Helm override over the chart's defaults). */
  ownKeysOnly?: boolean;
  /** Use the failing schema's `description` to say what a value must be (only for schemas written as prose for this). */
  useDescriptions?: boolean;
  /** An extra hint for an unknown key, e.g. one that belongs one level deeper. */
  misplacedKey?: (parentPath: string[], key: string) => string | undefined;
  /**
   * Said of an unknown key that is no slip of the keyboard for a known one, when the schema is a copy
   * that can fall behind the format it describes (the bundled Compose schema): the key may be newer.
   */
  maybeNewer?: string;
  /** Most findings reported per document. */
  max?: number;
  /**
   * Set when the document is several files merged (an environment): whether two offsets lie in the
   * same file. A key written by another file beneath is one a rename may override, as in an override file.
   */
  sameFile?: (a: number, b: number) => boolean;
}

interface Item {
  error: ErrorObject;
  path: string;
  /** Not reported (null or interpolated value); a combinator holding one is taken as satisfied. */
  dropped: boolean;
  /** For a failed oneOf/anyOf where no alternative had the right shape: the shapes allowed. */
  shapes?: string[];
}

/** Null data means "left empty", which the tools read as unset: only the key itself is judged. */
export function isNullValueError(e: ErrorObject): boolean {
  return e.data === null && e.keyword !== 'required' && e.keyword !== 'additionalProperties';
}

/**
 * Folds ajv's flat error list: a failed oneOf/anyOf comes after the errors of its alternatives (all
 * located at or below it), so those are taken back and replaced by the errors of the alternatives
 * that had the right shape, or by one "must be X or Y" when none had.
 */
function collapse(errors: ErrorObject[], lenient: (e: ErrorObject) => boolean): Item[] {
  const stack: Item[] = [];
  for (const error of errors) {
    // `if`'s own error only repeats that then/else failed, whose errors are already in the list;
    // propertyNames' inner errors repeat its own.
    if (error.keyword === 'if' || error.propertyName !== undefined) continue;
    const path = error.instancePath;
    const dropped = isNullValueError(error) || lenient(error);
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
      stack.push({ error, path, dropped });
      continue;
    }
    const popped: Item[] = [];
    while (stack.length && isWithin(stack[stack.length - 1].path, path)) popped.unshift(stack.pop()!);
    if (dropped || popped.some((p) => p.dropped)) {
      stack.push({ error, path, dropped: true });
      continue;
    }
    if (error.params?.passingSchemas) {
      stack.push({ error, path, dropped: false });
      continue;
    }
    // An alternative whose type did not match says nothing useful at this location: its enum or const
    // failed too, but only because it wanted another kind of value. Alternatives written inline are told
    // apart by schemaPath; ones reached through a $ref cannot be, and keep their errors.
    const branchOf = (p: Item) => branchIndex(p.error.schemaPath, error.schemaPath);
    const shapeOnly = (p: Item) => p.path === path && (p.error.keyword === 'type' || p.shapes !== undefined);
    const wrongShape = new Set(popped.filter(shapeOnly).map(branchOf));
    wrongShape.delete(undefined);
    const fitting = popped.filter((p) => !shapeOnly(p) && !(p.path === path && wrongShape.has(branchOf(p))));
    if (fitting.length) stack.push(...fitting);
    else {
      const shapes = new Set<string>();
      for (const p of popped) {
        if (p.shapes) p.shapes.forEach((s) => shapes.add(s));
        else typeList(p.error.params?.type).forEach((s) => shapes.add(s));
      }
      stack.push({ error, path, dropped: false, shapes: [...shapes] });
    }
  }
  return stack.filter((i) => !i.dropped);
}

function branchIndex(schemaPath: string, combinatorPath: string): string | undefined {
  if (!schemaPath.startsWith(combinatorPath + '/')) return undefined;
  return schemaPath.slice(combinatorPath.length + 1).split('/')[0];
}

function isWithin(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

function typeList(t: unknown): string[] {
  if (Array.isArray(t)) return t.map(String);
  if (typeof t === 'string') return t.split(',');
  return [];
}

interface Draft {
  span: Span;
  message: string;
  fixes?: Fix[];
  /** Findings with equal span and dedupeKey are one finding. */
  dedupeKey: string;
  /** Required keys missing at one place are reported together. */
  missing?: string[];
  where?: string;
}

export function schemaReports(errors: ErrorObject[] | null | undefined, options: SchemaReportOptions): Report[] {
  if (!errors?.length) return [];
  const items = collapse(errors, options.lenient ?? (() => false));
  const drafts: Draft[] = [];
  for (const item of items) {
    const d = draftFor(item, options);
    if (d) drafts.push(d);
  }
  const merged: Draft[] = [];
  const seen = new Map<string, Draft>();
  for (const d of drafts) {
    const id = `${d.span.start}:${d.span.end}:${d.dedupeKey}`;
    const earlier = seen.get(id);
    if (earlier) {
      if (earlier.missing && d.missing) for (const m of d.missing) if (!earlier.missing.includes(m)) earlier.missing.push(m);
      continue;
    }
    seen.set(id, d);
    merged.push(d);
  }
  // In file order, so the cap keeps the first problems a reader meets.
  merged.sort((a, b) => a.span.start - b.span.start);
  const max = options.max ?? 50;
  // The key goes with the report: the engine keeps one finding per rule and span unless the keys differ,
  // and a value can break two constraints at once (a pattern and a length), each worth its own finding.
  const reports: Report[] = merged.slice(0, max).map((d) => ({
    span: d.span,
    message: d.missing ? `${missingMessage(d.where!, d.missing)}. ${options.consequence}` : d.message,
    fixes: d.fixes,
    dedupeKey: d.dedupeKey,
  }));
  if (merged.length > max) {
    const first = merged[max];
    reports.push({
      span: first.span,
      severity: 'information',
      message: `${merged.length - max} more schema problems in this document are not shown; fix the ones above first.`,
      dedupeKey: 'not-shown',
    });
  }
  return reports;
}

function missingMessage(where: string, missing: string[]): string {
  const names = missing.map((m) => `"${m}"`);
  return missing.length === 1 ? `${where} is missing the required key ${names[0]}` : `${where} is missing the required keys ${names.join(', ')}`;
}

function draftFor(item: Item, o: SchemaReportOptions): Draft | undefined {
  const e = item.error;
  const segments = pathSegments(item.path);
  const at = locate(o.view, o.root, segments);
  if (o.ownKeysOnly && !at.complete) return undefined;
  const where = describePath(segments);
  const end = `. ${o.consequence}`;
  const params = (e.params ?? {}) as Record<string, unknown>;

  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty ?? '');
      return unknownKey(name, segments, at, e, o);
    }
    case 'propertyNames': {
      const name = String(params.propertyName ?? '');
      const key = keyEntry(o.view, at, name);
      if (o.ownKeysOnly && !key) return undefined;
      return { span: spanOf(key?.keyNode ?? at.key ?? at.value), message: `"${name}" is not an allowed key name in ${where}${end}`, dedupeKey: `names:${name}` };
    }
    case 'required': {
      const missing = String(params.missingProperty ?? '');
      // Present here but empty: a Helm override's null deletes the chart's default, leaving it missing.
      const emptied = keyEntry(o.view, at, missing);
      if (emptied) {
        return { span: spanOf(emptied.keyNode), message: `"${missing}" is required in ${where}, and leaving it empty here removes it${end}`, dedupeKey: `emptied:${missing}` };
      }
      if (o.ownKeysOnly && segments.length === 0) return undefined;
      return { span: anchorSpan(o.view.text, at), message: '', dedupeKey: 'required', missing: [missing], where: capitalise(where) };
    }
    case 'dependencies':
    case 'dependentRequired': {
      const span = anchorSpan(o.view.text, at);
      return { span, message: `${capitalise(where)} sets "${params.property}", which also needs "${params.missingProperty}"${end}`, dedupeKey: `dep:${params.property}:${params.missingProperty}` };
    }
    case 'oneOf':
    case 'anyOf': {
      if (params.passingSchemas) {
        return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} fits more than one of the forms the schema allows, so its meaning is ambiguous${end}`, dedupeKey: 'ambiguous' };
      }
      const shapes = item.shapes ?? [];
      const expected = shapes.length ? shapeList(shapes) : 'one of the forms the schema allows';
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must be ${expected}, not ${describeValue(e.data)}${end}`, dedupeKey: 'shape' };
    }
    case 'type': {
      const expected = describedAs(e, o) ?? shapeList(typeList(params.type));
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must be ${expected}, not ${describeValue(e.data)}${end}`, dedupeKey: 'type' };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      const choices = allowed.map((v) => JSON.stringify(v)).join(', ');
      const strings = allowed.filter((v): v is string => typeof v === 'string');
      const typed = typeof e.data === 'string' ? e.data : undefined;
      const guess = typed !== undefined ? closest(typed, strings) : undefined;
      const message = `${capitalise(where)} must be one of ${choices}, not ${describeValue(e.data)}${guess ? ` (did you mean "${guess}"?)` : ''}${end}`;
      const fixes = guess && uniqueClose(typed!, strings) === guess ? replaceValueFix(at, guess) : undefined;
      return { span: valueSpan(o.view.text, at), message, fixes, dedupeKey: 'enum' };
    }
    case 'const':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must be ${JSON.stringify(params.allowedValue)}, not ${describeValue(e.data)}${end}`, dedupeKey: 'const' };
    case 'pattern': {
      const described = describedAs(e, o);
      const message = described
        ? `${capitalise(where)} must be ${described}, not ${describeValue(e.data)}${end}`
        : `${capitalise(where)} is ${describeValue(e.data)}, which does not match the pattern ${params.pattern}${end}`;
      return { span: valueSpan(o.view.text, at), message, dedupeKey: 'pattern' };
    }
    case 'format':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must be a valid ${params.format}, not ${describeValue(e.data)}${end}`, dedupeKey: 'format' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than' }[e.keyword];
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must be ${words} ${params.limit}, not ${describeValue(e.data)}${end}`, dedupeKey: 'range' };
    }
    case 'multipleOf':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must be a multiple of ${params.multipleOf}${end}`, dedupeKey: 'multipleOf' };
    case 'minLength':
    case 'maxLength':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${params.limit} characters long${end}`, dedupeKey: 'length' };
    case 'minItems':
    case 'maxItems':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${params.limit} items${end}`, dedupeKey: 'items' };
    case 'minProperties':
    case 'maxProperties':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} must have ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${params.limit} keys${end}`, dedupeKey: 'props' };
    case 'uniqueItems':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} lists the same item twice (items ${params.j} and ${params.i})${end}`, dedupeKey: 'unique' };
    case 'contains':
    case 'minContains':
    case 'maxContains':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} does not contain the items the schema requires${end}`, dedupeKey: 'contains' };
    case 'not':
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} has a value the schema rules out${end}`, dedupeKey: 'not' };
    case 'false schema':
      return { span: spanOf(at.key ?? at.value), message: `${capitalise(where)} is not allowed here${end}`, dedupeKey: 'false' };
    default:
      return { span: valueSpan(o.view.text, at), message: `${capitalise(where)} breaks the schema rule "${e.keyword}"${end}`, dedupeKey: e.keyword };
  }
}

function unknownKey(name: string, segments: string[], at: Location, e: ErrorObject, o: SchemaReportOptions): Draft | undefined {
  const entry = keyEntry(o.view, at, name);
  if (!entry && o.ownKeysOnly) return undefined;
  const properties = isPlainObject(e.parentSchema) && isPlainObject(e.parentSchema.properties) ? Object.keys(e.parentSchema.properties) : [];
  const guess = closest(name, properties);
  const unambiguous = guess !== undefined && uniqueClose(name, properties) === guess;
  const hint = guess ? ` (did you mean "${guess}"?)` : o.misplacedKey?.(segments, name) ?? '';
  const where = segments.length ? `in ${describePath(segments)}` : 'at the top level';
  const from = at.inherited || entry?.inherited ? ', merged in from an anchor,' : '';
  // Only a slip of the keyboard is safely renamed; a key further from its nearest neighbour may be a
  // real key the schema does not know yet (Compose's `pre_start` is not a misspelt `restart`).
  const slip = guess !== undefined && isSlipOf(name, guess);
  const newer = !slip && o.maybeNewer ? ` ${o.maybeNewer}` : '';
  const message = `Unknown key "${name}"${from} ${where}${hint}.${newer} ${o.consequence}`;
  // Renaming onto a key the map already has (written, or merged in) would silently change which value
  // wins. Keys from a Helm chart's defaults are another matter: overriding them is the point.
  const taken = (key: string) => {
    const other = o.view.get(entry!.owner, key);
    if (o.sameFile) return !!other && !!other.keyNode.range && !!entry!.keyNode.range && o.sameFile(other.keyNode.range[0], entry!.keyNode.range[0]);
    return !!other || (!o.ownKeysOnly && isPlainObject(e.data) && key in e.data);
  };
  const fixes: Fix[] = [];
  if (guess && unambiguous && entry && isScalar(entry.keyNode) && entry.keyNode.range && !taken(guess)) {
    const [start, end] = entry.keyNode.range;
    fixes.push({ title: `Rename "${name}" to "${guess}"`, preferred: slip, changes: [{ start, end, newText: scalarSource(guess, entry.keyNode) }] });
  }
  return { span: spanOf(entry?.keyNode ?? at.key ?? at.value), message, fixes, dedupeKey: `unknown:${name}` };
}

/** The same key but for case, dashes and underscores. */
function spelling(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/**
 * One keystroke away from `known` (a letter added, dropped or changed, or two neighbours swapped), or
 * the same key written with another case or separator (`cpuShares`, `cpu-shares` for `cpu_shares`).
 */
export function isSlipOf(typed: string, known: string): boolean {
  if (spelling(typed) === spelling(known)) return true;
  const a = typed.toLowerCase();
  const b = known.toLowerCase();
  if (editDistance(a, b) <= 1) return true;
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

function keyEntry(view: YamlView, at: Location, name: string): { keyNode: Node; owner: YAMLMap; inherited: boolean } | undefined {
  if (!at.complete || !isMap(at.value)) return undefined;
  const entry = view.get(at.value, name);
  return entry ? { keyNode: entry.keyNode, owner: entry.owner, inherited: entry.inherited } : undefined;
}

function replaceValueFix(at: Location, value: string): Fix[] | undefined {
  const node = at.value;
  if (!at.complete || !isScalar(node) || !node.range || typeof node.value !== 'string') return undefined;
  const [start, end] = node.range;
  return [{ title: `Change to "${value}"`, preferred: true, changes: [{ start, end, newText: scalarSource(value, node) }] }];
}

/** The one candidate within suggestion distance, if exactly one is (a guess between two is no fix). */
export function uniqueClose(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let found: string | undefined;
  for (const c of candidates) {
    if (c === word || editDistance(lower, c.toLowerCase()) > limit) continue;
    if (found !== undefined) return undefined;
    found = c;
  }
  return found;
}

function describedAs(e: ErrorObject, o: SchemaReportOptions): string | undefined {
  if (!o.useDescriptions) return undefined;
  const d = isPlainObject(e.parentSchema) ? e.parentSchema.description : undefined;
  return typeof d === 'string' ? d : undefined;
}

const SHAPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'empty',
};

function shapeList(types: string[]): string {
  const words = [...new Set(types.map((t) => SHAPE_WORDS[t] ?? t))];
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 37) + '…' : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

/** `services.web.deploy`, `ports[0]`; keys that would read ambiguously are quoted. */
export function describePath(segments: string[]): string {
  if (segments.length === 0) return 'the top level';
  let out = '';
  segments.forEach((s, i) => {
    if (/^\d+$/.test(s) && i > 0) out += `[${s}]`;
    else if (/^[\w-]+$/.test(s)) out += (i > 0 ? '.' : '') + s;
    else out += (i > 0 ? '.' : '') + JSON.stringify(s);
  });
  return out;
}

function capitalise(s: string): string {
  return s === 'the top level' ? 'The top level' : s;
}

function spanOf(node: Node | undefined): Span {
  const r = node?.range;
  return r ? { start: r[0], end: Math.max(r[0], r[1]) } : { start: 0, end: 0 };
}

/** The value itself when it is a scalar or a short flow collection; its key for block collections and empty values. */
function valueSpan(text: string, at: Location): Span {
  const v = at.value;
  if (v?.range && v.range[1] > v.range[0]) {
    const block = (isMap(v) || isSeq(v)) && !v.flow;
    if (!block || !at.key) return firstLine(text, spanOf(v));
  }
  return spanOf(at.key ?? v);
}

/** Where "something is missing here" points: the key naming the map, or (a list item) its first entry. */
function anchorSpan(text: string, at: Location): Span {
  if (at.key?.range) return spanOf(at.key);
  const v = at.value;
  if (isMap(v) && !v.flow && v.items.length && v.range) {
    const first = v.items[0];
    const end = (first.value as Node | null)?.range?.[1] ?? (first.key as Node | null)?.range?.[1];
    if (end !== undefined) return firstLine(text, { start: v.range[0], end });
  }
  return firstLine(text, spanOf(v));
}

function firstLine(text: string, span: Span): Span {
  const nl = text.indexOf('\n', span.start);
  const end = nl === -1 ? span.end : Math.min(span.end, nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl);
  return { start: span.start, end: Math.max(span.start, end) };
}

/** The first line of a node: where a note about a whole document or map goes. */
export function firstLineOf(text: string, node: Node | undefined): Span {
  return firstLine(text, spanOf(node));
}

/**
 * Where a note about the whole file goes: its first line of content. Not a leading comment, so that a
 * `prodready-disable-next-line` directive inserted above it still applies to it.
 */
export function fileNoteSpan(text: string): Span {
  const head = text.slice(0, 65_536);
  const lines = new LineIndex(head);
  for (let i = 0; i < lines.lineCount; i++) {
    const start = lines.lineStart(i);
    const end = lines.lineEnd(i);
    const content = head.slice(start, end).trim();
    if (content === '' || content.startsWith('#') || content.startsWith('%') || content === '---') continue;
    return { start, end };
  }
  return { start: 0, end: lines.lineEnd(0) };
}
