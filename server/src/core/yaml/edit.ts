// Minimal text edits on YAML source. Every function returns the few TextChanges that make one
// structural change (set a scalar, add a key, append an item, create a nested path) in the file's own
// indentation, line endings and style (block or flow), touching no other line and no comment.
// A function returns undefined when it cannot do that safely; callers then offer no fix.

import { isMap, isPair, isScalar, isSeq, Node, YAMLMap, YAMLSeq } from 'yaml';
import { eolOf, lineStartOf, nextLineStart } from '../text';
import { TextChange } from '../types';
import { YamlView } from './nav';

/**
 * What an edit inserts: a scalar's *source text* (callers quote with scalarSource where needed, so
 * `2` stays a number), a map (ordered keys) or a sequence.
 */
export type Snippet = string | { [key: string]: Snippet } | Snippet[];

export function replaceNode(node: Node, newText: string): TextChange {
  const [start, end] = node.range ?? [0, 0];
  return { start, end, newText };
}

/** Source text for a new scalar, quoted only when plain YAML would misread it. */
export function scalarSource(value: string, styleLike?: Node): string {
  if (isScalar(styleLike) && styleLike.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (isScalar(styleLike) && styleLike.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return needsQuotes(value) ? JSON.stringify(value) : value;
}

function needsQuotes(value: string): boolean {
  if (value === '') return true;
  if (/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(value)) return true;
  if (/^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.inf|\.nan|0x[0-9a-fA-F]+|0o[0-7]+)$/.test(value)) return true;
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) || /\s$/.test(value)) return true;
  // A line break or another control character (a CR inside a quoted path, say) only survives quoted.
  if (/[\u0000-\u001f]/.test(value)) return true;
  return /: |\s#|[\t]|:$/.test(value) || /^\d+:\d+$/.test(value);
}

export class YamlEditor {
  private readonly eol: string;

  constructor(private readonly view: YamlView) {
    this.eol = eolOf(view.text);
  }

  private get text(): string {
    return this.view.text;
  }

  /** Column of the node's first character. */
  column(node: Node): number {
    const start = node.range?.[0] ?? 0;
    return start - lineStartOf(this.text, start);
  }

  /**
   * The column of a block map's entries, from its first key: the key's own column, except after an
   * anchor or a tag on the same line (`&a  replicas: 2`), where the map starts at the anchor. Undefined
   * when the key follows a `?` on its line (an explicit key, as in `? replicas: 3`): a plain entry
   * written at that column would not belong to the same map.
   */
  private entryColumn(firstKey: Node): number | undefined {
    const start = firstKey.range?.[0] ?? 0;
    const lineStart = lineStartOf(this.text, start);
    const before = this.text.slice(lineStart, start);
    if (/(^|[ \t])\?[ \t]/.test(before)) return undefined;
    const props = /^( *)[&!]/.exec(before);
    return props ? props[1].length : start - lineStart;
  }

  /**
   * The file's indentation style, read once from the first nested collections: how far a nested map's
   * keys sit right of their parent key (`step`), and how far a block sequence's dashes do (`seqOffset`,
   * 0 for the "dashes under the key" style, usually equal to step otherwise).
   */
  get layout(): { step: number; seqOffset: number } {
    if (this.cachedLayout) return this.cachedLayout;
    let step: number | undefined;
    let seqOffset: number | undefined;
    const visit = (node: unknown, depth: number): void => {
      if (depth > 6 || (step !== undefined && seqOffset !== undefined) || !isMap(node) || node.flow) return;
      for (const pair of node.items.slice(0, 50)) {
        const key = pair.key as Node | null;
        const value = pair.value as unknown;
        if (!key?.range) continue;
        if (isMap(value) && !value.flow && value.items.length && step === undefined) {
          const child = value.items[0].key as Node | null;
          const d = child?.range ? this.column(child) - this.column(key) : 0;
          if (d > 0 && d <= 8) step = d;
        }
        if (isSeq(value) && !value.flow && value.items.length && seqOffset === undefined) {
          const first = value.items[0] as Node | null;
          const dash = first?.range ? this.dashColumn(first) : undefined;
          if (dash !== undefined && dash >= this.column(key)) seqOffset = dash - this.column(key);
        }
        visit(value, depth + 1);
      }
    };
    visit(this.view.doc.contents, 0);
    this.cachedLayout = { step: step ?? 2, seqOffset: seqOffset ?? step ?? 2 };
    return this.cachedLayout;
  }

