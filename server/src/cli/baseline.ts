// Baselines: the findings a team has accepted, recorded so that CI reports only new ones. An entry is
// the rule, the file and a fingerprint of the finding's line and span text (never its line number), so
// lines inserted above keep it matched and a change to the offending line makes it new again.

import * as fs from 'node:fs';
import { Finding } from '../core/types';
import { fingerprints } from './fingerprints';

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
}

export interface BaselineFile {
  version: 1;
  findings: BaselineEntry[];
}

/** Each finding of a file with its fingerprint, in the file's order (the order fingerprints count in). */
export function fingerprinted(rel: string, text: string, findings: Finding[]): { finding: Finding; entry: BaselineEntry }[] {
  return [...fingerprints(rel, text, findings)].map(([finding, fingerprint]) => ({ finding, entry: { ruleId: finding.ruleId, file: rel, fingerprint } }));
}

const key = (e: BaselineEntry) => `${e.file}\u0000${e.ruleId}\u0000${e.fingerprint}`;

export class Baseline {
  private readonly unused: Map<string, BaselineEntry>;

  constructor(readonly entries: BaselineEntry[]) {
    this.unused = new Map(entries.map((e) => [key(e), e]));
  }

  /** Reads a baseline file; a clear error for anything that is not one. */
  static read(file: string): Baseline {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<BaselineFile>;
    if (raw.version !== 1 || !Array.isArray(raw.findings)) throw new Error('not a prodready baseline (expected {"version": 1, "findings": [...]})');
    for (const e of raw.findings) {
      if (typeof e?.ruleId !== 'string' || typeof e.file !== 'string' || typeof e.fingerprint !== 'string') throw new Error(`malformed entry ${JSON.stringify(e)}`);
    }
    return new Baseline(raw.findings);
  }

  /** Whether the baseline accepts this finding (each entry matches one finding at most). */
  accepts(entry: BaselineEntry): boolean {
    return this.unused.delete(key(entry));
  }

  /** Entries that matched no finding in this run: fixed since, so the baseline can be refreshed. */
  get stale(): number {
    return this.unused.size;
  }
}

export function writeBaseline(file: string, entries: BaselineEntry[]): void {
  const sorted = [...entries].sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  fs.writeFileSync(file, JSON.stringify({ version: 1, findings: sorted } satisfies BaselineFile, null, 2) + '\n');
}
