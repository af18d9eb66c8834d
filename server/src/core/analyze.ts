// The one entry point every consumer calls: the language server, the CLI, the benchmarks and the tests.

import { matchesGlob } from './glob';
import { basename } from './paths';
import { Collected, collectReports, fixesNow, recordingFixes } from './collect';
import { environmentReports } from './environments';
import { BaseContext, KindModule, SyntaxReport } from './kind';
import { MAX_NESTING, MAX_YAML_MARKS } from './nesting';
import { kindModules, resolveKindName } from './registry';
import { resolveSettings } from './settings';
import { disableForLineFix, findSuppressions, isSuppressed } from './suppress';
import { LineIndex } from './text';
import { AnalysisCache, AnalysisInput, AnalysisResult, FileAccess, FileKind, Finding, Fix, Fixes, NO_FILE_ACCESS, Report, RuleMeta, Settings, SkipReason } from './types';

export { resolveSettings } from './settings';
export { allRuleMetas, ruleMeta } from './catalog';

export interface Detection {
  kind?: FileKind;
  /** A variant id, null for the plain kind, undefined when the kind decides from the file. */
  variant?: string | null;
  skipped?: SkipReason;
}

/** Findings of one rule in one file beyond this are summed up in one finding rather than listed. */
export const MAX_FINDINGS_PER_RULE = 1000;

const NON_PRODUCTION_SEGMENTS = new Set(['override', 'dev', 'development', 'local', 'test', 'tests', 'testing', 'ci']);

/** `docker-compose.ci.postgres.yml`, `values-dev.yaml`, `stack_local.yml`: named for a non-production environment. */
export function isNonProductionName(path: string): boolean {
  const name = basename(path).replace(/\.[^.]*$/, '');
  return name
    .toLowerCase()
    .split(/[._-]+/)
    .some((segment) => NON_PRODUCTION_SEGMENTS.has(segment));
}

export function detect(input: AnalysisInput, settings: Settings, files: FileAccess): Detection {
  const { text, path } = input;
  let configured: Detection | undefined;
  for (const [glob, name] of Object.entries(settings.files)) {
    if (!matchesGlob(path, glob)) continue;
    if (name === 'off') return { skipped: 'excluded' };
    // A kind named in the setting means its plain form: `compose` is a plain compose file, whose
    // Swarm-only rules stay quiet even when a service has `deploy:` (which `docker compose` honours too).
    const named = resolveKindName(name);
    if (named) configured = { kind: named.mod.kind, variant: named.variant };
  }
  if (input.kind) {
    const named = resolveKindName(input.kind);
    const forced = named?.variant ?? undefined;
    return { kind: named?.mod.kind ?? input.kind, variant: input.variant !== undefined ? input.variant : forced ?? configured?.variant };
  }
  if (configured) return { ...configured, variant: input.variant !== undefined ? input.variant : configured.variant };
  if (looksBinary(text)) return { skipped: 'binary' };
  const mods = kindModules();
  const mod = mods.find((m) => m.matchesName(path, files)) ?? mods.find((m) => m.sniff(text, path));
  if (!mod) return { skipped: 'not-a-config' };
  if (mod.environmentNames && !settings.checkNonProductionFiles && isNonProductionName(path)) return { kind: mod.kind, skipped: 'non-production' };
  if (mod.isDependency?.(path, files)) return { kind: mod.kind, skipped: 'dependency' };
  return { kind: mod.kind, variant: input.variant };
}

function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\0');
}

export function analyze(input: AnalysisInput): AnalysisResult {
  const deferred = input.fixes === 'deferred';
  if (!deferred) {
    const earlier = deferredAnalysis(input);
    if (earlier) return earlier;
  }
  // A byte-order mark is kept in the file but invisible to the rules; a line break written as a lone CR
  // (classic Mac, or mixed files) is read as a line break. Both are undone on the way out.
  const text = normalised(input.text);
  const analysed = text.bom || text.loneCR ? restore(analyzeText({ ...input, text: text.analysed }), text) : analyzeText(input);
  if (input.cache) delete input.cache[DEFERRED];
  if (!deferred) {
    analysed.fill?.();
    return analysed.result;
  }
  if (input.cache && analysed.fill) input.cache[DEFERRED] = { input: sameInput(input), analysed } satisfies Deferred;
  // Copies: the kept findings get their fixes later, the caller's stay as they were returned.
  return { ...analysed.result, findings: analysed.result.findings.map((f) => ({ ...f })), fixesDeferred: true };
}