  private cachedLayout?: { step: number; seqOffset: number };

  /** Column of the dash introducing a block sequence item, if the item starts its line after a dash. */
  private dashColumn(item: Node): number | undefined {
    const lineStart = lineStartOf(this.text, item.range![0]);
    const before = this.text.slice(lineStart, item.range![0]);
    const m = /^([ \t]*)-[ \t]+$/.exec(before) ?? /^([ \t]*)-[ \t]+(?:-[ \t]+)*$/.exec(before);
    return m ? m[1].length : undefined;
  }

  /** Adds `key: value` as the last entry of a map. */
  addEntry(map: YAMLMap, key: string, value: Snippet): TextChange | undefined {
    if (!map.range) return undefined;
    if (map.flow) {
      const close = map.range[1] - 1;
      if (this.text[close] !== '}') return undefined;
      const sep = map.items.length > 0 ? ', ' : '';
      return { start: close, end: close, newText: `${sep}${key}: ${this.flow(value)}` };
    }
    const first = map.items[0]?.key as Node | undefined;
    if (!first?.range) return undefined;
    const column = this.entryColumn(first);
    if (column === undefined) return undefined;
    const indent = ' '.repeat(column);
    return this.insertLinesAfter(map, this.blockEntry(key, value, indent));
  }

  /** Appends an item to a sequence. */
  addItem(seq: YAMLSeq, item: Snippet): TextChange | undefined {
    if (!seq.range) return undefined;
    if (seq.flow) {
      const close = seq.range[1] - 1;
      if (this.text[close] !== ']') return undefined;
      const sep = seq.items.length > 0 ? ', ' : '';
      return { start: close, end: close, newText: sep + this.flow(item) };
    }
    const first = seq.items[0] as Node | undefined;
    if (!first?.range) return undefined;
    const dash = this.dashColumn(first);
    if (dash === undefined) return undefined;
    return this.insertLinesAfter(seq, this.blockItem(item, ' '.repeat(dash)));
  }

  /** Inserts an item right after an existing one (block: on the next line, same dash column; flow: after its comma). */
  insertItemAfter(seq: YAMLSeq, after: Node, item: Snippet): TextChange | undefined {
    if (!seq.range || !after.range) return undefined;
    if (seq.flow) {
      const at = after.range[1];
      return { start: at, end: at, newText: `, ${this.flow(item)}` };
    }
    const dash = this.dashColumn(after);
    if (dash === undefined) return undefined;
    const indent = ' '.repeat(dash);
    const index = seq.items.indexOf(after as never);
    const next = seq.items[index + 1] as Node | undefined;
    if (!next?.range) return this.insertLinesAfter(seq, this.blockItem(item, indent));
    const at = lineStartOf(this.text, next.range[0]);
    // The next item's line must start with its dash; anything else (a comment between) stays untouched after us.
    return { start: at, end: at, newText: this.blockItem(item, indent).join(this.eol) + this.eol };
  }

  /**
   * Removes a block sequence item with its whole lines. A comment on those lines would go with it: then
   * the removal is refused, or, when the caller moves the entry elsewhere (`carry`), the one comment is
   * handed back in `comments` for the caller to put on the entry's new line (see `withComments`).
   */
  removeItem(seq: YAMLSeq, item: Node, carry = false): Removal | undefined {
    if (seq.flow || !item.range) return undefined;
    const start = lineStartOf(this.text, item.range[0]);
    if (this.text.slice(start, item.range[0]).trim() !== '-') return undefined;
    const end = nextLineStart(this.text, Math.max(item.range[0], item.range[1] - 1));
    return this.removal(start, end, carry);
  }

  /** Removes a whole `key: value` pair of a block map (its lines); comments as for `removeItem`. */
  removeEntry(map: YAMLMap, key: Node, carry = false): Removal | undefined {
    if (map.flow || !key.range) return undefined;
    const pair = map.items.find((p) => p.key === key);
    const value = pair?.value as Node | null | undefined;
    const start = lineStartOf(this.text, key.range[0]);
    if (this.text.slice(start, key.range[0]).trim() !== '') return undefined;
    const last = value?.range ? Math.max(value.range[0], value.range[1] - 1) : key.range[1];
    const end = nextLineStart(this.text, last);
    return this.removal(start, end, carry);
  }

