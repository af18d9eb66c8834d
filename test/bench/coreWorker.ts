// Runs the in-process timings (bare YAML parse, the core's own parse, full analyze()) in a worker thread,
// one timed run per message, so the main thread can stop a run that blows its deadline (terminate the
// worker) instead of hanging the whole bench on a pathological case.

import { parentPort } from 'node:worker_threads';
import { parseDocument } from 'yaml';
import { analyze } from '../../server/src/core/analyze';
import { parseYaml } from '../../server/src/core/yaml/parse';
import { AnalysisCache, AnalysisInput, FileAccess, FileKind, Settings } from '../../server/src/core/types';

export type CoreTask =
  /** The `yaml` package's parseDocument with default options: the floor any YAML tool pays. */
  | 'parse'
  /** The core's own YAML parse (all documents, merge keys, unique keys). */
  | 'coreParse'
  /** analyze() from scratch, as the CLI and a freshly opened document get it. */
  | 'analyze'
  /**
   * analyze() of the text with one value changed, with the per-document cache of the previous version,
   * as the server's worker runs it on each keystroke (alternates between the two versions).
   */
  | 'analyzeEdited';

export type CoreRequest =
  | {
      type: 'load';
      id: number;
      key: string;
      text: string;
      /** The same text with one small edit, for 'analyzeEdited'. */
      edited?: string;
      path: string;
      kind?: FileKind;
      /** Sibling files the core may read (e.g. the chart's Chart.yaml), by absolute path. */
      siblings?: Record<string, string>;
      settings?: Partial<Settings>;
    }
  | { type: 'run'; id: number; key: string; task: CoreTask }
  /** Drops a text and its cache, so a finished size's parse trees do not slow later GCs. */
  | { type: 'unload'; id: number; key: string };

export type CoreReply =
  | { id: number; ms: number; findings?: number; rulesApplied?: number; byRule?: Record<string, number>; skipped?: string }
  | { id: number; error: string };

interface Loaded {
  input: AnalysisInput;
  edited?: string;
  cache: AnalysisCache;
  primed: boolean;
  flip: boolean;
}

const loaded = new Map<string, Loaded>();

parentPort?.on('message', (msg: CoreRequest) => {
  try {
    if (msg.type === 'load') {
      const siblings = msg.siblings ?? {};
      const files: FileAccess = { readFile: (p) => siblings[p], exists: (p) => p in siblings };
      loaded.set(msg.key, { input: { text: msg.text, path: msg.path, kind: msg.kind, files, settings: msg.settings }, edited: msg.edited, cache: {}, primed: false, flip: false });
      parentPort!.postMessage({ id: msg.id, ms: 0 });
      return;
    }
    if (msg.type === 'unload') {
      loaded.delete(msg.key);
      parentPort!.postMessage({ id: msg.id, ms: 0 });
      return;
    }
    const entry = loaded.get(msg.key);
    if (!entry) throw new Error(`nothing loaded under ${msg.key}`);
    parentPort!.postMessage(run(msg.id, entry, msg.task));
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});

function run(id: number, entry: Loaded, task: CoreTask): CoreReply {
  const { input } = entry;
  let text = input.text;
  if (task === 'analyzeEdited') {
    if (!entry.edited) throw new Error('no edited version loaded');
    // Prime the cache with the current version once, untimed, then alternate like a user toggling a value.
    if (!entry.primed) {
      analyze({ ...input, cache: entry.cache });
      entry.primed = true;
    }
    entry.flip = !entry.flip;
    text = entry.flip ? entry.edited : input.text;
  }
  // No forced GC between samples: measured here, a full GC before each run made the yaml parser 4-5×
  // slower (optimised code thrown away each time), which no editor session ever sees.
  const t0 = performance.now();
  let result: ReturnType<typeof analyze> | undefined;
  if (task === 'parse') parseDocument(text);
  else if (task === 'coreParse') parseYaml(text);
  else if (task === 'analyze') result = analyze(input);
  else result = analyze({ ...input, text, cache: entry.cache });
  const ms = performance.now() - t0;
  if (!result) return { id, ms };
  if (result.skipped) return { id, ms, skipped: result.skipped };
  const byRule: Record<string, number> = {};
  for (const f of result.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  return { id, ms, findings: result.findings.length, rulesApplied: result.passed.length + Object.keys(byRule).length, byRule };
}
