/**
 * The packaged extension (`npm run test:vsix`: the runner installs prodready.vsix into a fresh VS Code
 * and selects these tests with PRODREADY_VSCODE_GREP=vsix): it activates on a stack file and its
 * language server reports diagnostics, from the files the .vsix ships and nothing else. Under the
 * normal suite the same checks run against the repository's extension.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, extensionId, openFixture, repoRoot, waitForDiagnostics } from './util';

const installed = !!process.env.PRODREADY_INSTALL_VSIX;

describe(`Packaged extension (vsix${installed ? ', installed' : ', repository'})`, () => {
  it('vsix: activates on a stack file and its language server reports diagnostics', async () => {
    const editor = await openFixture('stack.yml');
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    const diagnostics = await waitForDiagnostics(editor.document.uri, (ds) => ds.some((d) => d.source === 'prodready'), 60_000);
    assert.ok(extension.isActive, 'opening a stack file activated it');
    assert.ok(diagnostics.some((d) => String(typeof d.code === 'object' ? d.code.value : d.code).startsWith('compose/')));
    await activateExtension();
    if (installed) {
      const root = extension.extensionPath;
      assert.ok(!path.resolve(root).startsWith(path.resolve(repoRoot)), `the installed copy runs (${root}), not the repository`);
      for (const shipped of ['dist/extension.js', 'dist/server.js', 'snippets/compose.json', 'docs/rules/compose/image-tag.md', 'resources/readiness.svg']) {
        assert.ok(fs.existsSync(path.join(root, shipped)), `${shipped} is in the package`);
      }
      for (const left of ['node_modules', 'client', 'server', 'test', 'dist/extension.js.map']) {
        assert.ok(!fs.existsSync(path.join(root, left)), `${left} is not in the package`);
      }
    }
  });

  it('vsix: the Readiness view and its commands are contributed', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of ['prodready.scanWorkspace', 'prodready.fixAll', 'prodready.showRuleDocumentation', 'prodready.readiness.focus']) {
      assert.ok(commands.has(id), `${id} exists`);
    }
    await vscode.commands.executeCommand('prodready.readiness.focus');
  });
});
