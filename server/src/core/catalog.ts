// Facts derived from the registered kinds and their rules, for everything that describes prodready
// rather than analyses a file: docs links, settings schemas, the README, the Readiness view, the scan.

import { matchesGlob } from './glob';
import { KindModule } from './kind';
import { kindModules, onKindsChanged, variantOf } from './registry';
import { FileKind, RuleMeta } from './types';

interface Catalog {
  metas: Map<string, RuleMeta>;
  kinds: Map<string, FileKind[]>;
}

let catalog: Catalog | undefined;
onKindsChanged(() => (catalog = undefined));

function build(): Catalog {
  if (catalog) return catalog;
  const metas = new Map<string, RuleMeta>();
  const kinds = new Map<string, FileKind[]>();
  for (const m of kindModules()) {
    for (const meta of [...m.syntaxRules, ...m.rules.map((r) => r.meta)]) {
      if (!metas.has(meta.id)) metas.set(meta.id, meta);
      const list = kinds.get(meta.id) ?? [];
      if (!list.includes(m.kind)) list.push(m.kind);
      kinds.set(meta.id, list);
    }
  }
  catalog = { metas, kinds };
  return catalog;
}

/** Every rule's metadata (syntax rules included), in registration order. */
export function allRuleMetas(): RuleMeta[] {
  return [...build().metas.values()];
}

/** Looked up once per finding by the server: a map, built on first use. */
export function ruleMeta(id: string): RuleMeta | undefined {
  return build().metas.get(id);
}

/** The kinds whose modules register the rule (yaml/syntax: compose and Helm values). */
export function ruleKinds(id: string): FileKind[] {
  return build().kinds.get(id) ?? [];
}

/** The rule's documentation page, relative to the product root ('/'-separated). */
export { docsPath } from './docs';

/** The kind a rule namespace belongs to (`helm` → `helm-values`): the first kind registering such a rule. */
export function kindOfNamespace(namespace: string): FileKind | undefined {
  for (const [id, kinds] of build().kinds) if (id.startsWith(`${namespace}/`) && kinds.length === 1) return kinds[0];
  return undefined;
}

/** How the Readiness view shows a file of this kind (and variant). */
export function kindPresentation(kind: FileKind | undefined, variant?: string): { label: string; icon: string } | undefined {
  const mod = kindModules().find((m) => m.kind === kind);
  if (!mod) return undefined;
  return { label: variantOf(kind, variant)?.label ?? mod.label, icon: mod.icon };
}

/** Globs of every file the workspace scan reads and the server watches. */
export function scanGlobs(): string[] {
  return unique(kindModules().flatMap((m) => m.scanGlobs));
}

/** Globs of files other files' analyses depend on (watched, never analysed for themselves). */
export function dependencyGlobs(): string[] {
  return unique(kindModules().flatMap((m) => m.dependencyGlobs ?? []));
}

/** Whether the scan should read this file at all (detection then decides). */
export function isScanCandidate(path: string): boolean {
  return kindModules().some((m: KindModule<any>) => m.scanGlobs.some((g) => matchesGlob(path, g)));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
