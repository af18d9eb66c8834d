// The two kinds of measurement the bench makes: in-process timings of the core (in a worker thread, so a
// run that blows its deadline can be stopped), and edit-to-diagnostics latency through a real language
// server over stdio, with the server's peak memory.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import type { CoreReply, CoreRequest, CoreTask } from './coreWorker';
import { diagnosticsOf, fileUri, LspClient, Received } from './lsp';
import { median } from './stats';

// ---------------------------------------------------------------------------------------------------
// Core timings

type LoadRequest = Omit<Extract<CoreRequest, { type: 'load' }>, 'id' | 'type'>;
type RunReply = Extract<CoreReply, { ms: number }>;

export class CoreTimer {
  private worker?: Worker;
  private nextId = 1;
  private readonly replies = new Map<number, { resolve: (r: CoreReply) => void; reject: (e: Error) => void }>();
  private readonly loads = new Map<string, LoadRequest>();
  private readonly loadedIn = new WeakMap<Worker, Set<string>>();

  constructor(private readonly script = path.join(__dirname, 'coreWorker.js')) {}

  /** Registers a text under `key`; it is sent to the worker when first needed (again after a restart). */
  load(request: LoadRequest): void {
    this.loads.set(request.key, request);
  }

  /** One timed run, or 'timeout' when it took longer than `deadlineMs` (the worker is then replaced). */
  async run(key: string, task: CoreTask, deadlineMs: number): Promise<RunReply | 'timeout'> {
    const worker = this.ensureWorker();
    const loaded = this.loadedIn.get(worker)!;
    if (!loaded.has(key)) {
      const request = this.loads.get(key);
      if (!request) throw new Error(`nothing registered under ${key}`);
      await this.send(worker, { type: 'load', id: 0, ...request });
      loaded.add(key);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadlineMs)));
    try {
      const reply = await Promise.race([this.send(worker, { type: 'run', id: 0, key, task }), deadline]);
      if (reply === 'timeout') {
        await this.replace(worker);
        return 'timeout';
      }
      if ('error' in reply) throw new Error(`${task} of ${key} failed in the worker: ${reply.error}`);
      return reply;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Forgets a text (and, in the worker, its parse cache). */
  async unload(key: string): Promise<void> {
    this.loads.delete(key);
    const worker = this.worker;
    const loaded = worker && this.loadedIn.get(worker);
    if (!worker || !loaded?.has(key)) return;
    loaded.delete(key);
    await this.send(worker, { type: 'unload', id: 0, key });
  }

  async dispose(): Promise<void> {
    if (this.worker) await this.replace(this.worker);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (reply: CoreReply) => {
      const waiting = this.replies.get(reply.id);
      this.replies.delete(reply.id);
      waiting?.resolve(reply);
    });
    const fail = (e: Error) => {
      for (const w of this.replies.values()) w.reject(e);
      this.replies.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`core timing worker exited (${code})`)));
    this.loadedIn.set(worker, new Set());
    this.worker = worker;
    return worker;
  }

  private send(worker: Worker, request: CoreRequest): Promise<CoreReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private async replace(worker: Worker): Promise<void> {
    if (this.worker === worker) this.worker = undefined;
    await worker.terminate();
  }
}

export interface Series {
  label: string;
  key: string;
  task: CoreTask;
  /** Why this series is not run (e.g. predicted to exceed the deadline); it then reports no samples. */
  skip?: string;
}

export interface SeriesResult {
  label: string;
  samples: number[];
  median: number;
  /** Set when a run exceeded the deadline and was stopped, or the series was skipped. */
  stopped?: string;
  findings?: number;
  rulesApplied?: number;
  byRule?: Record<string, number>;
}

