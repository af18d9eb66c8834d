// Settings as the user writes them (VS Code's `prodready.*`, a CLI settings file) → validated core
// Settings. Invalid values are ignored and said, never trusted.

import { kindNames } from './registry';
import { DEFAULT_SETTINGS, Settings, SeveritySetting } from './types';

const SEVERITIES = new Set<SeveritySetting>(['off', 'hint', 'information', 'warning', 'error']);

export function resolveSettings(partial?: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, ...partial, rules: { ...partial?.rules }, files: { ...partial?.files } };
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
  return out;
}
