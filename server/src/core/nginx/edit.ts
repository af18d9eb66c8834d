// Minimal text edits in NGINX syntax: insert lines into a block in the file's own indentation and line
// endings, remove one directive, replace tokens. Every function touches only the characters it must and
// never a comment; it returns undefined when it cannot do that safely, and callers then offer no fix.

import { eolOf, lineStartOf, nextLineStart } from '../text';
import { TextChange } from '../types';
import { Directive, ParsedConfig, Span } from './parse';

export class NginxEditor {
  readonly eol: string;
  private unit: string | undefined;

  constructor(private readonly config: ParsedConfig) {
    this.eol = eolOf(config.text);
  }

  private get text(): string {
    return this.config.text;
  }

  /** Leading white space of the line holding `offset`. */
  indentAt(offset: number): string {
    const start = lineStartOf(this.text, offset);
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }

  /** Whether `offset` is the first non-blank character of its line. */
  startsLine(offset: number): boolean {
    return this.text.slice(lineStartOf(this.text, offset), offset).trim() === '';
  }

  /** One level of indentation as this file writes it: from the first nested directive on its own line, else 4 spaces. */
  indentUnit(): string {
    if (this.unit !== undefined) return this.unit;
    this.unit = '    ';
    for (const d of this.config.directives) {
      const child = d.block?.children.find((c) => this.startsLine(c.start));
      if (!child || !this.startsLine(d.start)) continue;
      const outer = this.indentAt(d.start);
      const inner = this.indentAt(child.start);
      if (inner.length > outer.length && inner.startsWith(outer)) {
        this.unit = inner.slice(outer.length);
        break;
      }
    }
    return this.unit;
  }

  /** The indentation of a block's directives: its first child's, else the block's own plus one unit. */
  childIndent(block: Directive): string {
    const child = block.block?.children.find((c) => this.startsLine(c.start));
    if (child) return this.indentAt(child.start);
    return this.indentAt(block.start) + this.indentUnit();
  }

  /** Whether a comment lies inside the span (a change over it would delete the comment). */
  hasComment(span: Span): boolean {
    // Comments are in file order: find the first one ending after the span's start.
    const comments = this.config.comments;
    let lo = 0;
    let hi = comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comments[mid].end <= span.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < comments.length && comments[lo].start < span.end;
  }

  replace(span: Span, newText: string): TextChange | undefined {
    if (this.hasComment(span)) return undefined;
    return { start: span.start, end: span.end, newText };
  }

  /**
   * Inserts directives (each a line's content, without indentation) right after `after`, inside
   * `container`'s block: on new lines below it, or on the same line when the block closes on that line.
   */
  insertAfter(after: Directive, container: Directive, lines: string[]): TextChange | undefined {
    const close = container.block?.close;
    if (close === undefined || after.end > close) return undefined;
    const lineBreak = this.text.indexOf('\n', after.end);
    const lineEnd = lineBreak === -1 ? this.text.length : lineBreak;
    if (close < lineEnd) return { start: after.end, end: after.end, newText: ' ' + lines.join(' ') };
    const indent = this.startsLine(after.start) ? this.indentAt(after.start) : this.childIndent(container);
    return this.insertLinesAt(nextLineStart(this.text, after.end), indent, lines);
  }

  /** Inserts directives as the first lines of a block (or right after `{` when the block is on one line). */
  insertIntoBlock(container: Directive, lines: string[]): TextChange | undefined {
    const block = container.block;
    if (!block || block.close === undefined) return undefined;
    const afterOpen = block.open + 1;
    const lineBreak = this.text.indexOf('\n', afterOpen);
    if (lineBreak === -1 || lineBreak > block.close) {
      const closesRightAway = this.text[afterOpen] === '}';
      return { start: afterOpen, end: afterOpen, newText: ' ' + lines.join(' ') + (closesRightAway ? ' ' : '') };
    }
    return this.insertLinesAt(lineBreak + 1, this.childIndent(container), lines);
  }

  private insertLinesAt(at: number, indent: string, lines: string[]): TextChange {
    const body = lines.map((l) => indent + l).join(this.eol);
    // The last line of the file may have no line break of its own.
    if (at === this.text.length && !this.text.endsWith('\n')) return { start: at, end: at, newText: this.eol + body };
    return { start: at, end: at, newText: body + this.eol };
  }

  /**
   * Inserts a block (given as its lines, the first being e.g. `server {`) before a directive, separated by
   * a blank line; above the comment lines directly on top of the directive, which describe it (unless
   * they open the file). On a line shared with other text, the block goes in on that line.
   */
  insertBlockBefore(target: Directive, blockLines: string[]): TextChange {
    if (!this.startsLine(target.start)) return { start: target.start, end: target.start, newText: blockLines.map((l) => l.trim()).join(' ') + ' ' };
    const targetLine = lineStartOf(this.text, target.start);
    let at = targetLine;
    while (at > 0) {
      const prevStart = lineStartOf(this.text, at - 1);
      const prev = this.text.slice(prevStart, at).trim();
      if (!prev.startsWith('#')) break;
      at = prevStart;
    }
    // Comments that open the file are its header (license, purpose), not this directive's description.
    if (at === 0) at = targetLine;
    const indent = this.indentAt(target.start);
    return { start: at, end: at, newText: blockLines.map((l) => indent + l).join(this.eol) + this.eol + this.eol };
  }

  /**
   * Removes a directive: its whole line when nothing else is on it, otherwise just its tokens and the
   * blanks after them. Undefined when a comment sits inside the directive.
   */
  removeDirective(d: Directive): TextChange | undefined {
    if (this.hasComment({ start: d.start, end: d.end })) return undefined;
    const lineStart = lineStartOf(this.text, d.start);
    const lineBreak = this.text.indexOf('\n', d.end);
    const lineEnd = lineBreak === -1 ? this.text.length : lineBreak;
    const before = this.text.slice(lineStart, d.start);
    const after = this.text.slice(d.end, lineEnd);
    if (before.trim() === '' && after.trim() === '') {
      if (lineBreak !== -1) return { start: lineStart, end: lineBreak + 1, newText: '' };
      // Last line without a line break: take the preceding line break instead.
      const prevBreak = lineStart > 0 ? lineStart - 1 - (this.text[lineStart - 2] === '\r' ? 1 : 0) : lineStart;
      return { start: prevBreak, end: this.text.length, newText: '' };
    }
    let end = d.end;
    while (end < lineEnd && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return { start: d.start, end, newText: '' };
  }
}