  private removal(start: number, end: number, carry: boolean): Removal | undefined {
    const comments = this.text
      .slice(start, end)
      .split(/\r?\n/)
      .map(commentOf)
      .filter((c): c is string => c !== undefined);
    // Several comments would have to share one new line, or be placed by guesswork: no fix then.
    if (comments.length > (carry ? 1 : 0)) return undefined;
    return { start, end, newText: '', comments };
  }

  /**
   * Makes sure `path` exists under `map` and ends in `leaf`: the missing part of the path is created
   * (`deploy:` / `placement:` / `constraints:`), and when the last key exists and holds a sequence,
   * the leaf's items are appended to it. Returns undefined when an existing value has the wrong shape.
   */
  ensurePath(map: YAMLMap, path: string[], leaf: Snippet): TextChange | undefined {
    let current = map;
    for (let i = 0; i < path.length; i++) {
      const entry = this.view.get(current, path[i]);
      // An inherited (merged) value lives in another map, and a `<<` merge is shallow: writing the key
      // here would silently drop everything else it inherits. No fix rather than a wrong one.
      if (entry?.inherited) return undefined;
      if (!entry) return this.addEntry(current, path[i], nest(path.slice(i + 1), leaf));
      const value = entry.value;
      const last = i === path.length - 1;
      if (isScalar(value) && value.value === null && value.source === undefined) {
        return this.fillEmptyValue(entry.pair.key as Node, nest(path.slice(i + 1), leaf));
      }
      if (value === undefined) return this.fillEmptyValue(entry.pair.key as Node, nest(path.slice(i + 1), leaf));
      if (last) {
        if (isSeq(value) && Array.isArray(leaf)) {
          if (leaf.length !== 1) return undefined;
          return this.addItem(value, leaf[0]);
        }
        if (isMap(value) && !Array.isArray(leaf) && typeof leaf === 'object') {
          const [k, v] = Object.entries(leaf)[0] ?? [];
          return k === undefined ? undefined : this.addEntry(value, k, v);
        }
        return undefined;
      }
      if (!isMap(value)) return undefined;
      if (value.items.length === 0) {
        if (!value.flow || !value.range) return undefined;
        return { start: value.range[0], end: value.range[1], newText: this.flow(nest(path.slice(i + 1), leaf)) };
      }
      current = value;
    }
    return undefined;
  }

  /** `key:` with nothing after it gets a nested block on the following lines. */
  private fillEmptyValue(key: Node, value: Snippet): TextChange | undefined {
    if (!key.range) return undefined;
    const { step, seqOffset } = this.layout;
    const indent = ' '.repeat(this.column(key) + (Array.isArray(value) ? seqOffset : step));
    const lineEnd = nextLineStart(this.text, key.range[1]);
    const at = this.text[lineEnd - 1] === '\n' ? lineEnd - (this.text[lineEnd - 2] === '\r' ? 2 : 1) : lineEnd;
    if (typeof value === 'string') return { start: key.range[1], end: at, newText: `: ${value}` };
    return { start: at, end: at, newText: this.eol + this.blockValue(value, indent).join(this.eol) };
  }

  private insertLinesAfter(node: YAMLMap | YAMLSeq, lines: string[]): TextChange | undefined {
    // Not node.range's end: a block collection's range runs over the blank lines and comments after its
    // last entry, up to the next key (of the next service, say), so new lines would land there.
    const end = contentEnd(node);
    const body = lines.join(this.eol);
    // New lines start at the line after the collection's last content.
    const at = end > 0 && this.text[end - 1] === '\n' ? end : nextLineStart(this.text, end);
    // The file has no final line break: after a content line, start a new line; after a last line of
    // only blanks, go after it too, or its blanks would become the indentation of the line that follows
    // the insertion (a tab there is a syntax error).
    const tail = this.text.slice(at);
    if (at === this.text.length && this.text[at - 1] !== '\n') return { start: at, end: at, newText: this.eol + body };
    if (tail !== '' && /^[ \t]+$/.test(tail)) return { start: this.text.length, end: this.text.length, newText: this.eol + body };
    return { start: at, end: at, newText: body + this.eol };
  }

