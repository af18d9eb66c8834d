// The workspace scan: every deployment config in the workspace folders, analysed from disk so the
// sidebar (and, when asked, the Problems panel) covers files nobody has opened. It runs behind the open
// documents — its jobs are `background` in the AnalysisRunner, one at a time, with a turn of the event
// loop between files — is incremental on watched-file events, can be cancelled (a rescan, the progress
// UI's cancel button, shutdown) and reports progress.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection, Diagnostic, FileChangeType, FileEvent, WorkDoneProgressServerReporter, WorkspaceFolder } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveSettings } from '../core/analyze';
import { dependencyGlobs, isScanCandidate, scanGlobs } from '../core/catalog';
import { decodeText } from '../host/decode';
import { matchesGlob } from '../core/glob';
import { basename, dirname } from '../core/paths';
import { AnalysisResult, Settings, SkipReason } from '../core/types';
import { AnalysisRunner, Superseded } from './analysisRunner';
import { toDiagnostic } from './convert';
import { Entry, entryFor, keyOf, kindByName, ReadinessIndex } from './readiness';
import { ServerSettings, SettingsCache } from './settings';

/** Folders never worth walking: dependencies and version control. */
const PRUNED = new Set(['node_modules', '.git', '.hg', '.svn']);
/** A workspace with more candidate files than this is scanned partially (and says so in the log). */
const MAX_CANDIDATES = 200_000;
/** Batches of watched-file changes at least this big show progress (a checkout, a folder added). */
const VISIBLE_BATCH = 20;

/** The globs the client is asked to watch (when it can register watchers dynamically): the kinds' own. */
export function watchedGlobs(): string[] {
  return [...scanGlobs(), ...dependencyGlobs()];
}

/** File names worth reading at all; detection then decides (most .yml files are not deployment configs). */
export const isCandidate = isScanCandidate;
const SITES_FOLDER = /^sites-(available|enabled)$/i;

interface Folder {
  uri: string;
  /** '/'-separated path, the prefix of its files' keys. */
  key: string;
  fsPath: string;
  core: Partial<Settings>;
  server: ServerSettings;
  /** What, in the settings, decides the scan's results (a change means a rescan). */
  fingerprint?: string;
}

/** Files analysed since the scanner was last idle; shown as progress when it is a scan or a big change. */
interface Batch {
  full: boolean;
  done: number;
  total: number;
  /** Keys found by a full scan's walk (or queued during it): the others are gone from disk. */
  seen: Set<string>;
  progress?: Progress;
}

export interface ScannerDeps {
  connection: Connection;
  runner: AnalysisRunner;
  settings: SettingsCache;
  readiness: ReadinessIndex;
  docsUrl: (ruleId: string) => string | undefined;
  /** Whether a document is open in the editor (its diagnostics then come from the editor's text). */
  isOpen: (key: string) => boolean;
  log: (m: string) => void;
}

export class WorkspaceScanner {
  private folders: Folder[] = [];
  /** Files waiting to be analysed: key → uri, in order. */
  private readonly queue = new Map<string, string>();
  /** Bumped by every rescan, cancel and shutdown: work of an older epoch stops at the next file. */
  private epoch = 0;
  private stopped = false;
  private draining?: Promise<void>;
  private batch?: Batch;
  private idleWaiters: (() => void)[] = [];
  private scans: Promise<void> = Promise.resolve();
  /** Closed files whose findings are published as diagnostics (prodready.workspaceDiagnostics). */
  private readonly published = new Map<string, string>();

  constructor(private readonly deps: ScannerDeps) {}

  /** True while a scan (or a large batch of changes) is running: the report is partial. */
  get scanning(): boolean {
    return this.batch?.progress !== undefined;
  }

  setFolders(folders: WorkspaceFolder[]): Promise<void> {
    this.folders = folders.map((f) => folderOf(f.uri));
    return this.rescan();
  }