/** An analysis, and what fills in its findings' fixes when they are deferred. */
interface Analysed {
  result: AnalysisResult;
  /** Sets every finding's fixes; undefined when there are none to compute. Runs once. */
  fill?: () => void;
}

/** Where a deferred analysis waits in the document's cache for its fixes to be asked for. */
const DEFERRED = 'deferredFixes';

interface Deferred {
  input: string;
  analysed: Analysed;
}

/** What must be equal for an eager analysis to reuse a deferred one: everything but the caches and file access. */
function sameInput(input: AnalysisInput): string {
  const { text, path, settings, kind, variant, environment } = input;
  return JSON.stringify([path, settings, kind, variant, environment, text.length]) + text;
}

/** The deferred analysis of this very input, its fixes now computed. */
function deferredAnalysis(input: AnalysisInput): AnalysisResult | undefined {
  const kept = (input.cache as AnalysisCache | undefined)?.[DEFERRED] as Deferred | undefined;
  if (!kept || kept.input !== sameInput(input)) return undefined;
  kept.analysed.fill?.();
  return kept.analysed.result;
}

interface Normalised {
  analysed: string;
  /** Byte-order marks at the start (an editor or a concatenation can leave more than one). */
  bom: number;
  loneCR: boolean;
  /** The file breaks lines with CR only: fixes must too. */
  crOnly: boolean;
}

function normalised(text: string): Normalised {
  let bom = 0;
  while (text.charCodeAt(bom) === 0xfeff) bom++;
  let analysed = text.slice(bom);
  const loneCR = analysed.includes('\r') && /\r(?!\n)/.test(analysed);
  // Same length, so every offset stays where it was.
  if (loneCR) analysed = analysed.replace(/\r(?!\n)/g, '\n');
  return { analysed, bom, loneCR, crOnly: loneCR && !text.includes('\n') };
}

function restore(analysed: Analysed, text: Normalised): Analysed {
  const { result, fill } = analysed;
  const shift = text.bom;
  for (const f of [...result.findings, ...(result.suppressed ?? [])]) f.span = { start: f.span.start + shift, end: f.span.end + shift };
  if (!fill) return analysed;
  return {
    result,
    fill: once(() => {
      fill();
      for (const f of result.findings) {
        for (const fix of f.fixes) {
          fix.changes = fix.changes.map((c) => ({
            start: c.start + shift,
            end: c.end + shift,
            newText: text.crOnly ? c.newText.replace(/\r?\n/g, '\r') : c.newText,
          }));
        }
      }
    }),
  };
}

function once(run: () => void): () => void {
  let done = false;
  return () => {
    if (!done) run();
    done = true;
  };
}

