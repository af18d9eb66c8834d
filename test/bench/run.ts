// `npm run bench`: how fast prodready is where users feel it, as medians and ratios taken in one run
// (the machine is shared and noisy: no figure here is an assertion, and ratios compare samples taken
// side by side). Prints a report and writes it as JSON to test-artifacts/bench.json.
//
//   1. Compose / Swarm stacks (issue 2): core analysis against a bare YAML parse at 50 / 500 / 2,000
//      services; edit-to-diagnostics latency and peak memory through the real server over stdio, against
//      yaml-language-server validating the same files with the compose schema.
//   2. Helm values (issue 3): the same core ratio and server latency at ~1k / 10k / 50k lines.
//   3. Load balancers (issue 4): the 24,000-line HAProxy config of the corpus and a generated 20,000-line
//      NGINX config (analysis time, server latency), and linearity at 1× / 4× / 16× the size.
//
// BENCH_QUICK=1 runs a reduced version (smaller sizes, fewer rounds and edits) in about a minute.
// Every measurement has a time budget and every wait a deadline, so a pathological case shows up as
// "stopped after …" in the report instead of hanging the run.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { generateStack, replicasKeyNearMiddle } from './gen/compose';
import { fileUri, LspClient } from './lsp';
import { defaultDebounce } from '../../server/src/server/diagnostics';
import { ActivationResult, measureActivation, vsixSize } from './activation';
import { benchScan, ScanFigures } from './scan';
import { monorepoSection } from './monorepo';
import { targetRows, targetTable } from './targets';
import { stressSection } from './stress';
import { environmentsSection } from './environments';
import {
  applyEdit,
  CoreTimer,
  digitNearMiddle,
  editSession,
  fmtMb,
  fmtMs,
  fmtRatio,
  sampleInterleaved,
  SamplingPlan,
  Series,
  SeriesResult,
  ServerSpec,
  SessionResult,
  TextEdit,
  toggleEdits,
} from './measure';
import { percentile, ratio } from './stats';
import { analyze } from '../../server/src/core/analyze';

const REPO = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(REPO, '../shared/corpus');
const ARTIFACT = path.join(REPO, 'test-artifacts/bench.json');
const SEED = 20_251_122;
const QUICK = /^(1|true|yes)$/i.test(process.env.BENCH_QUICK ?? '');

interface Plan {
  compose: { services: number[]; edits: number[]; core: SamplingPlan; prodreadyBudgetMs: number; ylsBudgetMs: number };
  helm: { lines: number[]; edits: number[]; core: SamplingPlan; budgetMs: number };
  loadBalancers: { nginxLines: number; edits: number; core: SamplingPlan; budgetMs: number; linearity: { nginx: number; haproxy: number; factors: number[] } };
}

const FULL: Plan = {
  compose: {
    services: [50, 500, 2000],
    edits: [15, 7, 7],
    core: { rounds: 7, budgetMs: 30_000, deadlineMs: 120_000, warmup: true },
    prodreadyBudgetMs: 60_000,
    ylsBudgetMs: 160_000,
  },
  helm: { lines: [1_000, 10_000, 50_000], edits: [15, 7, 7], core: { rounds: 7, budgetMs: 15_000, deadlineMs: 60_000, warmup: true }, budgetMs: 30_000 },
  loadBalancers: {
    nginxLines: 20_000,
    edits: 15,
    core: { rounds: 5, budgetMs: 12_000, deadlineMs: 60_000, warmup: true },
    budgetMs: 30_000,
    linearity: { nginx: 20_000, haproxy: 24_000, factors: [1, 4, 16] },
  },
};

const QUICK_PLAN: Plan = {
  compose: {
    services: [20, 60],
    edits: [5, 3],
    core: { rounds: 3, budgetMs: 3_000, deadlineMs: 30_000, warmup: true },
    prodreadyBudgetMs: 10_000,
    ylsBudgetMs: 15_000,
  },
  helm: { lines: [1_000, 5_000], edits: [5, 3], core: { rounds: 3, budgetMs: 2_000, deadlineMs: 30_000, warmup: true }, budgetMs: 8_000 },
  loadBalancers: {
    nginxLines: 5_000,
    edits: 5,
    core: { rounds: 3, budgetMs: 3_000, deadlineMs: 30_000, warmup: true },
    budgetMs: 8_000,
    linearity: { nginx: 1_000, haproxy: 1_500, factors: [1, 4, 16] },
  },
};

