// The texts the fuzzer mutates: every rule fixture, the examples and, when it is there, the shared
// real-world corpus. Each keeps the input it is analysed with (path, kind, variant, settings, sibling
// files), so a mutant is read exactly as its original is.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisInput } from '../../server/src/core/types';
import { corpusAvailable, corpusFiles, readCorpusFile } from '../corpus/corpus';
import { diskFiles } from '../core/diskFiles';
import { FIXTURES, loadFixture, REPO } from '../core/harness';

/** The groups mutants are counted by: one per kind family (a Swarm stack is a compose file). */
export const GROUPS = ['compose', 'helm', 'nginx', 'haproxy'] as const;
export type Group = (typeof GROUPS)[number];

export interface SeedInput {
  /** Where the text came from, relative to the repository (or the corpus). */
  source: string;
  group: Group;
  input: AnalysisInput;
}

const KIND_OF_GROUP: Record<Group, string> = { compose: 'compose', helm: 'helm-values', nginx: 'nginx', haproxy: 'haproxy' };

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(dir, e.name))
    .sort();
}

function fixtureSeeds(): SeedInput[] {
  const seeds: SeedInput[] = [];
  for (const group of GROUPS) {
    for (const file of filesUnder(path.join(FIXTURES, group))) {
      const fixture = loadFixture(file, diskFiles);
      seeds.push({ source: path.relative(REPO, file), group, input: fixture.input });
    }
  }
  return seeds;
}

const EXAMPLE_GROUPS: Record<string, Group> = { swarm: 'compose', helm: 'helm', nginx: 'nginx', haproxy: 'haproxy' };

function exampleSeeds(): SeedInput[] {
  const seeds: SeedInput[] = [];
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const [folder, group] of Object.entries(EXAMPLE_GROUPS)) {
    const dir = path.join(REPO, 'examples', folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of walk(dir).sort()) {
      if (path.basename(file) === 'Chart.yaml') continue;
      const text = fs.readFileSync(file, 'utf8');
      seeds.push({ source: path.relative(REPO, file), group, input: { text, path: file.split(path.sep).join('/'), kind: KIND_OF_GROUP[group], files: diskFiles } });
    }
  }
  return seeds;
}

const CORPUS_GROUPS: Record<string, Group> = { compose: 'compose', 'helm-values': 'helm', nginx: 'nginx', haproxy: 'haproxy' };

function corpusSeeds(): SeedInput[] {
  if (!corpusAvailable()) return [];
  const seeds: SeedInput[] = [];
  for (const [folder, group] of Object.entries(CORPUS_GROUPS)) {
    for (const file of corpusFiles(folder)) {
      if (!fs.statSync(file).isFile()) continue;
      seeds.push({ source: `corpus/${folder}/${path.basename(file)}`, group, input: { text: readCorpusFile(file), path: file.split(path.sep).join('/'), kind: KIND_OF_GROUP[group] } });
    }
  }
  return seeds;
}

/** Every seed, grouped; the order is fixed, so (seed, index) names one mutant for good. */
export function loadSeeds(options: { corpus?: boolean } = {}): Map<Group, SeedInput[]> {
  const all = [...fixtureSeeds(), ...exampleSeeds(), ...(options.corpus === false ? [] : corpusSeeds())];
  return new Map(GROUPS.map((g) => [g, all.filter((s) => s.group === g)]));
}
