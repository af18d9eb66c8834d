// Seeded mutations of config text: the damage editors, copy-paste, encodings and hostile authors do.
// Each mutation is a pure function of the text and the random source, so (seed, index) reproduces a
// mutant exactly.

import { Rng } from '../bench/gen/random';

export interface Limits {
  /** Longest line a mutation inserts (characters). */
  longLine: number;
  /** Deepest nesting a mutation builds (the core reads 200 levels; beyond must be refused, not parsed). */
  deepest: number;
}

export interface Mutation {
  name: string;
  /** How often it is picked, relative to the others. */
  weight: number;
  apply(text: string, r: Rng, limits: Limits): string;
}

const SPECIALS = ': -[]{}&*!|>\'"#%@`,?;\\\n\t=$~.0123456789abcxyz';
const UNICODE = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u0000', '\uFEFF', 'é', '\u{1F600}', '\u2028', '\u2029', '\u0085', '\u200B', '\uFFFD', '\uFFFF', 'İ', 'ß', '\u00A0', '\u3000', '\u0301'];
const HUGE_NUMBERS = ['9'.repeat(400), '1e309', '-1e309', '-0', '0x' + 'f'.repeat(40), '1_000_000', '.nan', '.inf', '-.Inf', '0o777', '0b101', '1.7976931348623157e309', '4294967297', '-9223372036854775809', '00000000000000000001', '1e-400', '5ki', '5Gi', '99999999999999999999m'];
const YAML_BITS = ['---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '!!binary ', '!!str ', '!!map ', '!!set ', '!custom ', '? ', '|-\n', '>+2\n', '"unterminated', "'unterminated", '{', '}', '[', ']', '#', ' # ', '- ', ': ', ',', '\t'];
const CONF_BITS = [';', '{', '}', '"', "'", '\\', '#', '$host', 'include *.conf;', 'server {', 'location / {', 'listen 443 ssl;', 'frontend x', 'backend y', 'bind :443 ssl', 'server s 1.2.3.4:80 check', 'defaults', 'global'];

const pos = (text: string, r: Rng) => r.int(0, text.length);
const at = (text: string, i: number, insert: string, remove = 0) => text.slice(0, i) + insert + text.slice(i + remove);

/** The text with its lines edited in place by `edit`, given a random line index to work from. */
function editLines(text: string, r: Rng, edit: (ls: string[], i: number) => void): string {
  const ls = text.split('\n');
  edit(ls, r.int(0, ls.length - 1));
  return ls.join('\n');
}

function lineStart(text: string, r: Rng): number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1 && starts.length < 100_000; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return r.pick(starts);
}

/** The indentation of the line around offset `i`. */
function indentAt(text: string, i: number): string {
  const start = text.lastIndexOf('\n', i - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, start + 200))![0];
}

/** A depth mostly near the core's limit (where off-by-one errors live), sometimes far beyond it. */
function depth(r: Rng, limits: Limits): number {
  return r.chance(0.8) ? r.int(1, Math.min(260, limits.deepest)) : r.int(200, limits.deepest);
}

