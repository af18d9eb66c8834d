// Fix All: apply the preferred repair of the first fixable finding, analyse again, and repeat — one fix
// per round, because fixes can shift or replace each other (two may each insert the same missing
// `deploy:` key). The result goes back as small line-based edits between the original and the final
// text, so the editor keeps cursors, folding and undo granularity for the untouched lines.

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeText } from '../host/decode';
import { applyChanges } from '../core/text';
import { AnalysisResult, Finding, Fix } from '../core/types';
import { ReadinessRange } from '../../../common/protocol';

/** Closed files larger than this are not fixed from disk (the editor would not open them comfortably either). */
const MAX_DISK_SIZE = 10 * 1024 * 1024;
/** Enough for any real file; a rule whose fix never removes its finding must not loop for ever. */
const MAX_ROUNDS = 200;
/** Entries of Myers' trace kept at most (4 bytes each). */
const MAX_TRACE = 16_000_000;

export interface LineEdit {
  range: ReadinessRange;
  newText: string;
}

/** The repair Fix All applies for a finding: its preferred, non-suppression fix. */
export function autoFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.preferred && !f.suppression && f.changes.length > 0);
}

/**
 * Fix All for an open document (its text and version) or a closed file (read from disk): the edits
 * from its text to the text with every auto-fix applied, and the version they apply to.
 */
export async function fixAllFor(
  source: { text: string; version: number } | string,
  analyse: (text: string) => Promise<AnalysisResult>,
  first?: AnalysisResult,
): Promise<{ changes: LineEdit[]; version?: number }> {
  let text: string;
  if (typeof source === 'string') {
    try {
      const file = fileURLToPath(source);
      if (fs.statSync(file).size > MAX_DISK_SIZE) return { changes: [] };
      text = decodeText(fs.readFileSync(file));
    } catch {
      return { changes: [] };
    }
  } else text = source.text;
  const fixed = await fixAllText(text, analyse, first);
  return { changes: lineEdits(text, fixed), ...(typeof source === 'string' ? {} : { version: source.version }) };
}

/**
 * The text after every auto-fix, `first` being the analysis of `text` when the caller already has it.
 * `analyse` runs the core (in the worker) on a candidate text.
 */
export async function fixAllText(
  text: string,
  analyse: (text: string) => Promise<AnalysisResult>,
  first?: AnalysisResult,
): Promise<string> {
  const seen = new Set<string>([text]);
  let current = text;
  let result = first ?? (await analyse(text));
  // A fix whose result was already seen (it undoes another) or that fails to apply is not tried again.
  const refused = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let next: string | undefined;
    for (const finding of result.findings) {
      const fix = autoFix(finding);
      if (!fix) continue;
      const id = JSON.stringify([finding.ruleId, fix.changes]);
      if (refused.has(id)) continue;
      let candidate: string;
      try {
        candidate = applyChanges(current, fix.changes);
      } catch {
        refused.add(id);
        continue;
      }
      if (seen.has(candidate)) {
        refused.add(id);
        continue;
      }
      next = candidate;
      break;
    }
    if (next === undefined) break;
    seen.add(next);
    current = next;
    result = await analyse(current);
  }
  return current;
}

/**
 * Line-based edits turning `before` into `after`: Myers' diff over lines, one edit per run of changed
 * lines, never overlapping, in document order.
 */
export function lineEdits(before: string, after: string): LineEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  // The common head and tail are cheap to strip and keep the diff's work to the changed middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const hunks = diffLines(a.slice(head, a.length - tail), b.slice(head, b.length - tail)).map((h) => ({
    aStart: h.aStart + head,
    aEnd: h.aEnd + head,
    bStart: h.bStart + head,
    bEnd: h.bEnd + head,
  }));
  return hunks.map((h) => ({
    range: { start: positionOfLine(a, h.aStart), end: positionOfLine(a, h.aEnd) },
    newText: b.slice(h.bStart, h.bEnd).join(''),
  }));
}

/** Lines with their line breaks ("a\n", "b"), so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** The position where line `index` starts (past the last line: the end of the text). */
function positionOfLine(lines: string[], index: number): { line: number; character: number } {
  if (index < lines.length) return { line: index, character: 0 };
  const last = lines[lines.length - 1];
  if (last === undefined || last.endsWith('\n')) return { line: lines.length, character: 0 };
  return { line: lines.length - 1, character: last.length };
}

interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Myers' O((N+M)·D) diff; returns the changed runs (a[aStart..aEnd) replaced by b[bStart..bEnd)). */
function diffLines(a: string[], b: string[]): Hunk[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0) return [{ aStart: 0, aEnd: n, bStart: 0, bEnd: m }];
  const max = n + m;
  const offset = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    // The trace grows by one copy of `v` per step; far-apart changes in a huge file become one hunk.
    if ((d + 1) * v.length > MAX_TRACE) return [{ aStart: 0, aEnd: n, bStart: 0, bEnd: m }];
    trace.push(v.slice());
    const next = v;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  // Walk the trace back into a list of equal pairs, then group the gaps between them.
  const equal: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      equal.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  equal.reverse();
  const hunks: Hunk[] = [];
  let ai = 0;
  let bi = 0;
  for (const [ea, eb] of [...equal, [n, m] as [number, number]]) {
    if (ea > ai || eb > bi) hunks.push({ aStart: ai, aEnd: ea, bStart: bi, bEnd: eb });
    ai = ea + 1;
    bi = eb + 1;
  }
  return hunks;
}
