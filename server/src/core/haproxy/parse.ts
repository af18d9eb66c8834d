// A parser for HAProxy configuration files written for prodready: it keeps every word's exact offsets
// and every comment (fixes are minimal text edits, and must never eat a comment), it never throws, and
// it is linear in the size of the text. Broken input still yields a tree, plus problems that the kind
// module reports as `haproxy/syntax`.
//
// Word splitting follows HAProxy's own line parser: words are separated by blanks; double quotes and
// single quotes may start or stop anywhere inside a word; a backslash escapes the next character outside
// single quotes; `#` outside quotes starts a comment even in the middle of a word; `$VAR`/`${VAR}` are
// environment references. A `{ … }` pair of words is an anonymous ACL. Any line whose first word is a
// section keyword starts a new section, however it is indented.

import { Span } from '../types';

export interface HaToken {
  start: number;
  end: number;
  /** The word exactly as written, quotes and escapes included. */
  raw: string;
  /** Quotes removed and escapes resolved; environment references are kept as written. */
  value: string;
  /** Some of the word was quoted. */
  quoted: boolean;
  /** The word refers to an environment variable, so its real value is only known at run time. */
  env: boolean;
}

export interface HaComment {
  start: number;
  end: number;
  text: string;
}

export interface HaLine {
  /** Zero-based line number (index into HaproxyConfig.lines). */
  index: number;
  /** Offset of the first character of the line. */
  start: number;
  /** Offset of the end of the line's content (before '\r\n' or '\n'). */
  contentEnd: number;
  /** Offset of the start of the next line (or the end of the text). */
  end: number;
  indent: string;
  words: HaToken[];
  comment?: HaComment;
}

export interface HaDirective {
  line: HaLine;
  /** The first word's value (`bind`, `server`, `timeout`, `no`, …). */
  keyword: string;
  words: HaToken[];
  /** The words after the keyword. */
  args: HaToken[];
  /** Start of the first word. */
  start: number;
  /** End of the last word. */
  end: number;
  section?: HaSection;
}

export const SECTION_KEYWORDS: ReadonlySet<string> = new Set([
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'resolvers',
  'peers',
  'userlist',
  'program',
  'http-errors',
  'ring',
  'cache',
  'mailers',
  'crt-store',
  'traces',
  'fcgi-app',
  'log-forward',
  'acme',
  'namespace_list',
  'dynamic-update',
  'spoe-agent',
  'spoe-message',
  'spoe-group',
]);

/** Sections that take no name, or where it is optional. */
const UNNAMED_SECTIONS: ReadonlySet<string> = new Set(['traces', 'crt-store', 'namespace_list']);

/** Sections that define a proxy (or a proxy template): they share one keyword set and the defaults machinery. */
export const PROXY_SECTIONS: ReadonlySet<string> = new Set(['defaults', 'frontend', 'backend', 'listen']);

export interface HaSection {
  keyword: string;
  header: HaDirective;
  name?: HaToken;
  /** The defaults section named after `from`. */
  from?: HaToken;
  /** Body lines that have words (comments and blank lines are in the config's line list only). */
  directives: HaDirective[];
  /** Offset where the section ends: the end of its last line with words. */
  end: number;
}

export interface ParseProblem {
  span: Span;
  message: string;
}

export interface HaproxyConfig {
  text: string;
  lines: HaLine[];
  sections: HaSection[];
  /** Keyword lines before the first section (HAProxy rejects them). */
  orphans: HaDirective[];
  /** `.if`/`.elif`/`.else`/`.endif` and the diagnostic directives (`.notice`, …). */
  conditionals: HaDirective[];
  comments: HaComment[];
}

/** Beyond this many problems the rest are not reported: a file forced into this kind may be anything. */
const MAX_PROBLEMS = 200;

const CONDITIONAL = new Set(['.if', '.elif', '.else', '.endif', '.notice', '.warning', '.alert', '.diag']);

