// The one entry point every consumer calls: the language server, the CLI, the benchmarks and the tests.

import { matchesGlob } from './glob';
import { basename } from './paths';
import { BaseContext, KindModule } from './kind';
import { kindModule, KIND_MODULES } from './registry';
import { disableForLineFix, findSuppressions, isSuppressed } from './suppress';
import { LineIndex } from './text';
import {
  AnalysisInput,
  AnalysisResult,
  DEFAULT_SETTINGS,
  FileAccess,
  FileKind,
  Finding,
  NO_FILE_ACCESS,
  Report,
  RuleMeta,
  Settings,
  SkipReason,
} from './types';

export interface Detection {
  kind?: FileKind;
  swarm?: boolean;
  skipped?: SkipReason;
}

const NON_PRODUCTION_SEGMENTS = new Set(['override', 'dev', 'development', 'local', 'test', 'tests', 'testing', 'ci']);

/** `docker-compose.ci.postgres.yml`, `values-dev.yaml`, `stack_local.yml`: named for a non-production environment. */
export function isNonProductionName(path: string): boolean {
  const name = basename(path).replace(/\.[^.]*$/, '');
  return name
    .toLowerCase()
    .split(/[._-]+/)
    .some((segment) => NON_PRODUCTION_SEGMENTS.has(segment));
}

export function resolveSettings(partial?: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, ...partial, rules: { ...partial?.rules }, files: { ...partial?.files } };
}

export function detect(input: AnalysisInput, settings: Settings, files: FileAccess): Detection {
  const { text, path } = input;
  let configured: Detection | undefined;
  for (const [glob, kind] of Object.entries(settings.files)) {
    if (!matchesGlob(path, glob)) continue;
    if (kind === 'off') return { skipped: 'excluded' };
    // `compose` in the setting means a plain compose file: the Swarm-only rules stay quiet even when
    // a service has `deploy:` (which `docker compose` honours too).
    configured = kind === 'swarm-stack' ? { kind: 'compose', swarm: true } : kind === 'compose' ? { kind, swarm: false } : { kind };
  }
  if (input.kind) return { kind: input.kind, swarm: input.swarm ?? configured?.swarm };
  if (configured) return { ...configured, swarm: input.swarm ?? configured.swarm };
  if (looksBinary(text)) return { skipped: 'binary' };
  let kind = KIND_MODULES.find((m) => m.matchesName(path, files))?.kind;
  if (!kind) kind = KIND_MODULES.find((m) => m.sniff(text, path))?.kind;
  if (!kind) return { skipped: 'not-a-config' };
  // Environment names are a YAML convention (values-dev.yaml, docker-compose.ci.yml); NGINX and HAProxy
  // files are named after sites (sites-enabled/test.example.com), where the same words mean nothing.
  const yamlKind = kind === 'compose' || kind === 'helm-values';
  if (yamlKind && !settings.checkNonProductionFiles && isNonProductionName(path)) return { kind, skipped: 'non-production' };
  return { kind, swarm: input.swarm };
}

function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\0');
}

export function analyze(input: AnalysisInput): AnalysisResult {
  const settings = resolveSettings(input.settings);
  const files = input.files ?? NO_FILE_ACCESS;
  const detection = detect(input, settings, files);
  if (!detection.kind || detection.skipped) {
    return { kind: detection.kind, skipped: detection.skipped ?? 'not-a-config', findings: [], passed: [] };
  }
  if (input.text.length > settings.maxFileSize) return { kind: detection.kind, skipped: 'too-large', findings: [], passed: [] };
  return runRules(kindModule(detection.kind), { text: input.text, path: input.path, settings, files, cache: input.cache }, detection.swarm);
}

function runRules<Ctx extends BaseContext>(mod: KindModule<Ctx>, base: BaseContext, swarm: boolean | undefined): AnalysisResult {
  const { text, settings } = base;
  const { ctx, syntax } = mod.prepare(base, { swarm });
  const lines = new LineIndex(text);
  const suppressions = findSuppressions(text, lines);
  const findings: Finding[] = [];
  const failed = new Set<string>();
  const applicable: string[] = [];

  // A value shared through an anchor is seen once per service that merges it; the author fixes it once.
  const reported = new Set<string>();
  const accept = (meta: RuleMeta, r: Report): void => {
    const setting = settings.rules[meta.id];
    if (setting === 'off') return;
    failed.add(meta.id);
    const span = clampSpan(r.span, text.length);
    const key = `${meta.id}:${span.start}:${span.end}`;
    if (reported.has(key)) return;
    reported.add(key);
    if (isSuppressed(suppressions, meta.id, lines.lineAt(span.start))) return;
    const severity = setting ?? r.severity ?? meta.defaultSeverity;
    findings.push({ ruleId: meta.id, severity, message: r.message, span, fixes: r.fixes ?? [] });
  };

  const syntaxMeta = new Map(mod.syntaxRules.map((m) => [m.id, m]));
  for (const meta of mod.syntaxRules) if (settings.rules[meta.id] !== 'off') applicable.push(meta.id);
  for (const s of syntax) {
    const meta = syntaxMeta.get(s.ruleId);
    if (meta) accept(meta, s);
  }
  for (const rule of mod.rules) {
    if (settings.rules[rule.meta.id] === 'off') continue;
    if (mod.applies && !mod.applies(rule, ctx)) continue;
    applicable.push(rule.meta.id);
    try {
      rule.check(ctx, (r) => accept(rule.meta, r));
    } catch (e) {
      // One broken rule must not take the others (or the server) down with it; say so in the file.
      accept(rule.meta, {
        span: { start: 0, end: 0 },
        severity: 'error',
        message: `prodready internal error in ${rule.meta.id}: ${(e as Error)?.message ?? e}. Please report it.`,
      });
    }
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  // Where the file does not parse, the parser's recovery decides what the rules saw; an edit computed
  // from that guess could land anywhere. Repairs wait until the syntax is fixed; suppressions do not.
  const broken = syntax.some((s) => (s.severity ?? 'error') === 'error');
  for (const f of findings) f.fixes = [...(broken ? [] : f.fixes), disableForLineFix(text, lines, f)];
  const passed = applicable.filter((id) => !failed.has(id));
  return { kind: mod.kind, ...mod.describe?.(ctx), findings, passed };
}

function clampSpan(span: { start: number; end: number }, length: number): { start: number; end: number } {
  const start = Math.max(0, Math.min(span.start, length));
  return { start, end: Math.max(start, Math.min(span.end, length)) };
}

let metas: Map<string, RuleMeta> | undefined;

/** Every rule's metadata (syntax rules included), for docs, settings and the sidebar. */
export function allRuleMetas(): RuleMeta[] {
  return [...ruleMetaMap().values()];
}

/** Looked up once per finding by the server: a map, built on first use. */
export function ruleMeta(id: string): RuleMeta | undefined {
  return ruleMetaMap().get(id);
}

function ruleMetaMap(): Map<string, RuleMeta> {
  if (!metas) {
    metas = new Map();
    for (const m of KIND_MODULES) for (const meta of [...m.syntaxRules, ...m.rules.map((r) => r.meta)]) if (!metas.has(meta.id)) metas.set(meta.id, meta);
  }
  return metas;
}
