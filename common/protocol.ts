// Everything the client and the server agree on besides standard LSP, in one place. Each custom
// message is a namespace with its method name and its type, imported by both sides. The vocabulary
// (severities, categories, why a file was skipped) is the analysis core's own.

import { NotificationType, Range, RequestType, RequestType0, TextEdit } from 'vscode-languageserver-protocol';
import type { Category, Severity, SkipReason } from '../server/src/core/types';

export type { Category, Severity, SkipReason };

/** The configuration section the server reads (`prodready.*` in settings.json). */
export const CONFIG_SECTION = 'prodready';

/**
 * VS Code language ids whose documents the server analyses; detection then decides per file. These
 * are the editor's names for languages (some happen to equal a file kind's id), not prodready's kinds.
 */
export const DOCUMENT_LANGUAGES = ['yaml', 'dockercompose', 'helm', 'nginx', 'haproxy'] as const;

/** Diagnostic `source`. */
export const DIAGNOSTIC_SOURCE = 'prodready';

/**
 * The code action kind of "Disable <rule> for this line": a quick fix (any client lists it with the
 * others) that a client can tell apart from the repairs by kind, never by its title.
 */
export const SUPPRESSION_ACTION_KIND = 'quickfix.prodready.disable';

/** Fix All as a source action (editor.codeActionsOnSave: {"source.fixAll": …} asks for it). */
export const FIX_ALL_ACTION_KIND = 'source.fixAll.prodready';

export interface ReadinessFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  category: Category;
  /** The rule's documentation page (a file: URI inside the extension). */
  docsUrl?: string;
  /** Whether a repair (not just a suppression) is available. */
  fixable: boolean;
}

export interface ReadinessCheck {
  ruleId: string;
  description: string;
  category: Category;
}

export interface FileReadiness {
  uri: string;
  /** The file kind's id, when recognised. */
  kind?: string;
  /** The kind's variant the file was analysed as, when it has one. */
  variant?: string;
  /** What the file is, for people (`Docker stack file (Swarm)`, `Helm values`). */
  label?: string;
  /** A product icon (codicon) id for the file's kind. */
  icon?: string;
  skipped?: SkipReason;
  findings: ReadinessFinding[];
  /** Rules that applied and found nothing. */
  passed: ReadinessCheck[];
  /** passed / (passed + failed rules), 0–100; undefined for skipped files. */
  score?: number;
  /** Whether the result comes from the open editor's text (true) or from the file on disk. */
  open: boolean;
  /** The environments that deploy the file together with others (none: it deploys alone). */
  environments?: FileEnvironment[];
}

export interface FileEnvironment {
  /** `production`, `prod`, or a declared environment's name. */
  name: string;
  production: boolean;
  /** The user's files deployed together, in merge order (URIs); subchart defaults are not listed. */
  files: string[];
}

/** A group of files deployed together (a chart's values and its production overlay), scored as one. */
export interface EnvironmentReadiness extends FileEnvironment {
  /** Passed / applicable checks over its files that the report has, 0–100. */
  score?: number;
  counts: Record<Severity, number>;
}

export interface ReadinessReport {
  files: FileReadiness[];
  /** Workspace score: all passed checks / all applicable checks, 0–100 (undefined with no files). */
  score?: number;
  counts: Record<Severity, number>;
  /** True while the workspace scan is still running (the report is partial). */
  scanning: boolean;
  /**
   * Environments of several files, each once (a client may show them as a level above their files;
   * plain diagnostics never depend on it).
   */
  environments?: EnvironmentReadiness[];
}

export interface ReadinessParams {
  /** List files that are recognised but not checked, with the reason (default true). */
  includeSkipped?: boolean;
}

/** Client → server: the readiness of every deployment config in the workspace. */
export namespace ReadinessRequest {
  export const method = 'prodready/readiness';
  export const type = new RequestType<ReadinessParams | null | undefined, ReadinessReport, void>(method);
}

export interface ReadinessChangedParams {
  /** Files whose entry changed (none: something else did, e.g. whether a scan is running). */
  uris: string[];
}

/** Server → client: the report changed (a file was analysed, added or removed); ask again. */
export namespace ReadinessChangedNotification {
  export const method = 'prodready/readinessChanged';
  export const type = new NotificationType<ReadinessChangedParams>(method);
}

/** Client → server: scan the workspace folders again from scratch; resolves when that scan ends. */
export namespace RescanRequest {
  export const method = 'prodready/rescan';
  export const type = new RequestType0<void, void>(method);
}

export interface FixAllParams {
  uri: string;
  /**
   * The version of the open document the edits are for. When the server's document is at another
   * version, it answers no changes and its current version (ask again, or give up); without a version
   * the edits are for whatever text the server has (the open document's, else the file on disk).
   */
  version?: number;
}

export interface FixAllResult {
  /** Whole-line edits, in document order, never overlapping. */
  changes: TextEdit[];
  /** The document version the changes apply to; absent when they were computed from the file on disk. */
  version?: number;
}

/** Client → server: every preferred, non-suppression fix for one file, as one edit (Fix All). */
export namespace FixAllRequest {
  export const method = 'prodready/fixAll';
  export const type = new RequestType<FixAllParams, FixAllResult, void>(method);
}
