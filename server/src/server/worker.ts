import { parentPort } from 'node:worker_threads';
import { analyze } from '../core/analyze';
import { withTexts } from '../core/environments';
import { AnalysisCache } from '../core/types';
import { withArchives } from '../host/archive';
import { diskFileAccess } from '../host/files';
import { FromWorker, ToWorker } from './workerMessages';

/** Per-document parse caches kept at most; the least recently analysed documents are forgotten first. */
const MAX_CACHES = 50;

/** The analysis worker's loop: one job at a time, every failure turned into a message. */
export function runAnalysisWorker(): void {
  // Per-document parse caches, so an edit in a huge file re-parses only what changed.
  const caches = new Map<string, AnalysisCache>();
  const reply = (msg: FromWorker) => parentPort!.postMessage(msg);
  // Packaged subcharts (charts/*.tgz) are read in memory for environments.
  const disk = withArchives(diskFileAccess);
  parentPort?.on('message', (msg: ToWorker) => {
    if (msg.type === 'forget') {
      caches.delete(msg.key);
      return;
    }
    try {
      let cache: AnalysisCache | undefined;
      if (msg.key !== undefined) {
        cache = caches.get(msg.key) ?? {};
        caches.delete(msg.key);
        caches.set(msg.key, cache);
        while (caches.size > MAX_CACHES) caches.delete(caches.keys().next().value!);
      }
      reply({ id: msg.id, result: analyze({ ...msg.input, files: withTexts(disk, msg.openTexts), cache }) });
    } catch (e) {
      reply({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