export interface SamplingPlan {
  /** At most this many timed rounds. */
  rounds: number;
  /** Stop after the round in which this much time has passed (at least one round always runs). */
  budgetMs: number;
  /** A single run longer than this is stopped and the series reported as "over the deadline". */
  deadlineMs: number;
  /**
   * Untimed runs first (JIT, lazy initialisation): each series runs until it has had three runs or
   * a second of them, so small inputs reach optimised code and big ones do not pay twice.
   */
  warmup: boolean;
  /** A series whose samples add up to this much gets no more (cheap series then keep sampling). */
  perSeriesBudgetMs?: number;
}

/**
 * Runs the series round-robin (parse, analyze, parse, analyze, …) so that the machine's load swings
 * affect every series alike and their ratio stays meaningful on a shared, noisy machine.
 */
export async function sampleInterleaved(timer: CoreTimer, series: Series[], plan: SamplingPlan): Promise<SeriesResult[]> {
  const results: SeriesResult[] = series.map((s) => ({ label: s.label, samples: [], median: NaN, stopped: s.skip }));
  if (plan.warmup) {
    for (const [i, s] of series.entries()) {
      const r = results[i];
      for (let runs = 0, spent = 0; !r.stopped && runs < 3 && spent < 1000; runs++) {
        const reply = await timer.run(s.key, s.task, plan.deadlineMs);
        if (reply === 'timeout') r.stopped = `a single run took longer than ${fmtMs(plan.deadlineMs)} and was stopped`;
        else if (reply.skipped) r.stopped = `the core skipped the file (${reply.skipped}): nothing to time`;
        else spent += reply.ms;
      }
    }
  }
  const start = performance.now();
  for (let round = 0; round < plan.rounds; round++) {
    for (const [i, s] of series.entries()) {
      const r = results[i];
      if (r.stopped) continue;
      if (plan.perSeriesBudgetMs !== undefined && r.samples.reduce((a, b) => a + b, 0) >= plan.perSeriesBudgetMs) continue;
      const reply = await timer.run(s.key, s.task, plan.deadlineMs);
      if (reply === 'timeout') {
        r.stopped = `a single run took longer than ${fmtMs(plan.deadlineMs)} and was stopped`;
        continue;
      }
      if (reply.skipped) {
        r.stopped = `the core skipped the file (${reply.skipped}): nothing to time`;
        continue;
      }
      r.samples.push(reply.ms);
      if (reply.findings !== undefined) {
        r.findings = reply.findings;
        r.rulesApplied = reply.rulesApplied;
        r.byRule = reply.byRule;
      }
    }
    if (performance.now() - start > plan.budgetMs) break;
  }
  for (const r of results) r.median = median(r.samples);
  return results;
}

// ---------------------------------------------------------------------------------------------------
// Edit-to-diagnostics latency through a language server

export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** What the client answers workspace/configuration from (section → value). */
  configuration: Record<string, unknown>;
  initializationOptions?: unknown;
  /** Runs after initialize/initialized and before the document is opened. */
  prepare?: (client: LspClient) => Promise<void>;
  /** Whether publishDiagnostics carries the document version (then matched exactly). */
  versioned: boolean;
  /** The server's own delay between a change and its validation, and where that figure comes from. */
  /** The debounce for a document of this many characters. */
  debounceFor: (size: number) => number;
  debounceSource: string;
}

export interface TextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

export interface SessionOptions {
  file: string;
  languageId: string;
  text: string;
  /** Applied in order as versions 2, 3, …, each as one incremental didChange. */
  edits: TextEdit[];
  /** Checks the diagnostics published for the open (index 0) and each edit (1…); returns a problem. */
  check?: (diagnostics: Diagnostic[], index: number) => string | undefined;
  /** Soft time budget for the whole session (see editSession). */
  budgetMs: number;
}

