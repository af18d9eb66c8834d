// Running a kind's rules on a context: what the engine (analyze.ts) and environments (environments.ts)
// both do before the engine applies settings, suppressions and limits to what was reported.

import { BaseContext, KindModule } from './kind';
import { EnvironmentFiles, Fix, Fixes, Report, RuleMeta, Settings } from './types';

/** A rule's report, not yet through the engine; `error`: the rule threw. */
export interface RuleReport {
  meta: RuleMeta;
  report: Report;
  error?: string;
}

export interface Collected {
  reports: RuleReport[];
  /** The rules that ran. */
  applicable: string[];
  /** The environments the reports are about (see AnalysisResult.environments). */
  environments?: string[];
  /** See AnalysisResult.environmentFiles. */
  environmentFiles?: EnvironmentFiles[];
}

/**
 * Every rule's reports on a context (or those of the rules `only` accepts), before the engine applies
 * settings, suppressions and limits.
 */
export function collectReports<Ctx extends BaseContext>(
  mod: KindModule<Ctx>,
  ctx: Ctx,
  variant: string | undefined,
  settings: Settings,
  only?: (id: string) => boolean,
): Collected {
  const reports: RuleReport[] = [];
  const applicable: string[] = [];
  for (const rule of mod.rules) {
    if (settings.rules[rule.meta.id] === 'off' || (only && !only(rule.meta.id))) continue;
    if (rule.meta.variant !== undefined && rule.meta.variant !== variant) continue;
    applicable.push(rule.meta.id);
    try {
      rule.check(ctx, (report) => reports.push({ meta: rule.meta, report: typeof report.fixes === 'function' ? { ...report, fixes: recorded(report.fixes) } : report }));
    } catch (e) {
      // One broken rule must not take the others (or the server) down with it; say so in the file.
      reports.push({ meta: rule.meta, report: { span: { start: 0, end: 0 }, message: '' }, error: (e as Error)?.message ?? String(e) });
    }
  }
  return { reports, applicable };
}

/** The fix functions rules report during the analysis recordingFixes runs, in report order. */
let recording: (() => Fix[])[] | undefined;

/**
 * Runs an analysis and returns, with its value, every fix function its rules reported, in report order
 * and computed once each. Calling them all in that order before reading any gives exactly the fixes the
 * rules would have computed on the spot (a fix may depend on the names an earlier one took).
 */
export function recordingFixes<T>(analysis: () => T): { value: T; fixes: (() => Fix[])[] } {
  const outer = recording;
  const fixes: (() => Fix[])[] = [];
  recording = fixes;
  try {
    return { value: analysis(), fixes };
  } finally {
    recording = outer;
  }
}

function recorded(compute: () => Fix[]): () => Fix[] {
  let fixes: Fix[] | undefined;
  const once = (): Fix[] => {
    if (!fixes) {
      try {
        fixes = compute();
      } catch {
        // A fix that cannot be planned is not offered; the finding stands.
        fixes = [];
      }
    }
    return fixes;
  };
  recording?.push(once);
  return once;
}

/** A report's fixes, computed now if they were deferred. */
export function fixesNow(fixes: Fixes | undefined): Fix[] {
  return typeof fixes === 'function' ? fixes() : (fixes ?? []);
}

/** `fixes` turned into others by `change`, as late as `fixes` are computed. */
export function mapFixes(fixes: Fixes | undefined, change: (fixes: Fix[]) => Fix[]): Fixes {
  return typeof fixes === 'function' ? () => change(fixes()) : change(fixes ?? []);
}
