// Settings per resource (workspace folder / file), read with workspace/configuration and cached until
// the client says they changed. Invalid values are ignored (and logged) rather than trusted.
//
// Precedence, lowest first: the defaults; settings given inline (initializationOptions,
// didChangeConfiguration); the team's project configuration file (.prodready.yaml, the nearest one
// above the file, up to the repository root); the settings the user set explicitly in the editor (the
// VS Code client answers workspace/configuration with explicitly set values only).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from 'vscode-languageserver';
import { ConfigError, findProjectConfig, ProjectConfig, readProjectConfig } from '../host/config';
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
  /** Project configuration files read so far (path → its settings, or the error that made it invalid). */
  private readonly projects = new Map<string, ProjectConfig | ConfigError>();
  private readonly projectDirs = new Map<string, string | null>();
  /** Told about a project configuration file that is invalid (once per read), or valid again. */
  onProjectConfig?: (file: string, error: ConfigError | undefined) => void;

  constructor(
    private readonly connection: Connection,
    private readonly log: (m: string) => void,
  ) {}

  /** The project configuration that applies to a resource (undefined when there is none, or it is invalid). */
  project(uri: string): ProjectConfig | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let file: string | undefined;
    try {
      const fsPath = fileURLToPath(uri);
      // A workspace folder is looked up from itself, a file from its folder.
      const dir = fs.existsSync(fsPath) && fs.statSync(fsPath).isDirectory() ? fsPath : path.dirname(fsPath);
      file = findProjectConfig(dir, this.projectDirs);
    } catch {
      return undefined;
    }
    if (!file) return undefined;
    let config = this.projects.get(file);
    if (!config) {
      try {
        config = readProjectConfig(file);
        this.onProjectConfig?.(file, undefined);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        config = e;
        this.log(`invalid project configuration, defaults used: ${e.message}`);
        this.onProjectConfig?.(file, e);
      }
      this.projects.set(file, config);
    }
    return config instanceof ConfigError ? undefined : config;
  }

  /** A project configuration file changed, appeared or went: read them again. */
  projectChanged(): void {
    this.projects.clear();
    this.projectDirs.clear();
    this.clear();
  }

  /** The inline base and the project file under what the client says, rules and files merged by key. */
  private layered(uri: string, client: Partial<Settings>): Partial<Settings> {
    const project = this.project(uri)?.settings ?? {};
    const layers = [this.fallback, project, client];
    return Object.assign({}, ...layers, {
      rules: Object.assign({}, ...layers.map((l) => l.rules)),
      files: Object.assign({}, ...layers.map((l) => l.files)),
    });
  }

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
    if (!this.supportsConfiguration) return Promise.resolve(this.layered(uri, {}));
    let p = this.cache.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: CONFIG_SECTION })
        // A client with nothing configured for the section answers null: the layers below stand.
        .then((raw) => this.layered(uri, settingsFromConfig(raw, this.log)))
        .catch((e) => {
          this.log(`could not read settings for ${uri}: ${e}`);
          return this.layered(uri, {});
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
        .then(([raw, files]: unknown[]) => {
          const server = raw && typeof raw === 'object' ? serverSettingsFromConfig(raw, files, this.log) : { ...this.fallbackServer, ...serverSettingsFromConfig({}, files, this.log) };
          // The team's excludes apply in the editor's scan too, unless the user set their own.
          const project = this.project(uri);
          if (project?.exclude.length && !(raw as { exclude?: unknown } | null)?.exclude) server.exclude = project.exclude;
          return server;
        })
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
