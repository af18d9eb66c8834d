// `prodready check --fix` and `--fix-dry-run`: the core's Fix All loop (the one the editor runs) on each
// file, written back atomically, or shown as a unified diff that `patch -p1` applies.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { lineChanges } from '../core/diff';

/** Writes through a temporary file in the same folder and a rename, keeping the file's mode. */
export function writeAtomically(file: string, text: string): void {
  const mode = fs.statSync(file).mode & 0o7777;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.prodready-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text, { mode });
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** Lines of a piece of text, each with its break; the last one may have none. */
function linesOf(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A unified diff (no context lines) from `before` to `after`, with `a/` and `b/` prefixes on `rel`. */
export function unifiedDiff(rel: string, before: string, after: string): string {
  const changes = lineChanges(before, after);
  if (changes.length === 0) return '';
  let out = `--- a/${rel}\n+++ b/${rel}\n`;
  let shift = 0;
  const emit = (sign: string, lines: string[]) => {
    for (const l of lines) out += l.endsWith('\n') ? `${sign}${l}` : `${sign}${l}\n\\ No newline at end of file\n`;
  };
  for (const c of changes) {
    const removed = linesOf(before.slice(c.start, c.end));
    const added = linesOf(c.newText);
    const oldFirst = countLines(before, c.start) + 1;
    // With no context, a side that has no lines names the line before the change.
    const oldStart = removed.length ? oldFirst : oldFirst - 1;
    const newStart = added.length ? oldFirst + shift : oldFirst + shift - 1;
    out += `@@ -${oldStart},${removed.length} +${newStart},${added.length} @@\n`;
    emit('-', removed);
    emit('+', added);
    shift += added.length - removed.length;
  }
  return out;
}
