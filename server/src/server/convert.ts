// The only place where the core's character offsets become LSP ranges and its severities LSP ones.

import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionKind, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Finding, Fix, RelatedPlace, Severity, Span, TextChange } from '../core/types';
import { DIAGNOSTIC_SOURCE, SUPPRESSION_ACTION_KIND } from '../../../common/protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/** The findings' ranges in a text (for results kept without their text: the workspace scan's). */
export function findingRanges(uri: string, text: string, findings: Finding[]): Range[] {
  const doc = TextDocument.create(uri, 'plaintext', 0, text);
  return findings.map((f) => toRange(doc, f.span));
}

export function toDiagnostic(doc: TextDocument, f: Finding, docsUrl: (id: string) => string | undefined): Diagnostic {
  return toDiagnosticAt(toRange(doc, f.span), f, docsUrl);
}

/** A finding as a diagnostic, its range converted already. */
export function toDiagnosticAt(range: Range, f: Finding, docsUrl: (id: string) => string | undefined): Diagnostic {
  const href = docsUrl(f.ruleId);
  return {
    range,
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    ...(f.related?.length ? { relatedInformation: f.related.map(toRelatedInformation) } : {}),
  };
}

/** Where an inherited value is written (another file): its first character, as the core gives it. */
function toRelatedInformation(r: RelatedPlace): DiagnosticRelatedInformation {
  const position = { line: r.line, character: r.character };
  return { location: { uri: pathToFileURL(r.path).toString(), range: { start: position, end: position } }, message: r.message };
}

export function toTextEdit(doc: TextDocument, change: TextChange): TextEdit {
  return { range: toRange(doc, change), newText: change.newText };
}

/** The kind of a fix's code action: a suppression comment is a quick fix of its own kind. */
export function codeActionKindOf(fix: Fix): string {
  return fix.suppression ? SUPPRESSION_ACTION_KIND : CodeActionKind.QuickFix;
}

export function toCodeAction(doc: TextDocument, fix: Fix, diagnostic: Diagnostic): CodeAction {
  const edits = fix.changes.map((c) => toTextEdit(doc, c));
  return {
    title: fix.title,
    kind: codeActionKindOf(fix),
    diagnostics: [diagnostic],
    isPreferred: fix.preferred && !fix.suppression ? true : undefined,
    edit: { changes: { [doc.uri]: edits } },
  };
}