const PLAN = QUICK ? QUICK_PLAN : FULL;
// BENCH_SECTIONS=compose,editor runs only those sections; BENCH_STACK_SERVICES=50,500 picks the stack sizes.
const SECTIONS = process.env.BENCH_SECTIONS?.split(',').map((x) => x.trim());
const STACK_SERVICES = process.env.BENCH_STACK_SERVICES?.split(',').map(Number).filter((n) => n > 0);
if (STACK_SERVICES?.length) PLAN.compose = { ...PLAN.compose, services: STACK_SERVICES, edits: STACK_SERVICES.map((_, i) => PLAN.compose.edits[Math.min(i, PLAN.compose.edits.length - 1)]) };

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Columns padded to their widest cell: the first left-aligned, figures right-aligned. */
function table(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) out(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`.trimEnd());
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/** A generator another helper writes; undefined (and the section says so) while it does not exist yet. */
function loadGenerator(name: string, exported: string): ((lines: number, seed: number) => string) | undefined {
  const file = path.join(__dirname, 'gen', `${name}.js`);
  if (!fs.existsSync(file) || !fs.existsSync(path.join(REPO, 'test/bench/gen', `${name}.ts`))) return undefined;
  const mod = require(file) as Record<string, unknown>;
  const fn = mod[exported];
  return typeof fn === 'function' ? (fn as (lines: number, seed: number) => string) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Servers

const DEBOUNCE_ENV = process.env.PRODREADY_DEBOUNCE_MS;
const FIXED_DEBOUNCE = DEBOUNCE_ENV !== undefined && Number.isFinite(Number(DEBOUNCE_ENV)) ? Number(DEBOUNCE_ENV) : undefined;

function prodreadySpec(): ServerSpec {
  return {
    name: 'prodready',
    command: process.execPath,
    args: [path.join(REPO, 'dist/server.js'), '--stdio'],
    configuration: { prodready: {} },
    versioned: true,
    debounceFor: (size) => FIXED_DEBOUNCE ?? defaultDebounce(size),
    debounceSource:
      FIXED_DEBOUNCE === undefined
        ? 'adaptive: none after an analysis under 100 ms, else a quarter of it (≤ 150 ms); the column below assumes the pre-measurement default by size (50 / 100 / 150 ms), an upper bound'
        : `PRODREADY_DEBOUNCE_MS=${DEBOUNCE_ENV}`,
  };
}

const YLS_DIR = path.join(REPO, 'node_modules/yaml-language-server');

function ylsDebounce(): number {
  try {
    const m = /validationDelayMs\s*=\s*(\d+)/.exec(fs.readFileSync(path.join(YLS_DIR, 'out/server/src/yamlSettings.js'), 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

function ylsVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(YLS_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function ylsSpec(schemaUri: string, glob: string): ServerSpec {
  // yaml-language-server 1.25 reads `yaml.schemas` as { schemaUri: glob | glob[] } (settingsHandlers.js),
  // matches the glob against the document path with a `**/` prefix, and pulls its settings with
  // workspace/configuration for the sections yaml, http, [yaml] and editor.
  const yaml = { schemas: { [schemaUri]: glob }, validate: true, schemaStore: { enable: false } };
  return {
    name: 'yaml-language-server',
    command: process.execPath,
    args: [path.join(YLS_DIR, 'bin/yaml-language-server'), '--stdio'],
    configuration: { yaml, http: { proxy: '', proxyStrictSSL: false } },
    versioned: false,
    debounceFor: () => ylsDebounce(),
    debounceSource: 'validationDelayMs in yaml-language-server (fixed, not a setting)',
    prepare: async (client: LspClient) => {
      // It pulls its settings on `initialized`; an editor then also announces a change, which makes it
      // pull again and re-validate open documents. Both pulls are answered before the document opens,
      // so no validation from a settings change can be mistaken for the answer to an edit.
      const isYamlPull = (m: { method?: string; params?: unknown }) =>
        m.method === 'workspace/configuration' && ((m.params as { items?: { section?: string }[] }).items ?? []).some((i) => i.section === 'yaml');
      await client.waitFor(isYamlPull, { since: 0, description: 'the settings pull after initialized' });
      const since = client.cursor();
      client.notify('workspace/didChangeConfiguration', { settings: { yaml } });
      await client.waitFor(isYamlPull, { since, description: 'the settings pull after didChangeConfiguration' });
    },
  };
}

/**
 * Edits alternate between a bad key and the original: the diagnostics must differ from the opened
 * file's on every bad version and match them on every restored one, so each publication provably
 * answers its own change (essential for a server that does not send versions).
 */
function alternationCheck(mention?: RegExp): (d: Diagnostic[], index: number) => string | undefined {
  let base = 0;
  return (diagnostics, index) => {
    const mentions = mention ? diagnostics.some((d) => mention.test(d.message)) : undefined;
    if (index === 0) {
      base = diagnostics.length;
      return mentions ? `the unedited file already has a diagnostic matching ${mention}` : undefined;
    }
    const bad = index % 2 === 1;
    if (bad && diagnostics.length === base && !mentions) return `edit ${index}: diagnostics unchanged (${base}): the change may not have been validated`;
    if (!bad && diagnostics.length !== base) return `edit ${index}: ${diagnostics.length} diagnostics where the restored file had ${base}`;
    if (mention && mentions !== bad) return `edit ${index}: ${bad ? 'no' : 'a'} diagnostic matching ${mention}`;
    return undefined;
  };
}

/** A generated file with deliberate mistakes must get findings when opened (else it was not detected). */
function detectedCheck(kind: string): (d: Diagnostic[], index: number) => string | undefined {
  return (diagnostics, index) =>
    index === 0 && diagnostics.length === 0 ? `no diagnostics when opened: the file was probably not detected as ${kind}` : undefined;
}

function latencyFigures(s: SessionResult, debounceMs: number) {
  const p50 = percentile(s.latencies, 0.5);
  return {
    server: s.server,
    openMs: s.openMs,
    edits: s.latencies.length,
    p50,
    p95: percentile(s.latencies, 0.95),
    max: s.latencies.length ? Math.max(...s.latencies) : NaN,
    debounceMs,
    p50AfterDebounce: p50 - debounceMs,
    peakRssMb: s.peakRssMb,
    sampledRssMb: s.sampledRssMb,
    diagnosticsAtOpen: s.diagnosticCounts[0],
    maxPayloadBytes: s.maxPayloadBytes,
    aborted: s.aborted,
    unanswered: s.unanswered,
    problems: s.problems,
    latencies: s.latencies.map((x) => Math.round(x * 10) / 10),
  };
}

type Latency = ReturnType<typeof latencyFigures>;

function latencyRow(label: string, l: Latency): string[] {
  return [
    label,
    l.server,
    fmtMs(l.openMs),
    fmtMs(l.p50),
    fmtMs(l.p95),
    fmtMs(l.p50AfterDebounce),
    String(l.edits),
    fmtMb(l.peakRssMb),
    l.diagnosticsAtOpen === undefined ? '—' : String(l.diagnosticsAtOpen),
  ];
}

const LATENCY_HEADER = ['file', 'server', 'open→diags', 'edit p50', 'edit p95', 'p50−debounce', 'edits', 'peak RSS', 'diags'];

function printSessionNotes(label: string, l: Latency): void {
  if (l.aborted) out(`    ${label} ${l.server}: ${l.aborted}`);
  for (const p of l.problems) out(`    ${label} ${l.server}: CHECK FAILED: ${p}`);
}

// ---------------------------------------------------------------------------------------------------
// Core timing helpers

function coreRow(label: string, lines: number, results: SeriesResult[], byLabel: (l: string) => SeriesResult | undefined): string[] {
  const parse = byLabel('parse');
  const analyze = byLabel('analyze');
  const edited = byLabel('analyzeEdited');
  const coreParse = byLabel('coreParse');
  const n = Math.max(...results.map((r) => r.samples.length));
  return [
    label,
    lines.toLocaleString('en-US'),
    fmtMs(parse?.median),
    fmtMs(coreParse?.median),
    fmtMs(analyze?.median),
    fmtRatio(ratio(analyze?.median, parse?.median)),
    fmtMs(edited?.median),
    fmtRatio(ratio(edited?.median, parse?.median)),
    analyze?.findings === undefined ? '—' : String(analyze.findings),
    String(n),
  ];
}

const CORE_HEADER = ['file', 'lines', 'parse', 'core parse', 'analyze', 'analyze/parse', 'edit re-analyze', 'edit/parse', 'findings', 'n'];

/** Lower bound of a run's time at a larger size, assuming (optimistically) linear growth. */
function predictSkip(previous: { ms: number; lines: number } | undefined, lines: number, limitMs: number, what: string): string | undefined {
  if (!previous || !Number.isFinite(previous.ms)) return undefined;
  const predicted = (previous.ms * lines) / previous.lines;
  if (predicted <= limitMs) return undefined;
  return `skipped: ${what} would take at least ${fmtMs(predicted)} (linear from ${previous.lines.toLocaleString('en-US')} lines: ${fmtMs(previous.ms)}), over the ${fmtMs(limitMs)} limit`;
}

function seriesSummary(r: SeriesResult | undefined) {
  if (!r) return undefined;
  return {
    medianMs: r.median,
    samples: r.samples.map((x) => Math.round(x * 10) / 10),
    stopped: r.stopped,
    findings: r.findings,
    rulesApplied: r.rulesApplied,
    byRule: r.byRule,
  };
}

// ---------------------------------------------------------------------------------------------------
// 1. Compose

/** The JSON record of one file's core timings, the same for every section. */
function coreRecord(s: { lines: number; text: string }, by: (name: string) => SeriesResult | undefined) {
  const analyze = by('analyze');
  return {
    lines: s.lines,
    chars: s.text.length,
    parse: seriesSummary(by('parse')),
    coreParse: seriesSummary(by('coreParse')),
    analyze: seriesSummary(analyze),
    analyzeEdited: seriesSummary(by('analyzeEdited')),
    analyzeToParse: ratio(analyze?.median, by('parse')?.median),
    editedToParse: ratio(by('analyzeEdited')?.median, by('parse')?.median),
  };
}

async function composeSection(timer: CoreTimer, tmp: string): Promise<unknown> {
  const plan = PLAN.compose;
  out('1. Compose / Swarm stacks (issue 2)');
  out(`   generated by test/bench/gen/compose.ts, seed ${SEED}; each edit renames one service's \`replicas\` key to`);
  out('   `replicaz` and back (a one-character incremental change that changes the diagnostics of both servers)');
  out();

  const dir = path.join(tmp, 'compose');
  fs.mkdirSync(dir, { recursive: true });
  const sizes = plan.services.map((services, i) => {
    const text = generateStack(services, SEED);
    const at = replicasKeyNearMiddle(text);
    const edits = toggleEdits(at, 's', 'z', plan.edits[i]);
    const file = path.join(dir, `stack-bench-${services}.yml`);
    fs.writeFileSync(file, text);
    return { services, text, lines: lineCount(text), edits, file, edited: applyEdit(text, edits[0]) };
  });

  // Core: analyze() against a bare parse.
  out('   Core, in-process (medians; parse = `yaml` parseDocument; core parse = the core\'s parseYaml; edit re-analyze =');
  out('   analyze() of the edited text with the per-document cache of the previous version, as the server runs it)');
  const coreRows: string[][] = [CORE_HEADER];
  const core: unknown[] = [];
  let previous: { ms: number; lines: number } | undefined;
  const notes: string[] = [];
  const editedMedian = new Map<number, number>();
  for (const [i, s] of sizes.entries()) {
    const key = `compose-${s.services}`;
    timer.load({ key, text: s.text, edited: s.edited, path: `/bench/compose/stack-bench-${s.services}.yml`, kind: 'compose' });
    const skip = predictSkip(previous, s.lines, plan.core.deadlineMs, 'one analyze()');
    const series: Series[] = [
      { label: 'parse', key, task: 'parse' },
      { label: 'coreParse', key, task: 'coreParse' },
      { label: 'analyze', key, task: 'analyze', skip },
      { label: 'analyzeEdited', key, task: 'analyzeEdited', skip },
    ];
    const results = await sampleInterleaved(timer, series, { ...plan.core, warmup: plan.core.warmup && i === 0 });
    const by = (l: string) => results.find((r) => r.label === l);
    coreRows.push(coreRow(`${s.services} services`, s.lines, results, by));
    for (const r of results) if (r.stopped) notes.push(`${s.services} services ${r.label}: ${r.stopped}`);
    const analyze = by('analyze');
    previous = analyze && analyze.samples.length ? { ms: analyze.median, lines: s.lines } : analyze?.stopped ? { ms: plan.core.deadlineMs, lines: s.lines } : previous;
    editedMedian.set(s.services, by('analyzeEdited')?.median ?? NaN);
    await timer.unload(key);
    core.push({
      services: s.services,
      ...coreRecord(s, by),
    });
  }
  table(coreRows);
  for (const n of notes) out(`    ${n}`);
  out('   target: analyze/parse ≤ 1.5×');
  out();

  // yaml-language-server setup and the proof that it validates.
  const schemaPath = path.join(REPO, 'schemas/compose.schema.json');
  let schemaFile = schemaPath;
  let schemaNote = `schemas/compose.schema.json (${Math.round(safeSize(schemaPath) / 1024)} KB)`;
  if (!fs.existsSync(schemaPath)) {
    schemaFile = path.join(tmp, 'compose.placeholder.schema.json');
    fs.writeFileSync(schemaFile, JSON.stringify(PLACEHOLDER_SCHEMA, null, 2));
    schemaNote = 'a tiny PLACEHOLDER schema (schemas/compose.schema.json does not exist yet): yaml-language-server figures understate its real cost';
  }
  const yls = ylsSpec(fileUri(schemaFile), 'stack-bench-*.yml');
  const prodready = prodreadySpec();
  out(`   Servers over stdio: prodready (dist/server.js) vs yaml-language-server ${ylsVersion()} with ${schemaNote}`);
  out(`   debounce on its own: prodready ${prodready.debounceSource}; yaml-language-server ${fmtMs(yls.debounceFor(0))} (${yls.debounceSource})`);
  const validation = await ylsValidationCheck(yls, dir);
  out(`   yaml-language-server validation check: ${validation.detail}`);
  out();

  const rows: string[][] = [LATENCY_HEADER];
  const servers: unknown[] = [];
  const sessionNotes: (() => void)[] = [];
  const lastOpen = new Map<string, { ms: number; lines: number; overBudget: boolean }>();
  const ratioRows: string[][] = [['file', 'p50 ratio', 'p95 ratio', 'peak RSS ratio', 'note']];
  const breakdownRows: string[][] = [['file', 'edit p50', 'debounce', 'core re-analyze', 'rest (messaging, conversion, transport)']];
  for (const s of sizes) {
    const label = `${s.services} services`;
    const pair: Partial<Record<'prodready' | 'yls', Latency>> = {};
    const skipped: Record<string, string> = {};
    const predicted: Record<string, number> = {};
    for (const [which, spec, budget, mention] of [
      ['prodready', prodready, plan.prodreadyBudgetMs, undefined],
      ['yls', yls, plan.ylsBudgetMs, /replicaz/],
    ] as const) {
      // Only a smaller file whose open took a good part of the budget predicts a larger one (open times of
      // small files are mostly fixed start-up cost and would predict nothing).
      const prev = lastOpen.get(which);
      const telling = prev && (prev.overBudget || prev.ms >= budget / 10);
      const skip = telling ? predictSkip(prev, s.lines, budget, `opening the file in ${spec.name}`) : undefined;
      if (skip && prev) {
        predicted[which] = (prev.ms * s.lines) / prev.lines;
        skipped[which] = skip;
        rows.push([label, spec.name, '—', '—', '—', '—', '0', '—', '—']);
        sessionNotes.push(() => out(`    ${label} ${spec.name}: ${skip}`));
        continue;
      }
      const session = await editSession(spec, { file: s.file, languageId: 'yaml', text: s.text, edits: s.edits, check: alternationCheck(mention), budgetMs: budget });
      const figures = latencyFigures(session, spec.debounceFor(s.text.length));
      pair[which] = figures;
      rows.push(latencyRow(label, figures));
      sessionNotes.push(() => printSessionNotes(label, figures));
      // An unanswered open still bounds the next size from below (it took at least that long).
      const openMs = session.openMs ?? session.unanswered?.waitedMs ?? budget;
      lastOpen.set(which, { ms: openMs, lines: s.lines, overBudget: session.unanswered?.what === 'open' || openMs >= budget });
    }
    const p = pair.prodready;
    const y = pair.yls;
    if (p && p.edits > 0) {
      const coreMs = editedMedian.get(s.services) ?? NaN;
      breakdownRows.push([label, fmtMs(p.p50), fmtMs(p.debounceMs), fmtMs(coreMs), fmtMs(p.p50 - p.debounceMs - coreMs)]);
    }
    // A server stopped before it answered had not reached its peak: its figure is a lower bound.
    const ylsUnfinished = !!y?.unanswered;
    const estimate =
      p && p.edits > 0 && y && y.edits === 0
        ? ylsEstimate(y)
        : p && p.edits > 0 && predicted.yls !== undefined
          ? { sign: '≲' as const, ms: predicted.yls, note: `estimated: yaml-language-server skipped, its open predicted at ≥ ${fmtMs(predicted.yls)}` }
          : undefined;
    ratioRows.push([
      label,
      estimate ? `${estimate.sign} ${fmtRatio(p!.p50 / estimate.ms)}` : fmtRatio(ratio(p?.p50, y?.p50)),
      estimate ? `${estimate.sign} ${fmtRatio(p!.p95 / estimate.ms)}` : fmtRatio(ratio(p?.p95, y?.p95)),
      `${ylsUnfinished ? '≤ ' : ''}${fmtRatio(ratio(p?.peakRssMb, y?.peakRssMb))}`,
      estimate ? estimate.note : skipped.yls ? 'yaml-language-server skipped (see above)' : '',
    ]);
    servers.push({ services: s.services, lines: s.lines, prodready: p, yamlLanguageServer: y, skipped, ratios: { p50: ratio(p?.p50, y?.p50), p95: ratio(p?.p95, y?.p95), peakRss: ratio(p?.peakRssMb, y?.peakRssMb) } });
  }
  table(rows);
  for (const n of sessionNotes) n();
  out();
  out('   prodready / yaml-language-server (targets: p50 ≤ 0.5×; peak RSS below 1×)');
  table(ratioRows);
  if (ratioRows.some((r) => r[3].startsWith('≤'))) out('    ≤ on peak RSS: yaml-language-server was stopped before it answered, so its peak is a lower bound');
  out();
  out('   prodready: where an edit\'s p50 goes (core re-analyze = the in-process median above; rest = what the server adds)');
  table(breakdownRows);
  out();
  return {
    generator: 'test/bench/gen/compose.ts',
    seed: SEED,
    core,
    schema: schemaNote,
    debounce: { prodready: { source: prodready.debounceSource }, yamlLanguageServer: { ms: yls.debounceFor(0), source: yls.debounceSource } },
    yamlLanguageServerValidationCheck: validation,
    servers,
  };
}

