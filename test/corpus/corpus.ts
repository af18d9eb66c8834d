// Locating and reading the shared real-world corpus: ../shared/corpus beside the repository, or the
// folder PRODREADY_CORPUS names. In CI (CI=true) a missing corpus fails the run instead of letting
// every corpus suite skip silently; elsewhere the skip says where the corpus was expected.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeText } from '../../server/src/host/decode';

export const CORPUS = process.env.PRODREADY_CORPUS ? path.resolve(process.env.PRODREADY_CORPUS) : path.resolve(__dirname, '../../../../shared/corpus');

export interface CorpusEntry {
  kind: string;
  file: string;
  note: string;
}

export function corpusAvailable(): boolean {
  return fs.existsSync(path.join(CORPUS, 'MANIFEST.tsv'));
}

let told = false;

/**
 * The `skip` option of a corpus suite: false when the corpus is there. Without it, CI fails at once
 * (the corpus tests are part of what a green run promises); a local run skips, saying why and how to
 * get the corpus.
 */
export function corpusSkip(): false | string {
  if (corpusAvailable()) return false;
  const why = `the shared corpus is not at ${CORPUS} (expected as ../shared/corpus beside the repository, with its MANIFEST.tsv; or set PRODREADY_CORPUS to its folder)`;
  if (process.env.CI === 'true') throw new Error(`corpus tests cannot run: ${why}`);
  if (!told) process.stderr.write(`skipping the corpus tests: ${why}\n`);
  told = true;
  return why;
}

export function manifest(): CorpusEntry[] {
  const lines = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1);
  return lines
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map(([kind, file, , , , , note]) => ({ kind, file, note: note ?? '' }));
}

export function corpusFiles(folder: string): string[] {
  const dir = path.join(CORPUS, folder);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((n) => path.join(dir, n));
}

export function readCorpusFile(file: string): string {
  return decodeText(fs.readFileSync(file));
}

/** Per-rule counts, printed so that a change in what the rules report is visible in the test log. */
export function printCounts(title: string, counts: Map<string, number>): void {
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  console.log(`\n${title}`);
  for (const [id, n] of rows) console.log(`  ${String(n).padStart(5)}  ${id}`);
}
