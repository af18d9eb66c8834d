// Validation of open documents: debounced on typing, immediate on open, a newer edit supersedes work on
// an older version, and results are kept per document for code actions (which must match the exact
// version they were computed for).

import { Connection, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisResult } from '../core/types';
import { DIAGNOSTIC_SOURCE } from '../../../common/protocol';
import { AnalysisRunner, Job, Superseded } from './analysisRunner';
import { toDiagnostic } from './convert';
import { SettingsCache } from './settings';
import { keyOf, uriPath } from './uris';

/**
 * What each published diagnostic carries in `data` (clients send it back with code actions): which
 * finding of which analysed version it is, so a fix is found even when a client re-computes the range
 * in its own units (byte columns) or sends only part of it.
 */
export interface FindingRef {
  version: number;
  index: number;
}

export interface Analysed {
  version: number;
  result: AnalysisResult;
  diagnostics: Diagnostic[];
  /**
   * The version whose FindingRefs the client holds: an earlier one when this version's diagnostics
   * equalled those already published, which were then not sent again.
   */
  publishedVersion: number;
  /** The job that analysed it, to ask the worker for its fixes (deferred while typing). */
  job: Job;
  /** The result with its fixes, once asked for. */
  withFixes?: Promise<AnalysisResult | undefined>;
}

export class DiagnosticsPublisher {
  readonly results = new Map<string, Analysed>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Documents scheduled since they were last cleared: a result arriving after the close is dropped. */
  private readonly open = new Set<string>();
  /** The version each document was opened at: TextDocuments reports an open as a content change too. */
  private readonly justOpened = new Map<string, number>();
  /** Per document, how many validations are under way (a timer may also wait in `timers`). */
  private readonly validating = new Map<string, number>();
  /** Per document, who waits for its pending validations to be over. */
  private readonly waitingForIdle = new Map<string, (() => void)[]>();
  /** What was last published per document, without the FindingRefs (which name a version). */
  private readonly published = new Map<string, string>();
  /** How long each document's last analysis took, in ms: it sets the document's debounce. */
  private readonly analysisMs = new Map<string, number>();
  /** Per document, the wait for a pause in typing before its fixes are computed in the background. */
  private readonly fixTimers = new Map<string, NodeJS.Timeout>();
  /** Notified after each publication (the readiness view listens). */
  onAnalysed?: (uri: string, analysed: Analysed | undefined) => void;
  /** The workspace folder a document is in (declared environments' paths are relative to it). */
  rootOf?: (path: string) => string | undefined;
  /** The open documents, whose current texts an analysis reads instead of the files on disk. */
  openDocuments?: () => TextDocument[];

  constructor(
    private readonly connection: Connection,
    private readonly runner: AnalysisRunner,
    private readonly settings: SettingsCache,
    private readonly docsUrl: (ruleId: string) => string | undefined,
    private readonly log: (m: string) => void,
    /** A fixed debounce (tests, benchmarks); by default it follows the document's size. */
    readonly debounceMs: number | undefined,
  ) {}

  /**
   * Typing pauses shorter than this do not start an analysis: see adaptiveDebounce. A fixed debounce
   * (tests, benchmarks) wins.
   */
  debounceFor(doc: TextDocument): number {
    return this.debounceMs ?? adaptiveDebounce(doc.getText().length, this.analysisMs.get(doc.uri));
  }

  /** A document was opened: validated at once. */
  opened(doc: TextDocument): void {
    this.justOpened.set(doc.uri, doc.version);
    this.schedule(doc, true);
  }

  /** A document's text changed: validated after the debounce (unless it is the open itself). */
  changed(doc: TextDocument): void {
    if (this.justOpened.get(doc.uri) === doc.version) return;
    this.justOpened.delete(doc.uri);
    this.schedule(doc);
    // An overlay merged with this base (or any file whose analysis read this one) is judged again.
    const path = keyOf(doc.uri);
    for (const other of this.openDocuments?.() ?? []) {
      if (other.uri !== doc.uri && this.results.get(other.uri)?.result.dependencies?.includes(path)) this.schedule(other);
    }
  }

  /** The latest analysis of the document, when it is of exactly this version and has its fixes. */
  current(doc: TextDocument): AnalysisResult | undefined {
    const analysed = this.results.get(doc.uri);
    return analysed?.version === doc.version && !analysed.result.fixesDeferred ? analysed.result : undefined;
  }

