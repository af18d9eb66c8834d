// Analysis runs in worker threads so the server's main loop never waits on a huge file: requests
// (code actions, settings, other documents' edits) stay responsive. A job that became stale while it
// ran is left to finish and its result dropped: the worker keeps its warm JIT and each document's
// parse cache, which makes the next run of a big file a partial re-parse instead of a cold start.
//
// Open documents are independent of each other: there are up to MAX_LANES workers ("lanes"), and a
// document that takes long holds one lane while the others' jobs run on another (the second worker is
// started the first time a job waits while every lane is busy). A document never has two jobs running
// at once, so editing a slow document keeps it in its one lane instead of filling every lane with its
// stale versions. A job running longer than WATCHDOG_MS is stopped (its worker replaced) and the
// document shows "could not analyse this file: analysis took longer than 60 s …".
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

interface Running {
  pending: Pending;
  id: number;
  timer: NodeJS.Timeout;
  superseded?: boolean;
}

/** One worker thread and the job it runs. */
interface Lane {
  worker: Worker;
  running?: Running;
  /** Keys whose parse cache this worker holds (a document goes back to the lane that knows it). */
  keys: Set<string>;
}

/** A job running longer than this is considered hung: its worker is replaced and the job fails. */
const WATCHDOG_MS = 60_000;

/**
 * Workers at most: one per core of the 2-core machines this is measured on. Two lanes keep one slow
 * document from delaying the others; more would only share the same cores (and each worker may grow to
 * its memory limit).
 */
const MAX_LANES = 2;

export class AnalysisRunner {
  private lanes: Lane[] = [];
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
      this.dropQueued(job.key);
      this.queue.push({ job, resolve, reject });
      // A running job for an older version finishes (its result is dropped): restarting the worker to
      // stop it would throw away the warm JIT and the document's parse cache, which costs more than the
      // rest of the stale run.
      this.markSuperseded(job.key);
      this.pump();
    });
  }

  /** Drops queued jobs with this key and stops a running one (its promise rejects with Superseded). */
  cancel(key: string): void {
    this.dropQueued(key);
    this.markSuperseded(key);
  }

  /** Starts the first worker ahead of the first job (loading it takes a while; the first document should not wait). */
  warmUp(): void {
    if (!this.disposed && this.lanes.length === 0) this.addLane();
  }

  /** Drops the workers' cached state for a document (it was closed). */
  forget(key: string): void {
    for (const lane of this.lanes) this.forgetIn(lane, key);
  }

  /** Stops the workers; every queued and running job rejects, so nothing waits for ever. */
  dispose(): void {
    const stopped = new Error('the language server is shutting down');
    for (const lane of this.lanes.splice(0)) {
      void lane.worker.terminate();
      if (lane.running) {
        clearTimeout(lane.running.timer);
        lane.running.pending.reject(stopped);
      }
    }
    for (const p of this.queue.splice(0)) p.reject(stopped);
    this.disposed = true;
  }

  private dropQueued(key: string): void {
    this.queue = this.queue.filter((p) => {
      if (p.job.key !== key) return true;
      p.reject(new Superseded());
      return false;
    });
  }

  private markSuperseded(key: string): void {
    for (const lane of this.lanes) if (lane.running?.pending.job.key === key) lane.running.superseded = true;
  }

  private addLane(): Lane {
    const worker = new Worker(this.script, {
      argv: ['--analysis-worker'],
      // An alias bomb or a pathological file must cost the worker, not the server.
      resourceLimits: { maxOldGenerationSizeMb: 3072, stackSizeMb: 16 },
    });
    const lane: Lane = { worker, keys: new Set() };
    worker.on('message', (msg: FromWorker) => {
      const running = lane.running;
      if (!running || msg.id !== running.id) return;
      clearTimeout(running.timer);
      lane.running = undefined;
      if (running.superseded) running.pending.reject(new Superseded());
      else if ('result' in msg) running.pending.resolve(msg.result);
      else running.pending.reject(new Error(msg.error));
      this.pump();
    });
    worker.on('error', (e) => {
      this.log(`analysis worker failed: ${e.message}`);
      this.removeLane(lane, e);
    });
    worker.on('exit', (code) => this.removeLane(lane, new Error(`analysis worker exited (${code})`)));
    this.lanes.push(lane);
    return lane;
  }

  /** Ends a lane whose worker failed, exited or hung; its job fails, and the queue goes on elsewhere. */
  private removeLane(lane: Lane, reason: Error): void {
    const index = this.lanes.indexOf(lane);
    if (index === -1) return;
    this.lanes.splice(index, 1);
    void lane.worker.terminate();
    if (lane.running) {
      clearTimeout(lane.running.timer);
      lane.running.pending.reject(reason);
      lane.running = undefined;
    }
    this.pump();
  }

  private pump(): void {
    while (!this.disposed) {
      const index = this.nextRunnable();
      if (index === -1) return;
      const pending = this.queue[index];
      const lane = this.laneFor(pending.job.key);
      if (!lane) return;
      this.queue.splice(index, 1);
      this.start(lane, pending);
    }
  }

  /**
   * The queued job to start next, or -1: documents before the scan; never a second job for a key that
   * is running (it waits for the stale run to finish in its lane); background jobs one at a time.
   */
  private nextRunnable(): number {
    const runningKeys = new Set(this.lanes.map((l) => l.running?.pending.job.key));
    const free = (p: Pending) => !runningKeys.has(p.job.key);
    const document = this.queue.findIndex((p) => !isBackground(p.job) && free(p));
    if (document !== -1) return document;
    if (this.lanes.some((l) => l.running && isBackground(l.running.pending.job))) return -1;
    return this.queue.findIndex(free);
  }

  /** An idle lane, preferring the one holding the key's parse cache; a new one while under MAX_LANES. */
  private laneFor(key: string): Lane | undefined {
    const idle = this.lanes.filter((l) => !l.running);
    const lane = idle.find((l) => l.keys.has(key)) ?? idle[0];
    if (lane) return lane;
    return this.lanes.length < MAX_LANES ? this.addLane() : undefined;
  }

  private start(lane: Lane, pending: Pending): void {
    const id = this.nextId++;
    const { job } = pending;
    const timer = setTimeout(
      () => this.removeLane(lane, new Error(`analysis took longer than ${WATCHDOG_MS / 1000} s (prodready's limit per file) and was stopped; not analysed`)),
      WATCHDOG_MS,
    );
    lane.running = { pending, id, timer };
    const key = job.cached === false ? undefined : job.key;
    if (key !== undefined) {
      // The document's cache now lives here; a copy in another lane is stale, so that lane drops it.
      for (const other of this.lanes) if (other !== lane) this.forgetIn(other, key);
      lane.keys.add(key);
    }
    lane.worker.postMessage({ type: 'analyse', id, key, input: job.input, openTexts: job.openTexts } satisfies ToWorker);
  }

  private forgetIn(lane: Lane, key: string): void {
    if (lane.keys.delete(key)) lane.worker.postMessage({ type: 'forget', key } satisfies ToWorker);
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
