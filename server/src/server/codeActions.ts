// Quick fixes come from the cached analysis of the exact document version, matched by the diagnostic's
// code (the rule id) and range — never by its message text. Repairs are `quickfix` actions,
// "Disable … for this line" a `quickfix.prodready.disable` one, Fix All a `source.fixAll.prodready` one.

import { CodeAction, CodeActionParams, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_ACTION_KIND } from '../../../common/protocol';
import { codeActionKindOf, toCodeAction, toRange } from './convert';
import { Analysed } from './diagnostics';

export interface CodeActionDeps {
  document(uri: string): TextDocument | undefined;
  analysed(uri: string): Analysed | undefined;
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
    const actions = quickFixes(doc, this.deps.analysed(doc.uri), params).filter((a) => wanted(a.kind!, only));
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

function quickFixes(doc: TextDocument, analysed: Analysed | undefined, params: CodeActionParams): CodeAction[] {
  if (!analysed || analysed.version !== doc.version) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (typeof diagnostic.code !== 'string') continue;
    const finding = analysed.result.findings.find(
      (f) => f.ruleId === diagnostic.code && sameRange(toRange(doc, f.span), diagnostic.range),
    );
    if (!finding) continue;
    for (const fix of finding.fixes) {
      if (fix.changes.length > 0 && wanted(codeActionKindOf(fix), params.context.only)) actions.push(toCodeAction(doc, fix, diagnostic));
    }
  }
  return actions;
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
