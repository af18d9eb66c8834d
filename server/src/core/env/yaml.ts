// YAML parsing and reading for environments: the Compose Specification's merge tags as valid tags,
// and a view that resolves every alias in the file that wrote it (each file of an environment has
// its own anchors, and a merged document holds nodes of several files).

import { CollectionTag, isAlias, isScalar, Node, parseAllDocuments, ScalarTag } from 'yaml';
import { Span } from '../types';
import { YamlView } from '../yaml/nav';
import { AnchorIndex, ParsedYaml, resolveNode } from '../yaml/parse';

export const RESET_TAG = '!reset';
export const OVERRIDE_TAG = '!override';

// `!reset` and `!override` may stand on any value (`ports: !reset []`, `FOO: !reset null`,
// `deploy: !override {…}`), so each needs a scalar, a map and a sequence form. Collections keep the
// node the parse built; a reset scalar is null (its value is ignored: Compose clears the attribute).
function mergeTag(tag: string): (ScalarTag | CollectionTag)[] {
  return [
    { tag, resolve: (value: string) => (tag === RESET_TAG ? null : value) },
    { tag, collection: 'map', resolve: (map) => map },
    { tag, collection: 'seq', resolve: (seq) => seq },
  ];
}

/**
 * The tags Compose files may use to steer merging (compose-spec merge.md, "Reset value" and "Replace
 * value"). Passed as `customTags`, they parse without the "Unresolved tag" warning and stay on the
 * node as `node.tag`.
 */
export const COMPOSE_MERGE_TAGS: (ScalarTag | CollectionTag)[] = [...mergeTag(RESET_TAG), ...mergeTag(OVERRIDE_TAG)];

/**
 * The options every YAML file of an environment is parsed with: the core's own (core/yaml/parse.ts)
 * plus the merge tags. When parse.ts gains `customTags: COMPOSE_MERGE_TAGS`, this becomes its options.
 */
export const ENV_PARSE_OPTIONS = { merge: true, prettyErrors: false, keepSourceTokens: false, uniqueKeys: true, customTags: COMPOSE_MERGE_TAGS } as const;

/** Parses one file of an environment; problems are in the file's own offsets. */
export function parseEnvYaml(text: string): ParsedYaml {
  const parsed = parseAllDocuments(text, ENV_PARSE_OPTIONS);
  // An empty stream comes back as a non-array "EmptyStream" object.
  const docs = Array.isArray(parsed) ? parsed : [];
  const span = (pos: [number, number]): Span => {
    const start = Math.min(pos[0], text.length);
    return { start, end: Math.min(Math.max(pos[1], start), text.length) };
  };
  const problems = docs.flatMap((doc) => [
    ...doc.errors.map((e) => ({ span: span(e.pos), message: e.message.split('\n')[0], isError: true })),
    ...doc.warnings.map((w) => ({ span: span(w.pos), message: w.message.split('\n')[0], isError: false })),
  ]);
  return { docs, problems };
}

export function hasTag(node: unknown, tag: string): boolean {
  return !!node && typeof node === 'object' && (node as Node).tag === tag;
}

/** A null written as such (`key:`, `key: null`, `key: ~`), not a reset. */
export function isPlainNull(node: unknown): boolean {
  return isScalar(node) && node.value === null && !node.tag;
}

/** Where each alias of the merged document must be looked up, and what a node reads as. */
export interface ViewSources {
  /** The anchors of the file holding this virtual offset. */
  anchorsAt(offset: number): AnchorIndex | undefined;
  /** The node rules should see for a node (an interpolated scalar), or the node itself. */
  effective?(node: Node): Node;
}

/**
 * YamlView over a merged document. Aliases resolve among the anchors of the file that wrote them (a
 * merged tree may no longer contain an overridden anchor, and two files may reuse an anchor name);
 * values read through the view are the effective ones (Compose interpolation), with the original
 * node's range.
 */
export class EnvView extends YamlView {
  constructor(
    doc: YamlView['doc'],
    text: string,
    private readonly sources: ViewSources,
  ) {
    super(doc, text);
  }

  override resolve(node: unknown): Node | undefined {
    let n: Node | undefined;
    if (isAlias(node)) {
      const anchors = this.sources.anchorsAt(node.range?.[0] ?? -1);
      n = anchors ? resolveNode(node, anchors) : undefined;
    } else n = (node as Node | undefined) ?? undefined;
    return n && this.sources.effective ? this.sources.effective(n) : n;
  }
}
