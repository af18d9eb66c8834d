// The analysis core's vocabulary. Nothing here knows about LSP or VS Code: positions are character
// offsets into the analysed text, and only server/src/server/convert.ts turns them into LSP ranges.

export type FileKind = 'compose' | 'helm-values' | 'nginx' | 'haproxy';
export const FILE_KINDS: readonly FileKind[] = ['compose', 'helm-values', 'nginx', 'haproxy'];

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
}

export interface RuleMeta {
  /** `<kind>/<what-is-wrong>` in kebab case; also the diagnostic code and the docs page name. */
  id: string;
  /** One line: what the rule checks. */
  description: string;
  defaultSeverity: Severity;
  kinds: FileKind[];
  category: Category;
  fixable: boolean;
  /** Compose only: the rule applies to Swarm stacks (`docker stack deploy`) and not to plain compose files. */
  swarmOnly?: boolean;
}

/** What a rule reports; the engine fills in the rule id and applies the user's severity settings. */
export interface Report {
  span: Span;
  message: string;
  fixes?: Fix[];
  /** Overrides the rule's default severity for this one finding (e.g. information for a deliberate choice). */
  severity?: Severity;
}

export interface Rule<Ctx> {
  meta: RuleMeta;
  check(ctx: Ctx, report: (r: Report) => void): void;
}

export interface Settings {
  /** Per-rule severity override, keyed by rule id. */
  rules: Record<string, SeveritySetting>;
  minReplicas: number;
  /** Glob → kind; wins over name and content detection. `off` excludes matching files. */
  files: Record<string, FileKind | 'swarm-stack' | 'off'>;
  checkNonProductionFiles: boolean;
  /** Files larger than this (in characters) are skipped rather than analysed. */
  maxFileSize: number;
}

export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  minReplicas: 2,
  files: {},
  checkNonProductionFiles: false,
  maxFileSize: 10 * 1024 * 1024,
};

/**
 * Read-only access to files next to the analysed one (Chart.yaml, values.schema.json, NGINX includes).
 * Injected so the core never touches the file system itself; paths are absolute, '/'-separated.
 */
export interface FileAccess {
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}

export const NO_FILE_ACCESS: FileAccess = { readFile: () => undefined, exists: () => false };

export interface AnalysisInput {
  text: string;
  /** Absolute, '/'-separated path (or the path part of a URI); used for detection and sibling lookups. */
  path: string;
  settings?: Partial<Settings>;
  files?: FileAccess;
  /** Forces the file kind (CLI `--kind`, tests); detection still decides Swarm-ness for compose. */
  kind?: FileKind;
  /** Forces Swarm-stack treatment of a compose file. */
  swarm?: boolean;
  /**
   * State kept by the caller between analyses of the same document (one object per document), which
   * lets parsing reuse the unchanged parts of the previous version. Optional; results are the same.
   */
  cache?: AnalysisCache;
}

/** Opaque per-document state; create with `{}` and pass the same object for each new version. */
export interface AnalysisCache {
  [key: string]: unknown;
}

export type SkipReason = 'not-a-config' | 'non-production' | 'too-large' | 'excluded' | 'binary';

export interface AnalysisResult {
  kind: FileKind | undefined;
  /** Compose only: whether Swarm-only rules applied. */
  swarm?: boolean;
  skipped?: SkipReason;
  findings: Finding[];
  /** Ids of rules that applied to this file and found nothing (after suppression and settings). */
  passed: string[];
}
