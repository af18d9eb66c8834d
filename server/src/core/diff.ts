// The smallest set of whole-line changes between two texts. Fix All computes the fixed text in rounds;
// handing the editor that text as one replacement would move every cursor and fold and make undo one
// giant step, so it gets one change per run of changed lines instead.

import { TextChange } from './types';

/** Entries of Myers' trace kept at most (4 bytes each): past this, far-apart changes become one run. */
const MAX_TRACE = 16_000_000;

/** a[aStart..aEnd) is replaced by b[bStart..bEnd) (line indexes). */
interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * Changes (offsets into `before`) that turn `before` into `after`: whole lines, one change per run of
 * changed lines, never overlapping, in text order.
 */
export function lineChanges(before: string, after: string): TextChange[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  // The common head and tail are cheap to strip and keep the diff's work to the changed middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const starts = lineStarts(a);
  return diffLines(a.slice(head, a.length - tail), b.slice(head, b.length - tail)).map((h) => ({
    start: starts[h.aStart + head],
    end: starts[h.aEnd + head],
    newText: b.slice(h.bStart + head, h.bEnd + head).join(''),
  }));
}

/** Lines with their line breaks ("a\n", "b"), so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** The offset where each line starts, plus the text's length (where a line past the last would start). */
function lineStarts(lines: string[]): number[] {
  const starts = [0];
  for (const line of lines) starts.push(starts[starts.length - 1] + line.length);
  return starts;
}

/** Myers' O((N+M)·D) diff; returns the changed runs. */
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
