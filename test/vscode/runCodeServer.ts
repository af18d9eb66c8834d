/**
 * Runs the extension's mocha suite (test/vscode/suite) inside a real VS Code on machines that cannot
 * download VS Code: code-server serves the VS Code 1.100 workbench and runs the real Node extension
 * host, headless Debian Chromium (driven by playwright-core) renders the workbench. The suite is
 * started exactly as @vscode/test-electron starts it: extensionDevelopmentPath + extensionTestsPath,
 * passed in the workbench URL's `payload`. The workbench reports the suite's end by calling
 * `window.codeAutomationExit(code)`, and its log lines (the suite's console output included) through
 * `window.codeAutomationLog(level, message)`.
 *
 * Prerequisite: `bash scripts/install-code-server.sh`. Environment (all optional):
 *   PRODREADY_VSCODE_WORKSPACE   folder to open (default test/fixtures/workspace)
 *   PRODREADY_VSCODE_TESTS       compiled test index (default out/test/vscode/suite/index.js)
 *   PRODREADY_INSTALL_VSIX       install this .vsix into the fresh extensions dir and test it instead
 *                                of the repository's extension (an empty stub extension becomes the
 *                                development extension, since VS Code requires one to run tests)
 *   PRODREADY_VSCODE_TIMEOUT_MS  overall limit, default 600000; exceeding it fails the run
 *   PRODREADY_ARTIFACTS_DIR      where screenshots and logs go (default test-artifacts)
 *
 * Screenshots: test-artifacts/vscode-final.png at the end of every run (also on failure or timeout).
 * A test can ask for one at a moment of its choosing: it writes
 * <artifacts>/screenshot-requests/<name>.req; this runner then saves <artifacts>/<name>.png, deletes
 * the .req and writes <name>.done (containing "ok" or the error) next to it. The suite's
 * requestScreenshot() in suite/util.ts does this; the runner tells the extension host where the
 * folder is through PRODREADY_SCREENSHOT_REQUESTS (absent under other runners, where it is a no-op).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { format } from 'util';
import { Browser, Page, chromium } from 'playwright-core';
import { writeUserSettings } from './userSettings';

const repoRoot = path.resolve(__dirname, '../../..');
const codeServerEntry = path.join(repoRoot, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
const chromiumPath = '/usr/bin/chromium';
const summaryLine = /(?:^|\s)(\d+) passed, (\d+) failed\s*$/m;

interface Options {
  workspace: string;
  testsPath: string;
  vsix: string | undefined;
  timeoutMs: number;
  artifactsDir: string;
}

function readOptions(): Options {
  const env = process.env;
  const timeoutMs = Number(env.PRODREADY_VSCODE_TIMEOUT_MS ?? 600_000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`PRODREADY_VSCODE_TIMEOUT_MS must be a positive number, got ${env.PRODREADY_VSCODE_TIMEOUT_MS}`);
  }
  return {
    workspace: path.resolve(env.PRODREADY_VSCODE_WORKSPACE || path.join(repoRoot, 'test/fixtures/workspace')),
    testsPath: path.resolve(env.PRODREADY_VSCODE_TESTS || path.join(repoRoot, 'out/test/vscode/suite/index.js')),
    vsix: env.PRODREADY_INSTALL_VSIX ? path.resolve(env.PRODREADY_INSTALL_VSIX) : undefined,
    timeoutMs,
    artifactsDir: path.resolve(env.PRODREADY_ARTIFACTS_DIR || path.join(repoRoot, 'test-artifacts')),
  };
}

function log(message: string): void {
  process.stdout.write(`[runCodeServer] ${message}\n`);
}

/** Everything started by a run, so that every exit path can stop all of it. */
class Run {
  codeServer: ChildProcess | undefined;
  browser: Browser | undefined;
  tmpDir: string | undefined;
  /** Where to keep code-server's own logs (extension host, output channels) before tmpDir goes. */
  serverLogsTarget: string | undefined;
  screenshots: ScreenshotRequests | undefined;
  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    this.screenshots?.stop();
    await this.browser?.close().catch(() => undefined);
    await stopProcessGroup(this.codeServer);
    if (this.tmpDir) {
      const serverLogs = path.join(this.tmpDir, 'user-data', 'logs');
      if (this.serverLogsTarget && fs.existsSync(serverLogs)) {
        fs.rmSync(this.serverLogsTarget, { recursive: true, force: true });
        fs.cpSync(serverLogs, this.serverLogsTarget, { recursive: true });
      }
      fs.rmSync(this.tmpDir, { recursive: true, force: true });
    }
  }

  /** Last resort from process.on('exit'): only synchronous calls work there. */
  killNow(): void {
    killGroup(this.codeServer, 'SIGKILL');
  }
}

