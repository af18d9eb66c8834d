// Running a kind's rules on a context: what the engine (analyze.ts) and environments (environments.ts)
// both do before the engine applies settings, suppressions and limits to what was reported.

import { BaseContext, KindModule } from './kind';
import { EnvironmentFiles, Report, RuleMeta, Settings } from './types';

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
      rule.check(ctx, (report) => reports.push({ meta: rule.meta, report }));
    } catch (e) {
      // One broken rule must not take the others (or the server) down with it; say so in the file.
      reports.push({ meta: rule.meta, report: { span: { start: 0, end: 0 }, message: '' }, error: (e as Error)?.message ?? String(e) });
    }
  }
  return { reports, applicable };
}
