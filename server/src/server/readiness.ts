// The readiness report behind the sidebar: one entry per deployment config, from the open editor's text
// when the file is open and from the workspace scan otherwise, with findings grouped by category, the
// checks that passed, and scores. Listeners hear which files changed, at most every ~100 ms.

import { Diagnostic } from 'vscode-languageserver';
import { detect, resolveSettings, ruleMeta } from '../core/analyze';
import { kindPresentation } from '../core/catalog';
import { AnalysisResult, FileKind } from '../core/types';
import { FileReadiness, ReadinessReport } from '../../../common/protocol';
import { uriPath } from './diagnostics';
import { diskFileAccess } from '../host/files';

/** A file's readiness without the `open` flag (which depends on where the entry is kept). */
export type Readiness = Omit<FileReadiness, 'open'>;

export interface Entry {
  uri: string;
  /** Undefined for a file that is not a deployment config (not part of the report). */
  readiness?: Readiness;
  /** The findings as diagnostics (for publishing closed files' findings). */
  diagnostics: Diagnostic[];
}

/**
 * The readiness of one analysed text. `diagnostics` are `result.findings` converted one to one (same
 * order), so the ranges come from the one place that converts offsets.
 */
export function entryFor(uri: string, path: string, result: AnalysisResult, diagnostics: Diagnostic[]): Entry {
  // A file excluded through `prodready.files: off` has no detected kind; name detection still says what
  // it would have been, which is what a list of skipped configs needs.
  const kind = result.kind ?? (result.skipped === 'excluded' ? kindByName(path) : undefined);
  // Files that are not deployment configs (every other YAML file, binaries) are not part of the report.
  if (!kind) return { uri, diagnostics };
  const findings = result.findings.map((f, i) => {
    const meta = ruleMeta(f.ruleId);
    const docsUrl = diagnostics[i]?.codeDescription?.href;
    return {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      range: diagnostics[i].range,
      category: meta?.category ?? 'correctness',
      ...(docsUrl ? { docsUrl } : {}),
      fixable: f.fixes.some((fix) => !fix.suppression && fix.changes.length > 0),
    };
  });
  const passed = result.passed.map((id) => {
    const meta = ruleMeta(id);
    return { ruleId: id, description: meta?.description ?? id, category: meta?.category ?? 'correctness' };
  });
  const readiness: Readiness = { uri, kind, findings, passed };
  if (result.variant !== undefined) readiness.variant = result.variant;
  const presentation = kindPresentation(kind, result.variant);
  if (presentation) Object.assign(readiness, presentation);
  if (result.skipped) readiness.skipped = result.skipped;
  else {
    const { passed: p, applicable } = tally(readiness);
    if (applicable > 0) readiness.score = Math.round((p / applicable) * 100);
  }
  return { uri, readiness, diagnostics };
}

/** The kind a file's name alone gives (no content: used for files that are never read). */
export function kindByName(path: string): FileKind | undefined {
  try {
    return detect({ text: '', path }, resolveSettings({ checkNonProductionFiles: true }), diskFileAccess).kind;
  } catch {
    return undefined;
  }
}

/** Passed rules and applicable rules (passed + rules with at least one finding). */
function tally(r: Readiness): { passed: number; applicable: number } {
  const failed = new Set(r.findings.map((f) => f.ruleId));
  return { passed: r.passed.length, applicable: r.passed.length + failed.size };
}

export class ReadinessIndex {
  /** Results of the workspace scan (files on disk), by key (see `keyOf`). */
  private readonly disk = new Map<string, Entry>();
  /** Results of open documents (the editor's text), by key; these win over `disk`. */
  private readonly open = new Map<string, Entry>();
  private readonly changed = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly notify: (uris: string[]) => void,
    private readonly throttleMs = 100,
  ) {}

  getDisk(key: string): Entry | undefined {
    return this.disk.get(key);
  }

  diskKeys(): IterableIterator<string> {
    return this.disk.keys();
  }

  /** Sets (or with undefined, removes) a file's result from disk; says whether it changed. */
  setDisk(key: string, entry: Entry | undefined): boolean {
    const old = this.disk.get(key);
    if (entry) this.disk.set(key, entry);
    else this.disk.delete(key);
    const changed = !same(old, entry);
    if (changed && !this.open.has(key) && (entry?.readiness || old?.readiness)) this.markChanged((entry ?? old)!.uri);
    return changed;
  }

  /** Sets (or, when the document closes, removes) an open document's result. */
  setOpen(key: string, entry: Entry | undefined): boolean {
    const old = this.open.get(key);
    if (entry) this.open.set(key, entry);
    else this.open.delete(key);
    // Closing a document shows its result from disk again (or drops it), which is a change too.
    const changed = !same(old, entry);
    const shown = entry?.readiness || old?.readiness || this.disk.get(key)?.readiness;
    if (changed && shown) this.markChanged((entry ?? old)!.uri);
    return changed;
  }

  /** Schedules a ReadinessChanged notification (with no uri: something else changed, e.g. `scanning`). */
  markChanged(uri?: string): void {
    if (uri) this.changed.add(uri);
    // Throttled, not debounced: during a scan results change continuously, and the sidebar should
    // still fill in as it goes.
    this.timer ??= setTimeout(() => this.flush(), this.throttleMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const uris = [...this.changed];
    this.changed.clear();
    this.notify(uris);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  report(includeSkipped: boolean, scanning: boolean): ReadinessReport {
    const files: FileReadiness[] = [];
    for (const [key, entry] of this.disk) if (entry.readiness && !this.open.has(key)) files.push({ ...entry.readiness, open: false });
    for (const entry of this.open.values()) if (entry.readiness) files.push({ ...entry.readiness, open: true });
    files.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    let passed = 0;
    let applicable = 0;
    for (const f of files) {
      if (f.skipped) continue;
      for (const finding of f.findings) counts[finding.severity]++;
      const t = tally(f);
      passed += t.passed;
      applicable += t.applicable;
    }
    return {
      files: includeSkipped ? files : files.filter((f) => !f.skipped),
      ...(applicable > 0 ? { score: Math.round((passed / applicable) * 100) } : {}),
      counts,
      scanning,
    };
  }
}

function same(a: Entry | undefined, b: Entry | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.uri === b.uri && JSON.stringify(a.readiness) === JSON.stringify(b.readiness);
}

/** The identity of a file across URI spellings: the decoded path for file: URIs, the URI otherwise. */
export function keyOf(uri: string): string {
  return uri.startsWith('file:') ? uriPath(uri) : uri;
}
