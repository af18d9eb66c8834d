// The workspace scan's results: one per file analysed from disk, deployment config or not, with the
// other files each analysis read or looked for (AnalysisResult.dependencies). That second part is what
// keeps results current without knowing any kind: a values.yaml probed for a Chart.yaml beside it, an
// NGINX file that read its includes — when such a path changes, every file that depended on it is
// analysed again. Skipped files keep their dependencies too: a values.yaml that is no deployment config
// becomes Helm values when a Chart.yaml appears next to it.

import { Range } from 'vscode-languageserver';
import { dirname } from '../../core/paths';
import { AnalysisResult } from '../../core/types';

export interface StoredResult {
  uri: string;
  result: AnalysisResult;
  /** The findings' ranges, in `result.findings` order (converted while the text was at hand). */
  ranges: Range[];
}

export type StoreListener = (key: string, before: StoredResult | undefined, after: StoredResult | undefined) => void;

export class ResultStore {
  /** By key: the file's path, '/'-separated (see keyOf). */
  private readonly results = new Map<string, StoredResult>();
  /** Dependency path → keys of the files whose analysis read or looked for it. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly listeners: StoreListener[] = [];

  get(key: string): StoredResult | undefined {
    return this.results.get(key);
  }

  keys(): string[] {
    return [...this.results.keys()];
  }

  get size(): number {
    return this.results.size;
  }

  /** Hears every change: a result added, replaced or (after undefined) removed. */
  onDidChange(listener: StoreListener): void {
    this.listeners.push(listener);
  }

  /** Sets a file's result, or with undefined forgets the file. */
  set(key: string, stored: StoredResult | undefined): void {
    const before = this.results.get(key);
    if (!before && !stored) return;
    for (const path of before?.result.dependencies ?? []) this.unlink(path, key);
    if (stored) {
      this.results.set(key, stored);
      for (const path of stored.result.dependencies ?? []) this.link(path, key);
    } else this.results.delete(key);
    for (const listener of this.listeners) listener(key, before, stored);
  }

  /**
   * The files whose result may change because these paths changed: those that depended on one of
   * them, and — for `folders`, paths created or deleted, which may be whole folders — on anything
   * under one of them.
   */
  dependentsOf(paths: Iterable<string>, folders: Iterable<string> = []): Set<string> {
    const out = new Set<string>();
    const add = (keys: Set<string> | undefined) => keys?.forEach((k) => out.add(k));
    for (const path of paths) add(this.dependents.get(path));
    const under = new Set(folders);
    if (under.size > 0) {
      for (const [path, keys] of this.dependents) {
        for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) {
          if (under.has(dir)) {
            add(keys);
            break;
          }
        }
      }
    }
    return out;
  }

  private link(path: string, key: string): void {
    let keys = this.dependents.get(path);
    if (!keys) this.dependents.set(path, (keys = new Set()));
    keys.add(key);
  }

  private unlink(path: string, key: string): void {
    const keys = this.dependents.get(path);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.dependents.delete(path);
  }
}
