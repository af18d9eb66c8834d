// A small LSP client over stdio for benchmarks and protocol tests: it spawns a language server, frames
// JSON-RPC messages with Content-Length headers, answers the requests servers send to clients, and
// lets callers wait for any incoming message by predicate. There are no sleeps and no timing
// assumptions: every wait is on a message, with a deadline that throws (naming what was awaited and
// what arrived instead), and everything rejects at once if the server exits.
//
// Every received message is logged with the time its last byte arrived, so a benchmark can measure
// from "sent" to "received" without the client's own JSON parsing in the figure, and a test can wait
// for a message that arrived before it started waiting (pass `since` from `cursor()`).

import { ChildProcess, spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type {
  ClientCapabilities,
  ConfigurationParams,
  Diagnostic,
  InitializeParams,
  InitializeResult,
  PublishDiagnosticsParams,
} from 'vscode-languageserver';

export interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface Received {
  message: Message;
  /** performance.now() when the message's last byte arrived. */
  at: number;
  /** Position in the client's log; pass it (or cursor()) as `since` to a later wait. */
  seq: number;
  /** Size of the JSON body in bytes. */
  bytes: number;
}

/** Answers one kind of server→client request; may be async. Throwing answers with an error. */
export type RequestHandler = (params: unknown, message: Message) => unknown;

export interface LspClientOptions {
  command: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * The settings `workspace/configuration` answers from, by section: `{ prodready: {...} }` answers
   * section "prodready"; a dotted section ("yaml.schemas") is looked up path by path; unknown → null.
   */
  configuration?: Record<string, unknown>;
  /** Extra or overriding answers to server→client requests, by method. */
  handlers?: Record<string, RequestHandler>;
  /** Deadline for request() and waitFor() when the call gives none (default 30 s). */
  timeoutMs?: number;
  /** Keep at most this many received messages in the log (oldest dropped; default 10,000). */
  maxLog?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Also consider messages logged from this position on (default: only messages arriving from now). */
  since?: number;
  /** What is awaited, for the timeout message. */
  description?: string;
}

interface Waiter {
  test: (r: Received) => boolean;
  resolve: (r: Received) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class LspClient {
  readonly process: ChildProcess;
  /** The server's stderr so far (bounded), for error messages. */
  stderr = '';
  configuration: Record<string, unknown>;
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly timeoutMs: number;
  private readonly maxLog: number;
  private log: Received[] = [];
  /** seq of log[0]. */
  private logBase = 0;
  private nextSeq = 0;
  private waiters = new Set<Waiter>();
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private exited?: Error;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private bodyLength = -1;
  private readonly exitPromise: Promise<number | null>;

  constructor(options: LspClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxLog = options.maxLog ?? 10_000;
    this.configuration = options.configuration ?? {};
    this.installDefaultHandlers();
    for (const [method, handler] of Object.entries(options.handlers ?? {})) this.handlers.set(method, handler);
    this.process = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.process.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-20_000);
    });
    // A server that dies mid-write must not crash the client with EPIPE.
    this.process.stdin!.on('error', () => undefined);
    this.exitPromise = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.fail(new Error(`server exited (code ${code}${signal ? `, signal ${signal}` : ''})${this.stderrTail()}`));
        resolve(code);
      });
      this.process.on('error', (e) => {
        this.fail(new Error(`could not run the server: ${e.message}`));
        resolve(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The log position the next incoming message will get. */
  cursor(): number {
    return this.nextSeq;
  }

  /** Received messages from `since` on (as far as the log still holds them). */
  messages(since = this.logBase): Received[] {
    return this.log.slice(Math.max(0, since - this.logBase));
  }

  /** Sets (or replaces) the answer to a server→client request method. */
  onRequest(method: string, handler: RequestHandler): void {
    this.handlers.set(method, handler);
  }

  /** Sends a notification; returns performance.now() just before it was written. */
  notify(method: string, params?: unknown): number {
    return this.write({ jsonrpc: '2.0', method, params });
  }

  request<R = unknown>(method: string, params?: unknown, timeoutMs = this.timeoutMs): Promise<R> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms${this.stderrTail()}`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method, timer });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Resolves with the first message (from `since`, or arriving from now) the predicate accepts. */
  waitFor(predicate: (message: Message, received: Received) => boolean, options: WaitOptions = {}): Promise<Received> {
    const test = (r: Received) => predicate(r.message, r);
    if (options.since !== undefined) {
      const earlier = this.messages(options.since).find(test);
      if (earlier) return Promise.resolve(earlier);
    }
    if (this.exited) return Promise.reject(this.exited);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise<Received>((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const lately = this.messages(this.nextSeq - 5).map((r) => r.message.method ?? `response #${r.message.id}`);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${options.description ?? 'a message'}` +
                ` (last received: ${lately.join(', ') || 'nothing'})${this.stderrTail()}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** The next notification of `method` whose params the predicate accepts. */
  waitForNotification<P = unknown>(method: string, predicate: (params: P) => boolean = () => true, options: WaitOptions = {}): Promise<Received> {
    return this.waitFor((m) => m.method === method && m.id === undefined && predicate(m.params as P), {
      description: method,
      ...options,
    });
  }

  /** The next publishDiagnostics for `uri` (with `version`, when given). */
  waitForDiagnostics(uri: string, options: WaitOptions & { version?: number } = {}): Promise<Received> {
    return this.waitForNotification<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && (options.version === undefined || p.version === options.version),
      { description: `publishDiagnostics for ${uri}${options.version === undefined ? '' : ` version ${options.version}`}`, ...options },
    );
  }

  /** initialize + initialized, with capabilities a typical editor announces unless given. */
  async initialize(params: Partial<InitializeParams> = {}): Promise<InitializeResult> {
    const result = await this.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: DEFAULT_CAPABILITIES,
      ...params,
    });
    this.notify('initialized', {});
    return result;
  }

  openDocument(uri: string, languageId: string, text: string, version = 1): number {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Sends one incremental change (a range replaced by text); returns the send time. */
  changeDocument(
    uri: string,
    version: number,
    changes: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[],
  ): number {
    return this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /** shutdown + exit, then waits for the process to end (killing it if it does not). */
  async shutdown(timeoutMs = 10_000): Promise<void> {
    if (this.exited) return;
    try {
      await this.request('shutdown', null, timeoutMs);
      this.notify('exit');
    } catch {
      // fall through to the kill below
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.process.kill('SIGKILL');
  }

  private installDefaultHandlers(): void {
    this.handlers.set('workspace/configuration', (params) =>
      ((params as ConfigurationParams).items ?? []).map((item) => lookup(this.configuration, item.section)),
    );
    for (const method of [
      'client/registerCapability',
      'client/unregisterCapability',
      'window/workDoneProgress/create',
      'window/showMessageRequest',
      'window/showDocument',
      'workspace/codeLens/refresh',
      'workspace/diagnostic/refresh',
      'workspace/semanticTokens/refresh',
      'workspace/inlayHint/refresh',
      'workspace/inlineValue/refresh',
    ]) {
      this.handlers.set(method, () => null);
    }
    this.handlers.set('workspace/workspaceFolders', () => null);
    this.handlers.set('workspace/applyEdit', () => ({ applied: false, failureReason: 'the test client does not apply edits' }));
  }

  private write(message: Message): number {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const at = performance.now();
    if (!this.exited) this.process.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
    return at;
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.bodyLength < 0) {
        const head = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
        this.chunks = [head];
        const end = head.indexOf(HEADER_END);
        if (end < 0) return;
        const match = /Content-Length:\s*(\d+)/i.exec(head.subarray(0, end).toString('ascii'));
        if (!match) {
          this.fail(new Error(`bad header from server: ${head.subarray(0, end).toString('ascii')}`));
          return;
        }
        this.bodyLength = Number(match[1]);
        const rest = head.subarray(end + HEADER_END.length);
        this.chunks = [rest];
        this.buffered = rest.length;
      }
      // Large bodies (diagnostics for huge files) arrive in many chunks: join them once, when complete.
      if (this.buffered < this.bodyLength) return;
      const at = performance.now();
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      const body = all.subarray(0, this.bodyLength);
      const rest = all.subarray(this.bodyLength);
      this.chunks = [rest];
      this.buffered = rest.length;
      const bytes = this.bodyLength;
      this.bodyLength = -1;
      let message: Message;
      try {
        message = JSON.parse(body.toString('utf8')) as Message;
      } catch (e) {
        this.fail(new Error(`unparsable message from server: ${(e as Error).message}`));
        return;
      }
      this.receive({ message, at, seq: this.nextSeq++, bytes });
    }
  }

  private receive(r: Received): void {
    this.log.push(r);
    if (this.log.length > this.maxLog) {
      const drop = this.log.length - this.maxLog;
      this.log = this.log.slice(drop);
      this.logBase += drop;
    }
    const m = r.message;
    if (m.method !== undefined && m.id !== undefined && m.id !== null) void this.answer(m);
    else if (m.method === undefined && typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (p) {
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.error) p.reject(new Error(`${p.method} failed: ${m.error.message} (${m.error.code})`));
        else p.resolve(m.result);
      }
    }
    for (const w of [...this.waiters]) {
      if (!w.test(r)) continue;
      this.waiters.delete(w);
      clearTimeout(w.timer);
      w.resolve(r);
    }
  }

  private async answer(m: Message): Promise<void> {
    const handler = this.handlers.get(m.method!);
    if (!handler) {
      this.write({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: `the test client does not handle ${m.method}` } });
      return;
    }
    try {
      const result = await handler(m.params, m);
      this.write({ jsonrpc: '2.0', id: m.id, result: result === undefined ? null : result });
    } catch (e) {
      this.write({ jsonrpc: '2.0', id: m.id, error: { code: -32603, message: e instanceof Error ? e.message : String(e) } });
    }
  }

  private fail(e: Error): void {
    if (this.exited) return;
    this.exited = e;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(e);
    }
    this.waiters.clear();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(e);
    }
    this.pending.clear();
  }

  private stderrTail(): string {
    const tail = this.stderr.trim().split('\n').slice(-5).join('\n');
    return tail ? `\nserver stderr:\n${tail}` : '';
  }
}

/** Editor-like client capabilities: pull configuration, versioned diagnostics, incremental sync. */
export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    workspaceFolders: false,
    applyEdit: false,
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false, willSave: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { dynamicRegistration: false, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
  window: { workDoneProgress: false },
};

function lookup(settings: Record<string, unknown>, section: string | undefined): unknown {
  if (!section) return settings;
  if (Object.prototype.hasOwnProperty.call(settings, section)) return settings[section] ?? null;
  let value: unknown = settings;
  for (const part of section.split('.')) {
    if (!value || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return null;
    value = (value as Record<string, unknown>)[part];
  }
  return value ?? null;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).toString();
}

export function diagnosticsOf(r: Received): Diagnostic[] {
  return (r.message.params as PublishDiagnosticsParams).diagnostics;
}
