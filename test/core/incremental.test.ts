// Incremental YAML parsing (server/src/core/yaml/incremental.ts) must be invisible: for every version of
// a file in a sequence of edits, parsing with the per-document cache gives the same tree (node types,
// ranges, values, anchors, styles), the same syntax problems, the same findings and the same fixes as
// parsing the text from scratch. The chunking threshold is lowered to 0 lines so that small corpus
// files and hand-written cases take the chunked path too.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { analyze } from '../../server/src/core/analyze';
import { AnalysisCache, AnalysisInput, FileKind } from '../../server/src/core/types';
import { YamlEditor } from '../../server/src/core/yaml/edit';
import { IncrementalOptions, incrementalStats, newYamlCache } from '../../server/src/core/yaml/incremental';
import { YamlView } from '../../server/src/core/yaml/nav';
import { AnchorIndex, parseYaml } from '../../server/src/core/yaml/parse';
import { generateStack, seededRandom } from '../bench/gen/compose';
import { generateHelmValues } from '../bench/gen/helm';

const REPO = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(REPO, '../shared/corpus');

// ---------------------------------------------------------------------------------------------------
// Comparing trees

/** Walks two trees in step and fails at the first difference, naming where it is. */
function compareNodes(a: unknown, b: unknown, where: string, ia: AnchorIndex, ib: AnchorIndex, depth = 0): void {
  const kind = (n: unknown) => (n === null || n === undefined ? String(n) : (n as object).constructor.name);
  assert.equal(kind(a), kind(b), `${where}: node class`);
  if (a === null || a === undefined) return;
  if (isPair(a) && isPair(b)) {
    compareNodes(a.key, b.key, `${where}.key`, ia, ib, depth + 1);
    compareNodes(a.value, b.value, `${where}.value`, ia, ib, depth + 1);
    return;
  }
  const na = a as Node;
  const nb = b as Node;
  assert.deepEqual(na.range, nb.range, `${where}: range`);
  assert.equal(na.anchor, nb.anchor, `${where}: anchor`);
  assert.equal(na.tag, nb.tag, `${where}: tag`);
  if (isScalar(na) && isScalar(nb)) {
    assert.equal(valueText(na.value), valueText(nb.value), `${where}: value`);
    assert.equal(na.type, nb.type, `${where}: style`);
    assert.equal(na.source, nb.source, `${where}: source`);
  } else if (isAlias(na) && isAlias(nb)) {
    assert.equal(na.source, nb.source, `${where}: alias`);
    // The alias must lead to the same place through each tree's own anchor index.
    const ra = ia.lookup(na.source, na.range?.[0] ?? Infinity);
    const rb = ib.lookup(nb.source, nb.range?.[0] ?? Infinity);
    assert.deepEqual(ra?.range, rb?.range, `${where}: alias target`);
  } else if ((isMap(na) && isMap(nb)) || (isSeq(na) && isSeq(nb))) {
    assert.equal(!!na.flow, !!nb.flow, `${where}: flow`);
    assert.equal(na.items.length, nb.items.length, `${where}: item count`);
    for (let i = 0; i < na.items.length; i++) compareNodes(na.items[i], nb.items[i], `${where}[${i}]`, ia, ib, depth + 1);
  }
}

function valueText(v: unknown): string {
  if (typeof v === 'symbol') return `symbol:${v.description}`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  return `${typeof v}:${String(v)}`;
}

function compareDocs(a: Document, b: Document, where: string): void {
  assert.deepEqual(a.range, b.range, `${where}: document range`);
  assert.deepEqual(
    a.errors.map((e) => [e.pos, e.message]),
    b.errors.map((e) => [e.pos, e.message]),
    `${where}: errors`,
  );
  assert.deepEqual(
    a.warnings.map((e) => [e.pos, e.message]),
    b.warnings.map((e) => [e.pos, e.message]),
    `${where}: warnings`,
  );
  compareNodes(a.contents, b.contents, `${where}:contents`, new AnchorIndex(a), new AnchorIndex(b));
}

/**
 * The minimal edits YamlEditor computes on every block map of the top two levels, and on the first
 * nested maps below them, must be the same on the synthetic maps as on the parsed ones.
 */