function isBlank(c: number): boolean {
  // space, \t, \v, \f, \r: HAProxy splits words on isspace(); '\n' never reaches here
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isEnvStart(c: number): boolean {
  return c === 123 /* { */ || c === 95 /* _ */ || c === 46 /* . */ || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

interface LineScan {
  words: HaToken[];
  comment?: HaComment;
}

/** Splits one line's content [start, end) into words and a trailing comment. */
function scanLine(text: string, start: number, end: number, report: (p: ParseProblem) => void): LineScan {
  const words: HaToken[] = [];
  let comment: HaComment | undefined;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      comment = { start: i, end, text: text.slice(i, end) };
      break;
    }
    const wordStart = i;
    let value = '';
    let chunk = i; // start of the pending run of plain characters not yet copied into value
    let quoted = false;
    let escaped = false;
    let env = false;
    let quote = 0; // the open quote character, or 0
    let quoteAt = -1;
    while (i < end) {
      const ch = text.charCodeAt(i);
      if (quote === 0 && (isBlank(ch) || ch === 35)) break;
      if (quote === 39 /* ' */) {
        if (ch === 39) {
          value += text.slice(chunk, i);
          quote = 0;
          chunk = ++i;
        } else i++;
        continue;
      }
      if (ch === 34 /* " */) {
        value += text.slice(chunk, i);
        quoted = true;
        if (quote === 34) quote = 0;
        else {
          quote = 34;
          quoteAt = i;
        }
        chunk = ++i;
        continue;
      }
      if (ch === 39 && quote === 0) {
        value += text.slice(chunk, i);
        quoted = true;
        quote = 39;
        quoteAt = i;
        chunk = ++i;
        continue;
      }
      if (ch === 92 /* \ */) {
        escaped = true;
        value += text.slice(chunk, i);
        const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
        if (next === 32 || next === 92 || next === 35 || next === 39 || next === 34) {
          value += String.fromCharCode(next);
          i += 2;
        } else if (next === 116 /* t */) {
          value += '\t';
          i += 2;
        } else if (next === 110 /* n */) {
          value += '\n';
          i += 2;
        } else if (next === 114 /* r */) {
          value += '\r';
          i += 2;
        } else if (next === 36 /* $ */ && quote === 34) {
          value += '$';
          i += 2;
        } else if (next === 120 /* x */) {
          if (i + 3 < end && isHex(text.charCodeAt(i + 2)) && isHex(text.charCodeAt(i + 3))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            i += 4;
          } else {
            report({ span: { start: i, end: Math.min(end, i + 2) }, message: 'Invalid "\\x" escape: HAProxy expects two hexadecimal digits (e.g. \\x41) and rejects the line.' });
            value += '\\';
            i += 1;
          }
        } else {
          // Other combinations are not escapes: HAProxy keeps the backslash (regexes rely on it).
          value += '\\';
          i += 1;
        }
        chunk = i;
        continue;
      }
      if (ch === 36 /* $ */ && i + 1 < end && isEnvStart(text.charCodeAt(i + 1))) env = true;
      i++;
    }
    // Most words are plain: one string serves as both raw text and value (fewer allocations on big files).
    const raw = text.slice(wordStart, i);
    if (!quoted && !escaped) value = raw;
    else value += text.slice(chunk, i);
    if (quote !== 0) {
      report({
        span: { start: quoteAt, end },
        message: `Unterminated ${quote === 34 ? 'double' : 'single'} quote: HAProxy rejects the line. Close the quote (or escape it with a backslash).`,
      });
    }
    words.push({ start: wordStart, end: i, raw, value, quoted, env });
  }
  return { words, comment };
}

function directiveOf(line: HaLine): HaDirective {
  const words = line.words;
  return {
    line,
    keyword: words[0].value,
    words,
    args: words.slice(1),
    start: words[0].start,
    end: words[words.length - 1].end,
  };
}

/** `{` and `}` words must pair up on a line: they delimit anonymous ACLs in conditions. */
function checkBraces(d: HaDirective, report: (p: ParseProblem) => void): void {
  const open: HaToken[] = [];
  for (const w of d.words) {
    if (w.quoted) continue;
    // `!{` is the negated form HAProxy's own examples use (`if !{ ssl_fc }`).
    if (w.value === '{' || w.value === '!{') open.push(w);
    else if (w.value === '}') {
      if (open.length === 0) {
        report({ span: w, message: 'This "}" closes no "{": an anonymous ACL is written "{ fetch pattern }", with spaces around both braces.' });
      } else open.pop();
    }
  }
  for (const w of open) {
    report({ span: w, message: 'Unbalanced "{": the anonymous ACL it opens is never closed with a "}" on this line, so HAProxy rejects the condition.' });
  }
}