  /**
   * The analysis of the document as it is now, once the analyses on their way (of this version, or
   * again for a changed dependency) are over; undefined when the document changed meanwhile.
   */
  async settled(doc: TextDocument): Promise<Analysed | undefined> {
    while (this.busy(doc.uri)) await new Promise<void>((resolve) => this.waitingForIdle.set(doc.uri, [...(this.waitingForIdle.get(doc.uri) ?? []), resolve]));
    const analysed = this.results.get(doc.uri);
    return analysed?.version === doc.version ? analysed : undefined;
  }

  /**
   * The settled analysis with its fixes. Analyses run on typing leave the fixes out (computing them is a
   * good part of the work, and most versions never get a code action); the worker keeps such an
   * analysis and computes its fixes when asked, without analysing again.
   */
  async withFixes(doc: TextDocument): Promise<Analysed | undefined> {
    const analysed = await this.settled(doc);
    if (!analysed) return undefined;
    if (!analysed.result.fixesDeferred) return analysed;
    analysed.withFixes ??= this.runner.run({ ...analysed.job, input: { ...analysed.job.input, fixes: 'eager' } }).then(
      (result) => result,
      () => undefined,
    );
    const result = await analysed.withFixes;
    if (!result || this.results.get(doc.uri) !== analysed || result.findings.length !== analysed.result.findings.length) return undefined;
    analysed.result = result;
    return analysed;
  }

  schedule(doc: TextDocument, immediately = false): void {
    this.open.add(doc.uri);
    clearTimeout(this.fixTimers.get(doc.uri));
    clearTimeout(this.timers.get(doc.uri));
    const delay = immediately ? 0 : this.debounceFor(doc);
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        void this.validate(doc);
      }, delay),
    );
  }

  /** Analyses again the documents whose last analysis read or looked for one of these paths. */
  dependenciesChanged(docs: TextDocument[], paths: Set<string>): void {
    for (const doc of docs) {
      if (this.results.get(doc.uri)?.result.dependencies?.some((p) => paths.has(p))) this.schedule(doc, true);
    }
  }

  /** The document closed: its diagnostics and results go. */
  clear(uri: string): void {
    this.justOpened.delete(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    clearTimeout(this.fixTimers.get(uri));
    this.fixTimers.delete(uri);
    this.open.delete(uri);
    this.idleNow(uri);
    this.results.delete(uri);
    this.published.delete(uri);
    this.analysisMs.delete(uri);
    this.runner.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.onAnalysed?.(uri, undefined);
  }

  /**
   * The current texts of the open documents this one's analysis may read: those its last analysis
   * depended on, and those beside it (before a first analysis says which).
   */
  private openTextsFor(doc: TextDocument): Record<string, string> | undefined {
    const dependencies = new Set(this.results.get(doc.uri)?.result.dependencies ?? []);
    const folder = uriPath(doc.uri).replace(/[^/]*$/, '');
    const texts: Record<string, string> = {};
    for (const other of this.openDocuments?.() ?? []) {
      if (other.uri === doc.uri || !other.uri.startsWith('file:')) continue;
      const path = keyOf(other.uri);
      if (dependencies.has(path) || path.replace(/[^/]*$/, '') === folder) texts[path] = other.getText();
    }
    return Object.keys(texts).length ? texts : undefined;
  }

  private busy(uri: string): boolean {
    return this.timers.has(uri) || (this.validating.get(uri) ?? 0) > 0;
  }

  private idleNow(uri: string): void {
    if (this.busy(uri)) return;
    const waiting = this.waitingForIdle.get(uri) ?? [];
    this.waitingForIdle.delete(uri);
    for (const resolve of waiting) resolve();
  }

  async validate(doc: TextDocument): Promise<void> {
    this.validating.set(doc.uri, (this.validating.get(doc.uri) ?? 0) + 1);
    try {
      await this.validateNow(doc);
    } finally {
      const left = (this.validating.get(doc.uri) ?? 1) - 1;
      if (left > 0) this.validating.set(doc.uri, left);
      else this.validating.delete(doc.uri);
      this.idleNow(doc.uri);
    }
  }

  private async validateNow(doc: TextDocument): Promise<void> {
    const version = doc.version;
    const text = doc.getText();
    let result: AnalysisResult;
    let job: Job;
    try {
      const root = this.rootOf?.(keyOf(doc.uri));
      const settings = { ...(await this.settings.get(doc.uri)), ...(root ? { root } : {}) };
      job = { key: doc.uri, input: { text, path: uriPath(doc.uri), settings, fixes: 'deferred' }, openTexts: this.openTextsFor(doc) };
      const started = Date.now();
      result = await this.runner.run(job);
      this.analysisMs.set(doc.uri, Date.now() - started);
    } catch (e) {
      if (e instanceof Superseded || !this.open.has(doc.uri)) return;
      this.published.delete(doc.uri);
      this.log(`analysis of ${doc.uri} failed: ${(e as Error).message}`);
      // Say so in the file rather than silently showing nothing.
      const diagnostic: Diagnostic = {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Warning,
        source: DIAGNOSTIC_SOURCE,
        message: `prodready could not analyse this file: ${(e as Error).message}`,
      };
      void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: [diagnostic] });
      return;
    }
    if (!this.open.has(doc.uri)) return;
    // An edit that arrived during the analysis has its own run coming: positions computed on the new
    // text would be wrong for this result, and this result is stale for the new text.
    if (doc.version !== version) return;
    const analysedText = TextDocument.create(doc.uri, doc.languageId, version, text);
    const diagnostics: Diagnostic[] = result.findings.map((f, index) => ({ ...toDiagnostic(analysedText, f, this.docsUrl), data: { version, index } satisfies FindingRef }));
    const skipped = skippedNotice(result, text.length);
    if (skipped) diagnostics.push(skipped);
    // Diagnostics equal to those the client shows are not sent again: on a big file that is most
    // keystrokes, and each publication costs the client a re-render of every one of them.
    const published = JSON.stringify(diagnostics.map(({ data: _, ...d }) => d));
    const previous = this.results.get(doc.uri);
    const unchanged = previous !== undefined && this.published.get(doc.uri) === published;
    const analysed: Analysed = { version, result, diagnostics, publishedVersion: unchanged ? previous.publishedVersion : version, job };
    this.results.set(doc.uri, analysed);
    if (!unchanged) {
      this.published.set(doc.uri, published);
      void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
    }
    this.onAnalysed?.(doc.uri, analysed);
    if (result.fixesDeferred) this.fixesWhenIdle(doc, analysed);
  }

  /**
   * Once typing pauses, the fixes of the analysis shown are computed in the background: the Readiness
   * view marks fixable findings, and the next code action answers at once. A keystroke first cancels it.
   */
  private fixesWhenIdle(doc: TextDocument, analysed: Analysed): void {
    clearTimeout(this.fixTimers.get(doc.uri));
    this.fixTimers.set(
      doc.uri,
      setTimeout(() => {
        this.fixTimers.delete(doc.uri);
        void this.withFixes(doc).then((fixed) => {
          if (fixed === analysed && this.results.get(doc.uri) === analysed) this.onAnalysed?.(doc.uri, analysed);
        });
      }, FIXES_AFTER_IDLE_MS),
    );
  }
}