  changeFolders(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    const gone = new Set(removed.map((f) => keyOf(f.uri)));
    this.folders = this.folders.filter((f) => !gone.has(f.key));
    for (const folderKey of gone) {
      for (const key of [...this.deps.readiness.diskKeys()]) if (isUnder(key, folderKey) && !this.folderOf(key)) this.remove(key);
      for (const key of [...this.queue.keys()]) if (isUnder(key, folderKey) && !this.folderOf(key)) this.queue.delete(key);
    }
    for (const f of added) {
      if (this.folders.some((x) => x.key === keyOf(f.uri))) continue;
      const folder = folderOf(f.uri);
      this.folders.push(folder);
      const epoch = this.epoch;
      void this.loadSettings(folder)
        .then(() =>
          this.walk(
            folder,
            folder.key,
            (key, uri) => this.enqueue(key, uri),
            () => this.epoch !== epoch || this.stopped,
          ),
        )
        .then(() => this.ensureDraining());
    }
  }

  /** Scans every folder from scratch; resolves when that scan is finished, cancelled or superseded. */
  rescan(): Promise<void> {
    const epoch = ++this.epoch;
    this.queue.clear();
    this.endBatch();
    this.wakeIdle();
    if (this.stopped) return Promise.resolve();
    if (this.folders.length === 0) {
      for (const key of [...this.deps.readiness.diskKeys()]) this.remove(key);
      return Promise.resolve();
    }
    // The batch starts now, so a report requested before the walk begins already says `scanning`.
    const batch = this.startBatch(true);
    const scan = this.scans.then(() => this.fullScan(epoch, batch));
    this.scans = scan.catch((e) => this.deps.log(`workspace scan failed: ${(e as Error).stack ?? e}`));
    return this.scans;
  }

  /** Stops the scan: the user cancelled it (results so far stay). */
  cancel(): void {
    this.epoch++;
    this.queue.clear();
    this.endBatch();
    this.wakeIdle();
  }

  shutdown(): void {
    this.stopped = true;
    this.cancel();
  }

  /** Settings changed: rescan when what decides the results changed, else just (un)publish diagnostics. */
  async settingsChanged(): Promise<void> {
    let rescan = false;
    for (const folder of this.folders) if (await this.loadSettings(folder)) rescan = true;
    if (rescan) {
      void this.rescan();
      return;
    }
    for (const key of [...this.deps.readiness.diskKeys()]) this.publish(key, this.deps.readiness.getDisk(key));
  }

  filesChanged(changes: FileEvent[]): void {
    const deleted = new Set<string>();
    for (const change of changes) {
      if (!change.uri.startsWith('file:')) continue;
      const key = keyOf(change.uri);
      const folder = this.folderOf(key);
      if (!folder || isPruned(key.slice(folder.key.length))) continue;
      const name = basename(key);
      if (change.type === FileChangeType.Deleted) {
        // Handled below, for all the events at once.
        deleted.add(key);
      } else {
        // Events are in order: a file deleted and created again (an atomic save) is there.
        deleted.delete(key);
        if (isCandidate(key)) this.enqueue(key, change.uri);
        else if (change.type === FileChangeType.Created) {
          // Maybe a folder moved into the workspace: its files arrive as this one event.
          const epoch = this.epoch;
          void fs.promises
            .stat(fileURLToPath(change.uri))
            .then((s) =>
              s.isDirectory()
                ? this.walk(
                    folder,
                    key,
                    (k, u) => this.enqueue(k, u),
                    () => this.epoch !== epoch || this.stopped,
                  )
                : undefined,
            )
            .catch(() => undefined)
            .then(() => this.ensureDraining());
        }
      }
      // Siblings whose result depends on this file: a chart's values files on Chart.yaml and
      // values.schema.json, NGINX files on the files they include.
      if (name === 'Chart.yaml' || name === 'values.schema.json') this.enqueueFolder(folder, dirname(key));
      if (
        /\.(conf|nginx)$/i.test(name) ||
        SITES_FOLDER.test(basename(dirname(key))) ||
        this.deps.readiness.getDisk(key)?.readiness?.kind === 'nginx'
      ) {
        this.enqueueNginxTree(folder, key);
      }
    }
    if (deleted.size > 0) {
      // A deleted folder arrives as one event for the folder: drop everything under a deleted path
      // (one pass over the known files, however many events came).
      const gone = (key: string) => {
        for (let k = key; k.length > 1; k = dirname(k)) if (deleted.has(k)) return true;
        return false;
      };
      for (const known of [...this.deps.readiness.diskKeys()]) if (gone(known)) this.remove(known);
      for (const queued of [...this.queue.keys()]) if (gone(queued)) this.queue.delete(queued);
    }
    this.ensureDraining();
  }