/**
 * When yaml-language-server answered no edit within its budget, its edit latency is bounded or
 * estimated from what it did answer: an unanswered edit took longer than the wait; an edit needs the
 * same full validation (plus debounce) as the open, so the open time is a fair estimate.
 */
function ylsEstimate(y: Latency): { sign: '<' | '≈' | '≲'; ms: number; note: string } | undefined {
  if (y.unanswered?.what === 'edit') {
    return { sign: '<', ms: y.unanswered.waitedMs, note: `yaml-language-server left an edit unanswered for ${fmtMs(y.unanswered.waitedMs)}` };
  }
  if (y.openMs !== undefined) return { sign: '≈', ms: y.openMs, note: `estimated: yaml-language-server had no budget left for an edit after its ${fmtMs(y.openMs)} open` };
  if (y.unanswered?.what === 'open') {
    return { sign: '≲', ms: y.unanswered.waitedMs, note: `estimated: yaml-language-server did not even answer the open within ${fmtMs(y.unanswered.waitedMs)}` };
  }
  return undefined;
}

async function ylsValidationCheck(spec: ServerSpec, dir: string): Promise<{ ok: boolean; detail: string; messages: string[][] }> {
  const text = generateStack(3, SEED);
  const at = replicasKeyNearMiddle(text);
  const file = path.join(dir, 'stack-bench-check.yml');
  fs.writeFileSync(file, text);
  const messages: string[][] = [];
  const session = await editSession(spec, {
    file,
    languageId: 'yaml',
    text,
    edits: toggleEdits(at, 's', 'z', 2),
    check: (d) => {
      messages.push(d.map((x) => x.message));
      return undefined;
    },
    budgetMs: 30_000,
  });
  const [clean, bad, restored] = messages;
  const ok = !!bad && bad.some((m) => /replicaz/.test(m)) && !!clean && !clean.some((m) => /replicaz/.test(m)) && !!restored && !restored.some((m) => /replicaz/.test(m));
  const badMessage = bad?.find((m) => /replicaz/.test(m));
  const detail = session.aborted
    ? `FAILED: ${session.aborted}`
    : ok
      ? `OK: 3-service stack → ${clean.length} diagnostics; with \`replicaz\` → ${bad.length} ("${badMessage}"); restored → ${restored.length}`
      : `FAILED: no schema error for an unknown key (clean: ${JSON.stringify(clean)}, bad: ${JSON.stringify(bad)}): yaml-language-server figures do not include schema validation`;
  return { ok, detail, messages };
}

