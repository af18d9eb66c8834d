// The analysis core's vocabulary. Nothing here knows about LSP or VS Code: positions are character
// offsets into the analysed text, and only server/src/server/convert.ts turns them into LSP ranges.

/**
 * A file kind's id (`compose`, `helm-values`, `nginx`, `haproxy`, …): whatever a registered KindModule
 * says it is. Nothing outside a kind's own folder compares it with a literal.
 */
export type FileKind = string;

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** Readiness categories, used to group findings and passed checks in the sidebar. */
export type Category = 'encryption' | 'availability' | 'data' | 'secrets' | 'operability' | 'correctness';

/** Half-open character range [start, end) in the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** One replacement of the text in [start, end) by newText. Fixes are lists of these, never whole documents. */
export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  changes: TextChange[];
  /** The fix a user most likely wants; becomes `isPreferred` on the code action. */
  preferred?: boolean;
  /** A "disable this rule here" comment rather than a repair; never applied by Fix All. */
  suppression?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  fixes: Fix[];
  /**
   * Other places the finding is about: for a value production inherits from a shared file, where that
   * file writes it. `line` and `character` are 0-based, in the other file's text.
   */
  related?: RelatedPlace[];
}

export interface RelatedPlace {
  /** Absolute, '/'-separated. */
  path: string;
  span: Span;
  line: number;
  character: number;
  message: string;
}

export interface RuleMeta {
  /** `<kind>/<what-is-wrong>` in kebab case; also the diagnostic code and the docs page name. */
  id: string;
  /** One line: what the rule checks. */
  description: string;
  defaultSeverity: Severity;
  category: Category;
  /** Whether the rule offers repairs; the engine refuses (and reports) a fix from a rule that is not. */
  fixable: boolean;
  /**
   * The rule applies only to files of this variant of its kind (e.g. `swarm-stack`, compose files that
   * `docker stack deploy` reads); see KindModule.variants. The kinds a rule applies to are the modules
   * that register it.
   */
  variant?: string;
}

/**
 * A finding's fixes, or a function that computes them. Fixes that take real work (edits planned over the
 * parse tree) are given as a function: the engine calls it only when fixes are asked for (code actions,
 * Fix All, `--fix`), so the analysis run on every keystroke does not pay for them. The function may
 * depend on state the rule's other fixes in the same run change (a fresh name taken by an earlier fix):
 * the engine calls every one of a run's functions, in report order, before reading any.
 */
export type Fixes = Fix[] | (() => Fix[]);

/** What a rule reports; the engine fills in the rule id and applies the user's severity settings. */
export interface Report {
  span: Span;
  message: string;
  fixes?: Fixes;
  /** Overrides the rule's default severity for this one finding (e.g. information for a deliberate choice). */
  severity?: Severity;
  /**
   * The engine keeps one finding per rule and span (a value merged into several places is one line to
   * change). Reports that are distinct notes on the same span (two schema constraints one value breaks)
   * give each a different key.
   */
  dedupeKey?: string;
  /** Set by the engine for findings of an environment (see environments.ts), not by rules. */
  related?: RelatedPlace[];
}

/** A syntax problem found while parsing, reported under the kind's syntax rule id. */
export interface SyntaxReport extends Report {
  ruleId: string;
}

export interface Rule<Ctx> {
  meta: RuleMeta;
  check(ctx: Ctx, report: (r: Report) => void): void;
}

export interface Settings {
  /** Per-rule severity override, keyed by rule id. */
  rules: Record<string, SeveritySetting>;
  minReplicas: number;
  /**
   * Glob → kind id or kind variant id (`swarm-stack`); wins over name and content detection. A kind id
   * means its plain form (no variant); `off` excludes matching files.
   */
  files: Record<string, string>;
  checkNonProductionFiles: boolean;
  /** Files larger than this (in characters) are skipped rather than analysed. */
  maxFileSize: number;
  /** Declared environments, by name: they win over discovery for the charts and compose files they name. */
  environments: Record<string, EnvironmentDeclaration>;
  /** Environment names that mean production, compared case-insensitively (`values-<name>.yaml`, `--env <name>`). */
  productionEnvironments: string[];
  /**
   * The folder declared environments' paths are relative to: the workspace folder (editor), the
   * current directory (CLI). Absolute, '/'-separated.
   */
  root?: string;
}

export interface HelmDeclaration {
  /** The chart folder, relative to the root (the workspace folder or the config file's folder). */
  chart: string;
  /** Values files relative to the chart folder, in `-f` order (the chart's values.yaml first). */
  values: string[];
}

export interface ComposeDeclaration {
  /** Compose files relative to the root, in `-f` / `-c` order. */
  files: string[];
  /** Deployed with `docker stack deploy` (Swarm-only rules apply). */
  swarm?: boolean;
  /** `--env-file`, relative to the root; by default `.env` beside the first file. */
  envFile?: string;
}

