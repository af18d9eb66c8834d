// Which environments a file belongs to, found with zero configuration from file names (probing with
// FileAccess.exists: there is no directory listing), unless the settings declare environments, which
// win over discovery for the charts and compose files they cover.
//
// Helm (a chart = a folder with Chart.yaml): base `values.yaml`; overlays `values-<env>.yaml`,
// `values.<env>.yaml`, `values_<env>.yaml`, `<env>-values.yaml`, `<env>.values.yaml`,
// `values/<env>.yaml` (`.yml` too).
// Compose: base `<base>.yml`; overlays `<base>.<env>.yml`, `<base>-<env>.yml` (`.yaml` too);
// `<base>.override.yml` is what `docker compose up` merges by default: a development layer.
// A base with no production overlay is itself what production runs.

import { basename, dirname, joinPath } from '../paths';
import { DEFAULT_SETTINGS, EnvironmentDeclaration, FileAccess } from '../types';
import { fileExists } from './model';

export type { ComposeDeclaration, EnvironmentDeclaration, HelmDeclaration } from '../types';

export interface EnvironmentSettings {
  /** Environment names that mean production (compared case-insensitively). */
  productionNames: string[];
  environments: Record<string, EnvironmentDeclaration>;
}

export const DEFAULT_ENVIRONMENT_SETTINGS: EnvironmentSettings = { productionNames: DEFAULT_SETTINGS.productionEnvironments, environments: {} };

/** Whether an environment of this name is production (compared case-insensitively). */
export function isProductionName(name: string, productionNames = DEFAULT_ENVIRONMENT_SETTINGS.productionNames): boolean {
  return productionNames.some((n) => n.toLowerCase() === name.toLowerCase());
}

export type EnvUnit = { kind: 'helm'; chartDir: string; values: string[] } | { kind: 'compose'; files: string[]; swarm?: boolean; envFile?: string };

export interface DiscoveredEnvironment {
  name: string;
  production: boolean;
  /** From the settings rather than from file names. */
  declared: boolean;
  unit: EnvUnit;
  /** The user's files, in merge order (for Helm, subchart defaults come on top when it is built). */
  files: string[];
}

export interface FileEnvironments {
  /**
   * `base`: overlays build on it; `overlay`: it is applied over a base; `standalone`: it deploys alone
   * (or is in no environment: then `environments` is empty and it is analysed on its own, as today).
   */
  role: 'base' | 'overlay' | 'standalone';
  environments: DiscoveredEnvironment[];
}

export interface DiscoveryOptions {
  /** Folder declared paths are relative to; absolute, '/'-separated. */
  root?: string;
  settings?: Partial<EnvironmentSettings>;
}

export type DiscoveryKind = 'helm' | 'compose';

const EXTENSIONS = ['yaml', 'yml'];

/** The environments a file is part of, and its role in them. */
export function discoverEnvironments(path: string, kind: DiscoveryKind, access: FileAccess, options: DiscoveryOptions = {}): FileEnvironments {
  const settings = { ...DEFAULT_ENVIRONMENT_SETTINGS, ...options.settings };
  const isProduction = (name: string) => settings.productionNames.some((n) => n.toLowerCase() === name.toLowerCase());
  const declared = declaredEnvironments(settings, options.root ?? '/', isProduction).filter((e) => e.unit.kind === kind);
  const mine = declared.filter((e) => e.files.includes(path));
  if (mine.length) return { role: roleIn(path, mine), environments: mine };
  const found = kind === 'helm' ? discoverHelm(path, access, settings.productionNames, isProduction) : discoverCompose(path, access, settings.productionNames, isProduction);
  // Declarations covering this chart or this base file replace discovery there.
  const covered = found.environments.some((e) => declared.some((d) => sameUnit(d.unit, e.unit)));
  return covered ? { role: 'standalone', environments: [] } : found;
}

function roleIn(path: string, envs: DiscoveredEnvironment[]): FileEnvironments['role'] {
  if (envs.some((e) => e.files.indexOf(path) > 0)) return 'overlay';
  return envs.some((e) => e.files.length > 1) ? 'base' : 'standalone';
}

function sameUnit(a: EnvUnit, b: EnvUnit): boolean {
  if (a.kind === 'helm' && b.kind === 'helm') return a.chartDir === b.chartDir;
  return a.kind === 'compose' && b.kind === 'compose' && a.files[0] === b.files[0];
}

