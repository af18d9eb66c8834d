// Fix All: apply the preferred repair of the first fixable finding, analyse again, and repeat — one fix
// per round, because fixes can shift or replace each other (two may each insert the same missing
// `deploy:` key). The server (each round analysed in its worker), the rule fixture tests and anything
// else that fixes a whole file run this one loop; each passes the analysis it wants (settings, files).

import { applyChanges } from './text';
import { AnalysisResult, Finding, Fix } from './types';

/** Enough for any real file; a rule whose fix never removes its finding must not loop for ever. */
const MAX_ROUNDS = 200;

export interface FixAllOutcome {
  /** The text with every auto-fix applied. */
  text: string;
  /** How many fixes were applied (one per round). */
  applied: number;
  /** False when the rounds ran out while fixes were still on offer (a fix that never removes its finding). */
  complete: boolean;
}

/** The repair Fix All applies for a finding: its preferred fix, never a suppression comment. */
export function autoFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.preferred && !f.suppression && f.changes.length > 0);
}

export interface FixAllOptions {
  /** The analysis of the original text, when the caller has it already. */
  first?: AnalysisResult;
  /** Fix only these findings (e.g. one rule's, as "fix all problems of this rule"); default every one. */
  only?: (finding: Finding) => boolean;
}

/**
 * Applies every auto-fix to `text`. `analyse` runs the core on a candidate text (the same input as the
 * first analysis, only the text differs).
 */
export async function fixAll(
  text: string,
  analyse: (text: string) => AnalysisResult | Promise<AnalysisResult>,
  options: FixAllOptions = {},
): Promise<FixAllOutcome> {
  const seen = new Set<string>([text]);
  let current = text;
  let result = options.first ?? (await analyse(text));
  const only = options.only ?? (() => true);
  // A fix whose result was already seen (it undoes another) or that fails to apply is not tried again.
  const refused = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = nextText(current, result.findings.filter(only), seen, refused);
    if (next === undefined) return { text: current, applied: round, complete: true };
    seen.add(next);
    current = next;
    result = await analyse(current);
  }
  return { text: current, applied: MAX_ROUNDS, complete: nextText(current, result.findings.filter(only), seen, refused) === undefined };
}

/** The text after the first auto-fix that applies and leads somewhere new, if any. */
function nextText(current: string, findings: Finding[], seen: Set<string>, refused: Set<string>): string | undefined {
  for (const finding of findings) {
    const fix = autoFix(finding);
    if (!fix) continue;
    const id = JSON.stringify([finding.ruleId, fix.changes]);
    if (refused.has(id)) continue;
    let candidate: string;
    try {
      candidate = applyChanges(current, fix.changes);
    } catch {
      refused.add(id);
      continue;
    }
    if (seen.has(candidate)) {
      refused.add(id);
      continue;
    }
    return candidate;
  }
  return undefined;
}
