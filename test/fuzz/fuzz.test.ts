// The seeded fuzz run of the test suite: a bounded number of mutants per kind (FUZZ_CI_MUTANTS, default
// below), each checked for the properties in check.ts. `npm run fuzz` runs the long version in child
// processes, which also survive a process death. A failure names its seed and index, and the input is
// saved under test-artifacts/fuzz/ to become a regression fixture.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saveFailure } from './artifacts';
import { checkInput } from './check';
import { mutantAt } from './mutant';
import { GROUPS, loadSeeds } from './seeds';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_315);
const PER_KIND = Number(process.env.FUZZ_CI_MUTANTS ?? 1500);
const LIMITS = { longLine: 200_000, deepest: 5_000 };
const CHECK = { boundMs: 10_000, maxRepairs: 3 };

describe(`fuzz: ${PER_KIND} mutants per kind, seed ${SEED}`, () => {
  const seeds = loadSeeds();
  for (const [g, group] of GROUPS.entries()) {
    it(`${group} (${seeds.get(group)!.length} seed files)`, { timeout: 600_000 }, () => {
      assert.ok(seeds.get(group)!.length > 0, `no seed files for ${group}`);
      const failures: string[] = [];
      let repairs = 0;
      let breaking = 0;
      for (let n = 0; n < PER_KIND; n++) {
        const m = mutantAt(seeds, SEED, n * GROUPS.length + g, LIMITS);
        const outcome = checkInput(m.input, CHECK, m.index);
        repairs += outcome.repairs;
        breaking += outcome.repairsBreakingSyntax;
        if (outcome.problems.length) {
          const saved = saveFailure(m, 'failure', outcome.problems);
          failures.push(`mutant ${m.index} of seed ${SEED} (${m.source}; ${m.mutations.join(', ')}), saved as ${saved}:\n  ${outcome.problems.join('\n  ')}`);
        }
      }
      process.stdout.write(`# ${group}: ${PER_KIND} mutants, ${repairs} repairs re-analysed (${breaking} added a syntax finding), ${failures.length} failures\n`);
      assert.deepEqual(failures, []);
    });
  }
});
