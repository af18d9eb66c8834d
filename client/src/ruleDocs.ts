// Rule documentation inside VS Code, offline: docs/rules/<id>.md ships with the extension and opens in
// the built-in Markdown preview. The list of rules is the list of pages (a core test keeps one page per
// registered rule), so the extension does not need to bundle the analysis core to offer it.

import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../common/protocol';
import { docsPath, RULE_DOCS_FOLDER } from '../../server/src/core/docs';
import { diagnosticCode } from './readiness/format';

export interface RuleDoc {
  id: string;
  /** The page's first paragraph: what the rule wants. */
  summary: string;
  uri: vscode.Uri;
}

const RULE_ID = /^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/;

export function ruleDocUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri | undefined {
  if (!RULE_ID.test(ruleId)) return undefined;
  return vscode.Uri.joinPath(extensionUri, ...docsPath(ruleId).split('/'));
}

export async function listRuleDocs(extensionUri: vscode.Uri): Promise<RuleDoc[]> {
  const root = vscode.Uri.joinPath(extensionUri, ...RULE_DOCS_FOLDER.split('/'));
  const docs: RuleDoc[] = [];
  for (const [namespace, type] of await vscode.workspace.fs.readDirectory(root)) {
    if (type !== vscode.FileType.Directory) continue;
    for (const [name, fileType] of await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root, namespace))) {
      if (fileType !== vscode.FileType.File || !name.endsWith('.md')) continue;
      const uri = vscode.Uri.joinPath(root, namespace, name);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      docs.push({ id: `${namespace}/${name.slice(0, -3)}`, summary: firstParagraph(text), uri });
    }
  }
  return docs.sort((a, b) => a.id.localeCompare(b.id));
}

function firstParagraph(markdown: string): string {
  const paragraph = markdown
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .find((p) => p && !p.startsWith('#'));
  return (paragraph ?? '').replace(/\s+/g, ' ');
}

/** The rule ids of prodready diagnostics under the active editor's cursor (the "context"). */
function rulesAtCursor(): string[] {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return [];
  const position = editor.selection.active;
  return vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.contains(position))
    .map((d) => diagnosticCode(d))
    .filter((id): id is string => !!id);
}

/** Asks which rule, offering the ones at the cursor first. */
export async function pickRule(extensionUri: vscode.Uri): Promise<string | undefined> {
  const docs = await listRuleDocs(extensionUri);
  const here = new Set(rulesAtCursor());
  type Item = vscode.QuickPickItem & { id?: string };
  const item = (d: RuleDoc): Item => ({ label: d.id, detail: d.summary, id: d.id });
  const items: Item[] = [];
  if (here.size > 0) {
    items.push({ label: 'At the cursor', kind: vscode.QuickPickItemKind.Separator }, ...docs.filter((d) => here.has(d.id)).map(item));
    items.push({ label: 'All rules', kind: vscode.QuickPickItemKind.Separator });
  }
  items.push(...docs.filter((d) => !here.has(d.id)).map(item));
  const picked = await vscode.window.showQuickPick(items, { title: 'Prod Readiness: Show Rule Documentation', placeHolder: 'Rule id', matchOnDetail: true });
  return picked?.id;
}

export async function showRuleDocumentation(extensionUri: vscode.Uri, ruleId: string): Promise<boolean> {
  const uri = ruleDocUri(extensionUri, ruleId);
  if (!uri) return false;
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showWarningMessage(`Prod Readiness: no documentation page for ${ruleId}.`);
    return false;
  }
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return true;
}
