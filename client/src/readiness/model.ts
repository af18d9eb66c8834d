// The client's copy of the server's readiness report. The server says *that* something changed
// (ReadinessChangedNotification, throttled there); the model then asks for the report once, however
// many notifications arrived meanwhile, and tells its listeners exactly which files changed, so the
// sidebar refreshes only those nodes. Everything the sidebar and the status bar show is read from here:
// no view ever sends a request of its own.

import * as vscode from 'vscode';
import type { EnvironmentReadiness, FileReadiness, ReadinessReport } from '../../../common/protocol';

/** Where reports come from: the language client in the extension, a stub in tests. */
export interface ReadinessSource {
  fetch(): Promise<ReadinessReport>;
  /** Subscribes to "the report changed" (the server's notification). */
  onDidChange(listener: () => void): vscode.Disposable;
}

export interface ReadinessChange {
  /** Files whose entry changed (in place; keys as `vscode.Uri#toString()`). */
  changed: string[];
  /** Whether files appeared or disappeared (the list itself changed). */
  listChanged: boolean;
  /** Whether the workspace totals (score, counts, scanning) changed. */
  summaryChanged: boolean;
}

const EMPTY: ReadinessReport = { files: [], counts: { error: 0, warning: 0, information: 0, hint: 0 }, scanning: false };

export class ReadinessModel implements vscode.Disposable {
  private report: ReadinessReport = EMPTY;
  private readonly byUri = new Map<string, FileReadiness>();
  /** A file's entry as last received, serialised: the cheapest exact "did it change" test. */
  private readonly fingerprints = new Map<string, string>();
  private loaded = false;
  private fetching?: Promise<void>;
  private stale = false;
  private disposed = false;
  private readonly emitter = new vscode.EventEmitter<ReadinessChange>();
  private readonly subscription: vscode.Disposable;

  /** Fires after each report that differs from the previous one. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly source: ReadinessSource,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.subscription = source.onDidChange(() => void this.refresh());
  }

  /** True once a first report arrived. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  get scanning(): boolean {
    return this.report.scanning;
  }

  get score(): number | undefined {
    return this.report.score;
  }

  get counts(): ReadinessReport['counts'] {
    return this.report.counts;
  }

  /** Every file in the report, skipped ones included, in the server's order (by URI). */
  get files(): readonly FileReadiness[] {
    return this.report.files;
  }

  /** Environments of several files (a chart's values and its production overlay), each once. */
  get environments(): readonly EnvironmentReadiness[] {
    return this.report.environments ?? [];
  }

  /** The last report as received (URIs normalised to `vscode.Uri#toString()`). */
  get current(): ReadinessReport {
    return this.report;
  }

  file(uri: vscode.Uri | string): FileReadiness | undefined {
    return this.byUri.get(typeof uri === 'string' ? uri : uri.toString());
  }

  /**
   * Asks for the report. Calls while a request is out are folded into one more request after it, so
   * a burst of notifications costs two requests at most.
   */
  refresh(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.fetching) {
      this.stale = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      do {
        this.stale = false;
        try {
          this.take(await this.source.fetch());
        } catch (e) {
          if (!this.disposed) this.log(`could not get the readiness report: ${(e as Error)?.message ?? e}`);
          return;
        }
      } while (this.stale && !this.disposed);
    })().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private take(incoming: ReadinessReport): void {
    if (this.disposed) return;
    const files = incoming.files.map((f) => ({ ...f, uri: normalise(f.uri), ...(f.environments && { environments: f.environments.map((e) => ({ ...e, files: e.files.map(normalise) })) }) }));
    const environments = incoming.environments?.map((e) => ({ ...e, files: e.files.map(normalise) }));
    const report: ReadinessReport = { ...incoming, files, ...(environments && { environments }) };
    const changed: string[] = [];
    let listChanged = files.length !== this.report.files.length;
    const seen = new Set<string>();
    for (const [i, f] of files.entries()) {
      seen.add(f.uri);
      const fingerprint = JSON.stringify(f);
      const old = this.fingerprints.get(f.uri);
      if (old === undefined || this.report.files[i]?.uri !== f.uri) listChanged = true;
      else if (old !== fingerprint) changed.push(f.uri);
      // Skipped or not changes where a file is listed (the skipped group), like an addition.
      if (old !== undefined && this.byUri.get(f.uri)?.skipped !== f.skipped) listChanged = true;
      this.fingerprints.set(f.uri, fingerprint);
      this.byUri.set(f.uri, f);
    }
    for (const uri of [...this.byUri.keys()]) {
      if (seen.has(uri)) continue;
      this.byUri.delete(uri);
      this.fingerprints.delete(uri);
      listChanged = true;
    }
    const before = this.report;
    // The environment level is small: any change to it redraws the list.
    if (JSON.stringify(before.environments ?? []) !== JSON.stringify(report.environments ?? [])) listChanged = true;
    const summaryChanged =
      !this.loaded ||
      before.score !== report.score ||
      before.scanning !== report.scanning ||
      JSON.stringify(before.counts) !== JSON.stringify(report.counts) ||
      changed.length > 0 ||
      listChanged;
    this.report = report;
    this.loaded = true;
    if (summaryChanged) this.emitter.fire({ changed, listChanged, summaryChanged });
  }
}

/** The server spells URIs its own way (LSP); VS Code compares `Uri#toString()`. */
function normalise(uri: string): string {
  try {
    return vscode.Uri.parse(uri, true).toString();
  } catch {
    return uri;
  }
}