  /** An open document's diagnostics come from the editor from now on. */
  documentOpened(key: string): void {
    this.published.delete(key);
  }

  /** A closed document's findings from disk are published again (when the setting asks for it). */
  documentClosed(key: string): void {
    this.publish(key, this.deps.readiness.getDisk(key));
  }

  private async fullScan(epoch: number, batch: Batch): Promise<void> {
    const cancelled = () => epoch !== this.epoch || this.stopped;
    // The previous scan's loop stops after its current file; two loops never run at once.
    await this.draining;
    if (cancelled()) return;
    const started = Date.now();
    for (const folder of this.folders) await this.loadSettings(folder);
    let candidates = 0;
    for (const folder of this.folders) {
      await this.walk(
        folder,
        folder.key,
        (key, uri) => {
          batch.seen.add(key);
          if (++candidates <= MAX_CANDIDATES) this.enqueue(key, uri);
        },
        cancelled,
      );
    }
    if (candidates > MAX_CANDIDATES)
      this.deps.log(`workspace scan: ${candidates} candidate files, only the first ${MAX_CANDIDATES} are checked`);
    if (cancelled()) return;
    this.ensureDraining();
    await this.whenIdle();
    if (cancelled() || this.batch !== batch) return;
    for (const key of [...this.deps.readiness.diskKeys()]) if (!batch.seen.has(key) && this.folderOf(key)) this.remove(key);
    this.deps.log(`workspace scan: ${batch.done} files in ${Date.now() - started} ms`);
    this.endBatch();
  }

  private startBatch(full: boolean): Batch {
    const batch: Batch = { full, done: 0, total: 0, seen: new Set() };
    this.batch = batch;
    if (full) this.showProgress(batch);
    return batch;
  }

  private showProgress(batch: Batch): void {
    batch.progress = new Progress(this.deps.connection, () => {
      if (this.batch === batch) this.cancel();
    });
    batch.progress.report(batch.done, batch.total);
    this.deps.readiness.markChanged();
  }

