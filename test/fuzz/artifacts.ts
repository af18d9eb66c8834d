// A failing mutant is kept under test-artifacts/fuzz/ as the input itself (open it, or analyse it with
// the CLI) and a record (<seed>-<index>.fuzz.json, apart from an input that is JSON itself) saying how
// to make it again: the run's seed and the mutant's index.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../core/harness';
import { Mutant } from './mutant';

export const ARTIFACTS = path.join(REPO, 'test-artifacts/fuzz');

export function saveFailure(m: Mutant, what: string, problems: string[]): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const base = path.join(ARTIFACTS, `${m.seed}-${m.index}`);
  const ext = path.extname(m.input.path) || '.txt';
  fs.writeFileSync(`${base}${ext}`, m.input.text);
  const record = {
    what,
    seed: m.seed,
    index: m.index,
    replay: `FUZZ_SEED=${m.seed} FUZZ_FROM=${m.index} FUZZ_MUTANTS=1 npm run fuzz`,
    group: m.group,
    source: m.source,
    mutations: m.mutations,
    path: m.input.path,
    kind: m.input.kind,
    variant: m.input.variant,
    settings: m.input.settings,
    problems,
  };
  fs.writeFileSync(`${base}.fuzz.json`, `${JSON.stringify(record, null, 2)}\n`);
  return path.relative(REPO, `${base}${ext}`);
}