function compareEdits(text: string, a: Document, b: Document, where: string): void {
  const ea = new YamlEditor(new YamlView(a, text));
  const eb = new YamlEditor(new YamlView(b, text));
  assert.deepEqual(ea.layout, eb.layout, `${where}: layout`);
  const maps = (doc: Document): YAMLMap[] => {
    const out: YAMLMap[] = [];
    if (!isMap(doc.contents)) return out;
    out.push(doc.contents);
    for (const p of doc.contents.items) {
      if (!isMap(p.value)) continue;
      out.push(p.value);
      for (const q of p.value.items.slice(0, 5)) if (isMap(q.value)) out.push(q.value);
    }
    return out;
  };
  const ma = maps(a);
  const mb = maps(b);
  assert.equal(ma.length, mb.length, `${where}: maps`);
  for (let i = 0; i < ma.length; i++) {
    const w = `${where}: map ${i} at ${ma[i].range?.[0]}`;
    assert.deepEqual(ea.addEntry(ma[i], 'added', '1'), eb.addEntry(mb[i], 'added', '1'), `${w}: addEntry`);
    assert.deepEqual(ea.addEntry(ma[i], 'added', { nested: ['x'] }), eb.addEntry(mb[i], 'added', { nested: ['x'] }), `${w}: addEntry nested`);
    for (const p of [['deploy', 'placement', 'constraints'], ['image'], ['services']]) {
      assert.deepEqual(ea.ensurePath(ma[i], p, ['node.role == manager']), eb.ensurePath(mb[i], p, ['node.role == manager']), `${w}: ensurePath ${p}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// One version, both ways

interface Tally {
  versions: number;
  chunked: number;
}

/** Returns whether the version has syntax errors. */
function checkVersion(
  text: string,
  input: Omit<AnalysisInput, 'text' | 'cache'>,
  cache: AnalysisCache,
  where: string,
  tally: Tally,
  withAnalysis = true,
): boolean {
  const full = parseYaml(text);
  const incremental = parseYaml(text, cache);
  const stats = incrementalStats(cache);
  tally.versions++;
  if (stats?.chunked) tally.chunked++;
  assert.ok(!stats?.fallback?.startsWith('internal error'), `${where}: ${stats?.fallback}`);
  assert.deepEqual(incremental.problems, full.problems, `${where}: problems`);
  assert.equal(incremental.docs.length, full.docs.length, `${where}: document count`);
  for (let i = 0; i < full.docs.length; i++) compareDocs(incremental.docs[i], full.docs[i], `${where}#${i}`);
  if (stats?.chunked && full.docs.length === 1) compareEdits(text, incremental.docs[0], full.docs[0], where);
  if (!withAnalysis) return full.problems.some((p) => p.isError);
  // The same cache again, now through the whole analysis (all chunks are reused this time).
  const withCache = analyze({ ...input, text, cache });
  const without = analyze({ ...input, text });
  assert.deepEqual(withCache, without, `${where}: analysis`);
  return full.problems.some((p) => p.isError);
}

// ---------------------------------------------------------------------------------------------------
// Random edits

type Rand = () => number;

const VALUES = ['42', 'changed', '"quoted value"', 'true', 'null', "'single'", 'host:8080', '[a, b]', '{}', '', '0755', '~'];

function pick<T>(r: Rand, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)];
}

function lineIndices(lines: string[], re: RegExp): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (re.test(l)) out.push(i);
  });
  return out;
}

