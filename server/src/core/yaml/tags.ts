// The Compose Specification's merge tags, valid YAML in every file the core parses: a compose overlay
// uses them, and a single file holding one must not read as broken.

import { CollectionTag, ScalarTag } from 'yaml';

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
