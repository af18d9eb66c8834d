// The `.env` file Compose reads beside the first compose file: `KEY=value` lines, `export KEY=value`,
// `KEY: value`, `# comments`, unquoted values (trailing ` # comment` cut, variables expanded),
// single-quoted values (literal, may span lines) and double-quoted ones (escapes and variables
// expanded, may span lines). `KEY` alone takes its value from the deploy's environment: unknown here.

import { interpolate, Variables } from './interpolate';

export interface DotEnv {
  variables: Variables;
  problems: { line: number; message: string }[];
}

const KEY = /^[A-Za-z0-9_.\-[\]]+/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', $: '$$' };

export function parseDotEnv(text: string): DotEnv {
  const variables = new Map<string, string | undefined>();
  const problems: DotEnv['problems'] = [];
  const expandIn = (value: string): string | undefined => {
    const r = interpolate(value, variables);
    return r.known ? r.value : undefined;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const lineEnd = (from: number) => {
    const nl = text.indexOf('\n', from);
    return nl === -1 ? text.length : nl;
  };
  while (i < text.length) {
    const end = lineEnd(i);
    const line = text.slice(i, end).replace(/\r$/, '');
    const trimmed = line.trimStart();
    const lineStart = i;
    i = end + 1;
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const statement = trimmed.replace(/^export[ \t]+/, '');
    const key = KEY.exec(statement)?.[0];
    const afterKey = key === undefined ? '' : statement.slice(key.length).trimStart();
    if (key === undefined || (afterKey !== '' && afterKey[0] !== '=' && afterKey[0] !== ':')) {
      problems.push({ line: lineAt(lineStart), message: `not a KEY=value line: ${line.trim()}` });
      continue;
    }
    if (afterKey === '') {
      variables.set(key, undefined);
      continue;
    }
    const raw = afterKey.slice(1).replace(/^[ \t]+/, '');
    const quote = raw[0];
    if (quote !== '"' && quote !== "'") {
      const cut = raw.search(/[ \t]#/);
      variables.set(key, expandIn((cut === -1 ? raw : raw.slice(0, cut)).trimEnd()));
      continue;
    }
    // A quoted value runs to its closing quote, on this line or a later one.
    // `raw` is the end of `line` (only its start was trimmed), so its offset follows from the lengths.
    const valueStart = lineStart + line.length - raw.length;
    const closed = closingQuote(text, valueStart, quote);
    if (closed === -1) {
      problems.push({ line: lineAt(lineStart), message: `unterminated quoted value for ${key}` });
      continue;
    }
    const body = text.slice(valueStart + 1, closed);
    variables.set(key, quote === "'" ? body.replace(/\\'/g, "'") : expandIn(body.replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m)));
    i = lineEnd(closed) + 1;
  }
  return { variables, problems };
}

function closingQuote(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
