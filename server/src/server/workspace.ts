// The workspace scan as the language server runs it: the scanner's jobs go to the analysis worker in
// the background, its progress is window/workDoneProgress, file events come from the watchers the
// server registers for the kinds' globs, and closed files' findings become diagnostics when
// prodready.workspaceDiagnostics asks for it. Walking, the store and the scan itself live in workspace/.

import {
  ClientCapabilities,
  Connection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  FileEvent,
  WatchKind,
  WorkspaceFolder,
} from 'vscode-languageserver';
import { dependencyGlobs, scanGlobs } from '../core/catalog';
import { AnalysisRunner, Superseded } from './analysisRunner';
import { toDiagnosticAt } from './convert';
import { SettingsCache } from './settings';
import { keyOf } from './uris';
import { WorkDoneProgress } from './workspace/progress';
import { FileChange, WorkspaceScanner } from './workspace/scanner';
import { ResultStore, StoredResult } from './workspace/store';

/** The globs the client is asked to watch: every file a kind scans or depends on. */
export function watchedGlobs(): string[] {
  return [...new Set([...scanGlobs(), ...dependencyGlobs(), PROJECT_CONFIG_GLOB])];
}

/** The team's project configuration files (.prodready.yaml, .yml, .json). */
export const PROJECT_CONFIG_GLOB = '**/.prodready.{yaml,yml,json}';

/** Deletions anywhere: a deleted folder arrives as one event for the folder, which the globs above miss. */
const DELETIONS = { globPattern: '**/*', kind: WatchKind.Delete };

const CHANGE_TYPES: Record<FileChangeType, FileChange['type']> = {
  [FileChangeType.Created]: 'created',
  [FileChangeType.Changed]: 'changed',
  [FileChangeType.Deleted]: 'deleted',
};

export interface WorkspaceDeps {
  connection: Connection;
  runner: AnalysisRunner;
  settings: SettingsCache;
  store: ResultStore;
  docsUrl: (ruleId: string) => string | undefined;
  /** Whether a document is open in the editor (its diagnostics then come from the editor's text). */
  isOpen: (key: string) => boolean;
  /** Whether a scan is running changed (the report says so). */
  onScanningChanged: () => void;
  log: (m: string) => void;
}

export class Workspace {
  readonly scanner: WorkspaceScanner;
  /** Closed files whose findings are published as diagnostics (prodready.workspaceDiagnostics): key → uri. */
  private readonly published = new Map<string, string>();
  /**
   * The scan runs only for clients that use it: one that asks for the readiness report (the VS Code
   * sidebar), or a folder whose settings turn on prodready.workspaceDiagnostics. A plain LSP client
   * (Neovim, Helix, Emacs) pays nothing for it. Until then the folders are only remembered.
   */
  private started = false;
  private folders: WorkspaceFolder[] = [];

  constructor(private readonly deps: WorkspaceDeps) {
    const { runner, settings } = deps;
    this.scanner = new WorkspaceScanner({
      store: deps.store,
      analyse: ({ key, text, settings: fileSettings }) =>
        runner
          .run({ key: `scan:${key}`, input: { text, path: key, settings: fileSettings }, priority: 'background', cached: false })
          .catch((e) => {
            if (e instanceof Superseded) return undefined;
            throw e;
          }),
      settings: async (uri) => {
        const [core, server] = await Promise.all([settings.get(uri), settings.server(uri)]);
        return { core, server };
      },
      progress: (onCancel) => new WorkDoneProgress(deps.connection, onCancel),
      onScanningChanged: deps.onScanningChanged,
      log: deps.log,
    });
    deps.store.onDidChange((key, _before, after) => this.publish(key, after));
  }