export const MUTATIONS: Mutation[] = [
  { name: 'char', weight: 10, apply: (t, r) => at(t, pos(t, r), r.pick([...SPECIALS]), r.chance(0.5) ? 1 : 0) },
  {
    name: 'bit',
    weight: 6,
    apply: (t, r) => {
      if (!t.length) return t;
      const i = r.int(0, t.length - 1);
      return at(t, i, String.fromCharCode(t.charCodeAt(i) ^ (1 << r.int(0, 15))), 1);
    },
  },
  { name: 'truncate', weight: 4, apply: (t, r) => t.slice(0, pos(t, r)) },
  {
    name: 'delete-lines',
    weight: 5,
    apply: (t, r) => editLines(t, r, (ls, i) => ls.splice(i, r.int(1, 3))),
  },
  {
    name: 'duplicate-lines',
    weight: 5,
    apply: (t, r) =>
      editLines(t, r, (ls, i) => {
        const block = ls.slice(i, i + r.int(1, 4));
        const copies = r.chance(0.8) ? 1 : r.int(2, 50);
        ls.splice(i, 0, ...Array.from({ length: copies }, () => block).flat());
      }),
  },
  {
    name: 'swap-lines',
    weight: 2,
    apply: (t, r) =>
      editLines(t, r, (ls, i) => {
        const j = r.int(0, ls.length - 1);
        [ls[i], ls[j]] = [ls[j], ls[i]];
      }),
  },
  {
    name: 'reindent',
    weight: 6,
    apply: (t, r) =>
      editLines(t, r, (ls, i) => {
        const n = r.int(1, 6);
        const shift = r.int(-4, 4);
        for (let k = i; k < Math.min(ls.length, i + n); k++) {
          ls[k] = shift >= 0 ? ' '.repeat(shift) + ls[k] : ls[k].replace(new RegExp(`^ {0,${-shift}}`), '');
        }
      }),
  },
  {
    name: 'tabs',
    weight: 3,
    apply: (t, r) =>
      editLines(t, r, (ls, i) => {
        for (let k = i; k < Math.min(ls.length, i + r.int(1, 5)); k++) ls[k] = ls[k].replace(/^( {2}| )/, '\t');
      }),
  },
  { name: 'unicode', weight: 6, apply: (t, r) => at(t, pos(t, r), r.pick(UNICODE), r.chance(0.3) ? 1 : 0) },
  { name: 'nul', weight: 2, apply: (t, r) => at(t, pos(t, r), '\0'.repeat(r.chance(0.9) ? 1 : r.int(2, 100))) },
  { name: 'bom', weight: 2, apply: (t, r) => (r.chance(0.8) ? '\uFEFF' : '\uFEFF\uFEFF') + t },
  {
    name: 'line-endings',
    weight: 4,
    apply: (t, r) => {
      const style = r.pick(['crlf', 'cr', 'mixed', 'lf']);
      const plain = t.replace(/\r\n?/g, '\n');
      if (style === 'crlf') return plain.replace(/\n/g, '\r\n');
      if (style === 'cr') return plain.replace(/\n/g, '\r');
      if (style === 'lf') return plain;
      return plain.replace(/\n/g, () => r.pick(['\n', '\r\n', '\r', '\r\r\n', '\n\r']));
    },
  },
  {
    name: 'long-line',
    weight: 1,
    apply: (t, r, limits) => {
      const unit = r.pick(['a', 'x: ', '&a ', '*a ', '- ', '[', '{', ' ', '#', '"', '\\', 'é', '\uD800', 'k: v, ', ';']);
      const length = r.chance(0.7) ? r.int(1_000, 20_000) : r.int(20_000, limits.longLine);
      const line = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
      return r.chance(0.5) ? at(t, lineStart(t, r), `${line}\n`) : at(t, pos(t, r), line);
    },
  },
  {
    name: 'deep-nesting',
    weight: 3,
    apply: (t, r, limits) => {
      const d = depth(r, limits);
      const closed = r.chance(0.7);
      const shapes: (() => string)[] = [
        () => `k: ${'['.repeat(d)}${closed ? ']'.repeat(d) : ''}\n`,
        () => `k: ${'{a: '.repeat(d)}1${closed ? '}'.repeat(d) : ''}\n`,
        () => `k:\n${'- '.repeat(d)}x\n${closed ? 'z: 1\n' : ''}`,
        // Indentation grows with depth: the text is quadratic in it, so this shape stops at 2,000 levels.
        () => Array.from({ length: Math.min(d, 2_000) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n',
        () => `${'a {\n'.repeat(d)}${closed ? '}\n'.repeat(d) : ''}`,
        () => '{'.repeat(d),
        () => `${'location / {'.repeat(d)}${'}'.repeat(closed ? d : 0)}\n`,
      ];
      return at(t, lineStart(t, r), r.pick(shapes)());
    },
  },
  {
    name: 'huge-number',
    weight: 3,
    apply: (t, r) => {
      const digits = [...t.matchAll(/\d+(\.\d+)?/g)].slice(0, 2000);
      const n = r.pick(HUGE_NUMBERS);
      if (!digits.length) return at(t, pos(t, r), n);
      const m = r.pick(digits);
      return at(t, m.index!, n, m[0].length);
    },
  },
  {
    name: 'anchors',
    weight: 5,
    apply: (t, r) => {
      const name = r.pick(['a', 'b', 'g', 'x', 'a1']);
      const values = [...t.matchAll(/: +(?=\S)/g)].slice(0, 2000);
      const shape = r.int(0, 5);
      if (shape === 0 && values.length) {
        const m = r.pick(values);
        return at(t, m.index! + m[0].length, `&${name} `);
      }
      if (shape === 1 && values.length) {
        const m = r.pick(values);
        const end = t.indexOf('\n', m.index!);
        return at(t, m.index! + m[0].length, `*${name}`, (end === -1 ? t.length : end) - (m.index! + m[0].length));
      }
      const i = lineStart(t, r);
      const indent = indentAt(t, i);
      if (shape === 2) return at(t, i, `${indent}<<: *${name}\n`);
      if (shape === 3) return at(t, i, `${indent}<<: [*${name}, *${name}, *${r.pick(['a', 'b', 'nowhere'])}]\n`);
      if (shape === 4) return at(t, i, `${indent}x-self: &${name} [*${name}]\n`);
      // A small merge bomb: each level merges the previous one three times.
      const levels = r.int(3, 25);
      let bomb = `x-0: &${name}0 {a0: 1}\n`;
      for (let k = 1; k <= levels; k++) bomb += `x-${k}: &${name}${k} {<<: [*${name}${k - 1}, *${name}${k - 1}, *${name}${k - 1}], a${k}: 1}\n`;
      return `${bomb}${t}`.replace(/\n(\s+)(image|replicaCount|enabled):/, `\n$1<<: *${name}${levels}\n$1$2:`);
    },
  },
  {
    name: 'splice',
    weight: 4,
    apply: (t, r) => {
      const i = pos(t, r);
      const chunk = t.slice(i, i + r.int(1, 300));
      return at(t, pos(t, r), chunk);
    },
  },
  { name: 'yaml-syntax', weight: 4, apply: (t, r) => at(t, r.chance(0.5) ? lineStart(t, r) : pos(t, r), r.pick(YAML_BITS)) },
  { name: 'conf-syntax', weight: 3, apply: (t, r) => at(t, r.chance(0.5) ? lineStart(t, r) : pos(t, r), r.pick(CONF_BITS) + r.pick(['', ' ', '\n'])) },
];

const TOTAL_WEIGHT = MUTATIONS.reduce((n, m) => n + m.weight, 0);

export function pickMutation(r: Rng): Mutation {
  let x = r.int(0, TOTAL_WEIGHT - 1);
  for (const m of MUTATIONS) {
    if (x < m.weight) return m;
    x -= m.weight;
  }
  return MUTATIONS[MUTATIONS.length - 1];
}