/** Stands in for schemas/compose.schema.json until it exists: enough to reject an unknown deploy key. */
const PLACEHOLDER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  patternProperties: { '^x-': {} },
  properties: {
    version: { type: 'string' },
    services: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          deploy: {
            type: 'object',
            properties: {
              mode: { type: 'string' },
              replicas: { type: ['integer', 'string'] },
              placement: { type: 'object' },
              resources: { type: 'object' },
              update_config: { type: 'object' },
              rollback_config: { type: 'object' },
              restart_policy: { type: 'object' },
              labels: {},
            },
            additionalProperties: false,
          },
        },
      },
    },
    networks: { type: 'object' },
    volumes: { type: 'object' },
    secrets: { type: 'object' },
    configs: { type: 'object' },
  },
  additionalProperties: false,
};

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// 2. Helm

const CHART_YAML = [
  'apiVersion: v2',
  'name: bench-platform',
  'description: Umbrella chart generated for the prodready benchmarks',
  'type: application',
  'version: 0.1.0',
  'appVersion: "1.0.0"',
  '',
].join('\n');

async function helmSection(timer: CoreTimer, tmp: string): Promise<unknown> {
  const plan = PLAN.helm;
  out('2. Helm values (issue 3)');
  const generate = loadGenerator('helm', 'generateHelmValues');
  if (!generate) {
    out('   skipped: test/bench/gen/helm.ts (generateHelmValues) does not exist yet');
    out();
    return { skipped: 'test/bench/gen/helm.ts does not exist yet' };
  }
  out(`   generated by test/bench/gen/helm.ts, seed ${SEED}, as values.yaml beside a Chart.yaml; each edit changes one digit`);
  out('   of a numeric value near the middle of the file and back');
  out();
  const sizes = plan.lines.map((lines, i) => {
    const text = generate(lines, SEED);
    const digit = digitNearMiddle(text, /:[ \t]*\d+[ \t]*$/);
    const edits = toggleEdits(digit, digit.from, digit.to, plan.edits[i]);
    const chart = path.join(tmp, `helm-${lines}`);
    fs.mkdirSync(chart, { recursive: true });
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), CHART_YAML);
    const file = path.join(chart, 'values.yaml');
    fs.writeFileSync(file, text);
    return { target: lines, text, lines: lineCount(text), edits, file, edited: applyEdit(text, edits[0]) };
  });

  const coreRows: string[][] = [CORE_HEADER];
  const core: unknown[] = [];
  const notes: string[] = [];
  let previous: { ms: number; lines: number } | undefined;
  for (const [i, s] of sizes.entries()) {
    const key = `helm-${s.target}`;
    const virtual = `/bench/helm-${s.target}`;
    timer.load({ key, text: s.text, edited: s.edited, path: `${virtual}/values.yaml`, kind: 'helm-values', siblings: { [`${virtual}/Chart.yaml`]: CHART_YAML } });
    const skip = predictSkip(previous, s.lines, plan.core.deadlineMs, 'one analyze()');
    const results = await sampleInterleaved(
      timer,
      [
        { label: 'parse', key, task: 'parse' },
        { label: 'coreParse', key, task: 'coreParse' },
        { label: 'analyze', key, task: 'analyze', skip },
        { label: 'analyzeEdited', key, task: 'analyzeEdited', skip },
      ],
      { ...plan.core, warmup: plan.core.warmup && i === 0 },
    );
    const by = (l: string) => results.find((r) => r.label === l);
    coreRows.push(coreRow(`~${s.target.toLocaleString('en-US')} lines`, s.lines, results, by));
    for (const r of results) if (r.stopped) notes.push(`~${s.target} lines ${r.label}: ${r.stopped}`);
    const analyze = by('analyze');
    previous = analyze && analyze.samples.length ? { ms: analyze.median, lines: s.lines } : analyze?.stopped ? { ms: plan.core.deadlineMs, lines: s.lines } : previous;
    await timer.unload(key);
    core.push({
      targetLines: s.target,
      ...coreRecord(s, by),
    });
  }
  table(coreRows);
  for (const n of notes) out(`    ${n}`);
  out();

  const spec = prodreadySpec();
  out(`   Through the server (debounce ${spec.debounceSource})`);
  const rows: string[][] = [LATENCY_HEADER];
  const servers: unknown[] = [];
  const sessionNotes: (() => void)[] = [];
  let lastOpen: { ms: number; lines: number; overBudget: boolean } | undefined;
  for (const s of sizes) {
    const label = `~${s.target.toLocaleString('en-US')} lines`;
    const skip = lastOpen?.overBudget ? predictSkip(lastOpen, s.lines, plan.budgetMs, 'opening the file') : undefined;
    if (skip) {
      rows.push([label, spec.name, '—', '—', '—', '—', '0', '—', '—']);
      sessionNotes.push(() => out(`    ${label}: ${skip}`));
      servers.push({ targetLines: s.target, skipped: skip });
      continue;
    }
    const session = await editSession(spec, { file: s.file, languageId: 'yaml', text: s.text, edits: s.edits, check: detectedCheck('Helm values'), budgetMs: plan.budgetMs });
    const figures = latencyFigures(session, spec.debounceFor(s.text.length));
    rows.push(latencyRow(label, figures));
    sessionNotes.push(() => printSessionNotes(label, figures));
    const openMs = session.openMs ?? session.unanswered?.waitedMs ?? plan.budgetMs;
    lastOpen = { ms: openMs, lines: s.lines, overBudget: session.unanswered?.what === 'open' || openMs >= plan.budgetMs };
    servers.push({ targetLines: s.target, lines: s.lines, prodready: figures });
  }
  table(rows);
  for (const n of sessionNotes) n();
  out();
  return { generator: 'test/bench/gen/helm.ts', seed: SEED, core, servers };
}