/** One random edit of a kind people make while typing, some of which break the file. */
function randomEdit(text: string, r: Rand, n: number): { text: string; what: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const any = () => Math.floor(r() * lines.length);
  const indentOf = (l: string) => /^ */.exec(l)![0];
  const op = pick(r, ['value', 'value', 'value', 'insert', 'delete', 'service', 'service', 'comment', 'anchor', 'break', 'top', 'indent', 'duplicate']);
  switch (op) {
    case 'value': {
      const candidates = lineIndices(lines, /^\s*(- )?[\w.-]+:\s+\S/);
      if (!candidates.length) break;
      const i = pick(r, candidates);
      lines[i] = lines[i].replace(/^(\s*(?:- )?[\w.-]+:)\s+.*$/, (_, k: string) => `${k} ${pick(r, VALUES)}`);
      return { text: lines.join(eol), what: `value@${i}` };
    }
    case 'insert': {
      const i = any();
      lines.splice(i + 1, 0, `${indentOf(lines[i])}inserted${n}: v${n}`);
      return { text: lines.join(eol), what: `insert@${i}` };
    }
    case 'delete': {
      const i = any();
      lines.splice(i, 1);
      return { text: lines.join(eol), what: `delete@${i}` };
    }
    case 'service': {
      const candidates = lineIndices(lines, /^ {2,4}[\w.-]+:\s*$/);
      const i = candidates.length ? pick(r, candidates) : any();
      const ind = indentOf(lines[i]);
      lines.splice(i, 0, `${ind}svc-${n}:`, `${ind}  image: nginx:latest`, `${ind}  ports:`, `${ind}    - "80:80"`, '');
      return { text: lines.join(eol), what: `service@${i}` };
    }
    case 'comment': {
      const i = any();
      lines.splice(i, 0, pick(r, [`# comment ${n}`, '', `  # indented ${n}`, '   ']));
      return { text: lines.join(eol), what: `comment@${i}` };
    }
    case 'anchor': {
      // An anchor in one place and an alias to it further down: usually in another chunk.
      const candidates = lineIndices(lines, /^\s*[\w.-]+:\s+[\w"]/);
      if (candidates.length < 2) break;
      const i = pick(r, candidates);
      const j = pick(r, candidates);
      const [first, second] = i < j ? [i, j] : [j, i];
      lines[first] = lines[first].replace(/:\s+/, `: &anchor${n} `);
      lines[second] = lines[second].replace(/:\s+.*$/, `: *anchor${n}`);
      return { text: lines.join(eol), what: `anchor@${first}->${second}` };
    }
    case 'break': {
      const i = any();
      lines.splice(i, 0, `${indentOf(lines[i])}${pick(r, ['broken: [unclosed', 'broken: "unterminated', 'key: : x', '- stray', '\tkey: tab', 'x: &'])}`);
      return { text: lines.join(eol), what: `break@${i}` };
    }
    case 'top': {
      const candidates = lineIndices(lines, /^[\w.-]+:/);
      const i = candidates.length ? pick(r, candidates) : any();
      lines.splice(i, 0, `top${n}: value`);
      return { text: lines.join(eol), what: `top@${i}` };
    }
    case 'indent': {
      const i = any();
      lines[i] = ' ' + lines[i];
      return { text: lines.join(eol), what: `indent@${i}` };
    }
    case 'duplicate': {
      // The same key twice in one map (across chunks): only the full parse reports it.
      const candidates = lineIndices(lines, /^ {0,2}[\w.-]+:/);
      if (!candidates.length) break;
      const i = pick(r, candidates);
      lines.splice(i, 0, lines[i].replace(/:.*$/, ': dup'));
      return { text: lines.join(eol), what: `duplicate@${i}` };
    }
  }
  return { text: text + `${eol}tail${n}: x`, what: 'append' };
}

/** How the cache is filled: the defaults, every chunk parsed on its own, or whole parses cut into chunks. */
const FILLS: Record<string, Partial<IncrementalOptions>> = {
  default: { minLines: 0 },
  'chunk by chunk': { minLines: 0, wholeParseAbove: Infinity },
  'whole, then cut': { minLines: 0, wholeParseAbove: 0 },
};

interface SequenceOptions {
  fill?: keyof typeof FILLS;
  cache?: AnalysisCache;
  /** Compare analyze() results too, not only the parse. */
  analysis?: boolean;
}

/**
 * Checks the original and `edits` random versions against one cache; a broken version is mostly
 * followed by the text before it (typing on, then undoing), so repairs are covered.
 */
function checkEditSequence(
  text: string,
  input: Omit<AnalysisInput, 'text' | 'cache'>,
  seed: number,
  edits: number,
  tally: Tally,
  o: SequenceOptions = {},
): void {
  const r = seededRandom(seed);
  const cache = o.cache ?? newYamlCache(FILLS[o.fill ?? 'default']);
  const analysis = o.analysis ?? true;
  let current = text;
  const label = `${input.path} [${o.fill ?? 'default'}]`;
  checkVersion(current, input, cache, `${label} v0`, tally, analysis);
  for (let n = 1; n <= edits; n++) {
    const previous = current;
    const edit = randomEdit(current, r, n);
    current = edit.text;
    const broken = checkVersion(current, input, cache, `${label} v${n} (${edit.what}, seed ${seed})`, tally, analysis);
    if (broken && r() < 0.75) {
      current = previous;
      checkVersion(current, input, cache, `${label} v${n} undone`, tally, analysis);
    }
  }
}

// ---------------------------------------------------------------------------------------------------

const TRICKY: Record<string, string> = {
  'anchors across chunks, merge keys': [
    'x-defaults: &defaults',
    '  restart: always',
    '  logging: &log',
    '    driver: json-file',
    'x-list: &ports',
    '  - "80:80"',
    'services:',
    '  web:',
    '    <<: *defaults',
    '    image: nginx:1.25',
    '    logging: *log',
    '    ports: *ports',
    '  db:',
    '    <<: [*defaults]',
    '    image: postgres:16',
    '    deploy: &dbdeploy',
    '      replicas: 1',
    '  cache:',
    '    image: redis:7',
    '    deploy: *dbdeploy',
    '    environment: *undefined_anchor',
    '',
  ].join('\n'),
  'anchor redefined later, alias before and after': [
    'a: &x one',
    'services:',
    '  s1:',
    '    image: *x',
    '  s2:',
    '    image: &x two',
    '  s3:',
    '    image: *x',
    '',
  ].join('\n'),
  'comments at column 0 between services and at the ends': [
    '# leading comment',
    '',
    'version: "3.9"',
    '# before services',
    'services:',
    '# right after the key',
    '  web:',
    '    image: nginx:latest',
    '# between services',
    '',
    '  # indented between',
    '  api:',
    '    image: api:1',
    '    # deeper trailing',
    '  # trailing indented',
    '# trailing col0',
    'volumes:',
    '  data: {}',
    '  # end indented',
    '# end col0',
    '',
  ].join('\n'),
  'split block last in the file, trailing comments': ['a: 1', 'services:', '  x:', '    i: 1', '  y:', '    i: 2', '  # trailing', '# col0', '', ''].join('\n'),
  'block scalars': [
    'services:',
    '  web:',
    '    command: |',
    '      echo one',
    '',
    '      echo two: not a key',
    '  api:',
    '    entrypoint: >-',
    '      folded',
    '      text',
    '    configs: |+',
    '      keep',
    '',
    '',
    '  worker:',
    '    command: |2',
    '        indented',
    'note: |',
    '  top-level block scalar',
    '  # not a comment',
    '',
  ].join('\n'),
  'multi-line flow collections starting at a key line': [
    'services:',
    '  web:',
    '    command: [',
    '      "a",',
    '      "b"',
    '    ]',
    '    environment: {',
    '      A: 1,',
    '      B: 2 }',
    'ports: [',
    '  1, 2,',
    ']',
    'env: {a: 1,',
    '  b: 2}',
    '',
  ].join('\n'),
  'quoted multi-line strings': [
    'services:',
    '  web:',
    '    command: "line one',
    '      line two"',
    "    entrypoint: 'single",
    "      quoted'",
    'description: "top',
    '  level"',
    '',
  ].join('\n'),
  'plain multi-line scalars': ['services:', '  web:', '    command: first', '      second', '  api:', '    image: x', 'key: value', '  continued', ''].join(
    '\n',
  ),
  'trailing text without newline': ['services:', '  web:', '    image: nginx:latest', '  api:', '    image: api:1'].join('\n'),
  CRLF: [
    'version: "3"',
    '',
    'services:',
    '  web:',
    '    image: nginx:latest',
    '    ports:',
    '      - "80:80"',
    '  # comment',
    '  api:',
    '    image: api:1',
    'volumes:',
    '  data:',
    '',
  ].join('\r\n'),
  'empty values': ['services:', '  web:', '  api:', '    image:', '    ports: []', 'volumes:', 'networks: {}', 'configs: ~', 'secrets:', '  s:', ''].join('\n'),
  'keys with special characters': [
    '"quoted key": 1',
    "'single quoted': 2",
    'with space: 3',
    'dotted.key/slash-dash_under: 4',
    'x-ünïcode: 5',
    '"services":',
    '  "web app":',
    '    image: x',
    "  'api':",
    '    image: y',
    '  123:',
    '    image: z',
    '  true:',
    '    image: w',
    '  a#b:',
    '    image: v',
    'url: http://example.com:8080/x',
    '',
  ].join('\n'),
  'tags and warnings': [
    'services:',
    '  web:',
    '    image: !custom nginx',
    '    labels: !!map {a: 1}',
    '    ports: !!seq [1]',
    'set: !!set',
    '  ? a',
    'omap: !!omap',
    '  - a: 1',
    'bin: !!binary aGVsbG8=',
    '',
  ].join('\n'),
  'top-level sequence values at column 0': ['services:', '  web:', '    image: x', 'list:', '- a', '- b', 'next: 1', ''].join('\n'),
  'document markers fall back': ['---', 'services:', '  web:', '    image: x', '...', '---', 'services: {}', ''].join('\n'),
  directives: ['%YAML 1.2', '---', 'services:', '  web:', '    image: x', ''].join('\n'),
  'top-level flow map': ['{services: {web: {image: x}}}', ''].join('\n'),
  'top-level sequence': ['- a: 1', '- b: 2', ''].join('\n'),
  'tabs in indentation': ['services:', '  web:', '\timage: x', ''].join('\n'),
  BOM: ['\uFEFFservices:', '  web:', '    image: x', ''].join('\n'),
  'duplicate keys across chunks': ['services:', '  web:', '    image: x', '  web:', '    image: y', 'services: {}', ''].join('\n'),
  'anchored split block': ['services: &all', '  web:', '    image: x', 'copy: *all', 'typed: !!map', '  a: 1', ''].join('\n'),
  'explicit keys and complex keys': ['? a', ': 1', '[x, y]: 2', 'services:', '  ? web', '  : image: x', ''].join('\n'),
  'lone carriage returns': 'services:\r  web:\r    image: x\r',
  'nested indentation differs per block': [
    'a:',
    '    x: 1',
    '    y:',
    '      z: 2',
    'b:',
    ' p: 1',
    ' q: 2',
    'c:',
    '  - 1',
    '  - 2',
    'd:',
    '  k: 1',
    '   # odd comment',
    '  l: 2',
    '',
  ].join('\n'),
  'less indented content in a block': ['a:', '    x: 1', '  y: 2', 'b:', '  k: 1', ''].join('\n'),
  empty: '',
  'only comments': '# nothing\n# here\n',
};

const COMPOSE_INPUT = { path: '/repo/docker-stack.yml', kind: 'compose' as FileKind };

describe('incremental YAML parsing', () => {
  describe('hand-written tricky cases, each through a sequence of random edits', () => {
    for (const [name, text] of Object.entries(TRICKY)) {
      it(name, (t) => {
        const tally = { versions: 0, chunked: 0 };
        for (let seed = 1; seed <= 6; seed++) checkEditSequence(text, COMPOSE_INPUT, seed, 15, tally, { fill: Object.keys(FILLS)[seed % 3] });
        t.diagnostic(`${tally.chunked} of ${tally.versions} versions chunked`);
      });
    }
  });

  it('takes the chunked path where it should, and falls back where it must', () => {
    const expectation: Record<string, string | true> = {
      'anchors across chunks, merge keys': true,
      'comments at column 0 between services and at the ends': true,
      'block scalars': true,
      'keys with special characters': true,
      CRLF: true,
      'document markers fall back': 'document marker',
      directives: 'directive',
      'top-level flow map': 'top level is not a block map',
      'top-level sequence': 'top level is not a block map',
      'tabs in indentation': 'tab in indentation',
      BOM: 'byte order mark',
      'duplicate keys across chunks': 'key repeated across chunks',
      'anchored split block': true,
      'lone carriage returns': 'carriage return without line feed',
      empty: 'no top-level keys',
    };
    for (const [name, expected] of Object.entries(expectation)) {
      const cache = newYamlCache({ minLines: 0 });
      parseYaml(TRICKY[name], cache);
      const stats = incrementalStats(cache)!;
      if (expected === true) assert.equal(stats.chunked, true, `${name}: ${stats.fallback}`);
      else assert.equal(stats.fallback, expected, name);
    }
    const small = newYamlCache();
    parseYaml(TRICKY['block scalars'], small);
    assert.equal(incrementalStats(small)!.fallback, 'small text');
  });

  it('re-parses only the chunk that changed, and recovers after a syntax error', () => {
    const text = generateStack(60, 7);
    const cache = newYamlCache();
    // The first version is parsed whole (faster than thousands of chunk parses) and cut up for reuse.
    parseYaml(text, cache);
    assert.deepEqual(incrementalStats(cache), { chunked: false, fallback: 'most chunks changed: parsed whole', parsedChunks: 0, reusedChunks: 0 });

    const line = text.indexOf('      replicas: ', text.length / 2);
    const edited = text.slice(0, line) + '      replicas: 9' + text.slice(text.indexOf('\n', line));
    parseYaml(edited, cache);
    const stats = incrementalStats(cache)!;
    const total = stats.parsedChunks + stats.reusedChunks;
    assert.ok(total > 60, `${total} chunks`);
    assert.deepEqual(stats, { chunked: true, fallback: undefined, parsedChunks: 1, reusedChunks: total - 1 });
    checkVersion(edited, COMPOSE_INPUT, cache, 'one value', { versions: 0, chunked: 0 });

    const broken = edited.slice(0, line) + '      replicas: [9' + edited.slice(edited.indexOf('\n', line));
    parseYaml(broken, cache);
    assert.equal(incrementalStats(cache)!.fallback, 'chunk does not parse on its own');
    assert.deepEqual(parseYaml(broken, cache).problems, parseYaml(broken).problems);
    parseYaml(edited, cache);
    assert.deepEqual(incrementalStats(cache), { chunked: true, fallback: undefined, parsedChunks: 1, reusedChunks: total - 1 });
    // A paste that replaces most of the file is parsed whole again.
    parseYaml(generateStack(60, 8), cache);
    assert.equal(incrementalStats(cache)!.fallback, 'most chunks changed: parsed whole');
  });

  it('generated stack and values files, through random edits', (t) => {
    const tally = { versions: 0, chunked: 0 };
    checkEditSequence(generateStack(15, 3), COMPOSE_INPUT, 11, 30, tally);
    checkEditSequence(generateStack(6, 5).replace(/\n/g, '\r\n'), COMPOSE_INPUT, 12, 20, tally);
    const helm = { path: '/repo/charts/app/values.yaml', kind: 'helm-values' as FileKind };
    checkEditSequence(generateHelmValues(2100, 4), helm, 13, 10, tally, { cache: newYamlCache() });
    checkEditSequence(generateStack(15, 3), COMPOSE_INPUT, 14, 20, tally, { fill: 'chunk by chunk', analysis: false });
    t.diagnostic(`${tally.chunked} of ${tally.versions} versions chunked`);
    assert.ok(tally.chunked > tally.versions / 3, `${tally.chunked} of ${tally.versions} versions chunked`);
  });

  describe('corpus files, through random edits', () => {
    const dirs: [string, FileKind][] = [
      ['compose', 'compose'],
      ['helm-values', 'helm-values'],
    ];
    if (!fs.existsSync(CORPUS)) {
      it('skipped: no corpus at ../shared/corpus', { skip: true }, () => undefined);
      return;
    }
    for (const [dir, kind] of dirs) {
      it(`${dir}`, (t) => {
        const files = fs.readdirSync(path.join(CORPUS, dir)).filter((f) => /\.ya?ml$/i.test(f));
        assert.ok(files.length > 0);
        const tally = { versions: 0, chunked: 0 };
        files.forEach((file, i) => {
          const text = fs.readFileSync(path.join(CORPUS, dir, file), 'utf8');
          const input = { path: `/corpus/${dir}/${file}`, kind };
          checkEditSequence(text, input, 100 + i, kind === 'compose' ? 8 : 4, tally);
          checkEditSequence(text, input, 200 + i, 4, tally, { fill: 'chunk by chunk', analysis: false });
        });
        t.diagnostic(`${files.length} files, ${tally.chunked} of ${tally.versions} versions chunked`);
        // Most real files must take the chunked path, or this test proves little.
        assert.ok(tally.chunked > tally.versions / 3, `${tally.chunked} of ${tally.versions} versions chunked`);
      });
    }
  });
});
