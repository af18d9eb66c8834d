/**
 * The Prod Readiness commands in a real VS Code: they are in the palette under their category, Scan
 * Workspace rescans, Show Rule Documentation opens the rule's page in the Markdown preview, and Fix
 * All leaves a file with no auto-fixable finding. Edits happen on private copies (VS Code in a browser
 * auto-saves).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, fixtureUri, openFixture, repoRoot, waitForDiagnostics, waitForEvent } from './util';

// The parts of the extension's API (client/src/extension.ts, ProdreadyApi) these tests use.
interface FileReadiness {
  uri: string;
  findings: { ruleId: string; fixable: boolean }[];
  skipped?: string;
}
interface Report {
  files: FileReadiness[];
  scanning: boolean;
}
interface Api {
  ready: Promise<void>;
  readiness: {
    report(): Report;
    onDidChange: vscode.Event<unknown>;
    provider: { fileNode(uri: vscode.Uri | string): object | undefined };
  };
}

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

let api: Api;
const copies: string[] = [];

function copyOf(relativePath: string, name: string): string {
  const target = `readiness/scratch-commands/${name}`;
  fs.mkdirSync(path.dirname(fixtureUri(target).fsPath), { recursive: true });
  fs.copyFileSync(fixtureUri(relativePath).fsPath, fixtureUri(target).fsPath);
  copies.push(fixtureUri(target).fsPath);
  return target;
}

function fileOf(relativePath: string): FileReadiness | undefined {
  const uri = fixtureUri(relativePath).toString();
  return api.readiness.report().files.find((f) => f.uri === uri);
}

async function waitForReport(predicate: (report: Report) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  if (predicate(api.readiness.report())) return;
  await waitForEvent(api.readiness.onDidChange, () => predicate(api.readiness.report()), timeoutMs, what);
}

/** The open tabs' inputs that are Markdown previews. */
function markdownPreviews(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType));
}

describe('Prod Readiness commands', () => {
  before(async () => {
    const extension = await activateExtension();
    api = extension.exports as Api;
    await api.ready;
  });

  // Closes the copies' editors without saving, then deletes them (in that order: auto-save).
  after(async () => {
    for (const f of copies.splice(0)) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === f);
      if (doc) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
    fs.rmSync(fixtureUri('readiness/scratch-commands').fsPath, { recursive: true, force: true });
  });

  it('are in the command palette under the "Prod Readiness" category', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string; category?: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
    };
    const registered = new Set(await vscode.commands.getCommands(true));
    const hidden = new Set(manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
    const palette = manifest.contributes.commands.filter((c) => !hidden.has(c.command));
    for (const c of manifest.contributes.commands) {
      assert.ok(registered.has(c.command), `${c.command} is contributed but not registered`);
      assert.strictEqual(c.category, 'Prod Readiness', `${c.command} has the category`);
    }
    for (const id of ['prodready.scanWorkspace', 'prodready.fixAll', 'prodready.showRuleDocumentation', 'prodready.showOutput']) {
      assert.ok(palette.some((c) => c.command === id), `${id} is in the palette`);
    }
  });

  it('Scan Workspace rescans and the report lists the workspace again', async () => {
    await vscode.commands.executeCommand('prodready.scanWorkspace');
    const report = api.readiness.report();
    assert.strictEqual(report.scanning, false, 'the command resolves when the scan is over');
    assert.ok(fileOf('readiness/app-stack.yml'), 'the scan found the fixtures');
    assert.strictEqual(fileOf('readiness/docker-compose.override.yml')?.skipped, 'non-production');
  });

  it('Show Rule Documentation opens the rule page in the Markdown preview, offline', async () => {
    for (const tab of markdownPreviews()) await vscode.window.tabGroups.close(tab);
    const opened = waitForEvent(vscode.window.tabGroups.onDidChangeTabs, () => markdownPreviews().length > 0, 30_000, 'a Markdown preview tab');
    assert.strictEqual(await vscode.commands.executeCommand('prodready.showRuleDocumentation', 'compose/manager-placement'), true);
    await opened;
    const [preview] = markdownPreviews();
    assert.match(preview.label, /manager-placement/);

    // From a node in the sidebar (a finding's or a passed check's context menu).
    const second = waitForEvent(vscode.window.tabGroups.onDidChangeTabs, () => markdownPreviews().some((t) => /image-tag/.test(t.label)), 30_000, 'the compose/image-tag preview');
    await vscode.commands.executeCommand('prodready.openRuleDocumentation', { type: 'check', check: { ruleId: 'compose/image-tag' } });
    await second;
    for (const tab of markdownPreviews()) await vscode.window.tabGroups.close(tab);
  });

  it('Fix All Auto-fixable in File leaves no auto-fixable finding (active editor)', async () => {
    const copy = copyOf('readiness/fixall-stack.yml', 'fixall-editor-stack.yml');
    const editor = await openFixture(copy);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.filter((d) => d.source === 'prodready').length >= 3);
    await waitForReport(() => (fileOf(copy)?.findings.filter((f) => f.fixable).length ?? 0) >= 3, 'the copy in the report');
    const fixed = waitForReport(() => !!fileOf(copy)?.findings.every((f) => !f.fixable), 'no auto-fixable finding in the report');
    const count = await vscode.commands.executeCommand<number>('prodready.fixAll');
    assert.ok(count > 0, 'edits were applied');
    await fixed;
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => ['compose/manager-placement', 'compose/single-replica', 'compose/restart-policy'].includes(code(d))));
    const text = editor.document.getText();
    assert.match(text, /replicas: 2/);
    assert.match(text, /condition: any|condition: on-failure/);
    assert.match(text, /node\.role != manager/);
    assert.match(text, /^# Fix All fixture/, 'comments kept');
  });

  it('Fix All from a file node fixes a closed file', async () => {
    const copy = copyOf('readiness/fixall-stack.yml', 'fixall-node-stack.yml');
    await waitForReport(() => (fileOf(copy)?.findings.filter((f) => f.fixable).length ?? 0) >= 3, 'the copy in the report');
    const node = api.readiness.provider.fileNode(fixtureUri(copy));
    assert.ok(node);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === fixtureUri(copy).toString()), 'not open yet');
    const fixed = waitForReport(() => !!fileOf(copy)?.findings.every((f) => !f.fixable), 'no auto-fixable finding left in the copy');
    assert.ok((await vscode.commands.executeCommand<number>('prodready.fixAll', node)) > 0);
    await fixed;
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), fixtureUri(copy).toString(), 'the fixed file is shown');
  });
});