function analyzeText(input: AnalysisInput): Analysed {
  const settings = resolveSettings(input.settings);
  const files = recordingAccess(input.files ?? NO_FILE_ACCESS, input.path);
  const detection = detect(input, settings, files.access);
  const analysed = ((): Analysed => {
    if (!detection.kind || detection.skipped) {
      return { result: { kind: detection.kind, skipped: detection.skipped ?? 'not-a-config', findings: [], passed: [] } };
    }
    const mod = kindModules().find((m) => m.kind === detection.kind);
    if (!mod) return { result: { kind: undefined, skipped: 'not-a-config', findings: [], passed: [] } };
    if (input.text.length > settings.maxFileSize) return { result: { kind: detection.kind, skipped: 'too-large', findings: [], passed: [] } };
    const base = { text: input.text, path: input.path, settings, files: files.access, cache: input.cache, environment: input.environment };
    try {
      const depth = mod.nesting?.(input.text) ?? 0;
      if (depth > MAX_NESTING) return notAnalysed(mod, base, `nested too deeply: ${depth} levels, more than the ${MAX_NESTING} prodready reads; not analysed`);
      const marks = mod.marks?.(input.text) ?? 0;
      if (marks > MAX_YAML_MARKS) {
        const count = (n: number) => n.toLocaleString('en-US');
        return notAnalysed(
          mod,
          base,
          `too many anchors, aliases, tags and flow brackets: ${count(marks)}, more than the ${count(MAX_YAML_MARKS)} prodready reads; not analysed (real files have a few thousand at most: is this file generated or damaged?)`,
        );
      }
      return runRules(mod, base, detection.variant);
    } catch (e) {
      // Rules are guarded one by one; this is a failure of parsing or of the engine itself. The file
      // says so instead of the analysis (and the server or the CLI run) dying with it.
      return notAnalysed(mod, base, `could not be analysed: ${(e as Error)?.message ?? String(e)}`);
    }
  })();
  if (files.read.size > 0) analysed.result.dependencies = [...files.read].sort();
  return analysed;
}

/** Wraps the caller's file access to learn which other files the analysis depended on. */
function recordingAccess(files: FileAccess, self: string): { access: FileAccess; read: Set<string> } {
  const read = new Set<string>();
  const note = (path: string) => {
    if (path !== self) read.add(path);
  };
  return {
    read,
    access: {
      readFile(path) {
        note(path);
        return files.readFile(path);
      },
      exists(path) {
        note(path);
        return files.exists(path);
      },
      ...(files.readArchive && {
        readArchive(path: string) {
          note(path);
          return files.readArchive!(path);
        },
      }),
    },
  };
}

function runRules<Ctx extends BaseContext>(mod: KindModule<Ctx>, base: BaseContext, forcedVariant: string | null | undefined): Analysed {
  const { ctx, syntax } = mod.prepare(base, { variant: forcedVariant });
  const variant = mod.variantOf?.(ctx);
  const { value: judged, fixes } = recordingFixes(() => {
    const own = (only?: (id: string) => boolean) => collectReports(mod, ctx, variant, base.settings, only);
    // A file deployed together with others is judged on what the environment deploys (environments.ts).
    return mod.environments ? environmentReports(mod, mod.environments, base, forcedVariant, own) : own();
  });
  return finish(mod, base, variant, syntax, judged, fixes);
}

