// The readiness report behind the sidebar, a projection of two sources: the workspace scan's store
// (files on disk) and the open documents' latest analyses (which win over the disk). One entry per
// deployment config, with findings grouped by category, the checks that passed, and scores. Listeners
// hear which files changed, at most every ~100 ms.

import { pathToFileURL } from 'node:url';
import { Range } from 'vscode-languageserver';
import { detect, resolveSettings, ruleMeta } from '../core/analyze';
import { kindPresentation } from '../core/catalog';
import { AnalysisResult, Category, FileKind } from '../core/types';
import { EnvironmentReadiness, FileReadiness, ReadinessReport } from '../../../common/protocol';
import { diskFileAccess } from '../host/files';
import { keyOf } from './uris';
import { ResultStore, StoredResult } from './workspace/store';

/** A file's readiness without the `open` flag (which depends on where the result came from). */
export type Readiness = Omit<FileReadiness, 'open'>;

/** An open document's latest analysis, as the report needs it. */
export interface OpenResult {
  uri: string;
  /** The document's path (what the analysis was given). */
  path: string;
  result: AnalysisResult;
  /** The findings' ranges, in `result.findings` order. */
  ranges: Range[];
}

/**
 * The readiness of one analysed text; undefined for a file that is not a deployment config (every
 * other YAML file, binaries), which is not part of the report.
 */
export function readinessOf(
  uri: string,
  path: string,
  result: AnalysisResult,
  ranges: Range[],
  docsUrl: (ruleId: string) => string | undefined,
): Readiness | undefined {
  // A file excluded through `prodready.files: off` has no detected kind; name detection still says what
  // it would have been, which is what a list of skipped configs needs.
  const kind = result.kind ?? (result.skipped === 'excluded' ? kindByName(path) : undefined);
  if (!kind) return undefined;
  const findings = result.findings.map((f, i) => {
    const docs = docsUrl(f.ruleId);
    return {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      range: ranges[i],
      category: categoryOf(f.ruleId),
      ...(docs ? { docsUrl: docs } : {}),
      fixable: f.fixes.some((fix) => !fix.suppression && fix.changes.length > 0),
    };
  });
  const passed = result.passed.map((id) => ({ ruleId: id, description: ruleMeta(id)?.description ?? id, category: categoryOf(id) }));
  const readiness: Readiness = { uri, kind, findings, passed };
  if (result.variant !== undefined) readiness.variant = result.variant;
  const presentation = kindPresentation(kind, result.variant);
  if (presentation) Object.assign(readiness, presentation);
  if (result.environmentFiles?.length) {
    // Spelled as the report spells the analysed file; its companions as file: URIs of their paths.
    const uriOf = (p: string) => (p === path ? uri : pathToFileURL(p).href);
    readiness.environments = result.environmentFiles.map((e) => ({ name: e.name, production: e.production, files: e.files.map(uriOf) }));
  }
  if (result.skipped) readiness.skipped = result.skipped;
  else {
    const { passed: p, applicable } = tally(readiness);
    if (applicable > 0) readiness.score = Math.round((p / applicable) * 100);
  }
  return readiness;
}

function categoryOf(ruleId: string): Category {
  return ruleMeta(ruleId)?.category ?? 'correctness';
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

export class ReadinessProjection {
  /** The store's deployment configs, projected once per result. */
  private readonly disk = new Map<string, Readiness>();
  /** Open documents by key (undefined readiness: open, and not a deployment config); these win over `disk`. */
  private readonly open = new Map<string, { uri: string; readiness?: Readiness }>();
  private readonly changed = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    store: ResultStore,
    private readonly docsUrl: (ruleId: string) => string | undefined,
    private readonly notify: (uris: string[]) => void,
    private readonly throttleMs = 100,
  ) {
    store.onDidChange((key, _before, after) => this.diskChanged(key, after));
  }

  /** An open document's latest analysis, or (undefined) the document closed. */
  setOpen(key: string, open: OpenResult | undefined): void {
    const old = this.open.get(key);
    const readiness = open && readinessOf(open.uri, open.path, open.result, open.ranges, this.docsUrl);
    if (open) this.open.set(key, { uri: open.uri, readiness });
    else this.open.delete(key);
    const changed = old && open ? old.uri !== open.uri || !same(old.readiness, readiness) : old !== open;
    // Closing a document shows its result from disk again (or drops it), which is a change too.
    const shown = readiness ?? old?.readiness ?? this.disk.get(key);
    if (changed && shown) this.markChanged((open ?? old)!.uri);
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
    for (const [key, readiness] of this.disk) if (!this.open.has(key)) files.push({ ...readiness, open: false });
    for (const { readiness } of this.open.values()) if (readiness) files.push({ ...readiness, open: true });
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
    const environments = environmentsOf(files);
    return {
      files: includeSkipped ? files : files.filter((f) => !f.skipped),
      ...(applicable > 0 ? { score: Math.round((passed / applicable) * 100) } : {}),
      counts,
      scanning,
      ...(environments.length ? { environments } : {}),
    };
  }

  private diskChanged(key: string, stored: StoredResult | undefined): void {
    const old = this.disk.get(key);
    const readiness = stored && readinessOf(stored.uri, key, stored.result, stored.ranges, this.docsUrl);
    if (readiness) this.disk.set(key, readiness);
    else this.disk.delete(key);
    if (!this.open.has(key) && !same(old, readiness)) this.markChanged((readiness ?? old)!.uri);
  }
}

/**
 * Each environment of several files once, its files spelled as the report spells them, scored over the
 * files the report has (what production gets: the overlay's findings and the base's).
 */
function environmentsOf(files: FileReadiness[]): EnvironmentReadiness[] {
  const byKey = new Map(files.map((f) => [keyOf(f.uri), f]));
  const out = new Map<string, EnvironmentReadiness>();
  for (const file of files) {
    for (const e of file.environments ?? []) {
      const members = e.files.map((u) => byKey.get(keyOf(u))?.uri ?? u);
      const id = `${e.name}\0${members.map(keyOf).join('\0')}`;
      if (out.has(id)) continue;
      const counts = { error: 0, warning: 0, information: 0, hint: 0 };
      let passed = 0;
      let applicable = 0;
      for (const member of members) {
        const f = byKey.get(keyOf(member));
        if (!f || f.skipped) continue;
        for (const finding of f.findings) counts[finding.severity]++;
        const t = tally(f);
        passed += t.passed;
        applicable += t.applicable;
      }
      out.set(id, { name: e.name, production: e.production, files: members, counts, ...(applicable > 0 ? { score: Math.round((passed / applicable) * 100) } : {}) });
    }
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.files[0] < b.files[0] ? -1 : 1));
}

function same(a: Readiness | undefined, b: Readiness | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