/**
 * Signals code-server's whole process group (it was started detached, as a group leader), which
 * includes the extension host it forks; that one may outlive the server process itself.
 */
function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (child?.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: nothing left in the group
  }
}

async function stopProcessGroup(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined) {
    return;
  }
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const forced = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(forced);
  }
  killGroup(child, 'SIGKILL');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise(resolve => {
    const request = http.get(url, { timeout: 2_000 }, response => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** Polls until code-server answers; fails fast if it exits instead. */
async function waitForHttp(url: string, child: ChildProcess, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`code-server exited (code ${child.exitCode}) before answering ${url}`);
    }
    if ((await httpStatus(url)) === 200) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${limitMs / 1000} s`);
}

function runToExit(command: string, args: string[], outputFile: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(outputFile, 'a');
    const child = spawn(command, args, { stdio: ['ignore', out, out], env });
    child.once('error', reject);
    child.once('exit', code => {
      fs.closeSync(out);
      resolve(code ?? 1);
    });
  });
}

/** A vscode-remote URI for a path on the code-server machine, as the workbench's payload expects. */
function remoteUri(authority: string, absolutePath: string): string {
  return `vscode-remote://${authority}${absolutePath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** Serves the suite's screenshot requests (see the header comment) while the workbench is open. */
class ScreenshotRequests {
  private watcher: fs.FSWatcher | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly seen = new Set<string>();

  constructor(
    private readonly requestsDir: string,
    private readonly artifactsDir: string,
    private readonly page: Page,
  ) {}

  start(): void {
    this.watcher = fs.watch(this.requestsDir, () => this.scan());
    this.scan();
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private scan(): void {
    for (const file of fs.readdirSync(this.requestsDir)) {
      if (!file.endsWith('.req') || this.seen.has(file)) {
        continue;
      }
      this.seen.add(file);
      this.queue = this.queue.then(() => this.take(file.slice(0, -'.req'.length)));
    }
  }

  private async take(name: string): Promise<void> {
    let outcome = 'ok';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      outcome = `error: invalid screenshot name "${name}" (use letters, digits, '.', '_', '-')`;
    } else {
      try {
        await this.page.screenshot({ path: path.join(this.artifactsDir, `${name}.png`) });
        log(`screenshot ${path.relative(repoRoot, path.join(this.artifactsDir, `${name}.png`))}`);
      } catch (error) {
        outcome = `error: ${String(error)}`;
      }
    }
    fs.rmSync(path.join(this.requestsDir, `${name}.req`), { force: true });
    // Written aside and renamed, so the waiting test never reads a half-written answer.
    const answer = path.join(this.requestsDir, `${name}.done`);
    fs.writeFileSync(`${answer}.tmp`, outcome);
    fs.renameSync(`${answer}.tmp`, answer);
    this.seen.delete(`${name}.req`);
  }
}

interface Outcome {
  code: number;
  reason: string;
}

async function main(): Promise<number> {
  const options = readOptions();
  if (!fs.existsSync(codeServerEntry)) {
    log('code-server is not installed: run `bash scripts/install-code-server.sh` first');
    return 1;
  }
  if (!fs.existsSync(options.testsPath)) {
    log(`no compiled test index at ${options.testsPath}: run \`npm run build\` first`);
    return 1;
  }
  if (!fs.existsSync(options.workspace)) {
    log(`workspace folder ${options.workspace} does not exist`);
    return 1;
  }

  const run = new Run();
  process.on('exit', () => run.killNow());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void run.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }

  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutMs;
  let finalSummary: string | undefined;
  let outcome: Outcome;
  // runSuite enforces the deadline itself, taking a last screenshot; this backstop covers a step
  // that hangs past it (a browser that never launches, a page that never loads).
  let backstop: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>(resolve => {
    backstop = setTimeout(() => resolve({ code: 1, reason: `timed out after ${options.timeoutMs / 1000} s` }), options.timeoutMs + 30_000);
  });
  try {
    outcome = await Promise.race([runSuite(run, options, deadline, line => (finalSummary = line)), hung]);
  } catch (error) {
    outcome = { code: 1, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(backstop);
    await run.stop();
  }
  log(`${outcome.reason} (exit code ${outcome.code}, ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  // Repeated last so the result is the final line of a CI log, whatever the workbench logged after it.
  process.stdout.write(`${finalSummary ?? 'the suite reported no "N passed, N failed" summary'}\n`);
  return outcome.code;
}

async function runSuite(
  run: Run,
  options: Options,
  deadline: number,
  onSummary: (line: string) => void,
): Promise<Outcome> {
  const { artifactsDir } = options;
  const requestsDir = path.join(artifactsDir, 'screenshot-requests');
  // Nothing from an earlier run may pass for this one's (tests' own <name>.png are overwritten).
  for (const stale of [requestsDir, 'vscode-final.png', 'vscode-logs', 'code-server-logs']) {
    fs.rmSync(path.resolve(artifactsDir, stale), { recursive: true, force: true });
  }
  fs.mkdirSync(requestsDir, { recursive: true });
  const codeServerLog = path.join(artifactsDir, 'code-server.log');
  fs.writeFileSync(codeServerLog, '');

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-vscode-'));
  run.tmpDir = tmpDir;
  run.serverLogsTarget = path.join(artifactsDir, 'code-server-logs');
  const userDataDir = path.join(tmpDir, 'user-data');
  const extensionsDir = path.join(tmpDir, 'extensions');
  const configFile = path.join(tmpDir, 'config.yaml');
  // An explicit config file keeps code-server from writing one into ~/.config/code-server.
  fs.writeFileSync(configFile, 'auth: none\n');
  fs.mkdirSync(extensionsDir);
  writeUserSettings(userDataDir);
  const commonArgs = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  // code-server, VS Code and Chromium otherwise leave heartbeat files, device ids, crash-report
  // folders under ~ and IPC sockets in /tmp behind; point all of that into this run's folder.
  const scratchEnv: NodeJS.ProcessEnv = {};
  for (const [name, dir] of [['TMPDIR', 'tmp'], ['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_CACHE_HOME', 'cache']]) {
    scratchEnv[name] = path.join(tmpDir, dir);
    fs.mkdirSync(scratchEnv[name]!);
  }

  if (options.vsix) {
    log(`installing ${options.vsix}`);
    const code = await runToExit(process.execPath, [codeServerEntry, ...commonArgs, '--install-extension', options.vsix], codeServerLog, {
      ...process.env,
      ...scratchEnv,
    });
    if (code !== 0) {
      return { code: 1, reason: `installing ${options.vsix} failed; see ${codeServerLog}` };
    }
  }

  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const out = fs.openSync(codeServerLog, 'a');
  run.codeServer = spawn(
    process.execPath,
    [
      codeServerEntry, ...commonArgs,
      '--auth', 'none', '--bind-addr', authority,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      options.workspace,
    ],
    {
      // Its own process group, so that stopping it also stops the extension host it forks.
      detached: true,
      stdio: ['ignore', out, out],
      // The extension host inherits this environment; the suite's util.ts reads it.
      env: { ...process.env, ...scratchEnv, PRODREADY_SCREENSHOT_REQUESTS: requestsDir },
    },
  );
  fs.closeSync(out);
  const codeServerExited = new Promise<Outcome>(resolve =>
    run.codeServer!.once('exit', code => resolve({ code: 1, reason: `code-server exited unexpectedly (code ${code}); see ${codeServerLog}` })),
  );
  const timedOut = new Promise<Outcome>(resolve => {
    const timer = setTimeout(
      () => resolve({ code: 1, reason: `timed out after ${options.timeoutMs / 1000} s` }),
      Math.max(0, deadline - Date.now()),
    );
    timer.unref();
  });

  const spawnedAt = Date.now();
  await Promise.race([waitForHttp(`http://${authority}/healthz`, run.codeServer, 60_000), timedOut.then(o => Promise.reject(new Error(o.reason)))]);
  log(`code-server ${authority} answered after ${((Date.now() - spawnedAt) / 1000).toFixed(1)} s`);

  run.browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Our own handlers stop everything, code-server included; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: { ...process.env, ...scratchEnv },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
      // CI containers often give /dev/shm only 64 MB, which crashes renderer tabs.
      '--disable-dev-shm-usage',
    ],
  });
  const page = await run.browser.newPage({ viewport: { width: 1600, height: 1000 } });

  let reportExit: (outcome: Outcome) => void = () => undefined;
  const suiteExited = new Promise<Outcome>(resolve => (reportExit = resolve));
  await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
    // The extension host's console.log arrives as its argument list (format string first).
    let text = Array.isArray(message) ? format(...message) : typeof message === 'string' ? message : JSON.stringify(message);
    if (/ENOTFOUND open-vsx\.org/.test(text)) {
      // The marketplace is unreachable by design here; its stack traces would only bury the results.
      text = text.split('\n')[0];
    }
    const match = summaryLine.exec(text);
    if (match) {
      onSummary(`${match[1]} passed, ${match[2]} failed`);
    }
    process.stdout.write(level === 'info' ? `${text}\n` : `[${level}] ${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
    saveWorkbenchLogs(path.join(artifactsDir, 'vscode-logs'), logs);
    reportExit({ code, reason: code === 0 ? 'suite passed' : 'suite failed' });
  });
  const browserConsole = fs.createWriteStream(path.join(artifactsDir, 'vscode-browser-console.log'));
  page.on('console', message => browserConsole.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', error => browserConsole.write(`[pageerror] ${error.stack ?? error.message}\n`));
  const pageCrashed = new Promise<Outcome>(resolve => page.once('crash', () => resolve({ code: 1, reason: 'the workbench page crashed' })));

  run.screenshots = new ScreenshotRequests(requestsDir, artifactsDir, page);
  run.screenshots.start();

  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remoteUri(authority, options.vsix ? emptyDevelopmentExtension(tmpDir) : repoRoot)],
    ['extensionTestsPath', remoteUri(authority, options.testsPath)],
    ['skipWelcome', 'true'],
  ];
  const url = `http://${authority}/?${new URLSearchParams({ folder: options.workspace, payload: JSON.stringify(payload) })}`;
  log(`opening the workbench on ${options.workspace} with tests ${path.relative(repoRoot, options.testsPath)}${options.vsix ? ` and ${path.basename(options.vsix)} installed` : ''}`);
  await page.goto(url);

  const outcome = await Promise.race([suiteExited, timedOut, codeServerExited, pageCrashed]);
  run.screenshots.stop();
  const finalShot = path.join(artifactsDir, 'vscode-final.png');
  await page.screenshot({ path: finalShot, timeout: 15_000 }).then(
    () => log(`screenshot ${path.relative(repoRoot, finalShot)}`),
    error => log(`final screenshot failed: ${String(error)}`),
  );
  browserConsole.end();
  return outcome;
}

/**
 * VS Code only runs extensionTestsPath in an extension development session, so testing an installed
 * VSIX needs some extensionDevelopmentPath: an extension with a different id that contributes nothing,
 * leaving the installed prodready.prodready as the one under test.
 */
function emptyDevelopmentExtension(tmpDir: string): string {
  const dir = path.join(tmpDir, 'vsix-test-host');
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { name: 'vsix-test-host', publisher: 'prodready-test', version: '0.0.0', engines: { vscode: '*' } };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

function saveWorkbenchLogs(dir: string, logs: { relativePath: string; contents: string }[] | undefined): void {
  if (!Array.isArray(logs)) {
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  for (const entry of logs) {
    const target = path.resolve(dir, entry.relativePath);
    if (!target.startsWith(dir + path.sep)) {
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.contents);
  }
}

main().then(
  code => process.exit(code),
  error => {
    log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