export interface SessionResult {
  server: string;
  /** didOpen → its first diagnostics. */
  openMs?: number;
  /** didChange → the diagnostics for that change, per edit. */
  latencies: number[];
  /** Diagnostics per publication (open first). */
  diagnosticCounts: number[];
  /** Largest publishDiagnostics body. */
  maxPayloadBytes: number;
  /** VmHWM of the server process (all its threads, worker threads included), read before shutdown. */
  peakRssMb?: number;
  /** Highest VmRSS seen while polling every 100 ms. */
  sampledRssMb?: number;
  /** Why the session stopped early, if it did. */
  aborted?: string;
  /** When a wait ran out of time: what was awaited and how long it had waited (a lower bound). */
  unanswered?: { what: 'open' | 'edit'; waitedMs: number };
  /** Checks that failed: the figures may then not measure what they claim. */
  problems: string[];
}

/**
 * Opens `file` in a fresh server and types: each edit waits for the diagnostics that answer it before the
 * next one starts. A versioned server is matched on the version; an unversioned one on the first
 * publication for the document after the change (nothing else is pending then, since every previous
 * change has been answered, and the checks confirm the diagnostics reflect the change).
 *
 * The budget is soft: the open may use all of it; the first edit starts if half is left, a later one if
 * the last edit's time still fits; an edit that has started gets a fair wait (the rest of the budget, at
 * least three times the last answer and 5 s).
 */
export async function editSession(spec: ServerSpec, options: SessionOptions): Promise<SessionResult> {
  const result: SessionResult = { server: spec.name, latencies: [], diagnosticCounts: [], maxPayloadBytes: 0, problems: [] };
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  const client = new LspClient({ command: spec.command, args: spec.args, env: spec.env, configuration: spec.configuration, timeoutMs: 60_000 });
  const memory = new MemoryProbe(client.pid);
  const uri = fileUri(options.file);
  try {
    // A single file with no workspace folder: what is measured is the typed-in document's own path,
    // not a workspace scan competing with it.
    await client.initialize({ rootUri: null, workspaceFolders: null, initializationOptions: spec.initializationOptions });
    await spec.prepare?.(client);

    const record = (r: Received, index: number) => {
      const diagnostics = diagnosticsOf(r);
      result.diagnosticCounts.push(diagnostics.length);
      result.maxPayloadBytes = Math.max(result.maxPayloadBytes, r.bytes);
      const failure = diagnostics.find((d) => /could not analyse this file/.test(d.message));
      if (failure) throw new SessionStop(`the server reported: ${failure.message}`);
      const problem = options.check?.(diagnostics, index);
      if (problem) result.problems.push(problem);
    };
    const answer = async (version: number, since: number, sent: number, what: 'open' | 'edit', timeoutMs: number): Promise<Received> => {
      const description = what === 'open' ? 'the diagnostics of the opened document' : `the diagnostics of version ${version}`;
      try {
        return await client.waitFor(
          (m) => {
            if (m.method !== 'textDocument/publishDiagnostics') return false;
            const p = m.params as PublishDiagnosticsParams;
            return p.uri === uri && (!spec.versioned || p.version === version);
          },
          { since, timeoutMs, description },
        );
      } catch (e) {
        if (!/^timed out/.test((e as Error).message)) throw e;
        result.unanswered = { what, waitedMs: performance.now() - sent };
        throw new SessionStop(`${description} did not arrive within ${fmtMs(timeoutMs)} (session budget ${fmtMs(options.budgetMs)})`);
      }
    };

    let since = client.cursor();
    const opened = client.openDocument(uri, options.languageId, options.text, 1);
    const first = await answer(1, since, opened, 'open', options.budgetMs);
    result.openMs = first.at - opened;
    record(first, 0);

    // The open pays one-off costs (worker start-up, cold code, schema loading), so it does not predict an
    // edit: the first edit starts if the open left half the budget; later ones must fit the last edit's time.
    let last = result.openMs;
    for (const [i, edit] of options.edits.entries()) {
      if (i === 0 ? elapsed() > options.budgetMs / 2 : elapsed() + last > options.budgetMs) {
        result.aborted =
          i === 0
            ? `no edit: the open used more than half the ${fmtMs(options.budgetMs)} session budget`
            : `stopped after ${i} of ${options.edits.length} edits: another (the last took ${fmtMs(last)}) would overrun the ${fmtMs(options.budgetMs)} session budget`;
        break;
      }
      const version = i + 2;
      since = client.cursor();
      const sent = client.changeDocument(uri, version, [edit]);
      const r = await answer(version, since, sent, 'edit', Math.max(options.budgetMs - elapsed(), 3 * last, 5_000));
      last = r.at - sent;
      result.latencies.push(last);
      record(r, i + 1);
    }
  } catch (e) {
    result.aborted = e instanceof Error ? e.message : String(e);
  } finally {
    const peak = memory.peakMb();
    result.peakRssMb = peak.hwm;
    result.sampledRssMb = peak.sampled;
    memory.stop();
    // A server still busy with a huge file would hold up a polite shutdown for its whole validation.
    if (result.unanswered || result.aborted?.startsWith('the server reported')) client.kill();
    else await client.shutdown();
  }
  return result;
}