  private endBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    if (batch.progress) {
      batch.progress.done();
      this.deps.readiness.markChanged();
    }
  }

  private enqueue(key: string, uri: string): void {
    if (this.stopped) return;
    const batch = this.batch ?? this.startBatch(false);
    if (batch.full) batch.seen.add(key);
    if (this.queue.has(key)) return;
    this.queue.set(key, uri);
    batch.total++;
    if (!batch.progress && batch.total >= VISIBLE_BATCH) this.showProgress(batch);
  }

  private enqueueFolder(folder: Folder, dir: string): void {
    const epoch = this.epoch;
    void fs.promises
      .readdir(fsPathOf(folder, dir), { withFileTypes: true })
      .then((entries) => {
        if (epoch !== this.epoch) return;
        for (const e of entries) {
          const key = `${dir}/${e.name}`;
          if (!e.isDirectory() && isCandidate(key)) this.enqueue(key, this.deps.readiness.getDisk(key)?.uri ?? uriOf(folder, key));
        }
        this.ensureDraining();
      })
      .catch(() => undefined);
  }

  /**
   * An NGINX file may be included by any other in its configuration tree: re-check the NGINX files
   * under the nearest folder holding an nginx.conf (or else two levels up), never above the workspace folder.
   */
  private enqueueNginxTree(folder: Folder, changed: string): void {
    let root: string | undefined;
    for (let dir = dirname(changed); isUnder(dir, folder.key) || dir === folder.key; dir = dirname(dir)) {
      if (fs.existsSync(fsPathOf(folder, `${dir}/nginx.conf`))) {
        root = dir;
        break;
      }
      if (dir === folder.key) break;
    }
    if (!root) {
      root = dirname(dirname(changed));
      if (!isUnder(root, folder.key)) root = folder.key;
    }
    for (const key of this.deps.readiness.diskKeys()) {
      if (key === changed || !isUnder(key, root)) continue;
      const entry = this.deps.readiness.getDisk(key);
      if (entry?.readiness?.kind === 'nginx') this.enqueue(key, entry.uri);
    }
  }

  private ensureDraining(): void {
    if (this.draining || this.stopped) return;
    if (this.queue.size === 0) {
      this.onIdle();
      return;
    }
    const epoch = this.epoch;
    this.draining = this.drain(epoch).finally(() => {
      this.draining = undefined;
      // Files queued meanwhile (by a newer epoch too: this loop stopped for the old one) go on now.
      if (this.queue.size > 0 && !this.stopped) this.ensureDraining();
      else this.onIdle();
    });
  }

  private async drain(epoch: number): Promise<void> {
    while (this.queue.size > 0 && !this.stopped && epoch === this.epoch) {
      const [key, uri] = this.queue.entries().next().value!;
      this.queue.delete(key);
      try {
        await this.analyse(key, uri, epoch);
      } catch (e) {
        this.deps.log(`workspace scan: ${uri}: ${(e as Error).message}`);
      }
      const batch = this.batch;
      if (batch && epoch === this.epoch) {
        batch.done++;
        batch.progress?.report(batch.done, batch.total);
      }
      // Let typing (didChange), requests and open documents' results through between files.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private onIdle(): void {
    if (this.draining || this.queue.size > 0) return;
    if (this.batch && !this.batch.full) this.endBatch();
    this.wakeIdle();
  }

  private whenIdle(): Promise<void> {
    if (!this.draining && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async analyse(key: string, uri: string, epoch: number): Promise<void> {
    const folder = this.folderOf(key);
    if (!folder) return this.remove(key);
    const rel = key.slice(folder.key.length + 1);
    // files.exclude hides a file from the workspace altogether; prodready.exclude only from the checks.
    if (isExcluded(rel, key, folder.server.filesExclude, false)) return this.remove(key);
    if (isExcluded(rel, key, folder.server.exclude, false)) return this.store(key, skippedEntry(uri, key, 'excluded'), folder);
    const fsPath = fileURLToPath(uri);
    let size: number;
    try {
      const stat = await fs.promises.stat(fsPath);
      if (!stat.isFile()) return this.remove(key);
      size = stat.size;
    } catch {
      return this.remove(key);
    }
    // No text has more characters than a third of its UTF-8 bytes: too large without reading it.
    if (size > 3 * resolveSettings(folder.core).maxFileSize) return this.store(key, skippedEntry(uri, key, 'too-large'), folder);
    let text: string;
    try {
      text = decodeText(await fs.promises.readFile(fsPath));
    } catch {
      return this.remove(key);
    }
    if (epoch !== this.epoch) return;
    let result: AnalysisResult;
    try {
      result = await this.deps.runner.run({
        key: `scan:${key}`,
        input: { text, path: key, settings: folder.core },
        priority: 'background',
        cached: false,
      });
    } catch (e) {
      if (!(e instanceof Superseded) && !this.stopped) this.deps.log(`workspace scan: analysis of ${uri} failed: ${(e as Error).message}`);
      return;
    }
    // Analysed with settings a newer scan replaces: that scan has this file too.
    if (epoch !== this.epoch) return;
    const doc = TextDocument.create(uri, 'plaintext', 0, text);
    const diagnostics = result.findings.map((f) => toDiagnostic(doc, f, this.deps.docsUrl));
    this.store(key, entryFor(uri, key, result, diagnostics), folder);
  }

  private store(key: string, entry: Entry, folder: Folder): void {
    this.deps.readiness.setDisk(key, entry);
    this.publish(key, entry, folder);
  }

  private remove(key: string): void {
    const entry = this.deps.readiness.getDisk(key);
    this.deps.readiness.setDisk(key, undefined);
    if (entry) this.publish(key, undefined);
  }

  /** Publishes (or clears) a closed file's findings as diagnostics, per prodready.workspaceDiagnostics. */
  private publish(key: string, entry: Entry | undefined, folder = this.folderOf(key)): void {
    if (this.deps.isOpen(key)) return;
    const wanted = !!entry?.readiness && !entry.readiness.skipped && !!folder?.server.workspaceDiagnostics;
    if (wanted) {
      this.published.set(key, entry!.uri);
      void this.deps.connection.sendDiagnostics({ uri: entry!.uri, diagnostics: entry!.diagnostics });
    } else {
      const uri = this.published.get(key);
      if (uri === undefined) return;
      this.published.delete(key);
      void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] as Diagnostic[] });
    }
  }

  /** Reads a folder's settings; says whether what decides the scan's results changed. */
  private async loadSettings(folder: Folder): Promise<boolean> {
    const [core, server] = await Promise.all([this.deps.settings.get(folder.uri), this.deps.settings.server(folder.uri)]);
    folder.core = core;
    folder.server = server;
    const fingerprint = JSON.stringify([core, server.exclude, server.filesExclude]);
    const changed = folder.fingerprint !== undefined && folder.fingerprint !== fingerprint;
    folder.fingerprint = fingerprint;
    return changed;
  }

  private folderOf(key: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folders) if (isUnder(key, f.key) && (!best || f.key.length > best.key.length)) best = f;
    return best;
  }

  /** Walks a folder tree, reporting candidate files; skips pruned, excluded and symlinked folders. */
  private async walk(folder: Folder, start: string, onFile: (key: string, uri: string) => void, cancelled: () => boolean): Promise<void> {
    const stack = [start];
    while (stack.length > 0) {
      if (cancelled()) return;
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(fsPathOf(folder, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const key = `${dir === '/' ? '' : dir}/${e.name}`;
        const rel = key.slice(folder.key.length + 1);
        if (e.isDirectory()) {
          // Another workspace folder nested in this one scans its own files (with its own settings).
          if (
            PRUNED.has(e.name) ||
            isExcluded(rel, key, folder.server.filesExclude, true) ||
            this.folders.some((f) => f !== folder && f.key === key)
          )
            continue;
          stack.push(key);
        } else if ((e.isFile() || e.isSymbolicLink()) && isCandidate(key) && !isExcluded(rel, key, folder.server.filesExclude, false)) {
          onFile(key, uriOf(folder, key));
        }
      }
    }
  }
}

