// Preloaded (`node --require`) into a command the bench runs: when the process exits, writes its
// resource usage to the file PRODREADY_BENCH_USAGE names, as JSON: peak resident memory in kB
// (getrusage's maxrss: every thread, worker threads included) and CPU time in ms. Exact, unlike polling,
// and it works for any Node.js program.

import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

export interface Usage {
  maxRssKb: number;
  cpuMs: number;
}

const target = process.env.PRODREADY_BENCH_USAGE;
if (target && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 } satisfies Usage));
  });
}
