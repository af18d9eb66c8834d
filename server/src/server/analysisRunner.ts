// Analysis runs in a worker thread so the server's main loop never waits on a huge file: requests
// (code actions, settings, other documents' edits) stay responsive. A job that became stale while it
// ran is left to finish and its result dropped: the worker keeps its warm JIT and each document's
// parse cache, which makes the next run of a big file a partial re-parse instead of a cold start.
//
// Open documents come first: the workspace scan queues its jobs as `background`, which run only when no
// document job waits and one at a time, so the file being typed in waits at most for one scan file.

import { Worker } from 'node:worker_threads';
import { AnalysisInput, AnalysisResult } from '../core/types';
import { FromWorker, ToWorker } from './workerMessages';

export interface Job {
  key: string;
  input: Omit<AnalysisInput, 'files' | 'cache'>;
  /** `document` (default): an open document, run first. `background`: the workspace scan. */
  priority?: 'document' | 'background';
  /** Keep the worker's per-document parse cache under `key` (open documents only; default true). */
  cached?: boolean;
  /** Texts of other open documents by path, read instead of the files on disk (unsaved edits). */
  openTexts?: Record<string, string>;
}

interface Pending {
  job: Job;
  resolve: (r: AnalysisResult) => void;
  reject: (e: Error) => void;
}

/** A job running longer than this is considered hung: the worker is replaced and the job fails. */
const WATCHDOG_MS = 60_000;

export class AnalysisRunner {
  private worker?: Worker;
  private running?: { pending: Pending; id: number; timer: NodeJS.Timeout; superseded?: boolean };
  private queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly script: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Runs a job; an older queued or running job with the same key is superseded (its promise rejects). */
  run(job: Job): Promise<AnalysisResult> {
    return new Promise((resolve, reject) => {
      this.queue = this.queue.filter((p) => {
        if (p.job.key !== job.key) return true;
        p.reject(new Superseded());
        return false;
      });
      this.queue.push({ job, resolve, reject });
      // A running job for an older version finishes (its result is dropped): restarting the worker to
      // stop it would throw away the warm JIT and the document's parse cache, which costs more than the
      // rest of the stale run.
      if (this.running?.pending.job.key === job.key) this.running.superseded = true;
      this.pump();
    });
  }

  /** Drops queued jobs with this key and stops a running one (its promise rejects with Superseded). */
  cancel(key: string): void {
    this.queue = this.queue.filter((p) => {
      if (p.job.key !== key) return true;
      p.reject(new Superseded());
      return false;
    });
    if (this.running?.pending.job.key === key) this.running.superseded = true;
  }

  /** Starts the worker ahead of the first job (loading it takes a while; the first document should not wait). */
  warmUp(): void {
    if (!this.disposed) this.ensureWorker();
  }

  /** Drops the worker's cached state for a document (it was closed). */
  forget(key: string): void {
    this.post({ type: 'forget', key });
  }

  /** Stops the worker; every queued and running job rejects, so nothing waits for ever. */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const stopped = new Error('the language server is shutting down');
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.pending.reject(stopped);
      this.running = undefined;
    }
    for (const p of this.queue.splice(0)) p.reject(stopped);
    this.disposed = true;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, {
      argv: ['--analysis-worker'],
      // An alias bomb or a pathological file must cost the worker, not the server.
      resourceLimits: { maxOldGenerationSizeMb: 3072, stackSizeMb: 16 },
    });
    worker.on('message', (msg: FromWorker) => {
      if (!this.running || msg.id !== this.running.id) return;
      const { pending, timer, superseded } = this.running;
      clearTimeout(timer);
      this.running = undefined;
      if (superseded) pending.reject(new Superseded());
      else if ('result' in msg) pending.resolve(msg.result);
      else pending.reject(new Error(msg.error));
      this.pump();
    });
    worker.on('error', (e) => {
      this.log(`analysis worker failed: ${e.message}`);
      this.replaceWorker(worker, e);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.replaceWorker(worker, new Error(`analysis worker exited (${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private replaceWorker(worker: Worker, reason: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    void worker.terminate();
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.pending.reject(reason);
      this.running = undefined;
    }
    this.pump();
  }

  private abandonRunning(reason: Error): void {
    if (!this.running || !this.worker) return;
    this.replaceWorker(this.worker, reason);
  }

  private pump(): void {
    if (this.running || this.queue.length === 0 || this.disposed) return;
    let index = this.queue.findIndex((p) => !isBackground(p.job));
    if (index === -1) index = 0;
    const [pending] = this.queue.splice(index, 1);
    const id = this.nextId++;
    this.ensureWorker();
    const timer = setTimeout(() => this.abandonRunning(new Error(`analysis took longer than ${WATCHDOG_MS / 1000} s and was stopped`)), WATCHDOG_MS);
    this.running = { pending, id, timer };
    const { job } = pending;
    this.post({ type: 'analyse', id, key: job.cached === false ? undefined : job.key, input: job.input, openTexts: job.openTexts });
  }

  private post(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }
}

function isBackground(job: Job): boolean {
  return job.priority === 'background';
}

export class Superseded extends Error {
  constructor() {
    super('superseded by a newer version');
  }
}