  /** Asks the client to send file events for what the kinds scan and depend on (when it can be asked). */
  async watchFiles(capabilities: ClientCapabilities | undefined): Promise<void> {
    if (!capabilities?.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    await this.deps.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [...watchedGlobs().map((globPattern) => ({ globPattern })), DELETIONS],
    });
  }

  /** The workspace folders; scanned now if the scan has started, else when something asks for it. */
  async setFolders(folders: WorkspaceFolder[]): Promise<void> {
    this.folders = folders.filter((f) => typeof f?.uri === 'string');
    if (this.started) return this.scanner.setFolders(this.folders.map((f) => f.uri));
    if (await this.wantsDiagnostics()) return this.start();
  }

  /** The path of the workspace folder holding a file (the innermost), which declared environments are relative to. */
  folderOf(path: string): string | undefined {
    let found: string | undefined;
    for (const folder of this.folders) {
      const root = keyOf(folder.uri).replace(/\/+$/, '');
      if (path.startsWith(`${root}/`) && (!found || root.length > found.length)) found = root;
    }
    return found;
  }

  /** Starts the scan (once): the first readiness request, a rescan, or the diagnostics setting. */
  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    this.deps.log('workspace scan started');
    return this.scanner.setFolders(this.folders.map((f) => f.uri));
  }

  get isStarted(): boolean {
    return this.started;
  }

  private async wantsDiagnostics(): Promise<boolean> {
    for (const folder of this.folders) if ((await this.deps.settings.server(folder.uri)).workspaceDiagnostics) return true;
    return false;
  }

  changeFolders(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    // A client may send folders that are not URIs at all: ignore those, say so, keep serving.
    const valid = (f: WorkspaceFolder) => {
      if (typeof f?.uri === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(f.uri)) return true;
      this.deps.log(`ignoring workspace folder ${JSON.stringify(f)}: not a URI`);
      return false;
    };
    added = (added ?? []).filter(valid);
    removed = (removed ?? []).filter(valid);
    const gone = new Set(removed.map((f) => f.uri));
    this.folders = [...this.folders.filter((f) => !gone.has(f.uri)), ...added];
    if (!this.started) return;
    this.scanner.changeFolders(
      added.map((f) => f.uri),
      removed.map((f) => f.uri),
    );
  }

  filesChanged(events: FileEvent[]): void {
    if (!this.started) return;
    this.scanner.filesChanged(events.map((e) => ({ uri: e.uri, type: CHANGE_TYPES[e.type] })));
  }

  /** Settings changed: the scanner rescans when it must; otherwise only the diagnostics setting may have. */
  async settingsChanged(): Promise<void> {
    if (!this.started) {
      if (await this.wantsDiagnostics()) await this.start();
      return;
    }
    if (await this.scanner.settingsChanged()) return;
    for (const key of this.deps.store.keys()) this.publish(key, this.deps.store.get(key));
  }

  /** An open document's diagnostics come from the editor from now on. */
  documentOpened(key: string): void {
    this.published.delete(key);
  }

  /** A closed document's findings from disk are published again (when the setting asks for it). */
  documentClosed(key: string): void {
    this.publish(key, this.deps.store.get(key));
  }

  shutdown(): void {
    this.scanner.shutdown();
  }

  /** Publishes (or clears) a closed file's findings as diagnostics, per prodready.workspaceDiagnostics. */
  private publish(key: string, stored: StoredResult | undefined): void {
    if (this.deps.isOpen(key)) return;
    const { connection, docsUrl } = this.deps;
    const result = stored?.result;
    const wanted = !!result?.kind && !result.skipped && !!this.scanner.serverSettingsOf(key)?.workspaceDiagnostics;
    if (wanted) {
      this.published.set(key, stored!.uri);
      const diagnostics = result!.findings.map((f, i) => toDiagnosticAt(stored!.ranges[i], f, docsUrl));
      void connection.sendDiagnostics({ uri: stored!.uri, diagnostics });
    } else {
      const uri = this.published.get(key);
      if (uri === undefined) return;
      this.published.delete(key);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }
}
