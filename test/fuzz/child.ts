// One fuzzing process of `npm run fuzz`: checks mutants [from, to) of a seed and tells its parent about
// each one before it starts, so that when this process dies (V8 aborts on some stack exhaustion, which
// no try/catch contains) the parent knows which input killed it.

import { checkInput } from './check';
import { mutantAt } from './mutant';
import { loadSeeds } from './seeds';

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'start'; index: number }
  | { type: 'done'; index: number; ms: number; repairs: number; repairsBreakingSyntax: number; breakingRepairs: string[]; problems: string[] };

export interface ChildTask {
  seed: number;
  from: number;
  to: number;
  limits: { longLine: number; deepest: number };
  check: { boundMs: number; maxRepairs: number };
}

const send = (m: ChildMessage) => process.send!(m);
const seeds = loadSeeds();

process.on('message', (task: ChildTask) => {
  for (let index = task.from; index < task.to; index++) {
    // The parent went away (interrupted): stop rather than fuzz on as an orphan.
    if (!process.connected) process.exit(0);
    send({ type: 'start', index });
    let m: ReturnType<typeof mutantAt>;
    try {
      m = mutantAt(seeds, task.seed, index, task.limits);
    } catch (e) {
      // The fuzzer's own fault (a mutation building an impossible string), not the analysis's.
      send({ type: 'done', index, ms: 0, repairs: 0, repairsBreakingSyntax: 0, breakingRepairs: [], problems: [`making the mutant failed: ${(e as Error).message}`] });
      continue;
    }
    const outcome = checkInput(m.input, task.check, index);
    send({ type: 'done', index, ms: outcome.ms, repairs: outcome.repairs, repairsBreakingSyntax: outcome.repairsBreakingSyntax, breakingRepairs: outcome.breakingRepairs, problems: outcome.problems });
  }
  process.disconnect();
});
send({ type: 'ready' });
