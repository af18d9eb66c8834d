// Quick fixes come from the cached analysis of the exact document version, matched by the diagnostic's
// code (the rule id) and range — never by its message text. Repairs are `quickfix` actions,
// "Disable … for this line" a `quickfix.prodready.disable` one, Fix All a `source.fixAll.prodready` one.

import { CodeAction, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_ACTION_KIND } from '../../../common/protocol';
import { codeActionKindOf, toCodeAction, toRange } from './convert';
import { Analysed, FindingRef } from './diagnostics';

export interface CodeActionDeps {
  document(uri: string): TextDocument | undefined;
  /** The analysis of this document version, once the analyses on their way are over (DiagnosticsPublisher.settled). */
  analysed(doc: TextDocument): Promise<Analysed | undefined>;
  /** The same with its fixes computed (see DiagnosticsPublisher.withFixes). */
  withFixes(doc: TextDocument): Promise<Analysed | undefined>;
  /** Fix All's edits for the document as it is now. */
  fixAllEdits(doc: TextDocument): Promise<TextEdit[]>;
  /** Whether the client takes versioned document edits (it then refuses an edit for an older version). */
  documentChanges(): boolean;
}

export class CodeActionProvider {
  constructor(private readonly deps: CodeActionDeps) {}

  async provide(params: CodeActionParams): Promise<CodeAction[]> {
    const doc = this.deps.document(params.textDocument.uri);
    if (!doc) return [];
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const asked = findingsAsked(doc, await this.deps.analysed(doc), params);
    // Fixes are computed only for a request about findings (most requests come with a bare cursor move).
    const analysed = asked.size > 0 ? await this.deps.withFixes(doc) : undefined;
    if (analysed) actions.push(...quickFixes(doc, analysed, asked, params).filter((a) => wanted(a.kind!, only)));
    if (only && wanted(FIX_ALL_ACTION_KIND, only)) {
      const version = doc.version;
      const edits = await this.deps.fixAllEdits(doc);
      // An edit computed for an older version would land in the wrong place.
      if (edits.length > 0 && this.deps.document(doc.uri)?.version === version) {
        actions.push(fixAllAction(doc.uri, version, edits, this.deps.documentChanges()));
      }
    }
    return actions;
  }
}

/** The findings a request is about, by index, each with the diagnostic its actions answer. */
function findingsAsked(doc: TextDocument, analysed: Analysed | undefined, params: CodeActionParams): Map<number, Diagnostic> {
  const asked = new Map<number, Diagnostic>();
  if (!analysed || analysed.version !== doc.version) return asked;
  const add = (index: number, diagnostic: Diagnostic) => {
    if (!asked.has(index)) asked.set(index, diagnostic);
  };
  for (const diagnostic of params.context.diagnostics) {
    if (typeof diagnostic.code !== 'string') continue;
    const index = findingOf(doc, analysed, diagnostic);
    if (index !== undefined) add(index, analysed.diagnostics[index] ?? diagnostic);
  }
  // A client that sends no diagnostics of ours (a selection, a bare cursor, or diagnostics it rebuilt
  // beyond recognition) gets the fixes of the findings on the requested lines.
  if (asked.size === 0) {
    analysed.result.findings.forEach((f, index) => {
      const range = toRange(doc, f.span);
      if (range.start.line <= params.range.end.line && range.end.line >= params.range.start.line) add(index, analysed.diagnostics[index]);
    });
  }
  return asked;
}

function quickFixes(doc: TextDocument, analysed: Analysed, asked: Map<number, Diagnostic>, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const [index, diagnostic] of asked) {
    for (const fix of analysed.result.findings[index].fixes) {
      if (fix.changes.length > 0 && wanted(codeActionKindOf(fix), params.context.only)) actions.push(toCodeAction(doc, fix, diagnostic));
    }
  }
  return actions;
}

/**
 * The finding a diagnostic sent back by a client stands for: by the `data` it was published with, else
 * by rule id and exact range, else by rule id and the nearest finding on an overlapping line (clients
 * that count columns in bytes, like Neovim 0.7, send other characters on lines with non-ASCII text).
 */
function findingOf(doc: TextDocument, analysed: Analysed, diagnostic: Diagnostic): number | undefined {
  const findings = analysed.result.findings;
  const ref = diagnostic.data as Partial<FindingRef> | undefined;
  // The client may hold the diagnostics of an earlier version when this one's were the same (not re-sent).
  const refVersion = ref?.version === analysed.publishedVersion ? analysed.version : ref?.version;
  if (ref && refVersion === analysed.version && typeof ref.index === 'number' && findings[ref.index]?.ruleId === diagnostic.code) return ref.index;
  let best: { index: number; distance: number } | undefined;
  findings.forEach((f, index) => {
    if (f.ruleId !== diagnostic.code) return;
    const range = toRange(doc, f.span);
    if (sameRange(range, diagnostic.range)) best = { index, distance: -1 };
    if (best?.distance === -1) return;
    if (range.start.line > diagnostic.range.end.line || range.end.line < diagnostic.range.start.line) return;
    const distance = Math.abs(range.start.line - diagnostic.range.start.line) * 1e6 + Math.abs(range.start.character - diagnostic.range.start.character);
    if (!best || distance < best.distance) best = { index, distance };
  });
  return best?.index;
}

/**
 * Whether a request's `only` asks for actions of `kind`: code action kinds are hierarchical, so
 * `quickfix` asks for `quickfix.prodready.disable` too, `source` or `source.fixAll` for Fix All, and
 * the empty kind for everything.
 */
function wanted(kind: string, only: string[] | undefined): boolean {
  return !only || only.some((k) => k === '' || kind === k || kind.startsWith(`${k}.`));
}

function sameRange(a: { start: P; end: P }, b: { start: P; end: P }): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

type P = { line: number; character: number };

function fixAllAction(uri: string, version: number, edits: TextEdit[], documentChanges: boolean): CodeAction {
  return {
    title: 'Fix all auto-fixable prodready problems',
    kind: FIX_ALL_ACTION_KIND,
    // With a version the editor refuses the edit if the document changed in the meantime.
    edit: documentChanges ? { documentChanges: [{ textDocument: { uri, version }, edits }] } : { changes: { [uri]: edits } },
  };
}
