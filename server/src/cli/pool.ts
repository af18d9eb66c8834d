// `--jobs <n>`: files checked by a pool of worker threads, each running the CLI's own script (the bundle
// is self-contained: dist/cli.js is both the command and its workers). Workers take the next file as
// soon as they finish one; outcomes are returned in the tasks' order, so the report is the same bytes
// whatever the number of jobs.

import * as fs from 'node:fs';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { analyze } from '../core/analyze';
import { withArchives } from '../host/archive';
import { diskFileAccess } from '../host/files';
import { CheckOutcome, CheckTask, checkFile } from './check';

const ROLE = 'prodready-check-worker';

type ToWorker = { id: number; task: CheckTask };
type FromWorker = { id: number; outcome: CheckOutcome };

/** Whether this thread was started by `checkAll` as a worker (then `serveChecks` must run). */
export function isCheckWorker(): boolean {
  return parentPort !== null && (workerData as { role?: string } | null)?.role === ROLE;
}

/** A worker's loop: one task at a time, every failure inside an outcome. */
export function serveChecks(): void {
  // Packaged subcharts (charts/*.tgz) are read in memory for environments.
  const files = withArchives(diskFileAccess);
  parentPort!.on('message', async ({ id, task }: ToWorker) => {
    parentPort!.postMessage({ id, outcome: await checkFile(task, analyze, files) } satisfies FromWorker);
  });
}

export interface PoolOptions {
  jobs: number;
  /** The script a worker runs: the CLI's own (it calls `serveChecks` when `isCheckWorker`). */
  script: string;
  /** Called with the number of files done so far, after each one. */
  onDone?: (done: number) => void;
}

/**
 * Below this many bytes in all, files are checked in the main thread whatever the jobs: starting a
 * worker (loading the bundle, warming it up) would cost more than sharing the work saves.
 */
export const POOL_MIN_BYTES = 256 * 1024;

function totalBytes(tasks: CheckTask[]): number {
  let bytes = 0;
  for (const { file } of tasks) {
    try {
      bytes += fs.statSync(file).size;
    } catch {
      // Reported when the file is read.
    }
  }
  return bytes;
}

/**
 * Checks every task, in up to `jobs` workers (in this thread for one job, one task or a small run),
 * outcomes in task order.
 */
export async function checkAll(tasks: CheckTask[], o: PoolOptions, inThread: typeof analyze = analyze): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = new Array(tasks.length);
  const workers = Math.min(o.jobs, tasks.length);
  if (workers <= 1 || inThread !== analyze || totalBytes(tasks) < POOL_MIN_BYTES) {
    const files = withArchives(diskFileAccess);
    for (const [i, task] of tasks.entries()) {
      outcomes[i] = await checkFile(task, inThread, files);
      o.onDone?.(i + 1);
    }
    return outcomes;
  }
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: workers }, () => drain()));
  return outcomes;

  /** One worker taking tasks until none is left; a worker that dies is replaced. */
  async function drain(): Promise<void> {
    while (next < tasks.length) {
      const worker = new Worker(o.script, { workerData: { role: ROLE } });
      try {
        let alive = true;
        while (alive && next < tasks.length) {
          const i = next++;
          const answer = await ask(worker, i);
          outcomes[i] = answer.outcome;
          alive = answer.alive;
          o.onDone?.(++done);
        }
      } finally {
        await worker.terminate();
      }
    }
  }

  function ask(worker: Worker, i: number): Promise<{ outcome: CheckOutcome; alive: boolean }> {
    const task = tasks[i];
    return new Promise((resolve) => {
      const settle = (outcome: CheckOutcome, alive: boolean) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve({ outcome, alive });
      };
      const onMessage = (m: FromWorker) => m.id === i && settle(m.outcome, true);
      // Out of memory or a crash in native code: this file fails, the next ones go to a new worker.
      const onError = (e: Error) => settle({ file: task.file, failure: `the analysis worker failed: ${e.message}` }, false);
      const onExit = (code: number) => settle({ file: task.file, failure: `the analysis worker stopped (exit code ${code})` }, false);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id: i, task } satisfies ToWorker);
    });
  }
}
