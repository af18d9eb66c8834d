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

/** Settings only the server reads (the core never sees them): which files the workspace scan skips and
 * whether closed files' findings become diagnostics. */
export interface ServerSettings {
  /** `prodready.exclude`: configs the scan skips (and lists as excluded). */
  exclude: string[];
  /** The user's `files.exclude` globs that are simply `true`: hidden from the explorer, never scanned. */
  filesExclude: string[];
  workspaceDiagnostics: boolean;
}

export function serverSettingsFromConfig(raw: unknown, filesSection: unknown, log: (m: string) => void): ServerSettings {
  const out: ServerSettings = { exclude: [], filesExclude: [], workspaceDiagnostics: false };
  const cfg = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (Array.isArray(cfg.exclude)) {
    for (const glob of cfg.exclude) {
      if (typeof glob === 'string' && glob.trim() !== '') out.exclude.push(glob.trim());
      else log(`ignoring prodready.exclude entry ${JSON.stringify(glob)}: not a glob`);
    }
  } else if (cfg.exclude !== undefined && cfg.exclude !== null) log('ignoring prodready.exclude: not an array of globs');
  if (typeof cfg.workspaceDiagnostics === 'boolean') out.workspaceDiagnostics = cfg.workspaceDiagnostics;
  // files.exclude maps glob → true | false | {when: …}; a `when` clause depends on sibling files the
  // user sees in the explorer (e.g. generated .js next to .ts) and has no meaning for configs.
  const filesExclude = filesSection && typeof filesSection === 'object' ? (filesSection as Record<string, unknown>).exclude : undefined;
  if (filesExclude && typeof filesExclude === 'object') {
    for (const [glob, on] of Object.entries(filesExclude as Record<string, unknown>)) if (on === true) out.filesExclude.push(glob);
  }
  return out;
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<Partial<Settings>>>();
  private readonly serverCache = new Map<string, Promise<ServerSettings>>();
  /** Set from initializationOptions when the client cannot answer workspace/configuration. */
  fallback: Partial<Settings> = {};
  fallbackServer: ServerSettings = { exclude: [], filesExclude: [], workspaceDiagnostics: false };
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

  /** The server-only settings for a resource (in practice a workspace folder). */
  server(uri: string): Promise<ServerSettings> {
    if (!this.supportsConfiguration) return Promise.resolve(this.fallbackServer);
    let p = this.serverCache.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration([
          { scopeUri: uri, section: CONFIG_SECTION },
          { scopeUri: uri, section: 'files' },
        ])
        .then(([raw, files]: unknown[]) => serverSettingsFromConfig(raw, files, this.log))
        .catch((e) => {
          this.log(`could not read settings for ${uri}: ${e}`);
          return this.fallbackServer;
        });
      this.serverCache.set(uri, p);
    }
    return p;
  }

  clear(): void {
    this.cache.clear();
    this.serverCache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.serverCache.delete(uri);
  }
}
