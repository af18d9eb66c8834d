// Quick fixes come from the cached analysis of the exact document version, matched by the diagnostic's
// code (the rule id) and range — never by its message text.

import { CodeAction, CodeActionKind, CodeActionParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toCodeAction, toRange } from './convert';
import { Analysed } from './diagnostics';

export function codeActionsFor(doc: TextDocument, analysed: Analysed | undefined, params: CodeActionParams): CodeAction[] {
  if (!analysed || analysed.version !== doc.version) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (typeof diagnostic.code !== 'string') continue;
    const finding = analysed.result.findings.find(
      (f) => f.ruleId === diagnostic.code && sameRange(toRange(doc, f.span), diagnostic.range),
    );
    if (!finding) continue;
    for (const fix of finding.fixes) {
      if (fix.changes.length === 0) continue;
      if (params.context.only && !params.context.only.some((k) => 'quickfix'.startsWith(k))) continue;
      actions.push(toCodeAction(doc, fix, diagnostic));
    }
  }
  return actions;
}

function sameRange(a: { start: P; end: P }, b: { start: P; end: P }): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

type P = { line: number; character: number };

/** Fix All as a source action (editor.codeActionsOnSave: {"source.fixAll": …} asks for it). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.prodready`;

/** Whether a request's `only` asks for Fix All (by its kind or a parent kind: `source`, `source.fixAll`). */
export function wantsFixAll(only: string[] | undefined): boolean {
  return !!only?.some((k) => k === FIX_ALL_KIND || FIX_ALL_KIND.startsWith(`${k}.`));
}

export function fixAllAction(
  uri: string,
  version: number,
  edits: { range: { start: P; end: P }; newText: string }[],
  documentChanges: boolean,
): CodeAction {
  return {
    title: 'Fix all auto-fixable prodready problems',
    kind: FIX_ALL_KIND,
    // With a version the editor refuses the edit if the document changed in the meantime.
    edit: documentChanges ? { documentChanges: [{ textDocument: { uri, version }, edits }] } : { changes: { [uri]: edits } },
  };
}