class SessionStop extends Error {}

/** Polls a process's resident memory; the kernel's VmHWM is the peak over the process's life. */
export class MemoryProbe {
  private sampled = 0;
  private readonly timer?: NodeJS.Timeout;

  constructor(private readonly pid: number | undefined) {
    if (pid === undefined) return;
    this.timer = setInterval(() => {
      const rss = readStatusKb(pid, 'VmRSS');
      if (rss !== undefined) this.sampled = Math.max(this.sampled, rss);
    }, 100);
    this.timer.unref();
  }

  peakMb(): { hwm?: number; sampled?: number } {
    if (this.pid === undefined) return {};
    const hwm = readStatusKb(this.pid, 'VmHWM');
    const rss = readStatusKb(this.pid, 'VmRSS');
    if (rss !== undefined) this.sampled = Math.max(this.sampled, rss);
    return { hwm: hwm === undefined ? undefined : hwm / 1024, sampled: this.sampled ? this.sampled / 1024 : undefined };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function readStatusKb(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Edits

/** Edits that flip one character at `at` between `from` and `to`, `count` times (from→to first). */
export function toggleEdits(at: { line: number; character: number }, from: string, to: string, count: number): TextEdit[] {
  const range = { start: at, end: { line: at.line, character: at.character + 1 } };
  return Array.from({ length: count }, (_, i) => ({ range, text: i % 2 === 0 ? to : from }));
}

/**
 * The last digit of a number on the line nearest the middle of the file that has one (outside comments),
 * and a different digit to toggle it to: a one-value edit for any config format.
 */
export function digitNearMiddle(text: string, linePattern = /\d/): { line: number; character: number; from: string; to: string } {
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  for (let d = 0; d < lines.length; d++) {
    for (const i of [middle + d, middle - d]) {
      const line = lines[i];
      if (line === undefined || /^\s*#/.test(line) || !linePattern.test(line)) continue;
      const code = line.replace(/#.*$/, '');
      const m = /(\d)(?!.*\d)/.exec(code);
      if (!m) continue;
      const from = m[1];
      return { line: i, character: m.index, from, to: from === '9' ? '8' : String(Number(from) + 1) };
    }
  }
  throw new Error('no number to edit in the file');
}

/** The text after applying one edit (for core timings of the edited version). */
export function applyEdit(text: string, edit: TextEdit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(edit.range.start)) + edit.text + text.slice(offset(edit.range.end));
}

// ---------------------------------------------------------------------------------------------------
// Formatting

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return '—';
  return r > 0 && r < 0.1 ? `${r.toPrecision(2)}×` : `${r.toFixed(2)}×`;
}

export function fmtMb(mb: number | undefined): string {
  return mb === undefined || !Number.isFinite(mb) ? '—' : `${mb.toFixed(0)} MB`;
}
