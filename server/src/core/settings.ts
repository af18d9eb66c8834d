// Settings as the user writes them (VS Code's `prodready.*`, a CLI settings file) → validated core
// Settings. Invalid values are ignored and said, never trusted.

import { joinPath } from './paths';
import { kindNames } from './registry';
import { DEFAULT_SETTINGS, EnvironmentDeclaration, Settings, SeveritySetting } from './types';

const SEVERITIES = new Set<SeveritySetting>(['off', 'hint', 'information', 'warning', 'error']);

export function resolveSettings(partial?: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, ...partial, rules: { ...partial?.rules }, files: { ...partial?.files }, environments: { ...partial?.environments } };
}

/** Reads the `prodready` section (without the prefix); `log` hears about every value it ignores. */
export function settingsFromConfig(raw: unknown, log: (m: string) => void): Partial<Settings> {
  const out: Partial<Settings> = {};
  if (!raw || typeof raw !== 'object') return out;
  const cfg = raw as Record<string, unknown>;
  if (cfg.rules && typeof cfg.rules === 'object') {
    out.rules = {};
    for (const [id, v] of Object.entries(cfg.rules as Record<string, unknown>)) {
      const sev = v === 'info' ? 'information' : v;
      if (SEVERITIES.has(sev as SeveritySetting)) out.rules[id] = sev as SeveritySetting;
      else log(`ignoring prodready.rules["${id}"]: "${String(v)}" is not one of off, information, warning, error`);
    }
  }
  if (cfg.minReplicas !== undefined) {
    const n = Number(cfg.minReplicas);
    if (Number.isInteger(n) && n >= 1 && n <= 1000) out.minReplicas = n;
    else log(`ignoring prodready.minReplicas: ${String(cfg.minReplicas)} is not a whole number from 1 to 1000`);
  }
  if (cfg.files && typeof cfg.files === 'object') {
    out.files = {};
    const names = new Set([...kindNames(), 'off']);
    for (const [glob, kind] of Object.entries(cfg.files as Record<string, unknown>)) {
      if (typeof kind === 'string' && names.has(kind)) out.files[glob] = kind;
      else log(`ignoring prodready.files["${glob}"]: "${String(kind)}" is not one of ${[...names].join(', ')}`);
    }
  }
  if (typeof cfg.checkNonProductionFiles === 'boolean') out.checkNonProductionFiles = cfg.checkNonProductionFiles;
  if (cfg.maxFileSize !== undefined) {
    const n = Number(cfg.maxFileSize);
    if (Number.isFinite(n) && n > 0) out.maxFileSize = n;
    else log(`ignoring prodready.maxFileSize: ${String(cfg.maxFileSize)} is not a positive number`);
  }
  if (cfg.environments !== undefined) out.environments = environmentsFromConfig(cfg.environments, log);
  if (cfg.productionEnvironments !== undefined) {
    if (strings(cfg.productionEnvironments)) out.productionEnvironments = cfg.productionEnvironments.map((n) => n.trim()).filter((n) => n !== '');
    else log('ignoring prodready.productionEnvironments: not a non-empty array of environment names');
  }
  return out;
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== '');

/** `prodready.environments`: each declaration kept only when its shape is right (see EnvironmentDeclaration). */
function environmentsFromConfig(raw: unknown, log: (m: string) => void): Record<string, EnvironmentDeclaration> {
  const out: Record<string, EnvironmentDeclaration> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    log('ignoring prodready.environments: not an object of environments by name');
    return out;
  }
  const list = (v: unknown): Record<string, unknown>[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as Record<string, unknown>[];
  for (const [name, decl] of Object.entries(raw as Record<string, unknown>)) {
    const d = (decl ?? {}) as Record<string, unknown>;
    const helm = list(d.helm);
    const compose = list(d.compose);
    const helmOk = helm.every((h) => h && typeof h.chart === 'string' && strings(h.values));
    const composeOk = compose.every((c) => c && strings(c.files) && (c.swarm === undefined || typeof c.swarm === 'boolean') && (c.envFile === undefined || typeof c.envFile === 'string'));
    if (typeof decl !== 'object' || !helmOk || !composeOk || (d.production !== undefined && typeof d.production !== 'boolean')) {
      log(`ignoring prodready.environments["${name}"]: expected { production?, helm?: { chart, values: [...] }, compose?: { files: [...], swarm?, envFile? } }`);
      continue;
    }
    out[name] = decl as EnvironmentDeclaration;
  }
  return out;
}

/**
 * Declared environments with their paths made absolute from `folder` (the project configuration file's
 * own folder, which its paths are relative to, whatever folder the editor or the CLI runs from).
 */
export function environmentsFrom(folder: string, environments: Record<string, EnvironmentDeclaration>): Record<string, EnvironmentDeclaration> {
  const list = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const out: Record<string, EnvironmentDeclaration> = {};
  for (const [name, decl] of Object.entries(environments)) {
    out[name] = {
      ...decl,
      helm: list(decl.helm)?.map((h) => ({ ...h, chart: joinPath(folder, h.chart) })),
      compose: list(decl.compose)?.map((c) => ({ ...c, files: c.files.map((f) => joinPath(folder, f)), envFile: c.envFile === undefined ? undefined : joinPath(folder, c.envFile) })),
    };
  }
  return out;
}