// ---------------------------------------------------------------------------------------------------
// 3. Load balancers

interface LbFile {
  label: string;
  kind: 'nginx' | 'haproxy';
  name: string;
  text: string;
  source: string;
}

async function loadBalancerSection(timer: CoreTimer, tmp: string): Promise<unknown> {
  const plan = PLAN.loadBalancers;
  out('3. Load balancers (issue 4)');
  const nginxGen = loadGenerator('nginx', 'generateNginx');
  const haproxyGen = loadGenerator('haproxy', 'generateHaproxy');
  const files: LbFile[] = [];
  const skipped: string[] = [];

  const haproxyCorpus = largestFile(path.join(CORPUS, 'haproxy'));
  if (haproxyCorpus) {
    files.push({ label: 'HAProxy corpus', kind: 'haproxy', name: 'haproxy.cfg', text: fs.readFileSync(haproxyCorpus, 'utf8'), source: path.relative(CORPUS, haproxyCorpus) });
  } else skipped.push(`HAProxy corpus file: nothing in ${path.join(CORPUS, 'haproxy')}`);
  if (nginxGen) {
    files.push({ label: 'NGINX generated', kind: 'nginx', name: 'nginx.conf', text: nginxGen(plan.nginxLines, SEED), source: `test/bench/gen/nginx.ts (lines=${plan.nginxLines}, seed ${SEED})` });
  } else skipped.push('NGINX: test/bench/gen/nginx.ts (generateNginx) does not exist yet');
  for (const f of files) out(`   ${f.label}: ${f.source}`);
  for (const s of skipped) out(`   skipped: ${s}`);
  if (!files.length) {
    out();
    return { skipped };
  }
  out('   each edit changes one digit of a number near the middle of the file and back');
  out();

  // Core: parse + analysis per file.
  const coreRows: string[][] = [['file', 'lines', 'analyze (parse+rules)', 'per 1k lines', 'findings', 'rules applied', 'n']];
  const core: unknown[] = [];
  const notes: string[] = [];
  for (const f of files) {
    const key = `lb-${f.kind}`;
    timer.load({ key, text: f.text, path: `/bench/lb/${f.kind}/${f.name}`, kind: f.kind });
    // Each file is a different parser and rule set: each gets its own warm-up.
    const [analyze] = await sampleInterleaved(timer, [{ label: 'analyze', key, task: 'analyze' }], plan.core);
    await timer.unload(key);
    const lines = lineCount(f.text);
    coreRows.push([f.label, lines.toLocaleString('en-US'), fmtMs(analyze.median), fmtMs((analyze.median / lines) * 1000), String(analyze.findings ?? '—'), String(analyze.rulesApplied ?? '—'), String(analyze.samples.length)]);
    if (analyze.stopped) notes.push(`${f.label}: ${analyze.stopped}`);
    if (analyze.rulesApplied === 0) notes.push(`${f.label}: no rule applied: the ${f.kind} kind has no rules yet (or the file was skipped), so this measures little`);
    core.push({ file: f.label, source: f.source, lines, chars: f.text.length, analyze: seriesSummary(analyze), perKLineMs: (analyze.median / lines) * 1000 });
  }
  table(coreRows);
  for (const n of notes) out(`    ${n}`);
  out();

  // Through the server.
  const spec = prodreadySpec();
  out(`   Through the server (debounce ${spec.debounceSource})`);
  const rows: string[][] = [LATENCY_HEADER];
  const servers: unknown[] = [];
  const sessionNotes: (() => void)[] = [];
  for (const f of files) {
    const dir = path.join(tmp, `lb-${f.kind}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, f.name);
    fs.writeFileSync(file, f.text);
    const digit = digitNearMiddle(f.text);
    const edits: TextEdit[] = toggleEdits(digit, digit.from, digit.to, plan.edits);
    const session = await editSession(spec, { file, languageId: f.kind, text: f.text, edits, check: detectedCheck(f.kind), budgetMs: plan.budgetMs });
    const figures = latencyFigures(session, spec.debounceFor(f.text.length));
    rows.push(latencyRow(f.label, figures));
    sessionNotes.push(() => printSessionNotes(f.label, figures));
    servers.push({ file: f.label, prodready: figures });
  }
  table(rows);
  for (const n of sessionNotes) n();
  out();

  // Linearity: analysis time per 1k lines at 1×, 4×, 16× the size.
  const linearity: unknown[] = [];
  const kinds: { kind: 'nginx' | 'haproxy'; base: number; make?: (lines: number) => string; source: string }[] = [
    { kind: 'nginx', base: plan.linearity.nginx, make: nginxGen && ((n) => nginxGen(n, SEED)), source: 'test/bench/gen/nginx.ts' },
    {
      kind: 'haproxy',
      base: plan.linearity.haproxy,
      make: haproxyGen && ((n) => haproxyGen(n, SEED)),
      source: 'test/bench/gen/haproxy.ts',
    },
  ];
  out(`   Linearity (analysis time per 1k lines at ${plan.linearity.factors.map((x) => `${x}×`).join(' / ')}; ratio to 1×: 1.00× is linear;`);
  out('   maxFileSize raised so that files above the 4 MiB default are analysed, not skipped)');
  const linRows: string[][] = [['config', 'size', 'lines', 'analyze', 'per 1k lines', 'ratio to 1×', 'n']];
  const linNotes: string[] = [];
  for (const k of kinds) {
    if (!k.make) {
      linNotes.push(`${k.kind}: skipped: ${k.source} does not exist yet`);
      linearity.push({ kind: k.kind, skipped: `${k.source} does not exist yet` });
      continue;
    }
    const texts = plan.linearity.factors.map((factor) => ({ factor, text: k.make!(k.base * factor) }));
    // The largest sizes are above the default 4 MiB prodready.maxFileSize; raised here, or they would be skipped.
    for (const t of texts) {
      timer.load({
        key: `lin-${k.kind}-${t.factor}`,
        text: t.text,
        path: `/bench/lin/${k.kind}-${t.factor}/${k.kind === 'nginx' ? 'nginx.conf' : 'haproxy.cfg'}`,
        kind: k.kind,
        settings: { maxFileSize: 1024 * 1024 * 1024 },
      });
    }
    // Sizes are timed round-robin so that load swings hit all of them alike; a size predicted to blow the
    // deadline (from the 1× figure, assuming linear growth) is left out.
    const first = await sampleInterleaved(timer, [{ label: '1×', key: `lin-${k.kind}-${texts[0].factor}`, task: 'analyze' }], { ...plan.core, rounds: 1, warmup: true });
    const baseMs = first[0].median;
    const baseLines = lineCount(texts[0].text);
    const series: Series[] = texts.map((t) => ({
      label: `${t.factor}×`,
      key: `lin-${k.kind}-${t.factor}`,
      task: 'analyze',
      skip: predictSkip({ ms: baseMs, lines: baseLines }, lineCount(t.text), plan.core.deadlineMs, 'one analyze()'),
    }));
    const results = await sampleInterleaved(timer, series, { ...plan.core, warmup: false, budgetMs: plan.core.budgetMs * 3, perSeriesBudgetMs: plan.core.budgetMs });
    const perK = results.map((r, i) => (r.median / lineCount(texts[i].text)) * 1000);
    const entries = results.map((r, i) => {
      const lines = lineCount(texts[i].text);
      linRows.push([k.kind, r.label, lines.toLocaleString('en-US'), fmtMs(r.median), fmtMs(perK[i]), fmtRatio(perK[i] / perK[0]), String(r.samples.length)]);
      if (r.stopped) linNotes.push(`${k.kind} ${r.label}: ${r.stopped}`);
      return { factor: texts[i].factor, lines, analyze: seriesSummary(r), perKLineMs: perK[i], ratioToBase: perK[i] / perK[0] };
    });
    linearity.push({ kind: k.kind, source: k.source, sizes: entries });
    for (const t of texts) await timer.unload(`lin-${k.kind}-${t.factor}`);
  }
  table(linRows);
  for (const n of linNotes) out(`    ${n}`);
  out();
  return { files: files.map((f) => ({ label: f.label, source: f.source })), skipped, core, servers, linearity };
}

function largestFile(dir: string): string | undefined {
  try {
    return fs
      .readdirSync(dir)
      .map((f) => path.join(dir, f))
      .filter((f) => fs.statSync(f).isFile())
      .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------

/** Issue 5: workspace scan throughput, extension activation in the real VS Code, and the .vsix size. */
async function editorSection(): Promise<unknown> {
  out('4. Editor experience (issue 5)');
  const scans: ScanFigures[] = [];
  for (const count of QUICK ? [100] : [100, 1000]) {
    const f = await benchScan(count);
    scans.push(f);
    out(`   workspace scan, ${count} generated configs: ${f.files} files read in ${fmtMs(f.ms)} = ${f.filesPerSecond.toFixed(0)} files/s`);
  }
  let activation: ActivationResult | undefined;
  if (fs.existsSync(path.join(REPO, '.vscode-test/code-server/node_modules/.bin/code-server'))) {
    activation = await measureActivation({ runs: QUICK ? 1 : 5 });
    const m = activation.median;
    out(`   activation in the real VS Code (median of ${activation.runs}): activate() ${fmtMs(m.activateMs)}, server ready ${fmtMs(m.serverReadyMs)}, first diagnostics ${fmtMs(m.firstDiagnosticsMs)}`);
  } else out('   activation: skipped (code-server is not installed: bash scripts/install-code-server.sh)');
  const bytes = vsixSize();
  out(`   .vsix: ${bytes === undefined ? 'not built (npm run package)' : `${(bytes / 1024).toFixed(0)} KB`}`);
  out();
  return { scans, activation, vsixBytes: bytes };
}

async function main(): Promise<void> {
  const started = performance.now();
  const server = path.join(REPO, 'dist/server.js');
  if (!fs.existsSync(server)) throw new Error(`${server} is missing: run \`npm run build\` (npm run bench does) first`);
  const meta = {
    date: new Date().toISOString(),
    mode: QUICK ? 'quick (BENCH_QUICK=1)' : 'full',
    commit: gitCommit(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    loadAverageAtEnd: [] as number[],
    durationS: 0,
  };
  out(`prodready bench — ${meta.mode}, ${meta.date}`);
  out(`node ${meta.node}, ${meta.cpus}, ${meta.memoryGb} GB, commit ${meta.commit}, load average ${meta.loadAverageAtStart.join(' ')}`);
  out('Figures are medians (latency: p50/p95) of samples taken in this run; compare ratios, not absolute times, on a shared machine.');
  out();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-bench-'));
  const report: Record<string, unknown> = { meta };
  try {
    for (const [name, section] of [
      ['compose', composeSection],
      ['helm', helmSection],
      ['helmSchema', async () => helmSchemaSection()],
      ['loadBalancers', loadBalancerSection],
      ['editor', editorSection],
      ['monorepo', monorepoSection],
      ['stress', stressSection],
      ['environments', async () => environmentsSection(out, QUICK)],
    ] as const) {
      if (SECTIONS && !SECTIONS.includes(name)) continue;
      // A fresh timing worker per section: one section's heap does not weigh on the next one's figures.
      const timer = new CoreTimer();
      try {
        report[name] = await section(timer, tmp);
      } catch (e) {
        const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
        out(`   SECTION FAILED: ${message}`);
        out();
        report[name] = { failed: message };
      } finally {
        await timer.dispose();
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  out('Targets (issue 14): this run against them, and yaml-language-server in the same run');
  const targets = targetRows(report as Parameters<typeof targetRows>[0]);
  table(targetTable(targets));
  report.targets = targets;
  out();
  meta.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  meta.durationS = Math.round((performance.now() - started) / 100) / 10;
  fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
  fs.writeFileSync(ARTIFACT, `${JSON.stringify(report, jsonNumbers, 2)}\n`);
  out(`done in ${meta.durationS} s (load average at end ${meta.loadAverageAtEnd.join(' ')}); JSON: ${path.relative(REPO, ARTIFACT)}`);
}

/** Rounds floats for readability and turns NaN/Infinity (missing figures) into null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (!Number.isFinite(value)) return null;
  return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}

// --- 2b. A chart with a big values.schema.json (issue 11) -------------------------------------------

/**
 * Charts such as the big operators ship values.schema.json files of hundreds of kilobytes; compiling one
 * costs seconds. The compiled validator is cached by schema content, so an edit to the values does not
 * compile again. Cold: a schema never seen before (its content varies per round); cached: the same
 * schema after the first analysis. Both analyse the same values text, in this process.
 */
export function helmSchemaSection(): unknown {
  out('2b. Helm values with a ~300 KB values.schema.json (issue 11)');
  const components = QUICK ? 40 : 116;
  const schemaFor = (variant: number) => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < components; i++) {
      properties[`component${i}`] = {
        type: 'object',
        description: `Component ${i} (variant ${variant}): ${'settings of this component. '.repeat(8)}`,
        properties: {
          replicaCount: { type: 'integer', minimum: 1, maximum: 100 },
          image: { type: 'object', properties: { repository: { type: 'string', pattern: '^[a-z0-9./-]+$' }, tag: { type: 'string', minLength: 1 } }, required: ['repository'] },
          resources: { type: 'object', properties: Object.fromEntries(['limits', 'requests'].map((k) => [k, { type: 'object', properties: { cpu: { type: ['string', 'number'] }, memory: { type: 'string', pattern: '^[0-9]+(Mi|Gi)$' } } }])) },
          service: { type: 'object', properties: { type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, port: { type: 'integer', minimum: 1, maximum: 65535 } } },
          extraEnv: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } }, required: ['name'] } },
        },
      };
    }
    return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties }, null, 2);
  };
  const values = Array.from({ length: Math.min(components, 60) }, (_, i) =>
    `component${i}:\n  replicaCount: 2\n  image:\n    repository: registry.example.com/c${i}\n    tag: "1.${i}.0"\n  resources:\n    limits: {cpu: 500m, memory: 512Mi}\n    requests: {cpu: 100m, memory: 256Mi}\n`,
  ).join('');
  const chart = '/bench/big-schema-chart';
  const run = (schema: string, text: string) => {
    const files = { readFile: (p: string) => (p === `${chart}/values.schema.json` ? schema : p === `${chart}/Chart.yaml` ? CHART_YAML : undefined), exists: (p: string) => p === `${chart}/Chart.yaml` || p === `${chart}/values.schema.json` };
    const start = performance.now();
    const result = analyze({ text, path: `${chart}/values.yaml`, files });
    const ms = performance.now() - start;
    if (!result.passed.includes('helm/schema') && !result.findings.some((f) => f.ruleId === 'helm/schema')) throw new Error('helm/schema did not run');
    return ms;
  };
  const rounds = QUICK ? 3 : 5;
  const cold: number[] = [];
  for (let i = 0; i < rounds; i++) cold.push(run(schemaFor(1000 + i), values));
  const schema = schemaFor(1);
  run(schema, values);
  const cached: number[] = [];
  for (let i = 0; i < rounds * 3; i++) cached.push(run(schema, values.replace('replicaCount: 2', `replicaCount: ${2 + (i % 3)}`)));
  const c = percentile(cold, 0.5);
  const w = percentile(cached, 0.5);
  out(`   schema ${(schema.length / 1024).toFixed(0)} KB, ${components} components; values ${values.split('\n').length} lines`);
  out(`   analysis with a cold compile p50 ${c.toFixed(0)} ms; after an edit with the cached validator p50 ${w.toFixed(0)} ms (${ratio(w, c).toFixed(3)}× of cold)`);
  out();
  return { schemaBytes: schema.length, components, coldP50Ms: c, cachedP50Ms: w };
}
