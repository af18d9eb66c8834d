// The workspace scan: every deployment config in the workspace folders, analysed from disk so the
// sidebar (and, when asked, the Problems panel) covers files nobody has opened. It runs behind the open
// documents — the analysis it is given runs its jobs in the background, one at a time, with a turn of
// the event loop between files — is incremental on file events, can be cancelled (a rescan, the
// progress UI's cancel button, shutdown) and reports progress. It knows no LSP connection and no file
// kind: results go to a ResultStore, and a changed path re-queues the files that depended on it.

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveSettings } from '../../core/analyze';
import { isScanCandidate } from '../../core/catalog';
import { dirname } from '../../core/paths';
import { AnalysisResult, Settings, SkipReason } from '../../core/types';
import { decodeText } from '../../host/decode';
import { findingRanges } from '../convert';
import { kindByName } from '../readiness';
import { ServerSettings } from '../settings';
import { keyOf } from '../uris';
import { ProgressFactory, ScanProgress } from './progress';
import { ResultStore } from './store';
import { Folder, folderOf, fsPathOf, innermostFolder, isExcluded, isPruned, isUnder, walk } from './walker';

/** A workspace with more candidate files than this is scanned partially (and says so in the log). */
const MAX_CANDIDATES = 200_000;
/** Batches of file changes at least this big show progress (a checkout, a folder added). */
const VISIBLE_BATCH = 20;

export interface FileChange {
  uri: string;
  type: 'created' | 'changed' | 'deleted';
}

export interface ScannerDeps {
  store: ResultStore;
  /** Analyses a file's text from disk; undefined when the job was dropped for a newer one. */
  analyse(job: { key: string; text: string; settings: Partial<Settings> }): Promise<AnalysisResult | undefined>;
  /** A workspace folder's settings (re-read after settingsChanged). */
  settings(folderUri: string): Promise<{ core: Partial<Settings>; server: ServerSettings }>;
  /** Shows a scan's progress; without it nothing is shown (`scanning` still says so). */
  progress?: ProgressFactory;
  /** Called when `scanning` changes. */
  onScanningChanged?(): void;
  log(message: string): void;
}

/** Files analysed since the scanner was last idle; shown as progress when it is a scan or a big change. */
interface Batch {
  full: boolean;
  done: number;
  total: number;
  /** Keys found by a full scan's walk (or queued during it): the others are gone from disk. */
  seen: Set<string>;
  visible: boolean;
  progress?: ScanProgress;
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

  constructor(private readonly deps: ScannerDeps) {}

  private get store(): ResultStore {
    return this.deps.store;
  }

  /** True while a scan (or a large batch of changes) is running: the report is partial. */
  get scanning(): boolean {
    return !!this.batch?.visible;
  }

  /** The server-only settings of the workspace folder holding a file. */
  serverSettingsOf(key: string): ServerSettings | undefined {
    return this.folderOf(key)?.server;
  }

  setFolders(uris: string[]): Promise<void> {
    this.folders = uris.map(folderOf);
    return this.rescan();
  }

