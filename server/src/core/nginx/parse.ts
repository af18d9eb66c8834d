// A parser for NGINX configuration syntax, written to follow what NGINX's own reader accepts
// (ngx_conf_read_token) closely enough that a file NGINX loads parses without findings here, while
// keeping what NGINX throws away: exact offsets of every token, and the comments.
//
// It never throws and runs in one forward pass (linear in the file size): any string in, a tree plus
// syntax problems out. Recovery mirrors where NGINX itself would stop, so the problems point at the
// places `nginx -t` would complain about.
//
// Beyond plain NGINX it understands what real configs contain before they reach NGINX:
//   - `*_by_lua_block { … }` bodies (OpenResty): raw Lua, balanced by braces outside Lua strings,
//     long brackets and comments, kept as one opaque span;
//   - template placeholders: `${VAR}` (envsubst; NGINX's own lexer already keeps `${` inside a word),
//     and `{{ … }}` / `{% … %}` (Go templates, Jinja, Liquid) on one line, which would otherwise read
//     as blocks. A placeholder standing alone where a directive would start is kept as a template tag.

import { braceNesting } from '../nesting';

export interface Span {
  start: number;
  end: number;
}

/** One NGINX token: a directive name or argument, quoted or not. */
export interface Word extends Span {
  /** The token after NGINX's unquoting and unescaping (`"a\"b"` → `a"b`). */
  value: string;
  quoted: boolean;
  /** Contains a `${…}`, `{{…}}` or `{%…%}` placeholder that is filled in before NGINX reads the file. */
  templated: boolean;
}

export interface Block {
  /** Offset of `{`. */
  open: number;
  /** Offset of the matching `}`, undefined when the file ends first. */
  close?: number;
  children: Directive[];
  /** The raw body of a `*_by_lua_block` (between the braces); such blocks have no children. */
  lua?: Span;
}

export interface Directive {
  name: Word;
  args: Word[];
  /** Offset of the name's first character. */
  start: number;
  /** Just past the `;` or the block's `}` (or the last token when the directive is unterminated). */
  end: number;
  /** Offset of the terminating `;`, undefined for blocks and unterminated directives. */
  semicolon?: number;
  block?: Block;
  /** The enclosing block directive in this file. */
  parent?: Directive;
}

export interface Comment extends Span {
  /** Without the leading `#`. */
  text: string;
}

export interface SyntaxProblem {
  span: Span;
  message: string;
}

export type LexemeKind = 'space' | 'comment' | 'word' | ';' | '{' | '}' | 'lua';

/** A slice of the file; the lexemes of a file, in order, cover it exactly. */
export interface Lexeme extends Span {
  kind: LexemeKind;
}

export interface ParsedConfig {
  text: string;
  directives: Directive[];
  comments: Comment[];
  /** Template tags (`{% if x %}`, `{{ end }}`) standing where a directive would start. */
  templates: Span[];
  problems: SyntaxProblem[];
  /** Every lexeme, when asked for with `{ lexemes: true }` (tests; costs memory on big files). */
  lexemes?: Lexeme[];
}

