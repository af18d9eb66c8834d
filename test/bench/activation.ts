// Extension activation in a real VS Code (code-server 4.100.3 + headless Chromium, through
// test/vscode/runCodeServer.ts), and the size of the packaged .vsix.
//
// `measureActivation()` (called by the benchmark helper, or `node out/test/bench/activation.js [runs]`)
// starts VS Code `runs` times on an empty workspace folder, where nothing activates prodready by
// itself. Each time the workbench runs this same module as its test suite (`run()`, in the extension
// host), which times:
//   - activate: `extension.activate()` from the call to its promise settling: loading dist/extension.js
//     and running `activate()` (what VS Code's Running Extensions view calls activation time);
//   - serverReady: from the call until the language server answered `initialize` (`api.ready`);
//   - firstDiagnostics: from the call until a stack file written and opened after it has prodready
//     diagnostics (what a user waits for on the first file).
// The figures are medians over the runs; the machine is shared and noisy, so nothing here asserts.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const RESULT_ENV = 'PRODREADY_ACTIVATION_RESULT';

export interface ActivationSample {
  activateMs: number;
  serverReadyMs: number;
  firstDiagnosticsMs: number;
}

export interface ActivationResult {
  runs: number;
  samples: ActivationSample[];
  median: ActivationSample;
  /** Bytes of the .vsix, when one was given (or prodready.vsix exists at the repository root). */
  vsixBytes?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The size of a packaged extension (`npm run package` writes prodready.vsix). */
export function vsixSize(vsix = path.join(REPO, 'prodready.vsix')): number | undefined {
  try {
    return fs.statSync(vsix).size;
  } catch {
    return undefined;
  }
}

/** Starts VS Code `runs` times (about 20–40 s each) and returns the activation figures. */
export async function measureActivation(options: { runs?: number; vsix?: string; log?: (line: string) => void } = {}): Promise<ActivationResult> {
  const runs = options.runs ?? 5;
  const log = options.log ?? (() => undefined);
  const samples: ActivationSample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-activation-'));
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'notes.txt'), 'Nothing here activates prodready.\n');
    const result = path.join(dir, 'result.json');
    try {
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(REPO, 'out/test/vscode/runCodeServer.js')], {
          env: {
            ...process.env,
            PRODREADY_VSCODE_WORKSPACE: workspace,
            PRODREADY_VSCODE_TESTS: __filename,
            PRODREADY_ARTIFACTS_DIR: path.join(dir, 'artifacts'),
            PRODREADY_VSCODE_TIMEOUT_MS: '180000',
            [RESULT_ENV]: result,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.once('error', reject);
        child.once('exit', (c) => {
          if (c !== 0) log(output.split('\n').slice(-30).join('\n'));
          resolve(c ?? 1);
        });
      });
      if (code !== 0 || !fs.existsSync(result)) throw new Error(`activation run ${i + 1} failed (exit code ${code})`);
      const sample = JSON.parse(fs.readFileSync(result, 'utf8')) as ActivationSample;
      log(`run ${i + 1}/${runs}: activate ${sample.activateMs.toFixed(0)} ms, server ready ${sample.serverReadyMs.toFixed(0)} ms, first diagnostics ${sample.firstDiagnosticsMs.toFixed(0)} ms`);
      samples.push(sample);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const pick = (k: keyof ActivationSample) => median(samples.map((s) => s[k]));
  const vsixBytes = vsixSize(options.vsix);
  return {
    runs,
    samples,
    median: { activateMs: pick('activateMs'), serverReadyMs: pick('serverReadyMs'), firstDiagnosticsMs: pick('firstDiagnosticsMs') },
    ...(vsixBytes !== undefined ? { vsixBytes } : {}),
  };
}

/**
 * The extension-host side (extensionTestsPath): one measurement, written to $PRODREADY_ACTIVATION_RESULT.
 * Rejects (failing the run) if prodready was already active or nothing arrived in time.
 */
export async function run(): Promise<void> {
  // Only inside VS Code: the benchmark helper loads this module in plain Node.
  const vscode = require('vscode') as typeof import('vscode');
  const extension = vscode.extensions.getExtension<{ ready: Promise<void> }>('prodready.prodready');
  if (!extension) throw new Error('prodready.prodready is not installed');
  if (extension.isActive) throw new Error('prodready was already active: the workspace must not activate it');
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');

  const started = performance.now();
  const api = await extension.activate();
  const activateMs = performance.now() - started;
  await api.ready;
  const serverReadyMs = performance.now() - started;

  const file = vscode.Uri.joinPath(folder.uri, 'docker-stack.yml');
  fs.writeFileSync(file.fsPath, 'services:\n  web:\n    image: nginx:latest\n');
  const diagnosed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no prodready diagnostics within 60 s')), 60_000);
    const check = () => {
      if (vscode.languages.getDiagnostics(file).some((d) => d.source === 'prodready')) {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    };
    const subscription = vscode.languages.onDidChangeDiagnostics(check);
    check();
  });
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  await diagnosed;
  const firstDiagnosticsMs = performance.now() - started;

  const sample: ActivationSample = { activateMs, serverReadyMs, firstDiagnosticsMs };
  const out = process.env[RESULT_ENV];
  if (out) fs.writeFileSync(out, JSON.stringify(sample));
  console.log(`activation: ${JSON.stringify(sample)}`);
  console.log('1 passed, 0 failed');
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 5);
  measureActivation({ runs, log: (line) => console.log(line) }).then(
    (r) => {
      console.log(
        `median of ${r.runs}: activate ${r.median.activateMs.toFixed(0)} ms, server ready ${r.median.serverReadyMs.toFixed(0)} ms, first diagnostics ${r.median.firstDiagnosticsMs.toFixed(0)} ms` +
          (r.vsixBytes !== undefined ? `; prodready.vsix ${(r.vsixBytes / 1024).toFixed(0)} KB` : ''),
      );
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
