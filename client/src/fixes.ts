// Fixing from the sidebar: a finding's quick fix or "Disable for this line" (the server's code actions
// for the diagnostic found by its code — the rule id — and range, told apart by their kind, never by
// text), and Fix All for a file (FixAllRequest, applied only to the document version it was computed for).

import * as vscode from 'vscode';
import { CodeActionRequest, CodeActionTriggerKind, LanguageClient } from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE, FixAllRequest, ReadinessFinding, SUPPRESSION_ACTION_KIND } from '../../common/protocol';
import { diagnosticCode } from './readiness/format';
import { toRange } from './readiness/tree';

/** How long to wait for the server to analyse a document just opened for a fix. */
const ANALYSIS_TIMEOUT_MS = 15_000;
const FIX_ALL_ATTEMPTS = 3;

const SUPPRESSION = vscode.CodeActionKind.Empty.append(SUPPRESSION_ACTION_KIND);

/** "Disable … for this line" (or another suppression comment), as opposed to a repair. */
function isSuppression(action: vscode.CodeAction): boolean {
  return !!action.kind && SUPPRESSION.contains(action.kind);
}

/**
 * The prodready diagnostic of an open document that stands for `finding`: same rule, same range (or, if
 * the text moved since the report, the same rule on the same line). Waits for the document's analysis.
 */
export async function diagnosticFor(document: vscode.TextDocument, finding: Pick<ReadinessFinding, 'ruleId' | 'range'>): Promise<vscode.Diagnostic | undefined> {
  const range = toRange(finding.range);
  const find = () => {
    const ours = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE && diagnosticCode(d) === finding.ruleId);
    return ours.find((d) => d.range.isEqual(range)) ?? ours.find((d) => d.range.start.line === range.start.line);
  };
  const now = find();
  if (now) return now;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(find());
    }, ANALYSIS_TIMEOUT_MS);
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === document.uri.toString())) return;
      const found = find();
      if (found) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(found);
      }
    });
  });
}

/**
 * The code actions prodready offers for exactly one of its diagnostics. Asked of the server directly,
 * with that diagnostic alone as the context: `vscode.executeCodeActionProvider` returns the actions of
 * every diagnostic (and every extension) at the range, without saying which diagnostic each fixes,
 * so it cannot be filtered by rule id.
 */
export async function codeActionsFor(client: LanguageClient, document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const c2p = client.code2ProtocolConverter;
  const result = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: c2p.asUri(document.uri) },
    range: c2p.asRange(diagnostic.range),
    context: { diagnostics: [c2p.asDiagnostic(diagnostic)], only: [vscode.CodeActionKind.QuickFix.value], triggerKind: CodeActionTriggerKind.Invoked },
  });
  const actions = await client.protocol2CodeConverter.asCodeActionResult(result ?? []);
  // A bare Command (its `command` a string) is not a fix; a CodeAction's `command` is an object.
  return actions.filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
}

async function applyAction(action: vscode.CodeAction): Promise<boolean> {
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) return false;
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return true;
}

export type FixOutcome = 'applied' | 'cancelled' | 'none' | 'gone';

/**
 * Runs a finding's repair: the only one at once, or the one picked from several. "Disable … for this
 * line" is not a repair and is never among them.
 */
export async function quickFix(client: LanguageClient, uri: vscode.Uri, finding: ReadinessFinding): Promise<FixOutcome> {
  const document = await vscode.workspace.openTextDocument(uri);
  const diagnostic = await diagnosticFor(document, finding);
  if (!diagnostic) {
    void vscode.window.showInformationMessage(`Prod Readiness: ${finding.ruleId} is no longer reported on line ${finding.range.start.line + 1}.`);
    return 'gone';
  }
  const repairs = (await codeActionsFor(client, document, diagnostic)).filter((a) => !isSuppression(a));
  if (repairs.length === 0) {
    void vscode.window.showInformationMessage(`Prod Readiness: ${finding.ruleId} has no automatic fix here; see its documentation.`);
    return 'none';
  }
  let chosen: vscode.CodeAction | undefined = repairs[0];
  if (repairs.length > 1) {
    repairs.sort((a, b) => Number(!!b.isPreferred) - Number(!!a.isPreferred));
    const picked = await vscode.window.showQuickPick(
      repairs.map((action) => ({ label: action.title, description: action.isPreferred ? 'preferred' : undefined, action })),
      { title: `Quick Fix: ${finding.ruleId}`, placeHolder: 'Choose a fix' },
    );
    chosen = picked?.action;
  }
  if (!chosen) return 'cancelled';
  if (!(await applyAction(chosen))) return 'none';
  await vscode.window.showTextDocument(document, { selection: diagnostic.range, preserveFocus: false });
  return 'applied';
}

/** Adds (or extends) the `# prodready-disable-next-line` comment for a finding, via the server's action. */
export async function disableForLine(client: LanguageClient, uri: vscode.Uri, finding: ReadinessFinding): Promise<FixOutcome> {
  const document = await vscode.workspace.openTextDocument(uri);
  const diagnostic = await diagnosticFor(document, finding);
  if (!diagnostic) return 'gone';
  const action = (await codeActionsFor(client, document, diagnostic)).find(isSuppression);
  if (!action) return 'none';
  if (!(await applyAction(action))) return 'none';
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(diagnostic.range.start, diagnostic.range.start), preserveFocus: false });
  return 'applied';
}

/**
 * Fix All for one file: opens it (so the server fixes the editor's text, at a known version), asks for
 * the edits and applies them if the document is still at that version; otherwise asks again.
 * Resolves with the number of edits applied (0: nothing auto-fixable).
 */
export async function fixAllInFile(client: LanguageClient, uri: vscode.Uri): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  const protocolUri = client.code2ProtocolConverter.asUri(document.uri);
  for (let attempt = 0; attempt < FIX_ALL_ATTEMPTS; attempt++) {
    const version = document.version;
    const result = await client.sendRequest(FixAllRequest.type, { uri: protocolUri, version });
    // The server has another version of the document (it answers no changes then): ask again.
    if (result.version !== undefined && result.version !== version) continue;
    if (result.changes.length === 0) return 0;
    // Edits for another version (or, with no version, for the file on disk while the editor has
    // other text) would land in the wrong place.
    if (document.version !== version || (result.version === undefined && document.isDirty)) continue;
    const edit = new vscode.WorkspaceEdit();
    for (const change of result.changes) edit.replace(document.uri, toRange(change.range), change.newText);
    if (document.version !== version) continue;
    if (await vscode.workspace.applyEdit(edit)) return result.changes.length;
  }
  throw new Error(`${vscode.workspace.asRelativePath(uri)} kept changing while Fix All ran; try again.`);
}