/**
 * One declared environment, e.g. in settings
 * `"prodready.environments": { "production": { "helm": { "chart": "charts/shop", "values": ["values.yaml", "values-prod.yaml"] },
 *   "compose": { "files": ["deploy/docker-compose.yml", "deploy/docker-compose.prod.yml"], "swarm": true } } }`
 * (the same shape sits under `environments:` in the project configuration file, its paths relative to
 * that file's folder). Paths are relative to Settings.root.
 */
export interface EnvironmentDeclaration {
  /** Whether findings on it are production findings; by default, whether its name is a production name. */
  production?: boolean;
  helm?: HelmDeclaration | HelmDeclaration[];
  compose?: ComposeDeclaration | ComposeDeclaration[];
}

export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  minReplicas: 2,
  files: {},
  checkNonProductionFiles: false,
  maxFileSize: 4 * 1024 * 1024,
  environments: {},
  productionEnvironments: ['prod', 'production', 'prd', 'live'],
};

/**
 * Read-only access to files next to the analysed one (Chart.yaml, values.schema.json, NGINX includes).
 * Injected so the core never touches the file system itself; paths are absolute, '/'-separated.
 */
export interface FileAccess {
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
  /**
   * The text files values merging needs from a packaged chart (`charts/<name>-<version>.tgz`), read in
   * memory with size caps: its entries, or the problem that stopped the read. Left out by hosts that
   * cannot decompress; the core then reports the subchart as unread.
   */
  readArchive?(path: string): { entries: { path: string; text: string }[] } | { problem: string };
}

export const NO_FILE_ACCESS: FileAccess = { readFile: () => undefined, exists: () => false };

export interface AnalysisInput {
  text: string;
  /** Absolute, '/'-separated path (or the path part of a URI); used for detection and sibling lookups. */
  path: string;
  settings?: Partial<Settings>;
  files?: FileAccess;
  /**
   * Forces the file kind (CLI `--kind`, tests): a kind id (its variant is still detected) or a variant
   * id such as `swarm-stack` (that kind and variant).
   */
  kind?: string;
  /** Forces the variant: an id of the kind's variants, or null for the plain kind. */
  variant?: string | null;
  /**
   * State kept by the caller between analyses of the same document (one object per document), which
   * lets parsing reuse the unchanged parts of the previous version. Optional; results are the same.
   */
  cache?: AnalysisCache;
  /**
   * Judge the file in this environment (CLI `--env`) rather than in the production ones. Files in no
   * environment of that name say so in `AnalysisResult.environments`.
   */
  environment?: string;
  /**
   * `eager` (default): every finding carries its fixes. `deferred`: findings carry none and the result
   * says `fixesDeferred`; the fixes are computed only when the same input is analysed again with the
   * same `cache` and `eager` (the server's code actions), which then reuses that analysis instead of
   * running it again. Findings are identical either way.
   */
  fixes?: 'eager' | 'deferred';
}

/** Opaque per-document state; create with `{}` and pass the same object for each new version. */
export interface AnalysisCache {
  [key: string]: unknown;
}

/** `dependency`: a file of someone else's package the user's files deploy with (a subchart's values). */
export type SkipReason = 'not-a-config' | 'non-production' | 'too-large' | 'excluded' | 'binary' | 'dependency';

export interface AnalysisResult {
  kind: FileKind | undefined;
  /** The kind's variant the file was analysed as (e.g. `swarm-stack`), when it has one. */
  variant?: string;
  skipped?: SkipReason;
  findings: Finding[];
  /**
   * Findings a `prodready-disable…` comment silenced (without fixes; the first 1,000), for reports that
   * list suppressions (SARIF); absent when there are none. Nothing else reads them: they are not findings.
   */
  suppressed?: Finding[];
  /** Ids of rules that applied to this file and found nothing (after suppression and settings). */
  passed: string[];
  /**
   * Other files the analysis read or looked for (Chart.yaml, values.schema.json, included NGINX files),
   * absolute and '/'-separated: when one of them changes, this file's result may change.
   */
  dependencies?: string[];
  /**
   * The environments the file was judged in (`production`, or the one AnalysisInput.environment
   * names), for kinds whose files deploy together; a file deployed alone is in `production`.
   */
  environments?: string[];
  /** The findings' fixes were not computed (AnalysisInput.fixes `deferred`). */
  fixesDeferred?: true;
  /**
   * For a file judged together with others: each of those environments and its files (the user's, in
   * merge order; subchart defaults are not listed). A client groups files by it (the Readiness view).
   */
  environmentFiles?: EnvironmentFiles[];
}

export interface EnvironmentFiles {
  name: string;
  production: boolean;
  files: string[];
}