  private blockEntry(key: string, value: Snippet, indent: string): string[] {
    if (value === '') return [`${indent}${key}:`];
    if (typeof value === 'string') return [`${indent}${key}: ${value}`];
    const { step, seqOffset } = this.layout;
    const childIndent = indent + ' '.repeat(Array.isArray(value) ? seqOffset : step);
    return [`${indent}${key}:`, ...this.blockValue(value, childIndent)];
  }

  private blockValue(value: Snippet, indent: string): string[] {
    if (typeof value === 'string') return [indent + value];
    if (Array.isArray(value)) return value.flatMap((v) => this.blockItem(v, indent));
    return Object.entries(value).flatMap(([k, v]) => this.blockEntry(k, v, indent));
  }

  private blockItem(item: Snippet, indent: string): string[] {
    if (typeof item === 'string') return [`${indent}- ${item}`];
    const lines = this.blockValue(item, indent + '  ');
    if (lines.length === 0) return [`${indent}- {}`];
    lines[0] = `${indent}- ${lines[0].slice(indent.length + 2)}`;
    return lines;
  }

  /** Flow-style source of a snippet, for edits inside `{…}` / `[…]`. */
  flow(value: Snippet): string {
    if (value === '') return '{}';
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return `[${value.map((v) => this.flow(v)).join(', ')}]`;
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${this.flow(v)}`)
      .join(', ')}}`;
  }
}

function nest(path: string[], leaf: Snippet): Snippet {
  let out = leaf;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i]]: out };
  return out;
}

/** A removal, with the comment that was on the removed lines when the caller carries it along. */
export interface Removal extends TextChange {
  comments: string[];
}

/** The comment of one line: from a `#` at the line start or after white space, outside quotes. */
export function commentOf(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(i).trimEnd();
  }
  return undefined;
}

/**
 * Puts carried comments at the end of the new entry's line in an inserted block: the first line that
 * starts a sequence item (`- source: …`), else the last inserted line. Undefined when the insertion is
 * not whole lines (a flow collection), where a comment would swallow what follows it.
 */
export function withComments(change: TextChange, comments: string[]): TextChange | undefined {
  if (comments.length === 0) return change;
  const eol = change.newText.includes('\r\n') ? '\r\n' : '\n';
  if (!change.newText.endsWith(eol) && !change.newText.startsWith(eol)) return undefined;
  const lines = change.newText.split(eol);
  let at = lines.findIndex((l) => /^[ \t]*- /.test(l));
  for (let i = lines.length - 1; at === -1 && i >= 0; i--) if (lines[i].trim() !== '') at = i;
  if (at === -1 || commentOf(lines[at]) !== undefined) return undefined;
  lines[at] = `${lines[at]}  ${comments.join(' ')}`;
  return { ...change, newText: lines.join(eol) };
}

/**
 * The collection's last item in the text. An environment's merged map (env/merge.ts) lists the
 * overlay's entries before those it inherits from the base, which lie in another file's range: only
 * items inside the collection's own range count, the one that starts last.
 */
function lastItemWithin(collection: YAMLMap | YAMLSeq): unknown {
  const items = collection.items as unknown[];
  const range = collection.range;
  const last = items[items.length - 1];
  if (!range) return last;
  let found: unknown;
  let foundAt = -1;
  for (const item of items) {
    const node = (isPair(item) ? item.key : item) as Node | null;
    const at = node?.range?.[0];
    if (at !== undefined && at >= range[0] && at <= range[2] && at > foundAt) {
      found = item;
      foundAt = at;
    }
  }
  return found ?? last;
}

/**
 * Where a node's own content ends: the end of its last scalar, alias or flow collection, descending
 * through the last entries of block collections (whose ranges include trailing comments and blank lines).
 */
export function contentEnd(node: unknown): number {
  let current: unknown = node;
  for (;;) {
    if ((isMap(current) || isSeq(current)) && !current.flow && current.items.length > 0) {
      const last = lastItemWithin(current);
      if (isPair(last)) {
        const value = last.value as Node | null;
        if (value && (value.range || isMap(value) || isSeq(value))) current = value;
        else return (last.key as Node | null)?.range?.[1] ?? (current as Node).range?.[1] ?? 0;
      } else current = last;
      continue;
    }
    const range = (current as Node | null)?.range;
    return range ? range[1] : 0;
  }
}