/** The workspace/progress notifications of one scan: begin, a report whenever the percentage grows, end. */
class Progress {
  private readonly reporter: Promise<WorkDoneProgressServerReporter | undefined>;
  private percentage = 0;
  private ended = false;

  constructor(connection: Connection, onCancel: () => void) {
    this.reporter = connection.window
      .createWorkDoneProgress()
      .then((r) => {
        r.begin('Prod Readiness', 0, 'Looking for deployment configs…', true);
        r.token.onCancellationRequested(onCancel);
        return r;
      })
      .catch(() => undefined);
  }

  report(done: number, total: number): void {
    if (this.ended || total === 0) return;
    const percentage = Math.floor((done / total) * 100);
    if (percentage <= this.percentage) return;
    this.percentage = percentage;
    void this.reporter.then((r) => r?.report(percentage, `${done}/${total} files`));
  }

  done(): void {
    if (this.ended) return;
    this.ended = true;
    void this.reporter.then((r) => r?.done());
  }
}

/** A file that is never read: what its name says it is, and why it was skipped. */
function skippedEntry(uri: string, key: string, skipped: SkipReason): Entry {
  return entryFor(uri, key, { kind: kindByName(key), skipped, findings: [], passed: [] }, []);
}

function folderOf(uri: string): Folder {
  const key = keyOf(uri).replace(/(.)\/$/, '$1');
  return { uri, key, fsPath: fileURLToPath(uri), core: {}, server: { exclude: [], filesExclude: [], workspaceDiagnostics: false } };
}

function isUnder(key: string, folderKey: string): boolean {
  return key.length > folderKey.length && key.startsWith(folderKey) && (key[folderKey.length] === '/' || folderKey === '/');
}

function isPruned(rel: string): boolean {
  return rel.split('/').some((segment) => PRUNED.has(segment));
}

/** `prodready.exclude` or `files.exclude` globs, relative to the workspace folder (or absolute). */
function isExcluded(rel: string, key: string, globs: string[], folder: boolean): boolean {
  // `build/**` excludes the folder `build` itself.
  return globs.some((g) => matchesGlob(rel, g) || matchesGlob(key, g) || (folder && matchesGlob(`${rel}/`, g)));
}

function fsPathOf(folder: Folder, key: string): string {
  return key === folder.key ? folder.fsPath : folder.fsPath.replace(/[\\/]$/, '') + key.slice(folder.key.length).split('/').join(path.sep);
}

/** A file's URI spelled like the workspace folder's (VS Code also escapes !'()*). */
function uriOf(folder: Folder, key: string): string {
  if (key === folder.key) return folder.uri;
  const rel = key
    .slice(folder.key.length + 1)
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  return `${folder.uri.replace(/\/$/, '')}/${rel.join('/')}`;
}
