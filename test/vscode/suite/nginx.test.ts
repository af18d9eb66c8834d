// An NGINX config in a real VS Code: the contributed language and grammar apply, prodready's diagnostic
// appears, and its quick fix (applied through VS Code) clears it.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, fixtureUri, openFixture, waitForDiagnostics } from './util';

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('NGINX configs in VS Code', () => {
  before(async () => {
    await activateExtension();
  });

  it('opens nginx.conf as the nginx language, with the nginx grammar contributed', async () => {
    const editor = await openFixture('nginx/nginx.conf');
    assert.strictEqual(editor.document.languageId, 'nginx');
    assert.ok((await vscode.languages.getLanguages()).includes('haproxy'));
    const ext = vscode.extensions.getExtension('prodready.prodready')!;
    const grammars = ext.packageJSON.contributes.grammars as { language: string; scopeName: string }[];
    assert.deepStrictEqual(
      grammars.map((g) => `${g.language}:${g.scopeName}`).sort(),
      ['haproxy:source.haproxy', 'nginx:source.nginx'],
    );
    // Toggle Line Comment works because the language configuration declares '#'.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.ok(editor.document.lineAt(0).text.startsWith('# '), editor.document.lineAt(0).text);
    await vscode.commands.executeCommand('undo');
  });

  it('reports and fixes weak TLS protocols', async () => {
    // A private copy: the edit (and any auto-save) must never change the shared fixture.
    const copy = fixtureUri('nginx/conf.d/shop.conf').fsPath;
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(fixtureUri('nginx/nginx.conf').fsPath, copy);
    after(async () => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === copy);
      if (doc) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    });
    const editor = await openFixture('nginx/conf.d/shop.conf');
    const uri = editor.document.uri;
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => code(d) === 'nginx/weak-tls-protocols'), 90_000);
    const weak = diags.find((d) => code(d) === 'nginx/weak-tls-protocols')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, weak.range);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    const gone = waitForDiagnostics(uri, (ds) => !ds.some((d) => code(d) === 'nginx/weak-tls-protocols'), 60_000);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await gone;
    assert.match(editor.document.getText(), /ssl_protocols TLSv1\.2 TLSv1\.3;/);
  });
});
