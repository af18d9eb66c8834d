// A Helm chart's values file in a real VS Code: recognised through its Chart.yaml, a Helm diagnostic
// appears, and its quick fix (applied through VS Code) changes only the replica count.

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { activateExtension, fixtureUri, openFixture, waitForDiagnostics } from './util';

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('Helm values in VS Code', () => {
  const copy = 'charts/web/values-eu.yaml';
  before(async () => {
    await activateExtension();
    // A private copy beside the chart's Chart.yaml, so the edit never touches the shared fixture.
    fs.copyFileSync(fixtureUri('charts/web/values.yaml').fsPath, fixtureUri(copy).fsPath);
  });
  after(async () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === fixtureUri(copy).fsPath);
    if (doc) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    fs.rmSync(fixtureUri(copy).fsPath, { force: true });
  });

  it('shows helm/single-replica and fixes it in place', async () => {
    const editor = await openFixture(copy);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => code(d) === 'helm/single-replica'), 90_000);
    const single = diags.find((d) => code(d) === 'helm/single-replica')!;
    assert.strictEqual(single.range.start.line, 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, single.range);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    const gone = waitForDiagnostics(uri, (ds) => !ds.some((d) => code(d) === 'helm/single-replica'), 60_000);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await gone;
    assert.strictEqual(editor.document.getText(), original.replace('replicaCount: 1 # raised later', 'replicaCount: 2 # raised later'));
  });
});