/** Every declared environment, its paths made absolute. */
export function declaredEnvironments(settings: EnvironmentSettings, root: string, isProduction: (name: string) => boolean): DiscoveredEnvironment[] {
  const out: DiscoveredEnvironment[] = [];
  for (const [name, decl] of Object.entries(settings.environments ?? {})) {
    const production = decl.production ?? isProduction(name);
    for (const h of asList(decl.helm)) {
      const chartDir = joinPath(root, h.chart);
      const values = h.values.map((v) => joinPath(chartDir, v));
      out.push({ name, production, declared: true, unit: { kind: 'helm', chartDir, values }, files: values });
    }
    for (const c of asList(decl.compose)) {
      const files = c.files.map((f) => joinPath(root, f));
      const unit: EnvUnit = { kind: 'compose', files, swarm: c.swarm, envFile: c.envFile === undefined ? undefined : joinPath(root, c.envFile) };
      out.push({ name, production, declared: true, unit, files });
    }
  }
  return out;
}

function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function firstExisting(access: FileAccess, candidates: string[]): string | undefined {
  return candidates.find((c) => fileExists(access, c));
}

// ---------------------------------------------------------------------------------------------------

function helmOverlayNames(env: string): string[] {
  return [`values-${env}`, `values.${env}`, `values_${env}`, `${env}-values`, `${env}.values`, `values/${env}`];
}

/** The environment an overlay's name gives: `values-prod.yaml` → prod, `values/live.yml` → live. */
function helmOverlayEnv(chartDir: string, path: string): string | undefined {
  const rel = path.slice(chartDir.length + 1).replace(/\.ya?ml$/i, '');
  const m = /^(?:values[-._]([^/]+)|([^/]+?)[-.]values|values\/([^/]+))$/i.exec(rel);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function discoverHelm(path: string, access: FileAccess, productionNames: string[], isProduction: (n: string) => boolean): FileEnvironments {
  const dir = dirname(path);
  const chartDir = fileExists(access, joinPath(dir, 'Chart.yaml'))
    ? dir
    : basename(dir) === 'values' && fileExists(access, joinPath(dirname(dir), 'Chart.yaml'))
      ? dirname(dir)
      : undefined;
  if (!chartDir) return { role: 'standalone', environments: [] };
  const base = firstExisting(access, EXTENSIONS.map((e) => joinPath(chartDir, `values.${e}`)));
  const env = (name: string, files: string[]): DiscoveredEnvironment => ({ name, production: isProduction(name), declared: false, unit: { kind: 'helm', chartDir, values: files }, files });
  if (path === base) {
    const overlays: DiscoveredEnvironment[] = [];
    for (const name of productionNames) {
      const overlay = firstExisting(access, helmOverlayNames(name).flatMap((n) => EXTENSIONS.map((e) => joinPath(chartDir, `${n}.${e}`))));
      if (overlay) overlays.push(env(name, [base, overlay]));
    }
    return overlays.length ? { role: 'base', environments: overlays } : { role: 'standalone', environments: [env('production', [base])] };
  }
  const name = helmOverlayEnv(chartDir, path);
  if (name === undefined) return { role: 'standalone', environments: [env('production', [path])] };
  return { role: 'overlay', environments: [env(name, base ? [base, path] : [path])] };
}

// ---------------------------------------------------------------------------------------------------

const OVERRIDE = 'override';

function discoverCompose(path: string, access: FileAccess, productionNames: string[], isProduction: (n: string) => boolean): FileEnvironments {
  const dir = dirname(path);
  const m = /^(.*)\.(ya?ml)$/i.exec(basename(path));
  if (!m) return { role: 'standalone', environments: [] };
  const stem = m[1];
  const env = (name: string, files: string[], production = isProduction(name)): DiscoveredEnvironment => ({
    name,
    production,
    declared: false,
    unit: { kind: 'compose', files },
    files,
  });
  // An overlay: `<base>.<env>.yml` or `<base>-<env>.yml` next to `<base>.yml`.
  const overlay = /^(.+)[.-]([^.-]+)$/.exec(stem);
  if (overlay) {
    const base = firstExisting(access, EXTENSIONS.map((e) => joinPath(dir, `${overlay[1]}.${e}`)));
    if (base) {
      const name = overlay[2];
      if (name.toLowerCase() === OVERRIDE) return { role: 'overlay', environments: [env('development', [base, path], false)] };
      return { role: 'overlay', environments: [env(name, [base, path])] };
    }
  }
  const environments: DiscoveredEnvironment[] = [];
  for (const name of productionNames) {
    const found = firstExisting(access, ['.', '-'].flatMap((sep) => EXTENSIONS.map((e) => joinPath(dir, `${stem}${sep}${name}.${e}`))));
    if (found) environments.push(env(name, [path, found]));
  }
  if (!environments.length) environments.push(env('production', [path], true));
  const override = firstExisting(access, EXTENSIONS.map((e) => joinPath(dir, `${stem}.${OVERRIDE}.${e}`)));
  if (override) environments.push(env('development', [path, override], false));
  return { role: environments.some((e) => e.files.length > 1) ? 'base' : 'standalone', environments };
}
