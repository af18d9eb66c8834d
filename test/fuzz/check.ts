// The properties every input must keep, whatever the damage: analyze() returns within a generous bound
// and reports no internal failure; every finding's span and every fix's change lies within the text, a
// fix's changes do not overlap; and each preferred repair, applied, gives text that analyses the same way.

import { analyze } from '../../server/src/core/analyze';
import { applyChanges } from '../../server/src/core/text';
import { AnalysisInput, AnalysisResult, Fix } from '../../server/src/core/types';
import { rng } from '../bench/gen/random';

export interface CheckOptions {
  /** An analysis using more CPU time than this is a failure (generous: includes the parser's garbage collection). */
  boundMs: number;
  /** At most this many preferred repairs are applied and re-analysed per input (a random choice of them). */
  maxRepairs: number;
}

export interface CheckOutcome {
  /** What broke; empty when the input passed. */
  problems: string[];
  /** CPU time of the first analysis, in ms. */
  ms: number;
  findings: number;
  repairs: number;
  /** Repairs after which the file had more syntax findings (a repair that breaks the file; reported, not failed). */
  repairsBreakingSyntax: number;
  /** For each such repair: its title and the syntax findings it added, so the long run can name them. */
  breakingRepairs: string[];
}

const isSyntax = (ruleId: string) => ruleId.endsWith('/syntax');

/** Internal failures the engine contained: a rule that threw, or a parser that did. */
function internalFailures(result: AnalysisResult): string[] {
  return result.findings
    .filter((f) => f.message.startsWith('prodready internal error') || (isSyntax(f.ruleId) && f.message.startsWith('could not be analysed:')))
    .map((f) => `${f.ruleId}: ${f.message}`);
}

function fixProblems(fix: Fix, length: number): string[] {
  const problems: string[] = [];
  const sorted = [...fix.changes].sort((a, b) => a.start - b.start || a.end - b.end);
  let end = 0;
  for (const c of sorted) {
    if (!(Number.isInteger(c.start) && Number.isInteger(c.end) && c.start >= 0 && c.start <= c.end && c.end <= length)) {
      problems.push(`fix "${fix.title}": change [${c.start}, ${c.end}) outside the text (length ${length})`);
    } else if (c.start < end) problems.push(`fix "${fix.title}": change [${c.start}, ${c.end}) overlaps the one ending at ${end}`);
    end = Math.max(end, c.end);
  }
  return problems;
}

/** analyze() guarded: an exception is a problem, not the end of the run. */
function timedAnalyze(input: AnalysisInput, what: string, options: CheckOptions, problems: string[]): { result?: AnalysisResult; ms: number } {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let result: AnalysisResult | undefined;
  try {
    result = analyze(input);
  } catch (e) {
    problems.push(`${what}: analyze() threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  // The bound is on the CPU time the analysis used, not the wall clock: on a shared machine a busy
  // neighbour stretches the wall clock of a fast analysis, while CPU time measures the work itself.
  // (A true hang is caught either way: the parent kills a child silent for FUZZ_STALL_MS.)
  const used = process.cpuUsage(cpu0);
  const ms = (used.user + used.system) / 1000;
  if (ms > options.boundMs) {
    problems.push(`${what}: analyze() used ${Math.round(ms)} ms of CPU (${Math.round(performance.now() - t0)} ms wall), over the ${options.boundMs} ms bound`);
  }
  if (result) for (const f of internalFailures(result)) problems.push(`${what}: ${f}`);
  return { result, ms };
}

export function checkInput(input: AnalysisInput, options: CheckOptions, seed = 0): CheckOutcome {
  const problems: string[] = [];
  const { result, ms } = timedAnalyze(input, 'analysis', options, problems);
  const outcome: CheckOutcome = { problems, ms, findings: result?.findings.length ?? 0, repairs: 0, repairsBreakingSyntax: 0, breakingRepairs: [] };
  if (!result) return outcome;
  const length = input.text.length;
  const repairs: Fix[] = [];
  for (const f of result.findings) {
    if (!(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= length)) problems.push(`${f.ruleId}: span [${f.span.start}, ${f.span.end}) outside the text (length ${length})`);
    for (const fix of f.fixes) {
      problems.push(...fixProblems(fix, length).map((p) => `${f.ruleId}: ${p}`));
      if (fix.preferred && !fix.suppression && fix.changes.length) repairs.push(fix);
    }
  }
  if (problems.length) return outcome;
  const r = rng(seed);
  const chosen = repairs.length <= options.maxRepairs ? repairs : Array.from({ length: options.maxRepairs }, () => r.pick(repairs));
  const syntaxBefore = result.findings.filter((f) => isSyntax(f.ruleId));
  for (const fix of chosen) {
    const fixed = applyChanges(input.text, fix.changes);
    const after = timedAnalyze({ ...input, text: fixed }, `after the repair "${fix.title}"`, options, problems);
    outcome.repairs++;
    const syntaxAfter = after.result?.findings.filter((f) => isSyntax(f.ruleId)) ?? [];
    if (syntaxAfter.length > syntaxBefore.length) {
      outcome.repairsBreakingSyntax++;
      const before = new Set(syntaxBefore.map((f) => f.message));
      const added = syntaxAfter.filter((f) => !before.has(f.message)).map((f) => f.message.slice(0, 200));
      outcome.breakingRepairs.push(`"${fix.title}" (${fix.changes.map((c) => `[${c.start},${c.end})`).join(' ')}) added: ${added.join(' | ')}`);
    }
  }
  return outcome;
}
