/**
 * The snippets in a real VS Code: each language is offered its snippets by the completion provider,
 * inserting one gives the text test/core/snippets.test.ts checks (its defaults expanded), and the
 * "New Production-Ready …" commands (the welcome view's buttons) open a document the server finds
 * nothing wrong with.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyze } from '../../../server/src/core/analyze';
import { expandSnippet, loadSnippetFiles, snippetBody, snippetPrefixes, SnippetDefinition } from '../../core/snippetExpansion';
import { activateExtension, repoRoot, waitForEvent } from './util';

interface Report {
  files: { uri: string; findings: { ruleId: string }[]; passed: { ruleId: string }[]; score?: number; skipped?: string }[];
}
interface Api {
  ready: Promise<void>;
  readiness: { report(): Report; onDidChange: vscode.Event<unknown> };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { snippets: { language: string; path: string }[] };
};
const files = loadSnippetFiles(repoRoot);

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

async function closeActiveWithoutSaving(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** The text VS Code inserts for a snippet in `editor` (tabs become its indentation unit). */
function expected(definition: SnippetDefinition, editor: vscode.TextEditor): string {
  const unit = editor.options.insertSpaces ? ' '.repeat(Number(editor.options.tabSize)) : '\t';
  return expandSnippet(snippetBody(definition)).replace(/^\t+/gm, (tabs) => unit.repeat(tabs.length));
}

describe('Snippets', () => {
  before(async () => {
    await ((await activateExtension()).exports as Api).ready;
  });

  for (const contribution of manifest.contributes.snippets) {
    const file = path.basename(contribution.path);
    const snippets = Object.values(files.get(file) ?? {});
    it(`${contribution.language}: offers every snippet of ${file} and inserts its production-ready text`, async () => {
      assert.ok(snippets.length > 0, `snippets/${file} exists and has snippets`);
      const document = await vscode.workspace.openTextDocument({ language: contribution.language, content: '' });
      const editor = await vscode.window.showTextDocument(document);
      try {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 0));
        const offered = new Map(list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => [label(i), i]));
        for (const definition of snippets) {
          const prefix = snippetPrefixes(definition)[0];
          const item = offered.get(prefix);
          assert.ok(item, `${prefix} is offered in ${contribution.language}; offered: ${[...offered.keys()].join(', ')}`);
          assert.ok(item.insertText instanceof vscode.SnippetString, `${prefix} inserts as a snippet`);
          await editor.edit((b) => b.delete(new vscode.Range(0, 0, document.lineCount, 0)));
          assert.ok(await editor.insertSnippet(item.insertText, new vscode.Position(0, 0)));
          assert.strictEqual(document.getText(), expected(definition, editor), `${prefix} inserted with its defaults`);
          await vscode.commands.executeCommand('leaveSnippet');
        }
      } finally {
        await closeActiveWithoutSaving();
      }
    });
  }

  for (const [command, fileName, language, checked] of [
    ['prodready.newStackFile', 'docker-stack.yml', 'yaml', true],
    ['prodready.newNginxConfig', 'nginx.conf', 'nginx', true],
    ['prodready.newHaproxyConfig', 'haproxy.cfg', 'haproxy', true],
    // Helm values are recognised next to a Chart.yaml; the workspace root has none.
    ['prodready.newHelmValues', 'values-production.yaml', 'yaml', false],
  ] as const) {
    it(`${command} opens an untitled ${fileName} with the snippet${checked ? ' that passes every check' : ''}`, async () => {
      const api = (await activateExtension()).exports as Api;
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(command);
      try {
        const document = editor.document;
        assert.strictEqual(vscode.window.activeTextEditor?.document, document);
        assert.strictEqual(document.uri.scheme, 'untitled');
        assert.strictEqual(path.posix.basename(document.uri.path), fileName);
        assert.strictEqual(document.languageId, language);
        assert.ok(document.getText().length > 100);
        if (checked) {
          const uri = document.uri.toString();
          // What the core says about the inserted text, to know when the report has caught up with it
          // (the server saw the empty document first).
          const core = analyze({ text: document.getText(), path: document.uri.path });
          assert.deepStrictEqual(core.findings.map((f) => f.ruleId), []);
          const entry = () => api.readiness.report().files.find((f) => f.uri === uri);
          const current = () => {
            const e = entry();
            return !!e && e.skipped === undefined && JSON.stringify(e.passed.map((c) => c.ruleId).sort()) === JSON.stringify([...core.passed].sort());
          };
          if (!current()) await waitForEvent(api.readiness.onDidChange, current, 30_000, `${fileName} in the report`);
          assert.deepStrictEqual(entry()!.findings.map((f) => f.ruleId), [], 'the server finds nothing either');
          assert.strictEqual(entry()!.score, 100);
        }
      } finally {
        await vscode.commands.executeCommand('leaveSnippet');
        await closeActiveWithoutSaving();
      }
    });
  }
});