function finish<Ctx extends BaseContext>(
  mod: KindModule<Ctx>,
  base: BaseContext,
  variant: string | undefined,
  syntax: SyntaxReport[],
  judged: Collected,
  deferredFixes: (() => Fix[])[],
): Analysed {
  const { text, settings } = base;
  const lines = new LineIndex(text);
  const suppressions = findSuppressions(text, lines);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  /** Each finding's fixes as its rule reported them (computed or not yet). */
  const reportedFixes = new Map<Finding, Fixes>();
  const failed = new Set<string>();
  const applicable: string[] = [];

  // A value shared through an anchor is seen once per service that merges it; the author fixes it once.
  // Distinct notes on one span (two schema constraints one value breaks) carry distinct dedupe keys.
  const reported = new Set<string>();
  const perRule = new Map<string, number>();
  const accept = (meta: RuleMeta, r: Report): void => {
    const setting = settings.rules[meta.id];
    if (setting === 'off') return;
    failed.add(meta.id);
    const span = clampSpan(r.span, text.length);
    const key = `${meta.id}:${span.start}:${span.end}:${r.dedupeKey ?? ''}`;
    if (reported.has(key)) return;
    reported.add(key);
    if (isSuppressed(suppressions, meta.id, lines.lineAt(span.start))) {
      // Bounded like findings: a file-wide directive over a pathological file lists no million entries.
      if (suppressed.length < MAX_FINDINGS_PER_RULE) suppressed.push({ ruleId: meta.id, severity: setting ?? r.severity ?? meta.defaultSeverity, message: r.message, span, fixes: [] });
      return;
    }
    // A pathological file (a 5 MB line of anchors) must not turn into millions of diagnostics.
    const count = (perRule.get(meta.id) ?? 0) + 1;
    perRule.set(meta.id, count);
    if (count > MAX_FINDINGS_PER_RULE) return;
    const severity = setting ?? r.severity ?? meta.defaultSeverity;
    if (!meta.fixable && (typeof r.fixes === 'function' || r.fixes?.length)) {
      // A rule that says it has no fixes must not slip one in: its docs, the README and the settings
      // would all say otherwise. Loud, so the rule's tests catch it.
      findings.push(internalError(meta, `offered a fix but is not marked fixable`));
      return;
    }
    const finding: Finding = { ruleId: meta.id, severity, message: r.message, span, fixes: [], ...(r.related?.length ? { related: r.related } : {}) };
    if (r.fixes) reportedFixes.set(finding, r.fixes);
    findings.push(finding);
  };

  const syntaxMeta = new Map(mod.syntaxRules.map((m) => [m.id, m]));
  for (const meta of mod.syntaxRules) if (settings.rules[meta.id] !== 'off') applicable.push(meta.id);
  for (const s of syntax) {
    const meta = syntaxMeta.get(s.ruleId);
    if (meta) accept(meta, s);
  }
  applicable.push(...judged.applicable);
  for (const { meta, report, error } of judged.reports) {
    if (error === undefined) accept(meta, report);
    else {
      failed.add(meta.id);
      findings.push(internalError(meta, error));
    }
  }
  for (const [id, count] of perRule) {
    if (count <= MAX_FINDINGS_PER_RULE) continue;
    const first = findings.find((f) => f.ruleId === id)!;
    findings.push({
      ...first,
      message: `${count - MAX_FINDINGS_PER_RULE} more ${id} findings in this file are not shown (the first ${MAX_FINDINGS_PER_RULE} are).`,
      fixes: [],
    });
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  // Where the file does not parse, the parser's recovery decides what the rules saw; an edit computed
  // from that guess could land anywhere. Repairs wait until the syntax is fixed; suppressions do not.
  const broken = syntax.some((s) => (s.severity ?? 'error') === 'error');
  const fill = once(() => {
    // Every deferred fix, in the order the rules reported them (dropped findings' too), as they would
    // have been computed on the spot: then each finding's are exactly what an eager run gives.
    for (const compute of deferredFixes) compute();
    for (const f of findings) f.fixes = [...(broken ? [] : fixesNow(reportedFixes.get(f))), disableForLineFix(text, lines, f)];
  });
  const passed = applicable.filter((id) => !failed.has(id));
  const silenced = suppressed.length ? { suppressed } : {};
  const environments = judged.environments ? { environments: judged.environments } : {};
  const environmentFiles = judged.environmentFiles?.length ? { environmentFiles: judged.environmentFiles } : {};
  return { result: { kind: mod.kind, ...(variant ? { variant } : {}), findings, passed, ...environments, ...environmentFiles, ...silenced }, fill };
}

/** A file the rules could not run on: one finding of the kind's syntax rule, at the top of the file. */
function notAnalysed(mod: KindModule<any>, base: BaseContext, message: string): Analysed {
  const syntax = mod.syntaxRules[0];
  const setting = syntax && base.settings.rules[syntax.id];
  if (!syntax || setting === 'off') return { result: { kind: mod.kind, findings: [], passed: [] } };
  const finding: Finding = { ruleId: syntax.id, severity: setting ?? 'error', message, span: { start: 0, end: 0 }, fixes: [] };
  return { result: { kind: mod.kind, findings: [finding], passed: [] } };
}

function internalError(meta: RuleMeta, what: string): Finding {
  return {
    ruleId: meta.id,
    severity: 'error',
    message: `prodready internal error in ${meta.id}: ${what}. Please report it.`,
    span: { start: 0, end: 0 },
    fixes: [],
  };
}

function clampSpan(span: { start: number; end: number }, length: number): { start: number; end: number } {
  const start = Math.max(0, Math.min(span.start, length));
  return { start, end: Math.max(start, Math.min(span.end, length)) };
}
