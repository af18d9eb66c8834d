// `npm run fuzz`: the long fuzz run. FUZZ_MUTANTS mutants (default 10,000) of seed FUZZ_SEED (default:
// the clock), starting at index FUZZ_FROM (default 0), checked in FUZZ_JOBS child processes (default:
// one per CPU). A child that dies is a process death: counted, its input saved, and a fresh child goes
// on after it; a child silent for FUZZ_STALL_MS (default 120 s) on one mutant is killed and counted as a
// stall. Failing inputs are saved with their seed and index under test-artifacts/fuzz/, and a summary
// is written there as summary-<seed>.json. Exit status 1 when anything failed, died or stalled.

import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ARTIFACTS, saveFailure } from './artifacts';
import type { ChildMessage, ChildTask } from './child';
import { mutantAt } from './mutant';
import { GROUPS, loadSeeds } from './seeds';

const env = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const SEED = env('FUZZ_SEED', Date.now() % 2 ** 31);
const MUTANTS = env('FUZZ_MUTANTS', 10_000);
const FROM = env('FUZZ_FROM', 0);
const JOBS = Math.max(1, env('FUZZ_JOBS', os.availableParallelism()));
const STALL_MS = env('FUZZ_STALL_MS', 120_000);
const LIMITS = { longLine: 1_000_000, deepest: 200_000 };
const CHECK = { boundMs: 10_000, maxRepairs: 5 };

interface Tally {
  checked: number;
  failed: number;
  deaths: number;
  stalls: number;
  repairs: number;
  repairsBreakingSyntax: number;
  /** Which mutants' repairs added a syntax finding, and how (for triage; not failures). */
  breakingRepairs: { index: number; group: string; repairs: string[] }[];
  slowest: { index: number; ms: number }[];
  problems: { index: number; what: string; saved: string; problems: string[] }[];
}

const tally: Tally = { checked: 0, failed: 0, deaths: 0, stalls: 0, repairs: 0, repairsBreakingSyntax: 0, breakingRepairs: [], slowest: [], problems: [] };
const seeds = loadSeeds();
const groupOf = (index: number) => GROUPS[index % GROUPS.length];
const started = performance.now();

function record(index: number, what: string, problems: string[]): void {
  let saved: string;
  try {
    saved = saveFailure(mutantAt(seeds, SEED, index, LIMITS), what, problems);
  } catch (e) {
    saved = `not saved: the mutant could not be made again (${(e as Error).message})`;
  }
  tally.problems.push({ index, what, saved, problems });
  process.stdout.write(`  ${what}: mutant ${index} → ${saved}\n    ${problems.join('\n    ').slice(0, 2000)}\n`);
}

/** Runs mutants [from, to) in a child, replacing it after a death or a stall, until the range is done. */
function runRange(from: number, to: number): Promise<void> {
  return new Promise((resolve) => {
    const start = (next: number) => {
      if (next >= to) return resolve();
      const child: ChildProcess = fork(path.join(__dirname, 'child.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let current: number | undefined;
      let finished = next;
      let stderr = '';
      let stalled = false;
      child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      let timer: NodeJS.Timeout | undefined;
      const watch = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          stalled = true;
          child.kill('SIGKILL');
        }, STALL_MS);
      };
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') {
          child.send({ seed: SEED, from: next, to, limits: LIMITS, check: CHECK } satisfies ChildTask);
          watch();
        } else if (m.type === 'start') {
          current = m.index;
          watch();
        } else {
          current = undefined;
          finished = m.index + 1;
          tally.checked++;
          tally.repairs += m.repairs;
          tally.repairsBreakingSyntax += m.repairsBreakingSyntax;
          if (m.breakingRepairs.length) {
            tally.breakingRepairs.push({ index: m.index, group: groupOf(m.index), repairs: m.breakingRepairs });
            process.stdout.write(`  repair adding a syntax finding: mutant ${m.index} (${groupOf(m.index)}): ${m.breakingRepairs.join('; ').slice(0, 600)}\n`);
          }
          tally.slowest = [...tally.slowest, { index: m.index, ms: Math.round(m.ms) }].sort((a, b) => b.ms - a.ms).slice(0, 5);
          if (m.problems.length) {
            tally.failed++;
            record(m.index, 'failure', m.problems);
          }
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (current === undefined && finished >= to) return resolve();
        // The child went away in the middle of a mutant (or before its first): that input is the culprit.
        const culprit = current ?? finished;
        tally.checked++;
        if (stalled) {
          tally.stalls++;
          record(culprit, 'stall', [`no answer within ${STALL_MS} ms; killed`]);
        } else {
          tally.deaths++;
          record(culprit, 'process death', [`exit code ${code}, signal ${signal}`, stderr.trim()]);
        }
        start(culprit + 1);
      });
    };
    start(from);
  });
}

async function main(): Promise<void> {
  const counts = GROUPS.map((g) => `${seeds.get(g)!.length} ${g}`).join(', ');
  process.stdout.write(`fuzz: ${MUTANTS} mutants from index ${FROM}, seed ${SEED}, ${JOBS} processes; seed files: ${counts}\n`);
  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    process.stdout.write(`  ${tally.checked}/${MUTANTS} in ${s.toFixed(0)} s (${(tally.checked / s).toFixed(0)}/s): ${tally.failed} failed, ${tally.deaths} deaths, ${tally.stalls} stalls\n`);
  }, 30_000);
  // Interleaved ranges would spread the slow kinds better, but contiguous ones keep each child's
  // restart logic simple; the groups alternate within every range anyway.
  const per = Math.ceil(MUTANTS / JOBS);
  await Promise.all(Array.from({ length: JOBS }, (_, j) => runRange(FROM + j * per, Math.min(FROM + MUTANTS, FROM + (j + 1) * per))));
  clearInterval(progress);
  finish('done');
}

/** Writes the summary and prints the totals; `interrupted` after SIGINT/SIGTERM (the figures so far). */
function finish(how: 'done' | 'interrupted'): void {
  const seconds = (performance.now() - started) / 1000;
  const summary = { seed: SEED, from: FROM, mutants: MUTANTS, jobs: JOBS, seconds: Math.round(seconds), interrupted: how === 'interrupted', ...tally };
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, `summary-${SEED}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    `fuzz ${how}: ${tally.checked} mutants in ${seconds.toFixed(0)} s: ${tally.failed} failures, ${tally.deaths} process deaths, ${tally.stalls} stalls; ` +
      `${tally.repairs} repairs re-analysed (${tally.repairsBreakingSyntax} added a syntax finding); slowest (CPU) ${tally.slowest.map((s) => `#${s.index} ${s.ms} ms`).join(', ')}\n`,
  );
  if (tally.failed || tally.deaths || tally.stalls || how === 'interrupted') process.exitCode = 1;
}

// Interrupted: the totals so far are still worth a summary (the children stop on their own once
// the parent is gone).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    finish('interrupted');
    process.exit();
  });
}

main().catch((e) => {
  process.stderr.write(`fuzz failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
