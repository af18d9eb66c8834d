import { AnalysisCache, FileAccess, FileKind, Report, Rule, RuleMeta, Settings } from './types';

/** What a rule's check sees besides its kind's own model. */
export interface BaseContext {
  text: string;
  path: string;
  settings: Settings;
  files: FileAccess;
  /** Per-document state between analyses (see AnalysisInput.cache); kinds may keep parse results here. */
  cache?: AnalysisCache;
}

/** A syntax problem found while parsing, reported under the kind's syntax rule id. */
export interface SyntaxReport extends Report {
  ruleId: string;
}

/**
 * One supported file kind: how to recognise it, how to parse it into the model its rules read, and
 * the rules. Everything kind-specific lives behind this interface; the engine in analyze.ts is generic.
 */
export interface KindModule<Ctx extends BaseContext = BaseContext> {
  kind: FileKind;
  /** Name-based detection (path is absolute and '/'-separated). */
  matchesName(path: string, files: FileAccess): boolean;
  /** Content-based detection for files whose name is not conclusive. Must be cheap. */
  sniff(text: string, path: string): boolean;
  /** Parses the text; never throws. */
  prepare(base: BaseContext, options: { swarm?: boolean }): { ctx: Ctx; syntax: SyntaxReport[] };
  rules: Rule<Ctx>[];
  /** Metadata of the ids SyntaxReports use (they have no check of their own: parsing finds them). */
  syntaxRules: RuleMeta[];
  /** Whether a rule applies to this particular file (e.g. Swarm-only rules on plain compose files). */
  applies?(rule: Rule<Ctx>, ctx: Ctx): boolean;
  /** Extra facts for the result (compose: whether the file was treated as a Swarm stack). */
  describe?(ctx: Ctx): { swarm?: boolean };
}
