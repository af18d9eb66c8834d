/**
 * Entry point the extension host calls with the real `vscode` API (extensionTestsPath). Same contract
 * under both runners (runCodeServer.ts, runElectron.ts): resolve when every test passed, reject
 * otherwise. Runs every *.test.js next to this file with mocha's bdd interface.
 *
 * PRODREADY_VSCODE_GREP, when set, runs only the tests whose full title matches it.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // Generous: a test may wait for the language server to start and analyse a workspace.
    timeout: 60_000,
    // The output ends up in CI logs through the workbench's log, where escape codes are noise.
    color: false,
  });
  if (process.env.PRODREADY_VSCODE_GREP) {
    mocha.grep(process.env.PRODREADY_VSCODE_GREP);
  }
  for (const file of fs.readdirSync(__dirname).filter(name => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }

  let passed = 0;
  let failed = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      try {
        const runner = mocha.run(() => {
          passed = runner.stats?.passes ?? 0;
          failed = runner.stats?.failures ?? 0;
          resolve();
        });
      } catch (error) {
        // A test file that throws while loading stops mocha before any test runs.
        reject(error);
      }
    });
  } catch (error) {
    console.error(error instanceof Error ? error.stack : String(error));
    failed += 1;
  }
  // The runners and CI look for this exact line.
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) {
    throw new Error(`${failed} VS Code test(s) failed`);
  }
}
