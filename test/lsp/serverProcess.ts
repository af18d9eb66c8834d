// The real language server as a child process, spoken to over stdio with the LSP protocol library.
// Waits are on messages (with a timeout that fails the test), never on sleeps.

import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  Diagnostic,
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '../../..');

export class ServerProcess {
  readonly connection: ProtocolConnection;
  private readonly proc: ChildProcess;
  private readonly waiters: { predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** What the server's workspace/configuration requests get for the `prodready` section. */
  settings: Record<string, unknown> = {};
  stderr = '';
  /** Every window/logMessage the server sent. */
  readonly logs: string[] = [];
  /** Every window/showMessage (notifications the user sees). */
  readonly shown: { type: number; message: string }[] = [];

  constructor(env: Record<string, string> = {}) {
    this.proc = spawn(process.execPath, [path.join(REPO, 'dist/server.js'), '--stdio'], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.latest.set(p.uri, p);
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.predicate(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((i) => (i.section === 'prodready' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/logMessage', (m: { message: string }) => this.logs.push(m.message));
    this.connection.onNotification('window/showMessage', (m: { type: number; message: string }) => this.shown.push(m));
    this.connection.listen();
  }

  get alive(): boolean {
    return this.proc.exitCode === null && !this.proc.killed;
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } } },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves with the first publishDiagnostics for `uri` (optionally at `version`) that arrives from now on. */
  diagnostics(uri: string, version?: number, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}${version !== undefined ? ` v${version}` : ''} within ${timeoutMs} ms\n${this.stderr}`)), timeoutMs);
      this.waiters.push({
        predicate: (p) => p.uri === uri && (version === undefined || p.version === version),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<Diagnostic[]> {
    const wait = this.diagnostics(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return (await wait).diagnostics;
  }

  async change(uri: string, version: number, text: string): Promise<Diagnostic[]> {
    const wait = this.diagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return (await wait).diagnostics;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
        await this.connection.sendNotification('exit');
      } catch {
        // already gone
      }
    }
    this.connection.dispose();
    this.proc.kill();
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}
