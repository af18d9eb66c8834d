// YAML parsing and reading for environments: the Compose Specification's merge tags as valid tags,
// and a view that resolves every alias in the file that wrote it (each file of an environment has
// its own anchors, and a merged document holds nodes of several files).

import { isAlias, isScalar, Node } from 'yaml';
import { YamlView } from '../yaml/nav';
import { AnchorIndex, ParsedYaml, parseYaml, resolveNode, YAML_PARSE_OPTIONS } from '../yaml/parse';

export { COMPOSE_MERGE_TAGS, OVERRIDE_TAG, RESET_TAG } from '../yaml/tags';

/** The options every YAML file of an environment is parsed with: the core's own, merge tags included. */
export const ENV_PARSE_OPTIONS = YAML_PARSE_OPTIONS;

/** Parses one file of an environment; problems are in the file's own offsets. */
export function parseEnvYaml(text: string): ParsedYaml {
  return parseYaml(text);
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
