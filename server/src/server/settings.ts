// Settings per resource (workspace folder / file), read with workspace/configuration and cached until
// the client says they changed. Invalid values are ignored (and logged) rather than trusted.

import { Connection } from 'vscode-languageserver';
import { settingsFromConfig } from '../core/settings';
import { Settings } from '../core/types';
import { CONFIG_SECTION } from '../../../common/protocol';

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

  /**
   * From the initialize request: whether the client answers workspace/configuration, and settings
   * given inline (`initializationOptions.settings` or `initializationOptions.prodready`), the base that
   * the client's answers to workspace/configuration override.
   */
  initialize(supportsConfiguration: boolean, initializationOptions: unknown): void {
    this.supportsConfiguration = supportsConfiguration;
    const options = initializationOptions as Record<string, unknown> | undefined;
    this.setFallback(options?.settings ?? options?.[CONFIG_SECTION]);
  }

  /**
   * workspace/didChangeConfiguration: forget what was read. Settings sent along (`{ prodready: … }`,
   * as Neovim, Helix and Sublime do) replace the inline base, whether or not the client also answers
   * workspace/configuration.
   */
  changed(settings: unknown): void {
    this.clear();
    const inline = (settings as Record<string, unknown> | undefined)?.[CONFIG_SECTION];
    if (inline && typeof inline === 'object') this.setFallback(inline);
  }

  private setFallback(inline: unknown): void {
    this.fallback = settingsFromConfig(inline, this.log);
    this.fallbackServer = serverSettingsFromConfig(inline, undefined, this.log);
  }

  get(uri: string): Promise<Partial<Settings>> {
    if (!this.supportsConfiguration) return Promise.resolve(this.fallback);
    let p = this.cache.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: CONFIG_SECTION })
        // A client with nothing configured for the section answers null: the inline settings stand.
        .then((raw) => ({ ...this.fallback, ...settingsFromConfig(raw, this.log) }))
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
        .then(([raw, files]: unknown[]) =>
          raw && typeof raw === 'object' ? serverSettingsFromConfig(raw, files, this.log) : { ...this.fallbackServer, ...serverSettingsFromConfig({}, files, this.log) },
        )
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
