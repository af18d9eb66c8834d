// Suppression comments, in ESLint's shape and valid in every supported syntax (all use `#` comments):
//   # prodready-disable-next-line compose/bind-mount, compose/image-tag
//   … some line … # prodready-disable-line compose/image-tag
//   # prodready-disable compose/no-healthcheck          (whole file; no ids = every rule)
// Anything after ` -- ` is a free-text reason and ignored.

import { Finding, Fix } from './types';
import { eolOf, indentOfLine, LineIndex } from './text';

const DIRECTIVE = /#[ \t]*prodready-(disable-next-line|disable-line|disable)(?![\w-])([^\n]*)/g;

export interface Suppressions {
  /** Rule ids (or '*') disabled for the whole file. */
  file: Set<string>;
  /** Zero-based line → rule ids (or '*') disabled on it. */
  lines: Map<number, Set<string>>;
}

export function findSuppressions(text: string, lines: LineIndex): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  if (!text.includes('prodready-disable')) return result;
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = parseIds(m[2]);
    const line = lines.lineAt(m.index ?? 0);
    if (m[1] === 'disable') {
      // A file-level directive must stand on a line of its own, so a trailing one cannot be mistaken for it.
      if (!isWholeLineComment(text, m.index ?? 0)) continue;
      ids.forEach((id) => result.file.add(id));
      continue;
    }
    const target = m[1] === 'disable-next-line' ? line + 1 : line;
    const set = result.lines.get(target) ?? new Set<string>();
    ids.forEach((id) => set.add(id));
    result.lines.set(target, set);
  }
  return result;
}

function parseIds(rest: string): string[] {
  const body = rest.split(/\s--\s/)[0].replace(/\r$/, '');
  const ids = body
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.length ? ids : ['*'];
}

function isWholeLineComment(text: string, hashOffset: number): boolean {
  const lineStart = text.lastIndexOf('\n', hashOffset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, hashOffset));
}

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  if (s.file.has('*') || s.file.has(ruleId)) return true;
  const set = s.lines.get(line);
  return !!set && (set.has('*') || set.has(ruleId));
}

/**
 * The "Disable <rule> for this line" fix: extends a `prodready-disable-next-line` directive standing on
 * the line above, or inserts one there with the finding line's indentation.
 */
export function disableForLineFix(text: string, lines: LineIndex, finding: Finding): Fix {
  const line = lines.lineAt(finding.span.start);
  const title = `Disable ${finding.ruleId} for this line`;
  if (line > 0) {
    const prevStart = lines.lineStart(line - 1);
    const prevEnd = lines.lineEnd(line - 1);
    const prev = text.slice(prevStart, prevEnd);
    const m = /^([ \t]*#[ \t]*prodready-disable-next-line)(?![\w-])(.*)$/.exec(prev);
    if (m) {
      const reasonAt = m[2].search(/\s--\s/);
      const idsPart = reasonAt === -1 ? m[2] : m[2].slice(0, reasonAt);
      const ids = parseIds(idsPart);
      if (ids.includes(finding.ruleId) || ids.includes('*')) return { title, suppression: true, changes: [] };
      const at = prevStart + m[1].length + idsPart.replace(/\s+$/, '').length;
      return { title, suppression: true, changes: [{ start: at, end: at, newText: `, ${finding.ruleId}` }] };
    }
  }
  const start = lines.lineStart(line);
  const indent = indentOfLine(text, start);
  return {
    title,
    suppression: true,
    changes: [{ start, end: start, newText: `${indent}# prodready-disable-next-line ${finding.ruleId}${eolOf(text)}` }],
  };
}
