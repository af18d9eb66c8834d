// Everything the client and the server agree on besides standard LSP, in one place. Each custom
// message is a namespace with its method name and its type, imported by both sides.

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** The configuration section the server reads (`prodready.*` in settings.json). */
export const CONFIG_SECTION = 'prodready';

/** Language ids whose documents the server analyses; detection then decides per file. */
export const DOCUMENT_LANGUAGES = ['yaml', 'dockercompose', 'helm', 'nginx', 'haproxy'] as const;

/** Diagnostic `source`. */
export const DIAGNOSTIC_SOURCE = 'prodready';

export type ReadinessCategory = 'encryption' | 'availability' | 'data' | 'secrets' | 'operability' | 'correctness';
export type ReadinessSeverity = 'error' | 'warning' | 'information' | 'hint';
export type ReadinessSkipReason = 'not-a-config' | 'non-production' | 'too-large' | 'excluded' | 'binary';

export interface ReadinessRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface ReadinessFinding {
  ruleId: string;
  severity: ReadinessSeverity;
  message: string;
  range: ReadinessRange;
  category: ReadinessCategory;
  /** The rule's documentation page (a file: URI inside the extension). */
  docsUrl?: string;
  /** Whether a repair (not just a suppression) is available. */
  fixable: boolean;
}

export interface ReadinessCheck {
  ruleId: string;
  description: string;
  category: ReadinessCategory;
}

export interface FileReadiness {
  uri: string;
  /** The file kind's id, when recognised. */
  kind?: string;
  /** The kind's variant the file was analysed as (e.g. `swarm-stack`). */
  variant?: string;
  /** What the file is, for people (`Docker stack file (Swarm)`, `Helm values`). */
  label?: string;
  /** A product icon (codicon) id for the file's kind. */
  icon?: string;
  skipped?: ReadinessSkipReason;
  findings: ReadinessFinding[];
  /** Rules that applied and found nothing. */
  passed: ReadinessCheck[];
  /** passed / (passed + failed rules), 0–100; undefined for skipped files. */
  score?: number;
  /** Whether the result comes from the open editor's text (true) or from the file on disk. */
  open: boolean;
}

export interface ReadinessReport {
  files: FileReadiness[];
  /** Workspace score: all passed checks / all applicable checks, 0–100 (undefined with no files). */
  score?: number;
  counts: { error: number; warning: number; information: number; hint: number };
  /** True while the workspace scan is still running (the report is partial). */
  scanning: boolean;
}

/** Client → server: the readiness of every deployment config in the workspace. */
export namespace ReadinessRequest {
  export const method = 'prodready/readiness';
  export const type = new RequestType<{ includeSkipped?: boolean }, ReadinessReport, void>(method);
}

/** Server → client: the report changed (a file was analysed, added or removed); ask again. */
export namespace ReadinessChangedNotification {
  export const method = 'prodready/readinessChanged';
  export const type = new NotificationType<{ uris: string[] }>(method);
}

/** Client → server: scan the workspace folders again from scratch. */
export namespace RescanRequest {
  export const method = 'prodready/rescan';
  export const type = new RequestType<void, void, void>(method);
}

/** Client → server: every preferred, non-suppression fix for one file, as one edit (Fix All). */
export namespace FixAllRequest {
  export const method = 'prodready/fixAll';
  export const type = new RequestType<{ uri: string; version?: number }, { changes: { range: ReadinessRange; newText: string }[]; version?: number }, void>(
    method,
  );
}
