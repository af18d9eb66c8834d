/**
 * Proves the plumbing: the extension under test is loaded into a real VS Code, activates, and the
 * test workspace is open. Feature tests (diagnostics, quick fixes, sidebar) live in their own files.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, extensionId, fixtureUri, openFixture, requestScreenshot } from './util';

describe('VS Code test plumbing', () => {
  it(`loads and activates ${extensionId}`, async () => {
    const extension = await activateExtension();
    assert.strictEqual(extension.isActive, true);
    assert.strictEqual(extension.packageJSON.name, 'prodready');
  });

  it('opens the fixture stack file from the test workspace', async () => {
    const editor = await openFixture('stack.yml');
    assert.strictEqual(editor.document.uri.toString(), fixtureUri('stack.yml').toString());
    assert.strictEqual(vscode.window.activeTextEditor?.document, editor.document);
    assert.match(editor.document.getText(), /services:/);
    await requestScreenshot('vscode-smoke-stack-open');
  });
});
