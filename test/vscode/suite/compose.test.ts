// The foundation end to end in a real VS Code: a stack file gets prodready diagnostics, the preferred
// quick fix (through VS Code's own code action provider) rewrites only what it must, and the
// diagnostic goes away.

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { activateExtension, fixtureUri, openFixture, requestScreenshot, waitForDiagnostics } from './util';

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

/** A private copy of a fixture for one test, so edits (and any auto-save) never touch the original. */
function copyOf(relativePath: string, name: string): string {
  const target = relativePath.replace(/[^/]+$/, name);
  fs.copyFileSync(fixtureUri(relativePath).fsPath, fixtureUri(target).fsPath);
  copies.push(fixtureUri(target).fsPath);
  return target;
}
const copies: string[] = [];

describe('compose/stack files in VS Code', () => {
  before(async () => {
    await activateExtension();
  });
  after(async () => {
    // Revert and close each copy's editor (closing a dirty editor would ask to save), then delete it.
    for (const f of copies) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === f);
      if (doc) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      fs.rmSync(f, { force: true });
    }
  });

  it('shows the manager-placement diagnostic with its documentation link, and fixes it', async () => {
    const editor = await openFixture(copyOf('swarm/docker-stack.yml', 'shop-stack.yml'));
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => code(d) === 'compose/manager-placement'), 90_000);
    const placement = diags.find((d) => code(d) === 'compose/manager-placement')!;
    assert.strictEqual(placement.source, 'prodready');
    assert.strictEqual(placement.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(placement.range.start.line, 2, 'on the service key "web"');
    const target = typeof placement.code === 'object' ? placement.code.target : undefined;
    assert.ok(target?.path.endsWith('/docs/rules/compose/manager-placement.md'), `docs link: ${target}`);

    // For the README: the squiggles, the Problems panel and the quick fix menu of the finding.
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(editor.document);
    editor.selection = new vscode.Selection(placement.range.start, placement.range.start);
    // The command's promise settles only when the menu closes, so it is not awaited here.
    const menu = vscode.commands.executeCommand('editor.action.quickFix');
    // The menu renders asynchronously; the round trip of a first screenshot gives it time to appear.
    await requestScreenshot('compose-quickfix-opening');
    await requestScreenshot('compose-quickfix');
    await vscode.commands.executeCommand('hideCodeActionWidget');
    await menu;

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, placement.range);
    // The command API returns the actions without their diagnostics; the range selects them.
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit, `no preferred fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.strictEqual(fix.title, 'Add placement constraint node.role != manager');
    assert.strictEqual(fix.kind?.value, 'quickfix');

    const gone = waitForDiagnostics(uri, (ds) => !ds.some((d) => code(d) === 'compose/manager-placement'), 60_000);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await gone;

    const expected = original.replace(
      '        failure_action: rollback\n',
      '        failure_action: rollback\n      placement:\n        constraints:\n          - node.role != manager\n',
    );
    assert.strictEqual(editor.document.getText(), expected, 'only the new constraint was added; comments kept');
    await requestScreenshot('compose-fixed');
  });

  it('offers "Disable … for this line" and it silences the finding', async () => {
    const editor = await openFixture(copyOf('swarm/worker-stack.yml', 'jobs-stack.yml'));
    const uri = editor.document.uri;
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => code(d) === 'compose/manager-placement'), 90_000);
    const finding = diags.find((d) => code(d) === 'compose/manager-placement')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding.range);
    const disable = actions.find((a) => a.title === 'Disable compose/manager-placement for this line');
    assert.ok(disable?.edit);
    // A quick fix of its own kind: listed with the quick fixes, told apart from repairs by its kind.
    assert.strictEqual(disable.kind?.value, 'quickfix.prodready.disable');
    assert.ok(vscode.CodeActionKind.QuickFix.contains(disable.kind));
    const quickFixes = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      finding.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    assert.ok(quickFixes.some((a) => a.title === disable.title), 'among the quick fixes VS Code asks for by kind');
    const gone = waitForDiagnostics(uri, (ds) => !ds.some((d) => code(d) === 'compose/manager-placement'), 60_000);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    await gone;
    assert.match(editor.document.getText(), /\n {2}# prodready-disable-next-line compose\/manager-placement\n {2}worker:/);
  });
});
