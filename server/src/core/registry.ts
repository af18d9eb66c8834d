// The file kinds prodready understands, in detection order: name matches are tried for every kind
// before any content sniffing. Everything else (the engine, the server, the CLI, the client) asks here.

import { composeModule } from './compose';
import { haproxyModule } from './haproxy';
import { helmModule } from './helm';
import { KindModule, KindVariant } from './kind';
import { nginxModule } from './nginx';
import { FileKind } from './types';

const modules: KindModule<any>[] = [helmModule, composeModule, nginxModule, haproxyModule];
const listeners: (() => void)[] = [];

/** The registered kinds, in detection order. */
export function kindModules(): readonly KindModule<any>[] {
  return modules;
}

/**
 * Adds a kind (tests add a toy kind to prove nothing outside the registry knows the kinds). It is tried
 * after the built-in ones.
 */
export function registerKind(mod: KindModule<any>): () => void {
  if (modules.some((m) => m.kind === mod.kind)) throw new Error(`file kind ${mod.kind} is registered already`);
  modules.push(mod);
  changed();
  return () => {
    const i = modules.indexOf(mod);
    if (i >= 0) modules.splice(i, 1);
    changed();
  };
}

/** Called when kinds are added or removed, so caches derived from them are rebuilt. */
export function onKindsChanged(listener: () => void): void {
  listeners.push(listener);
}

function changed(): void {
  for (const l of listeners) l();
}

export function kindModule(kind: FileKind): KindModule<any> {
  const mod = modules.find((m) => m.kind === kind);
  if (!mod) throw new Error(`no module for file kind ${kind}`);
  return mod;
}

/**
 * A name used in `prodready.files` or `--kind`: a kind id (variant: null, its plain form) or a variant
 * id (that kind and variant).
 */
export function resolveKindName(name: string): { mod: KindModule<any>; variant: string | null } | undefined {
  for (const mod of modules) {
    if (mod.kind === name) return { mod, variant: null };
    if (mod.variants?.some((v) => v.id === name)) return { mod, variant: name };
  }
  return undefined;
}

/** Every name `prodready.files` and `--kind` accept (kinds and their variants). */
export function kindNames(): string[] {
  return modules.flatMap((m) => [m.kind, ...(m.variants ?? []).map((v) => v.id)]);
}

export function variantOf(kind: FileKind | undefined, variant: string | undefined): KindVariant | undefined {
  if (!kind || !variant) return undefined;
  return modules.find((m) => m.kind === kind)?.variants?.find((v) => v.id === variant);
}
