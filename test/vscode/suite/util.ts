/**
 * Helpers for tests that run inside the extension host. Everything waits on VS Code events (or a
 * file-system event for screenshots) with a deadline that fails the test, never on fixed sleeps.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const extensionId = 'prodready.prodready';

/** Repository root: this file runs from out/test/vscode/suite/. */
export const repoRoot = path.resolve(__dirname, '../../../..');

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('no workspace folder is open; the runners open test/fixtures/workspace');
  }
  return folder;
}

/** A URI for a file in the test workspace (test/fixtures/workspace unless a runner overrides it). */
export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relativePath.split('/'));
}

/** Opens a workspace file in an editor and returns the editor. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) {
    throw new Error(`extension ${extensionId} is not installed in this VS Code`);
  }
  await extension.activate();
  return extension;
}

/**
 * Resolves with the first value `event` fires that satisfies `predicate`; rejects after `timeoutMs`.
 * Subscribe before triggering the action you expect to cause the event.
 */
export function waitForEvent<T>(
  event: vscode.Event<T>,
  predicate: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const subscription = event(value => {
      if (predicate(value)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      }
    });
  });
}

/**
 * Resolves with the diagnostics of `uri` as soon as they satisfy `predicate` (checked against the
 * current diagnostics first, then on every onDidChangeDiagnostics for that URI). On timeout the error
 * lists what the diagnostics were, which is usually what a failing test needs to show.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 20_000,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const finish = (diagnostics: readonly vscode.Diagnostic[]) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(diagnostics);
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      const current = vscode.languages.getDiagnostics(uri).map(d => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code instanceof Object ? d.code.value : d.code)} ${d.message}`);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for diagnostics on ${uri.fsPath}; current:\n${current.join('\n') || '  (none)'}`));
    }, timeoutMs);
    // Subscribe before reading the current state so no change can slip in between.
    const subscription = vscode.languages.onDidChangeDiagnostics(event => {
      if (event.uris.some(changed => changed.toString() === key)) {
        const diagnostics = vscode.languages.getDiagnostics(uri);
        if (predicate(diagnostics)) {
          finish(diagnostics);
        }
      }
    });
    const initial = vscode.languages.getDiagnostics(uri);
    if (predicate(initial)) {
      finish(initial);
    }
  });
}

/**
 * Asks the runner for a screenshot of the workbench as it is now, saved as test-artifacts/<name>.png
 * (name: letters, digits, '.', '_', '-'). Protocol, implemented by runCodeServer.ts: write
 * <dir>/<name>.req, the runner saves the picture, deletes the .req and writes <dir>/<name>.done
 * containing "ok" or an error. Resolves true once saved, false when the runner takes no screenshots
 * (e.g. runElectron.ts, which does not set PRODREADY_SCREENSHOT_REQUESTS).
 */
export async function requestScreenshot(name: string, timeoutMs = 30_000): Promise<boolean> {
  const dir = process.env.PRODREADY_SCREENSHOT_REQUESTS;
  if (!dir) {
    return false;
  }
  const done = path.join(dir, `${name}.done`);
  fs.rmSync(done, { force: true });
  const outcome = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const check = () => {
      if (settled || !fs.existsSync(done)) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      watcher.close();
      resolve(fs.readFileSync(done, 'utf8'));
    };
    const timer = setTimeout(() => {
      settled = true;
      watcher.close();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for screenshot "${name}"`));
    }, timeoutMs);
    // Watch before writing the request, so the runner's answer cannot arrive unseen.
    const watcher = fs.watch(dir, check);
    fs.writeFileSync(path.join(dir, `${name}.req`), '');
    check();
  });
  fs.rmSync(done, { force: true });
  if (outcome !== 'ok') {
    throw new Error(`screenshot "${name}": ${outcome}`);
  }
  return true;
}
