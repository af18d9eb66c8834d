// Minimal text edits for HAProxy fixes: new lines are inserted whole, in the indentation of the
// section they join and with the file's own line breaks; words are replaced in place. Nothing is
// re-serialised and no comment is ever part of a replaced range.

import { TextChange } from '../types';
import { eolOf } from '../text';
import { HaDirective, HaLine, HaproxyConfig, HaSection, HaToken } from './parse';

/** Indentation of a section's body: its first body line's, else one step deeper than its header. */
export function bodyIndent(config: HaproxyConfig, section: HaSection): string {
  const first = section.directives[0];
  if (first) return first.line.indent;
  return section.header.line.indent + indentStep(config);
}

/** The file's habitual body indentation step (what its sections use), four spaces by default. */
export function indentStep(config: HaproxyConfig): string {
  for (const s of config.sections) {
    const first = s.directives[0];
    if (!first) continue;
    const header = s.header.line.indent;
    const body = first.line.indent;
    if (body.length > header.length && body.startsWith(header)) return body.slice(header.length);
  }
  return '    ';
}

/** Inserts whole lines after a line, also when it is the file's last line and has no line break. */
export function insertLinesAfter(config: HaproxyConfig, line: HaLine, newLines: string[]): TextChange {
  const eol = eolOf(config.text);
  const hasBreak = line.end > line.start && config.text.charCodeAt(line.end - 1) === 10;
  if (hasBreak) return { start: line.end, end: line.end, newText: newLines.map((l) => l + eol).join('') };
  return { start: line.end, end: line.end, newText: newLines.map((l) => eol + l).join('') };
}

/** Inserts whole lines before the line starting at `offset`. */
export function insertLinesBefore(config: HaproxyConfig, offset: number, newLines: string[]): TextChange {
  const eol = eolOf(config.text);
  return { start: offset, end: offset, newText: newLines.map((l) => l + eol).join('') };
}

/** Appends words after the directive's last word, before any trailing blanks or comment. */
export function appendWords(d: HaDirective, words: string): TextChange {
  return { start: d.end, end: d.end, newText: ` ${words}` };
}

export function replaceWord(token: HaToken, newText: string): TextChange {
  return { start: token.start, end: token.end, newText };
}

/** Removes a word together with the blanks before it (the previous word stays untouched). */
export function removeWord(d: HaDirective, token: HaToken): TextChange {
  const i = d.words.indexOf(token);
  const from = i > 0 ? d.words[i - 1].end : token.start;
  return { start: from, end: token.end, newText: '' };
}

/**
 * Where lines introducing a section should go so they land before `section` together with the comment
 * lines directly above it (its description, or a suppression directive aimed at its header).
 */
export function beforeAttachedComments(config: HaproxyConfig, section: HaSection): number {
  let i = section.header.line.index;
  while (i > 0) {
    const prev = config.lines[i - 1];
    if (prev.words.length > 0 || !prev.comment) break;
    i--;
  }
  return config.lines[i].start;
}
