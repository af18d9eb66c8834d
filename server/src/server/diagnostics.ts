// Validation of open documents: debounced on typing, immediate on open, a newer edit supersedes work on
// an older version, and results are kept per document for code actions (which must match the exact
// version they were computed for).

import { Connection, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisResult } from '../core/types';
import { DIAGNOSTIC_SOURCE } from '../../../common/protocol';
import { AnalysisRunner, Superseded } from './analysisRunner';
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
}

export class DiagnosticsPublisher {
  readonly results = new Map<string, Analysed>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Documents scheduled since they were last cleared: a result arriving after the close is dropped. */
  private readonly open = new Set<string>();
  /** The version each document was opened at: TextDocuments reports an open as a content change too. */
  private readonly justOpened = new Map<string, number>();
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
   * Typing pauses shorter than this do not start an analysis. Small files are analysed in a few
   * milliseconds, so they get a short pause; big ones a longer one, so fast typing does not queue
   * a run per keystroke.
   */
  debounceFor(doc: TextDocument): number {
    return this.debounceMs ?? defaultDebounce(doc.getText().length);
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

  /** The latest analysis of the document, when it is of exactly this version. */
  current(doc: TextDocument): AnalysisResult | undefined {
    const analysed = this.results.get(doc.uri);
    return analysed?.version === doc.version ? analysed.result : undefined;
  }

  schedule(doc: TextDocument, immediately = false): void {
    this.open.add(doc.uri);
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
    this.open.delete(uri);
    this.results.delete(uri);
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

  async validate(doc: TextDocument): Promise<void> {
    const version = doc.version;
    const text = doc.getText();
    let result: AnalysisResult;
    try {
      const root = this.rootOf?.(keyOf(doc.uri));
      const settings = { ...(await this.settings.get(doc.uri)), ...(root ? { root } : {}) };
      result = await this.runner.run({ key: doc.uri, input: { text, path: uriPath(doc.uri), settings }, openTexts: this.openTextsFor(doc) });
    } catch (e) {
      if (e instanceof Superseded || !this.open.has(doc.uri)) return;
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
    const analysed = { version, result, diagnostics };
    this.results.set(doc.uri, analysed);
    void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
    this.onAnalysed?.(doc.uri, analysed);
  }
}

/** The pause after a keystroke before a document of `size` characters is analysed, in ms. */
export function defaultDebounce(size: number): number {
  return size < 100_000 ? 50 : size < 1_000_000 ? 100 : 150;
}

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