/** The pause in typing after which a document's fixes are computed without a code action asking. */
const FIXES_AFTER_IDLE_MS = 500;

/** The pause after a keystroke before a document of `size` characters is analysed, in ms, before its analysis time is known. */
export function defaultDebounce(size: number): number {
  return size < 100_000 ? 50 : size < 1_000_000 ? 100 : 150;
}

/**
 * The pause after a keystroke, from how long the document's last analysis took. A file analysed within
 * ANSWER_AT_ONCE_MS gets none: the first keystroke answers at once, and a keystroke that comes while
 * an analysis runs only queues the next one (the runner drops older queued versions). A slower file
 * waits a quarter of its analysis time, at most 150 ms, so fast typing does not start a run that the
 * next keystroke makes stale at once. Before a first measurement (it comes with the open), by size.
 */
export function adaptiveDebounce(size: number, lastAnalysisMs: number | undefined): number {
  if (lastAnalysisMs === undefined) return defaultDebounce(size);
  if (lastAnalysisMs < ANSWER_AT_ONCE_MS) return 0;
  return Math.min(150, Math.round(lastAnalysisMs / 4));
}

const ANSWER_AT_ONCE_MS = 100;

/**
 * A file the user may expect to be checked but that was not, for a reason a setting can change or the
 * user should know: one information diagnostic on its first line instead of a silently clean file.
 * Files named for non-production environments stay quiet (a deliberate naming convention, listed under
 * "Show Skipped Files" in the Readiness view), as do files that are not configs at all.
 */
export function skippedNotice(result: AnalysisResult, size: number): Diagnostic | undefined {
  let message: string | undefined;
  if (result.skipped === 'too-large') {
    message = `prodready did not check this file: it has ${size.toLocaleString('en-US')} characters, more than prodready.maxFileSize. Raise that setting to check it.`;
  } else if (result.skipped === 'binary') {
    message = 'prodready did not check this file: it looks binary (it has NUL bytes). Map it to a kind in prodready.files if it is a config.';
  }
  if (!message) return undefined;
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: DIAGNOSTIC_SOURCE, message };
}