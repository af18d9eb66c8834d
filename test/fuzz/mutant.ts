// One mutant, named by (seed, index) for good: which seed text, which mutations, which analysis input.

import { rng } from '../bench/gen/random';
import { AnalysisInput } from '../../server/src/core/types';
import { Limits, pickMutation } from './mutate';
import { Group, GROUPS, SeedInput } from './seeds';

export interface Mutant {
  seed: number;
  index: number;
  group: Group;
  source: string;
  mutations: string[];
  input: AnalysisInput;
}

/** Mixes the run's seed and the mutant's index into the mutant's own seed (splitmix-style). */
function mix(seed: number, index: number): number {
  let x = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Mutant `index` of the run `seed`: groups take turns, so any count of mutants is spread evenly over the kinds. */
export function mutantAt(seeds: Map<Group, SeedInput[]>, seed: number, index: number, limits: Limits): Mutant {
  const group = GROUPS[index % GROUPS.length];
  const r = rng(mix(seed, index));
  const source = r.pick(seeds.get(group)!);
  let text = source.input.text;
  const mutations: string[] = [];
  for (let n = r.chance(0.6) ? 1 : r.int(2, 4); n > 0; n--) {
    const m = pickMutation(r);
    mutations.push(m.name);
    text = m.apply(text, r, limits);
  }
  // Mostly read as the seed's kind; now and then left to detection, which must survive the text too.
  const input: AnalysisInput = { ...source.input, text, kind: r.chance(0.85) ? source.input.kind : undefined };
  return { seed, index, group, source: source.source, mutations, input };
}
