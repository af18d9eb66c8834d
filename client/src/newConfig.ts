// "Create a production-ready …": a new untitled document, named so prodready recognises it (and saving
// puts it in the workspace folder without a dialog), filled with the matching snippet with its tab stops
// live, so the user walks through the names to change. Which files there are: common/templates.ts.

import * as vscode from 'vscode';
import { ConfigTemplate } from '../../common/templates';

interface SnippetDefinition {
  prefix: string | string[];
  body: string | string[];
}

export async function snippetBody(extensionUri: vscode.Uri, file: string, prefix: string): Promise<string> {
  const raw = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'snippets', file));
  const snippets = JSON.parse(new TextDecoder().decode(raw)) as Record<string, SnippetDefinition>;
  const definition = Object.values(snippets).find((s) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]).includes(prefix));
  if (!definition) throw new Error(`snippets/${file} has no snippet ${prefix}`);
  return Array.isArray(definition.body) ? definition.body.join('\n') : definition.body;
}

/** `untitled:<folder>/<name>`, or `<stem>-2<ext>`… when that file exists or is already open. */
async function untitledTarget(fileName: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return vscode.Uri.from({ scheme: 'untitled', path: fileName });
  const dot = fileName.indexOf('.');
  const [stem, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  for (let n = 1; ; n++) {
    const name = n === 1 ? fileName : `${stem}-${n}${ext}`;
    const onDisk = vscode.Uri.joinPath(folder.uri, name);
    const untitled = onDisk.with({ scheme: 'untitled' });
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === untitled.toString() || d.uri.toString() === onDisk.toString());
    if (open) continue;
    try {
      await vscode.workspace.fs.stat(onDisk);
    } catch {
      return untitled;
    }
  }
}

export async function createFromTemplate(extensionUri: vscode.Uri, template: ConfigTemplate): Promise<vscode.TextEditor> {
  const body = await snippetBody(extensionUri, template.snippetFile, template.snippetPrefix);
  let document = await vscode.workspace.openTextDocument(await untitledTarget(template.fileName));
  if (document.languageId !== template.language) document = await vscode.languages.setTextDocumentLanguage(document, template.language);
  const editor = await vscode.window.showTextDocument(document);
  await editor.insertSnippet(new vscode.SnippetString(body), new vscode.Position(0, 0));
  return editor;
}
