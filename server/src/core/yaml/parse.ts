import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, parseAllDocuments } from 'yaml';
import { Span } from '../types';

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

export function parseYaml(text: string): ParsedYaml {
  const parsed = parseAllDocuments(text, PARSE_OPTIONS);
  // An empty stream comes back as a non-array "EmptyStream" object.
  const docs = Array.isArray(parsed) ? parsed : [];
  const problems: YamlSyntaxProblem[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) problems.push({ span: spanOfPos(e.pos, text.length), message: firstLine(e.message), isError: true });
    for (const w of doc.warnings) problems.push({ span: spanOfPos(w.pos, text.length), message: firstLine(w.message), isError: false });
  }
  return { docs, problems };
}

function spanOfPos(pos: [number, number], length: number): Span {
  const start = Math.min(pos[0], length);
  return { start, end: Math.min(Math.max(pos[1], start), length) };
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl === -1 ? message : message.slice(0, nl);
}

/** Follows alias chains to the anchored node (bounded, so a cycle can never hang). */
export function resolveNode(node: unknown, doc: Document): Node | undefined {
  let n = node;
  for (let hops = 0; hops < 32 && isAlias(n); hops++) {
    try {
      n = n.resolve(doc);
    } catch {
      return undefined;
    }
  }
  return isAlias(n) ? undefined : (n as Node | undefined) ?? undefined;
}

export { isAlias, isMap, isPair, isScalar, isSeq };
