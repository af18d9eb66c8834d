// Preloaded (`node --require`) into a command the bench runs: when the process exits, writes its peak
// resident memory in kB (getrusage's maxrss: every thread, worker threads included) to the file
// PRODREADY_BENCH_MAX_RSS names. Exact, unlike polling, and it works for any Node.js program.

import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const target = process.env.PRODREADY_BENCH_MAX_RSS;
if (target && isMainThread) process.on('exit', () => fs.writeFileSync(target, String(process.resourceUsage().maxRSS)));
