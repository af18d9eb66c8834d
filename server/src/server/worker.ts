import { parentPort } from 'node:worker_threads';
import { analyze } from '../core/analyze';
import { AnalysisCache, AnalysisInput } from '../core/types';
import { diskFileAccess } from '../host/files';

/** The analysis worker's loop: one job at a time, every failure turned into a message. */
export function runAnalysisWorker(): void {
  // Per-document parse caches, so an edit in a huge file re-parses only what changed. Bounded: the
  // least recently analysed documents are forgotten first.
  const caches = new Map<string, AnalysisCache>();
  parentPort?.on('message', (msg: { id: number; key?: string; input: AnalysisInput; forget?: string }) => {
    if (msg.forget !== undefined) {
      caches.delete(msg.forget);
      return;
    }
    try {
      let cache: AnalysisCache | undefined;
      if (msg.key !== undefined) {
        cache = caches.get(msg.key) ?? {};
        caches.delete(msg.key);
        caches.set(msg.key, cache);
        while (caches.size > 50) caches.delete(caches.keys().next().value!);
      }
      const result = analyze({ ...msg.input, files: diskFileAccess, cache });
      parentPort!.postMessage({ id: msg.id, result });
    } catch (e) {
      parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