/** More would only flood the editor: one broken brace can cause thousands of follow-up errors. */
const MAX_PROBLEMS = 100;

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const SEMI = 59;
const LBRACE = 123;
const RBRACE = 125;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const DOLLAR = 36;
const PERCENT = 37;
const RPAREN = 41;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/** NGINX's unescaping of a token: `\"`, `\'`, `\\` lose the backslash; `\t`, `\r`, `\n` become control characters. */
export function unescapeNginx(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (n === '"' || n === "'" || n === '\\') {
        out += n;
        i++;
        continue;
      }
      if (n === 't' || n === 'r' || n === 'n') {
        out += n === 't' ? '\t' : n === 'r' ? '\r' : '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * Finds the closer of a one-line template placeholder. Remembers its last answer so that a line full
 * of unclosed `{{` is scanned once, not once per `{{` (which would be quadratic).
 */
class PlaceholderFinder {
  private from = -1;
  private found = -1;
  private failedUntil = -1;

  constructor(
    private readonly text: string,
    private readonly closer: string,
  ) {}

  /** Offset of the closer at or after `from` on the same line, or -1. */
  find(from: number): number {
    if (this.found >= from && this.from <= from) return this.found;
    if (from < this.failedUntil && this.from <= from) return -1;
    this.from = from;
    const nl = this.text.indexOf('\n', from);
    const lineEnd = nl === -1 ? this.text.length : nl;
    const at = this.text.indexOf(this.closer, from);
    if (at !== -1 && at < lineEnd) {
      this.found = at;
      return at;
    }
    this.found = -1;
    this.failedUntil = lineEnd;
    return -1;
  }
}

class Lexer {
  pos = 0;
  /** Kind, start and end of the last lexeme read by next(), and its Word when it is a word. */
  kind: LexemeKind = 'space';
  start = 0;
  end = 0;
  word: Word | undefined;
  /** A string ran to the end of the file: what follows from it (unclosed blocks …) is not worth a second report. */
  unterminated = false;
  private readonly moustache: PlaceholderFinder;
  private readonly percent: PlaceholderFinder;

  constructor(
    readonly text: string,
    private readonly problem: (span: Span, message: string) => void,
  ) {
    this.moustache = new PlaceholderFinder(text, '}}');
    this.percent = new PlaceholderFinder(text, '%}');
  }

  /** End (exclusive) of a `{{…}}` / `{%…%}` placeholder starting at `at`, or -1 when there is none. */
  placeholderEnd(at: number): number {
    const t = this.text;
    if (t.charCodeAt(at) !== LBRACE) return -1;
    const n = t.charCodeAt(at + 1);
    if (n === LBRACE) {
      const close = this.moustache.find(at + 2);
      return close === -1 ? -1 : close + 2;
    }
    if (n === PERCENT) {
      const close = this.percent.find(at + 2);
      return close === -1 ? -1 : close + 2;
    }
    return -1;
  }

  /**
   * Reads the next lexeme into kind/start/end (no allocation except for words, which keeps big files
   * cheap); false at the end of the text.
   */
  next(): boolean {
    const t = this.text;
    const n = t.length;
    const start = this.pos;
    if (start >= n) return false;
    this.start = start;
    this.word = undefined;
    const c = t.charCodeAt(start);
    if (isSpace(c)) {
      let i = start + 1;
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      return this.emit('space', i);
    }
    if (c === HASH) {
      let i = t.indexOf('\n', start);
      if (i === -1) i = n;
      // The '\r' of a CRLF line ending belongs to the line break, not the comment.
      if (i > start + 1 && t.charCodeAt(i - 1) === CR) i--;
      return this.emit('comment', i);
    }
    if (c === SEMI) return this.emit(';', start + 1);
    if (c === RBRACE) return this.emit('}', start + 1);
    if (c === LBRACE && this.placeholderEnd(start) === -1) return this.emit('{', start + 1);
    if (c === DQUOTE || c === SQUOTE) this.quoted(start, c);
    else this.word_(start);
    return true;
  }

  private emit(kind: LexemeKind, end: number): true {
    this.kind = kind;
    this.end = end;
    this.pos = end;
    return true;
  }

  private quoted(start: number, quote: number): void {
    const t = this.text;
    const n = t.length;
    let i = start + 1;
    let templated = false;
    while (i < n) {
      const ch = t.charCodeAt(i);
      if (ch === BACKSLASH) {
        i += 2;
        continue;
      }
      if (ch === quote) break;
      if ((ch === DOLLAR && t.charCodeAt(i + 1) === LBRACE) || (ch === LBRACE && (t.charCodeAt(i + 1) === LBRACE || t.charCodeAt(i + 1) === PERCENT))) templated = true;
      i++;
    }
    let end: number;
    if (i >= n) {
      end = n;
      const q = quote === DQUOTE ? '"' : "'";
      this.problem(
        { start, end: Math.min(n, start + 1) },
        `This ${q} string is never closed, so NGINX reads the rest of the file as part of it and refuses the configuration. Add the closing ${q}.`,
      );
    } else {
      end = i + 1;
      const after = end < n ? t.charCodeAt(end) : -1;
      // NGINX wants white space, ';', '{' or ')' right after a closing quote ("unexpected …" otherwise).
      if (after !== -1 && !isSpace(after) && after !== SEMI && after !== LBRACE && after !== RPAREN) {
        this.problem(
          { start: end, end: end + 1 },
          `NGINX expects a space, ';' or '{' right after a closing quote and rejects the configuration here ("unexpected ${t[end]}"). Insert a space or move the character inside the quotes.`,
        );
      }
    }
    const inner = t.slice(start + 1, i >= n ? n : i);
    if (i >= n) this.unterminated = true;
    this.word = { start, end, value: unescapeNginx(inner), quoted: true, templated };
    this.emit('word', end);
  }

  private word_(start: number): void {
    const t = this.text;
    const n = t.length;
    let i = start;
    let templated = false;
    while (i < n) {
      const ch = t.charCodeAt(i);
      if (ch === BACKSLASH) {
        i = Math.min(n, i + 2);
        continue;
      }
      if (isSpace(ch) || ch === SEMI) break;
      if (ch === LBRACE) {
        const close = this.placeholderEnd(i);
        if (close !== -1) {
          templated = true;
          i = close;
          continue;
        }
        // `${var}` stays one token in NGINX: a brace right after '$' does not open a block.
        if (i > start && t.charCodeAt(i - 1) === DOLLAR) {
          templated = true;
          i++;
          continue;
        }
        break;
      }
      i++;
    }
    this.word = { start, end: i, value: unescapeNginx(t.slice(start, i)), quoted: false, templated };
    this.emit('word', i);
  }

  /**
   * Reads a Lua body from just after its `{` up to (not including) the matching `}`: braces count
   * only outside Lua strings, long brackets (`[[…]]`, `[==[…]==]`) and comments (`--…`, `--[[…]]`).
   */
  lua(): { lexeme: Lexeme; closed: boolean } {
    const start = this.pos;
    const end = luaBodyEnd(this.text, start);
    this.pos = end;
    return { lexeme: { kind: 'lua', start, end }, closed: end < this.text.length };
  }
}

/**
 * The end of a Lua body that starts at `start` (just after its `{`): the offset of the matching `}`, or
 * the text's end. Braces count only outside Lua strings, long brackets (`[[…]]`, `[==[…]==]`) and
 * comments (`--…`, `--[[…]]`).
 */
function luaBodyEnd(t: string, start: number): number {
  const n = t.length;
  let depth = 1;
  let i = start;
  while (i < n) {
    const ch = t.charCodeAt(i);
    if (ch === LBRACE) {
      depth++;
      i++;
    } else if (ch === RBRACE) {
      depth--;
      if (depth === 0) break;
      i++;
    } else if (ch === DQUOTE || ch === SQUOTE) {
      i++;
      while (i < n) {
        const s = t.charCodeAt(i);
        if (s === BACKSLASH) i += 2;
        else if (s === ch) {
          i++;
          break;
        } else if (s === LF) break; // an unfinished Lua string ends at the line, as Lua reports it
        else i++;
      }
    } else if (ch === 45 /* - */ && t.charCodeAt(i + 1) === 45) {
      const long = longBracketLevel(t, i + 2);
      if (long >= 0) i = closeLongBracket(t, i + 2, long);
      else {
        const nl = t.indexOf('\n', i);
        i = nl === -1 ? n : nl;
      }
    } else if (ch === 91 /* [ */) {
      const long = longBracketLevel(t, i);
      i = long >= 0 ? closeLongBracket(t, i, long) : i + 1;
    } else i++;
  }
  return Math.min(i, n);
}

/**
 * How deeply an NGINX configuration nests its blocks, in one linear pass before the parser: braces
 * outside quotes and comments, with a `*_by_lua_block` body (Lua code, whose braces are not NGINX's)
 * counted as one level, exactly as the parser reads it.
 */
export function nginxNesting(text: string): number {
  return braceNesting(text, (statement, open) => {
    const header = /^\s*(\S+)/.exec(text.slice(statement, open));
    return header && isLuaBlockName(header[1]) ? luaBodyEnd(text, open + 1) : undefined;
  });
}

/** `[[` → 0, `[==[` → 2, anything else → -1. */
function longBracketLevel(t: string, at: number): number {
  if (t.charCodeAt(at) !== 91) return -1;
  let i = at + 1;
  while (t.charCodeAt(i) === 61 /* = */) i++;
  return t.charCodeAt(i) === 91 ? i - at - 1 : -1;
}

/** Offset just past the long bracket opened at `at` with `level` '=' signs (or the text's end). */
function closeLongBracket(t: string, at: number, level: number): number {
  const closer = ']' + '='.repeat(level) + ']';
  const found = t.indexOf(closer, at + level + 2);
  return found === -1 ? t.length : found + closer.length;
}

function isLuaBlockName(name: string): boolean {
  return name.endsWith('_by_lua_block');
}

/** A token made only of `{{…}}` / `{%…%}` placeholders: a template tag, not a directive. */
function isTemplateTag(text: string, w: Word): boolean {
  if (!w.templated || w.quoted) return false;
  let i = w.start;
  while (i < w.end) {
    if (text.charCodeAt(i) !== LBRACE) return false;
    const second = text.charCodeAt(i + 1);
    const closer = second === LBRACE ? '}}' : second === PERCENT ? '%}' : undefined;
    if (!closer) return false;
    const close = text.indexOf(closer, i + 2);
    if (close === -1 || close + 2 > w.end) return false;
    i = close + 2;
  }
  return true;
}

interface Frame {
  directive?: Directive;
  children: Directive[];
}

export function parseNginx(text: string, options: { lexemes?: boolean } = {}): ParsedConfig {
  const problems: SyntaxProblem[] = [];
  let dropped = 0;
  const problem = (span: Span, message: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ span, message });
    else dropped++;
  };
  const lexer = new Lexer(typeof text === 'string' ? text : String(text ?? ''), problem);
  const t = lexer.text;
  const lexemes: Lexeme[] | undefined = options.lexemes ? [] : undefined;
  const comments: Comment[] = [];
  const templates: Span[] = [];
  const root: Directive[] = [];
  const stack: Frame[] = [{ children: root }];
  let pending: Word[] = [];

  let frame = stack[0];
  const makeDirective = (words: Word[], end: number): Directive => {
    const d: Directive = { name: words[0], args: words.length > 1 ? words.slice(1) : [], start: words[0].start, end, parent: frame.directive };
    frame.children.push(d);
    return d;
  };
  const flushUnterminated = (atEnd: boolean): void => {
    if (pending.length === 0) return;
    const last = pending[pending.length - 1];
    const name = pending[0].value || t.slice(pending[0].start, pending[0].end);
    // A string that runs to the end of the file has been reported; the missing ';' is its consequence.
    if (!(atEnd && lexer.unterminated)) {
      problem(
        { start: last.start, end: last.end },
        `Missing ';' after the "${clip(name)}" directive: NGINX rejects the configuration, so a reload keeps the old one and a fresh start fails.`,
      );
    }
    makeDirective(pending, last.end);
    pending = [];
  };

  while (lexer.next()) {
    const kind = lexer.kind;
    const start = lexer.start;
    const end = lexer.end;
    if (lexemes) lexemes.push({ kind, start, end });
    if (kind === 'space') continue;
    if (kind === 'word') {
      const word = lexer.word!;
      if (pending.length === 0 && word.templated && isTemplateTag(t, word)) templates.push({ start, end });
      else pending.push(word);
    } else if (kind === 'comment') {
      comments.push({ start, end, text: t.slice(start + 1, end) });
    } else if (kind === ';') {
      if (pending.length === 0) {
        problem({ start, end }, `Stray ';' with no directive before it: NGINX rejects the configuration ("unexpected ;"). Remove it.`);
      } else {
        const d = makeDirective(pending, end);
        d.semicolon = start;
        pending = [];
      }
    } else if (kind === '{') {
      let d: Directive;
      if (pending.length === 0) {
        problem({ start, end }, `A block needs a name before '{' (for example "server {"): NGINX rejects the configuration ("unexpected {").`);
        d = makeDirective([{ start, end: start, value: '', quoted: false, templated: false }], end);
      } else d = makeDirective(pending, end);
      pending = [];
      d.block = { open: start, children: [] };
      if (isLuaBlockName(d.name.value)) {
        const body = lexer.lua();
        if (lexemes) lexemes.push(body.lexeme);
        d.block.lua = { start: body.lexeme.start, end: body.lexeme.end };
        if (body.closed) {
          lexer.next();
          if (lexemes) lexemes.push({ kind: lexer.kind, start: lexer.start, end: lexer.end });
          d.block.close = lexer.start;
          d.end = lexer.end;
        } else {
          d.end = t.length;
          problem(
            { start: d.start, end: d.name.end },
            `The Lua code of "${clip(d.name.value)}" never reaches its closing '}' (check the braces, strings and comments in it): NGINX rejects the configuration.`,
          );
        }
        continue;
      }
      frame = { directive: d, children: d.block.children };
      stack.push(frame);
    } else {
      flushUnterminated(false);
      if (stack.length === 1) {
        problem({ start, end }, `This '}' closes no block: NGINX rejects the configuration ("unexpected }"). Remove it or add the block it was meant to close.`);
        continue;
      }
      const closed = stack.pop()!;
      closed.directive!.block!.close = start;
      closed.directive!.end = end;
      frame = stack[stack.length - 1];
    }
  }
  flushUnterminated(true);
  if (stack.length > 1) {
    const innermost = stack[stack.length - 1].directive!;
    const open = stack.length - 1;
    if (!lexer.unterminated) {
      problem(
        { start: innermost.start, end: innermost.name.end },
        `The "${clip(innermost.name.value || '{')}" block is never closed${open > 1 ? ` (${open} blocks are still open at the end of the file)` : ''}: NGINX rejects the configuration. Add the missing '}'.`,
      );
    }
    for (let i = stack.length - 1; i > 0; i--) stack[i].directive!.end = t.length;
  }
  if (dropped > 0) {
    const last = problems[problems.length - 1];
    problems[problems.length - 1] = { span: last.span, message: `${last.message} (${dropped} more syntax errors after this one are not shown.)` };
  }
  return { text: t, directives: root, comments, templates, problems, lexemes };
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}

/** Visits every directive depth-first, in file order, without recursion (blocks nest arbitrarily deep). */
export function walkDirectives(directives: Directive[], visit: (d: Directive) => void): void {
  const stack: { list: Directive[]; i: number }[] = [{ list: directives, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const d = top.list[top.i++];
    visit(d);
    if (d.block && d.block.children.length) stack.push({ list: d.block.children, i: 0 });
  }
}
