// TextMate/VS Code snippet bodies expanded the way VS Code inserts them when the user accepts every
// default: `${1:default}` → default (placeholders may nest), `${1|a,b|}` → the first choice, `$1` /
// `${1}` → the value the same tabstop has elsewhere (a mirror) or nothing, `$0` → nothing,
// `${VAR:default}` → default, and `\$`, `\}`, `\\` (plus `\,` `\|` in choices) → the literal character.
// Shared by test/core/snippets.test.ts (the expanded text must pass every check) and the VS Code
// suite (the editor must insert exactly this text).

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SnippetDefinition {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

/** A snippets/<name>.json file: snippet title → definition. */
export type SnippetFile = Record<string, SnippetDefinition>;

type Node = { text: string } | { tabstop: number; children?: Node[]; choices?: string[] } | { variable: string; children?: Node[] };

export function snippetBody(definition: SnippetDefinition): string {
  return Array.isArray(definition.body) ? definition.body.join('\n') : definition.body;
}

export function snippetPrefixes(definition: SnippetDefinition): string[] {
  return Array.isArray(definition.prefix) ? definition.prefix : [definition.prefix];
}

/** The text VS Code inserts for `body` when every placeholder keeps its default. */
export function expandSnippet(body: string, variables: Record<string, string> = {}): string {
  const nodes = new Parser(body).parse();
  // A tabstop's value is what its first placeholder (or choice) says; bare `$n` elsewhere mirror it.
  const values = new Map<number, string>();
  const collect = (list: Node[]): void => {
    for (const node of list) {
      if ('tabstop' in node && !values.has(node.tabstop)) {
        if (node.choices) values.set(node.tabstop, node.choices[0] ?? '');
        else if (node.children) values.set(node.tabstop, render(node.children));
      }
      if ('children' in node && node.children) collect(node.children);
    }
  };
  const render = (list: Node[]): string =>
    list
      .map((node) => {
        if ('text' in node) return node.text;
        if ('variable' in node) return variables[node.variable] ?? (node.children ? render(node.children) : '');
        if (node.tabstop === 0) return node.children ? render(node.children) : '';
        if (node.choices) return node.choices[0] ?? '';
        if (node.children) return render(node.children);
        return values.get(node.tabstop) ?? '';
      })
      .join('');
  collect(nodes);
  return render(nodes);
}

/** Indents with `indent` instead of tabs, as VS Code does for an editor that inserts spaces. */
export function withSpaces(text: string, indent = '    '): string {
  return text.replace(/^\t+/gm, (tabs) => indent.repeat(tabs.length));
}

/** Every snippets/*.json file of the repository, by file name. */
export function loadSnippetFiles(repo: string): Map<string, SnippetFile> {
  const dir = path.join(repo, 'snippets');
  const files = new Map<string, SnippetFile>();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    files.set(name, JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as SnippetFile);
  }
  return files;
}

class Parser {
  private pos = 0;

  constructor(private readonly source: string) {}

  parse(): Node[] {
    const nodes = this.sequence(false);
    if (this.pos < this.source.length) throw this.error('unexpected "}"');
    return nodes;
  }

  /** Text and placeholders up to the end, or (nested) up to the `}` that closes the placeholder. */
  private sequence(nested: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ text });
      text = '';
    };
    while (this.pos < this.source.length) {
      const c = this.source[this.pos];
      if (c === '\\' && /[$}\\]/.test(this.source[this.pos + 1] ?? '')) {
        text += this.source[this.pos + 1];
        this.pos += 2;
      } else if (c === '}' && nested) {
        break;
      } else if (c === '$') {
        const node = this.dollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += '$';
          this.pos++;
        }
      } else {
        text += c;
        this.pos++;
      }
    }
    flush();
    return nodes;
  }

  /** `$1`, `${1}`, `${1:…}`, `${1|a,b|}`, `$VAR`, `${VAR}`, `${VAR:…}`; undefined when `$` is literal. */
  private dollar(): Node | undefined {
    const rest = this.source.slice(this.pos + 1);
    let m = /^(\d+)/.exec(rest);
    if (m) {
      this.pos += 1 + m[1].length;
      return { tabstop: Number(m[1]) };
    }
    m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (m) {
      this.pos += 1 + m[1].length;
      return { variable: m[1] };
    }
    m = /^\{(\d+|[A-Za-z_][A-Za-z0-9_]*)([:|}/])/.exec(rest);
    if (!m) return undefined;
    const name = m[1];
    const isTabstop = /^\d/.test(name);
    this.pos += 1 + m[0].length;
    const node: Node = isTabstop ? { tabstop: Number(name) } : { variable: name };
    if (m[2] === '}') return node;
    if (m[2] === '/') throw this.error('transformations are not supported');
    if (m[2] === '|') {
      if (!isTabstop) throw this.error('a choice needs a tabstop number');
      (node as { choices?: string[] }).choices = this.choices();
      return node;
    }
    (node as { children?: Node[] }).children = this.sequence(true);
    if (this.source[this.pos] !== '}') throw this.error(`unclosed placeholder \${${name}:`);
    this.pos++;
    return node;
  }

  private choices(): string[] {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.source.length) {
      const c = this.source[this.pos];
      if (c === '\\' && /[,|\\$}]/.test(this.source[this.pos + 1] ?? '')) {
        current += this.source[this.pos + 1];
        this.pos += 2;
      } else if (c === ',') {
        options.push(current);
        current = '';
        this.pos++;
      } else if (c === '|' && this.source[this.pos + 1] === '}') {
        options.push(current);
        this.pos += 2;
        return options;
      } else {
        current += c;
        this.pos++;
      }
    }
    throw this.error('unclosed choice');
  }

  private error(message: string): Error {
    return new Error(`snippet syntax: ${message} at offset ${this.pos}: ${JSON.stringify(this.source.slice(Math.max(0, this.pos - 20), this.pos + 20))}`);
  }
}
