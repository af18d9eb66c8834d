import { DiscoveredEnvironment, FileEnvironments } from './env/discovery';
import { Environment } from './env/model';
import { EnvFile } from './env/virtual';
import { AnalysisCache, FileAccess, FileKind, Rule, RuleMeta, Settings, SyntaxReport } from './types';

/** What a rule's check sees besides its kind's own model. */
export interface BaseContext {
  text: string;
  path: string;
  settings: Settings;
  files: FileAccess;
  /** Per-document state between analyses (see AnalysisInput.cache); kinds may keep parse results here. */
  cache?: AnalysisCache;
  /** See AnalysisInput.environment. */
  environment?: string;
}

export type { SyntaxReport } from './types';

/**
 * A narrower form of a kind that some rules are limited to (compose: `swarm-stack`, a file that
 * `docker stack deploy` reads). Its id can be named in `prodready.files` and the CLI's `--kind`.
 */
export interface KindVariant {
  id: string;
  /** What a person calls such a file, singular (`Docker stack file (Swarm)`). */
  label: string;
  /** Plural, for rule pages (`Swarm stacks`). */
  plural: string;
}

/**
 * One supported file kind: how to recognise it, how to parse it into the model its rules read, the
 * rules, and everything the server, the CLI and the client need to know about it. The engine in
 * analyze.ts, the server and the client are generic: adding a kind means adding a module here.
 */
export interface KindModule<Ctx extends BaseContext = BaseContext> {
  kind: FileKind;
  /** What a person calls such a file, singular (`Helm values`); shown in the Readiness view. */
  label: string;
  /** Plural, for rule pages and the README (`Helm values files`). */
  plural: string;
  /** A product icon (codicon) id for the Readiness view. */
  icon: string;
  variants?: KindVariant[];
  /**
   * Files of this kind named for a non-production environment (`values-dev.yaml`,
   * `docker-compose.ci.yml`) are skipped unless `checkNonProductionFiles` is on. Kinds whose files are
   * named after sites (`sites-enabled/test.example.com`) leave this off.
   */
  environmentNames?: boolean;
  /**
   * Globs ('**'-style, matched against '/'-separated paths) of the files worth reading when the
   * workspace is scanned; detection then decides. Also the files the server asks the client to watch.
   */
  scanGlobs: string[];
  /**
   * Globs of other files whose content can change how files of this kind are analysed (Chart.yaml,
   * values.schema.json): watched by the server. Which file depends on which is learned from what each
   * analysis reads (AnalysisResult.dependencies).
   */
  dependencyGlobs?: string[];
  /**
   * A file of this kind that belongs to a dependency (a subchart's values under `charts/<name>/`):
   * read by environments, never reported on; analysis skips it as `dependency`.
   */
  isDependency?(path: string, files: FileAccess): boolean;
  /** Name-based detection (path is absolute and '/'-separated). */
  matchesName(path: string, files: FileAccess): boolean;
  /**
   * How deeply the text nests, in one linear pass (see nesting.ts). Beyond MAX_NESTING the file is not
   * parsed: recursive parsers would exhaust the stack. Kinds without recursive parsing leave it out.
   */
  nesting?(text: string): number;
  /**
   * How many of the constructs the parser is slowest on the text holds, in one linear pass (see
   * nesting.ts). Beyond MAX_YAML_MARKS the file is not parsed. Kinds whose parser is linear leave it out.
   */
  marks?(text: string): number;
  /** Content-based detection for files whose name is not conclusive. Must be cheap. */
  sniff(text: string, path: string): boolean;
  /**
   * Parses the text; never throws. `variant`: forced by settings or the caller (a variant id, or null
   * for the plain kind); undefined lets the kind decide from the file.
   */
  prepare(base: BaseContext, options: { variant?: string | null }): { ctx: Ctx; syntax: SyntaxReport[] };
  rules: Rule<Ctx>[];
  /** Metadata of the ids SyntaxReports use (they have no check of their own: parsing finds them). */
  syntaxRules: RuleMeta[];
  /** The variant the prepared file is (rules with a `meta.variant` run only on files of that variant). */
  variantOf?(ctx: Ctx): string | undefined;
  /** Files of this kind deploy together with others (overlays): see environments.ts. */
  environments?: EnvironmentSupport<Ctx>;
}

/** How a kind's files form environments, and the context its rules read on an environment. */
export interface EnvironmentSupport<Ctx extends BaseContext> {
  /** The environments the file is part of, and its role in them. */
  discover(base: BaseContext): FileEnvironments;
  /**
   * Builds one environment, `base.text` standing for the analysed file, and the context the rules
   * read on its merged document: `text` is the environment's virtual text, `path` the analysed file.
   */
  prepare(base: BaseContext, environment: DiscoveredEnvironment, options: { variant?: string | null }): PreparedEnvironment<Ctx>;
  /** Rules that judge each file alone (a schema), never the merged document. */
  fileRules: string[];
  /**
   * Rules judged on the merged document whose findings stay on the file that wrote the offending value,
   * at their own severity (a schema the tool checks on the merged values, as Helm does
   * values.schema.json): on the analysed file when it wrote it; on the overlay when no user file did
   * (a subchart's default); nowhere else (the file that wrote it reports it).
   */
  valueRules?: string[];
  /**
   * Whether a sequence an overlay writes replaces the one beneath (Helm) rather than merging into it
   * by item (Compose). Maps always merge; scalars always replace.
   */
  sequencesReplace: boolean;
}

export interface PreparedEnvironment<Ctx> {
  ctx: Ctx;
  env: Environment;
  /** How a message names a dependency's file (`the postgresql subchart's default`). */
  originLabel?(file: EnvFile): string | undefined;
}
