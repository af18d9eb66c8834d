// Analysis runs in a worker thread so the server's main loop never waits on a huge file: requests
// (code actions, settings, other documents' edits) stay responsive, and a job that became stale while
// it ran on a big file is abandoned by restarting the worker rather than by waiting for it.

import { Worker } from 'node:worker_threads';
import { AnalysisInput, AnalysisResult } from '../core/types';

export interface Job {
  key: string;
  input: Omit<AnalysisInput, 'files'>;
}

interface Pending {
  job: Job;
  resolve: (r: AnalysisResult) => void;
  reject: (e: Error) => void;
}

/** Jobs on texts at least this long are worth a worker restart when they go stale. */
const RESTART_THRESHOLD = 200_000;
/** A job running longer than this is considered hung: the worker is replaced and the job fails. */
const WATCHDOG_MS = 60_000;

export class AnalysisRunner {
  private worker?: Worker;
  private running?: { pending: Pending; id: number; timer: NodeJS.Timeout };
  private queue: Pending[] = [];
  private nextId = 1;

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
      if (this.running?.pending.job.key === job.key && this.running.pending.job.input.text.length >= RESTART_THRESHOLD) {
        this.abandonRunning(new Superseded());
      }
      this.pump();
    });
  }

  /** Drops the worker's cached state for a document (it was closed). */
  forget(key: string): void {
    this.worker?.postMessage({ forget: key });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, {
      argv: ['--analysis-worker'],
      // An alias bomb or a pathological file must cost the worker, not the server.
      resourceLimits: { maxOldGenerationSizeMb: 3072, stackSizeMb: 16 },
    });
    worker.on('message', (msg: { id: number; result?: AnalysisResult; error?: string }) => {
      if (!this.running || msg.id !== this.running.id) return;
      const { pending, timer } = this.running;
      clearTimeout(timer);
      this.running = undefined;
      if (msg.result) pending.resolve(msg.result);
      else pending.reject(new Error(msg.error ?? 'analysis failed'));
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
    if (this.running || this.queue.length === 0) return;
    const pending = this.queue.shift()!;
    const id = this.nextId++;
    const worker = this.ensureWorker();
    const timer = setTimeout(() => this.abandonRunning(new Error(`analysis took longer than ${WATCHDOG_MS / 1000} s and was stopped`)), WATCHDOG_MS);
    this.running = { pending, id, timer };
    worker.postMessage({ id, key: pending.job.key, input: pending.job.input });
  }
}

export class Superseded extends Error {
  constructor() {
    super('superseded by a newer version');
  }
}