  changeFolders(added: string[], removed: string[]): void {
    const gone = new Set(removed.map((uri) => folderOf(uri).key));
    this.folders = this.folders.filter((f) => !gone.has(f.key));
    for (const folderKey of gone) {
      for (const key of this.store.keys()) if (isUnder(key, folderKey) && !this.folderOf(key)) this.store.set(key, undefined);
      for (const key of [...this.queue.keys()]) if (isUnder(key, folderKey) && !this.folderOf(key)) this.queue.delete(key);
    }
    for (const uri of added) {
      const folder = folderOf(uri);
      if (this.folders.some((x) => x.key === folder.key)) continue;
      this.folders.push(folder);
      const epoch = this.epoch;
      void this.loadSettings(folder)
        .then(() => this.walkFrom(folder, folder.key, epoch))
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
      for (const key of this.store.keys()) this.store.set(key, undefined);
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

  /** Settings changed: rescans when what decides the results changed; says whether it did. */
  async settingsChanged(): Promise<boolean> {
    let rescan = false;
    for (const folder of this.folders) if (await this.loadSettings(folder)) rescan = true;
    if (rescan) void this.rescan();
    return rescan;
  }

  /** Files created, changed or deleted on disk (in the order they happened). */
  filesChanged(changes: FileChange[]): void {
    const deleted = new Set<string>();
    const paths: string[] = [];
    const folders: string[] = [];
    for (const change of changes) {
      if (!change.uri.startsWith('file:')) continue;
      const key = keyOf(change.uri);
      paths.push(key);
      // Created or deleted: maybe a whole folder, whose files arrive as this one event.
      if (change.type !== 'changed') folders.push(key);
      const folder = this.folderOf(key);
      if (!folder || isPruned(key.slice(folder.key.length))) continue;
      if (change.type === 'deleted') {
        // Handled below, for all the events at once.
        deleted.add(key);
      } else {
        // Events are in order: a file deleted and created again (an atomic save) is there.
        deleted.delete(key);
        if (isScanCandidate(key)) this.enqueue(key, change.uri);
        else if (change.type === 'created') {
          const epoch = this.epoch;
          void fs.promises
            .stat(fileURLToPath(change.uri))
            .then((s) => (s.isDirectory() ? this.walkFrom(folder, key, epoch) : undefined))
            .catch(() => undefined)
            .then(() => this.ensureDraining());
        }
      }
    }
    // Whatever read or looked for a changed path is analysed again (a chart's values files when its
    // Chart.yaml appears, an NGINX file when a file it includes changes).
    for (const key of this.store.dependentsOf(paths, folders)) {
      const stored = this.store.get(key);
      if (stored && this.folderOf(key)) this.enqueue(key, stored.uri);
    }
    if (deleted.size > 0) {
      // A deleted folder arrives as one event for the folder: drop everything under a deleted path
      // (one pass over the known files, however many events came).
      const gone = (key: string) => {
        for (let k = key; k.length > 1; k = dirname(k)) if (deleted.has(k)) return true;
        return false;
      };
      for (const known of this.store.keys()) if (gone(known)) this.store.set(known, undefined);
      for (const queued of [...this.queue.keys()]) if (gone(queued)) this.queue.delete(queued);
    }
    this.ensureDraining();
  }

  /** Resolves when nothing is queued or being analysed (tests; a full scan waits for this itself). */
  whenIdle(): Promise<void> {
    if (!this.draining && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
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
      await walk(
        folder,
        folder.key,
        this.folders,
        (key, uri) => {
          batch.seen.add(key);
          if (++candidates <= MAX_CANDIDATES) this.enqueue(key, uri);
        },
        cancelled,
      );
    }
    if (candidates > MAX_CANDIDATES) this.deps.log(`workspace scan: ${candidates} candidate files, only the first ${MAX_CANDIDATES} are checked`);
    if (cancelled()) return;
    this.ensureDraining();
    await this.whenIdle();
    if (cancelled() || this.batch !== batch) return;
    for (const key of this.store.keys()) if (!batch.seen.has(key) && this.folderOf(key)) this.store.set(key, undefined);
    this.deps.log(`workspace scan: ${batch.done} files in ${Date.now() - started} ms`);
    this.endBatch();
  }

  /** Queues the candidate files under `start` (a folder moved in, a workspace folder added). */
  private walkFrom(folder: Folder, start: string, epoch: number): Promise<void> {
    return walk(
      folder,
      start,
      this.folders,
      (key, uri) => this.enqueue(key, uri),
      () => this.epoch !== epoch || this.stopped,
    );
  }

  private startBatch(full: boolean): Batch {
    const batch: Batch = { full, done: 0, total: 0, seen: new Set(), visible: false };
    this.batch = batch;
    if (full) this.showProgress(batch);
    return batch;
  }

  private showProgress(batch: Batch): void {
    batch.visible = true;
    batch.progress = this.deps.progress?.(() => {
      if (this.batch === batch) this.cancel();
    });
    batch.progress?.report(batch.done, batch.total);
    this.deps.onScanningChanged?.();
  }

  private endBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    if (batch.visible) {
      batch.progress?.done();
      this.deps.onScanningChanged?.();
    }
  }

  private enqueue(key: string, uri: string): void {
    if (this.stopped) return;
    const batch = this.batch ?? this.startBatch(false);
    if (batch.full) batch.seen.add(key);
    if (this.queue.has(key)) return;
    this.queue.set(key, uri);
    batch.total++;
    if (!batch.visible && batch.total >= VISIBLE_BATCH) this.showProgress(batch);
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

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async analyse(key: string, uri: string, epoch: number): Promise<void> {
    const folder = this.folderOf(key);
    if (!folder) return this.store.set(key, undefined);
    const rel = key.slice(folder.key.length + 1);
    // files.exclude hides a file from the workspace altogether; prodready.exclude only from the checks.
    if (isExcluded(rel, key, folder.server.filesExclude, false)) return this.store.set(key, undefined);
    if (isExcluded(rel, key, folder.server.exclude, false)) return this.skip(key, uri, 'excluded');
    const fsPath = fsPathOf(folder, key);
    let size: number;
    try {
      const stat = await fs.promises.stat(fsPath);
      if (!stat.isFile()) return this.store.set(key, undefined);
      size = stat.size;
    } catch {
      return this.store.set(key, undefined);
    }
    // No text has more characters than a third of its UTF-8 bytes: too large without reading it.
    if (size > 3 * resolveSettings(folder.core).maxFileSize) return this.skip(key, uri, 'too-large');
    let text: string;
    try {
      text = decodeText(await fs.promises.readFile(fsPath));
    } catch {
      return this.store.set(key, undefined);
    }
    if (epoch !== this.epoch) return;
    let result: AnalysisResult | undefined;
    try {
      result = await this.deps.analyse({ key, text, settings: folder.core });
    } catch (e) {
      if (!this.stopped) this.deps.log(`workspace scan: analysis of ${uri} failed: ${(e as Error).message}`);
      return;
    }
    // Dropped, or analysed with settings a newer scan replaces: that scan has this file too.
    if (!result || epoch !== this.epoch) return;
    this.store.set(key, { uri, result, ranges: findingRanges(uri, text, result.findings) });
  }

  /** A file that is never read: what its name says it is, and why it was skipped. */
  private skip(key: string, uri: string, skipped: SkipReason): void {
    this.store.set(key, { uri, result: { kind: kindByName(key), skipped, findings: [], passed: [] }, ranges: [] });
  }

  /** Reads a folder's settings; says whether what decides the scan's results changed. */
  private async loadSettings(folder: Folder): Promise<boolean> {
    const { core, server } = await this.deps.settings(folder.uri);
    folder.core = core;
    folder.server = server;
    const fingerprint = JSON.stringify([core, server.exclude, server.filesExclude]);
    const changed = folder.fingerprint !== undefined && folder.fingerprint !== fingerprint;
    folder.fingerprint = fingerprint;
    return changed;
  }

  private folderOf(key: string): Folder | undefined {
    return innermostFolder(this.folders, key);
  }
}