function checkHeader(section: HaSection, report: (p: ParseProblem) => void): void {
  const { keyword, header } = section;
  const args = header.args;
  if (keyword === 'global') {
    if (args.length > 0) {
      report({
        span: { start: args[0].start, end: args[args.length - 1].end },
        message: '"global" takes no arguments: HAProxy refuses to start. Put each global setting on its own line below the header.',
      });
    }
    return;
  }
  if (keyword === 'defaults') {
    // `defaults [name] [from other]`; HAProxy silently ignores anything else after the name.
    let i = 0;
    if (args[0] && args[0].value !== 'from') {
      section.name = args[0];
      i = 1;
    }
    if (args[i]?.value === 'from') {
      if (args[i + 1]) section.from = args[i + 1];
      else report({ span: args[i], message: '"from" must be followed by the name of a defaults section to inherit from.' });
    }
    return;
  }
  if (!args[0]) {
    if (UNNAMED_SECTIONS.has(keyword)) return;
    report({ span: header.words[0], message: `"${keyword}" needs a name: HAProxy refuses a section without one.` });
    return;
  }
  section.name = args[0];
  if (!PROXY_SECTIONS.has(keyword)) return;
  if (args[1]?.value === 'from' && args[2] && args.length === 3) {
    section.from = args[2];
    return;
  }
  if (args.length > 1) {
    report({
      span: { start: args[1].start, end: args[args.length - 1].end },
      message:
        args[1].value === 'from'
          ? '"from" must be followed by exactly one defaults section name.'
          : `Only "from <defaults>" may follow the ${keyword} name: HAProxy rejects listening addresses or settings here (use a "bind" line).`,
    });
  }
}

/** Template languages leave `{{ … }}`/`{% … %}` in files that are not HAProxy configuration until rendered. */
function isTemplateWord(w: HaToken): boolean {
  return w.raw.startsWith('{{') || w.raw.startsWith('{%') || w.raw.startsWith('<%');
}

const SPACES: string[] = [];

/** Indentation strings, shared between lines when they are plain spaces (nearly always). */
function indentText(text: string, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n < 64) {
    let spaces = true;
    for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 32) spaces = false;
    if (spaces) return (SPACES[n] ??= ' '.repeat(n));
  }
  return text.slice(start, end);
}

export function parseHaproxy(text: string): { config: HaproxyConfig; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const report = (p: ParseProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const config: HaproxyConfig = { text, lines: [], sections: [], orphans: [], conditionals: [], comments: [] };
  let current: HaSection | undefined;
  const openIfs: HaDirective[] = [];
  let start = 0;
  const length = text.length;
  while (start <= length) {
    const nl = text.indexOf('\n', start);
    const next = nl === -1 ? length : nl + 1;
    let contentEnd = nl === -1 ? length : nl;
    if (contentEnd > start && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    let indentEnd = start;
    while (indentEnd < contentEnd && (text.charCodeAt(indentEnd) === 32 || text.charCodeAt(indentEnd) === 9)) indentEnd++;
    const scan = scanLine(text, start, contentEnd, report);
    const line: HaLine = { index: config.lines.length, start, contentEnd, end: next, indent: indentText(text, start, indentEnd), words: scan.words, comment: scan.comment };
    config.lines.push(line);
    if (scan.comment) config.comments.push(scan.comment);
    if (scan.words.length > 0) {
      const d = directiveOf(line);
      checkBraces(d, report);
      if (!scan.words[0].quoted && SECTION_KEYWORDS.has(d.keyword)) {
        current = { keyword: d.keyword, header: d, directives: [], end: d.end };
        d.section = current;
        checkHeader(current, report);
        config.sections.push(current);
      } else if (CONDITIONAL.has(d.keyword)) {
        config.conditionals.push(d);
        if (d.keyword === '.if') openIfs.push(d);
        else if (d.keyword === '.endif') {
          if (!openIfs.pop()) report({ span: d.words[0], message: '".endif" without a matching ".if".' });
        } else if ((d.keyword === '.elif' || d.keyword === '.else') && openIfs.length === 0) {
          report({ span: d.words[0], message: `"${d.keyword}" without a matching ".if".` });
        }
      } else if (isTemplateWord(scan.words[0])) {
        report({
          span: { start: d.start, end: d.end },
          message: 'Template markup: this file must be rendered (confd, Jinja, Helm…) before HAProxy can read it; the line is not HAProxy syntax as it stands.',
        });
        if (current) {
          d.section = current;
          current.directives.push(d);
        } else config.orphans.push(d);
      } else if (current) {
        d.section = current;
        current.directives.push(d);
        current.end = d.end;
      } else {
        config.orphans.push(d);
        report({
          span: { start: d.start, end: d.end },
          message: `"${d.keyword}" is outside any section: HAProxy rejects keyword lines before the first "global", "defaults", "frontend", "backend" or "listen" header.`,
        });
      }
    }
    if (nl === -1) break;
    start = next;
  }
  for (const d of openIfs) report({ span: d.words[0], message: '".if" is never closed by ".endif": HAProxy rejects the file.' });
  return { config, problems };
}
