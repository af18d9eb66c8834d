/**
 * Runs the same suite as runCodeServer.ts through @vscode/test-electron, for machines that can
 * download VS Code from Microsoft (these CI machines cannot; they use runCodeServer.ts). On Linux
 * without a display, run it under xvfb-run.
 *
 * Environment (all optional):
 *   PRODREADY_VSCODE_WORKSPACE  folder to open (default test/fixtures/workspace)
 *   PRODREADY_VSCODE_TESTS      compiled test index (default out/test/vscode/suite/index.js)
 *   PRODREADY_VSCODE_VERSION    VS Code to download (default 1.100.3, the version code-server 4.100.3
 *                               bundles, so both runners test against the same VS Code)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { writeUserSettings } from './userSettings';

const repoRoot = path.resolve(__dirname, '../../..');

async function main(): Promise<number> {
  if (process.env.PRODREADY_INSTALL_VSIX) {
    console.error('PRODREADY_INSTALL_VSIX is only supported by runCodeServer.js (npm run test:vscode)');
    return 1;
  }
  const workspace = path.resolve(process.env.PRODREADY_VSCODE_WORKSPACE || path.join(repoRoot, 'test/fixtures/workspace'));
  const extensionTestsPath = path.resolve(process.env.PRODREADY_VSCODE_TESTS || path.join(repoRoot, 'out/test/vscode/suite/index.js'));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-electron-'));
  writeUserSettings(userDataDir);
  const launchArgs = [
    workspace,
    '--disable-extensions',
    '--disable-workspace-trust',
    '--skip-welcome',
    '--skip-release-notes',
    `--user-data-dir=${userDataDir}`,
  ];
  // Electron refuses to run as root without this (CI containers run as root).
  if (process.getuid?.() === 0) {
    launchArgs.push('--no-sandbox');
  }
  try {
    return await runTests({
      version: process.env.PRODREADY_VSCODE_VERSION || '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs,
    });
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().then(
  code => process.exit(code),
  error => {
    // runTests rejects when VS Code exits non-zero, i.e. when a test failed.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
