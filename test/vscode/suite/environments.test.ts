// Environments in a real VS Code: a chart's production overlay shows what production inherits from the
// chart's values.yaml (with the place it is written as related information) and from a subchart's
// default; the inherited finding's quick fix sets the value in the overlay and the finding goes; the
// Readiness view shows the environment ("production · n%") with its two files.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, fixtureUri, repoRoot, waitForDiagnostics, waitForEvent } from './util';

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

interface Api {
  ready: Promise<void>;
  readiness: {
    report(): { environments?: { name: string; files: string[]; score?: number }[] };
    onDidChange: vscode.Event<unknown>;
    snapshot(depth?: number): { label: string; id?: string; description?: string; children?: { label: string; description?: string }[] }[];
  };
}

const SCRATCH = 'environments-scratch';
const BASE = `${SCRATCH}/shop/values.yaml`;
const OVERLAY = `${SCRATCH}/shop/values-production.yaml`;

async function open(relativePath: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri(relativePath)), { preview: false });
}

describe('Environments in VS Code', () => {
  let api: Api;
  before(async () => {
    api = (await activateExtension()).exports as Api;
    await api.ready;
    // A private copy of the chart (its unpacked PostgreSQL subchart included): VS Code in a browser
    // auto-saves, and the fix must not outlive the test.
    fs.cpSync(path.join(repoRoot, 'test/fixtures/env/shop'), fixtureUri(`${SCRATCH}/shop`).fsPath, { recursive: true });
  });
  after(async () => {
    for (const rel of [OVERLAY, BASE]) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === fixtureUri(rel).fsPath);
      if (!doc) continue;
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    fs.rmSync(fixtureUri(SCRATCH).fsPath, { recursive: true, force: true });
  });

  it('the overlay shows an inherited finding with its related location; its quick fix sets the value in the overlay', async () => {
    await open(BASE);
    const editor = await open(OVERLAY);
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const diags = await waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => code(d) === 'helm/plaintext-secret') && ds.some((d) => code(d) === 'helm/standalone-architecture'),
      90_000,
    );
    const secret = diags.find((d) => code(d) === 'helm/plaintext-secret')!;
    assert.match(secret.message, /^postgresql\.auth\.password is "changeme", set in values\.yaml/);
    assert.deepStrictEqual(
      secret.relatedInformation?.map((r) => [r.location.uri.fsPath, r.location.range.start.line]),
      [[fixtureUri(BASE).fsPath, 11]],
    );

    const inherited = diags.find((d) => code(d) === 'helm/standalone-architecture')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, inherited.range);
    const fix = actions.find((a) => a.isPreferred && a.kind?.value === 'quickfix' && !!a.edit?.size);
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.deepStrictEqual(fix.edit.entries().map(([u]) => u.fsPath), [uri.fsPath], 'the fix edits the overlay only');
    const gone = waitForDiagnostics(uri, (ds) => !ds.some((d) => code(d) === 'helm/standalone-architecture'), 60_000);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await gone;
    assert.strictEqual(editor.document.getText(), `${original}postgresql:\n  architecture: replication\n`);
  });

  it('the Readiness view has the environment level: "production · n%" with the base and the overlay', async () => {
    const files = [fixtureUri(BASE).toString(), fixtureUri(OVERLAY).toString()];
    const has = () => (api.readiness.report().environments ?? []).some((e) => e.name === 'production' && e.files.join() === files.join());
    if (!has()) await waitForEvent(api.readiness.onDidChange, has, 60_000, 'the production environment in the report');
    const environment = api.readiness.report().environments!.find((e) => e.files.join() === files.join())!;
    const node = api.readiness.snapshot(2).find((n) => n.id?.startsWith('environment:production:') && n.id.includes(files[1]));
    assert.ok(node, api.readiness.snapshot(1).map((n) => n.label).join(', '));
    assert.strictEqual(node.label, `production · ${environment.score}%`);
    assert.deepStrictEqual(
      node.children?.map((c) => [c.label, c.description?.split(' · ')[0]]),
      [
        [BASE, 'base'],
        [OVERLAY, 'overlay'],
      ],
    );
  });
});
