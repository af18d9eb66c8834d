import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { AnalysisCache, Span, SyntaxReport } from '../types';
import { parseAll, parseIncrementally } from './incremental';
import { YAML_SYNTAX } from './rules/syntax';
import { COMPOSE_MERGE_TAGS } from './tags';
import { forEachNode } from './walk';

export interface YamlSyntaxProblem {
  span: Span;
  message: string;
  /** Warnings (e.g. an unresolved tag) still allow the rules to run; errors mark the document as damaged. */
  isError: boolean;
}

export interface ParsedYaml {
  docs: Document.Parsed[];
  problems: YamlSyntaxProblem[];
}

// Anchors are resolved when checking (`<<: *defaults` is everywhere in stack files), with the YAML 1.1
// merge key enabled as Docker and Helm (go-yaml) both honour it. Duplicate keys are found by
// duplicateKeyProblems below: the parser's own check compares each key with every earlier one, which
// is quadratic in the size of a map (40,000 keys: 15 s). `!reset` and `!override` are the Compose
// Specification's merge tags: valid in any file, and kept on the node (`node.tag`) for merging.
export const YAML_PARSE_OPTIONS = { merge: true, prettyErrors: false, keepSourceTokens: false, uniqueKeys: false, customTags: COMPOSE_MERGE_TAGS } as const;

/**
 * Parses a YAML stream. With a cache (one object per document, kept between versions), a big file is
 * parsed in chunks and the unchanged chunks of the previous version are reused (see incremental.ts);
 * the result is the same as without it. The nodes of a cached result are moved by the next call with
 * the same cache, so a result is only valid until then.
 */
export function parseYaml(text: string, cache?: AnalysisCache): ParsedYaml {
  const docs = (cache && parseIncrementally(text, cache, YAML_PARSE_OPTIONS)) || parseAll(text, YAML_PARSE_OPTIONS);
  const problems: YamlSyntaxProblem[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) problems.push({ span: spanOfPos(e.pos, text.length), message: firstLine(e.message), isError: true });
    for (const w of doc.warnings) problems.push({ span: spanOfPos(w.pos, text.length), message: firstLine(w.message), isError: false });
    duplicateKeyProblems(doc, text, problems);
  }
  return { docs, problems };
}

/**
 * A key written twice in one map is an error for YAML (and for Docker and Helm): one pass over every
 * map, a set of the scalar keys seen so far, the parser's wording. Merge keys (`<<`) may repeat.
 */
function duplicateKeyProblems(doc: Document.Parsed, text: string, problems: YamlSyntaxProblem[]): void {
  let lineStarts: number[] | undefined;
  // Collections only, with an explicit stack (deep documents must not overflow it); scalars, the bulk of
  // a document, are never visited on their own.
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isSeq(node)) {
      for (const item of node.items) if (isMap(item) || isSeq(item)) stack.push(item);
      continue;
    }
    if (!isMap(node)) continue;
    const items = (node as YAMLMap).items;
    const seen = items.length > 1 ? new Set<unknown>() : undefined;
    for (const pair of items) {
      const value = pair.value;
      if (isMap(value) || isSeq(value)) stack.push(value);
      const key = pair.key;
      if (!seen || !isScalar(key) || typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN')) continue;
      const id = typeof key.value === 'string' ? `s:${key.value}` : key.value;
      if (!seen.has(id)) {
        seen.add(id);
        continue;
      }
      const start = key.range?.[0] ?? 0;
      lineStarts ??= lineStartsOf(text);
      const line = upperBound(lineStarts, start);
      const column = start - lineStarts[line - 1] + 1;
      problems.push({ span: spanOfPos([start, start + 1], text.length), message: `Map keys must be unique at line ${line}, column ${column}:`, isError: true });
    }
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** How many of the sorted numbers are <= x (the 1-based line of an offset, given line starts). */
function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function spanOfPos(pos: [number, number], length: number): Span {
  const start = Math.min(pos[0], length);
  return { start, end: Math.min(Math.max(pos[1], start), length) };
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl === -1 ? message : message.slice(0, nl);
}

/**
 * Where each anchor is defined, in document order. The `yaml` package's own Alias.resolve() walks the
 * whole document for every alias, which is quadratic on stack files that merge defaults into hundreds
 * of services; one walk up front makes every resolution a short lookup.
 */
export class AnchorIndex {
  private readonly anchors = new Map<string, { offset: number; node: Node }[]>();

  constructor(doc: Document) {
    forEachNode(doc.contents, (node) => {
      if (!node.anchor || !node.range) return;
      const list = this.anchors.get(node.anchor) ?? [];
      list.push({ offset: node.range[0], node });
      this.anchors.set(node.anchor, list);
    });
    for (const list of this.anchors.values()) list.sort((a, b) => a.offset - b.offset);
  }

  /** The anchored node an alias refers to: the last definition of that name before the alias. */
  lookup(name: string, aliasOffset: number): Node | undefined {
    const list = this.anchors.get(name);
    if (!list) return undefined;
    let found: Node | undefined;
    for (const a of list) {
      if (a.offset >= aliasOffset) break;
      found = a.node;
    }
    return found;
  }
}

/** Follows alias chains to the anchored node (bounded, so a cycle can never hang). */
export function resolveNode(node: unknown, anchors: AnchorIndex): Node | undefined {
  let n = node;
  for (let hops = 0; hops < 32 && isAlias(n); hops++) n = anchors.lookup(n.source, n.range?.[0] ?? Infinity);
  return isAlias(n) ? undefined : ((n as Node | undefined) ?? undefined);
}

export { isAlias, isMap, isPair, isScalar, isSeq };

/** Parse problems as findings of the shared `yaml/syntax` rule (warnings stay warnings). */
export function yamlSyntaxReports(parsed: ParsedYaml): SyntaxReport[] {
  return parsed.problems.map((p) => ({ ruleId: YAML_SYNTAX.id, span: p.span, message: p.message, severity: p.isError ? 'error' : 'warning' }));
}
