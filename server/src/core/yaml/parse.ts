import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, parseAllDocuments } from 'yaml';
import type { SyntaxReport } from '../kind';
import { AnalysisCache, Span } from '../types';
import { parseIncrementally } from './incremental';
import { YAML_SYNTAX } from './rules/syntax';
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
// merge key enabled as Docker and Helm (go-yaml) both honour it.
const PARSE_OPTIONS = { merge: true, prettyErrors: false, keepSourceTokens: false, uniqueKeys: true } as const;

/**
 * Parses a YAML stream. With a cache (one object per document, kept between versions), a big file is
 * parsed in chunks and the unchanged chunks of the previous version are reused (see incremental.ts);
 * the result is the same as without it. The nodes of a cached result are moved by the next call with
 * the same cache, so a result is only valid until then.
 */
export function parseYaml(text: string, cache?: AnalysisCache): ParsedYaml {
  const docs = (cache && parseIncrementally(text, cache, PARSE_OPTIONS)) || parseAll(text);
  const problems: YamlSyntaxProblem[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) problems.push({ span: spanOfPos(e.pos, text.length), message: firstLine(e.message), isError: true });
    for (const w of doc.warnings) problems.push({ span: spanOfPos(w.pos, text.length), message: firstLine(w.message), isError: false });
  }
  return { docs, problems };
}

function parseAll(text: string): Document.Parsed[] {
  const parsed = parseAllDocuments(text, PARSE_OPTIONS);
  // An empty stream comes back as a non-array "EmptyStream" object.
  return Array.isArray(parsed) ? parsed : [];
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
