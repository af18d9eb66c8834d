// Settings per resource (workspace folder / file), read with workspace/configuration and cached until
// the client says they changed. Invalid values are ignored (and logged) rather than trusted.

import { Connection } from 'vscode-languageserver';
import { FILE_KINDS, Settings, SeveritySetting } from '../core/types';
import { CONFIG_SECTION } from '../protocol';

const SEVERITIES = new Set<SeveritySetting>(['off', 'hint', 'information', 'warning', 'error']);
const FILE_SETTING_KINDS = new Set<string>([...FILE_KINDS, 'swarm-stack', 'off']);

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
    for (const [glob, kind] of Object.entries(cfg.files as Record<string, unknown>)) {
      if (typeof kind === 'string' && FILE_SETTING_KINDS.has(kind)) out.files[glob] = kind as Settings['files'][string];
      else log(`ignoring prodready.files["${glob}"]: "${String(kind)}" is not a file kind`);
    }
  }
  if (typeof cfg.checkNonProductionFiles === 'boolean') out.checkNonProductionFiles = cfg.checkNonProductionFiles;
  if (cfg.maxFileSize !== undefined) {
    const n = Number(cfg.maxFileSize);
    if (Number.isFinite(n) && n > 0) out.maxFileSize = n;
  }
  return out;
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<Partial<Settings>>>();
  /** Set from initializationOptions when the client cannot answer workspace/configuration. */
  fallback: Partial<Settings> = {};
  supportsConfiguration = false;

  constructor(
    private readonly connection: Connection,
    private readonly log: (m: string) => void,
  ) {}

  get(uri: string): Promise<Partial<Settings>> {
    if (!this.supportsConfiguration) return Promise.resolve(this.fallback);
    let p = this.cache.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: CONFIG_SECTION })
        .then((raw) => settingsFromConfig(raw, this.log))
        .catch((e) => {
          this.log(`could not read settings for ${uri}: ${e}`);
          return this.fallback;
        });
      this.cache.set(uri, p);
    }
    return p;
  }

  clear(): void {
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
