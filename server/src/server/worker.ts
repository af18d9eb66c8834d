import { parentPort } from 'node:worker_threads';
import { analyze } from '../core/analyze';
import { AnalysisInput } from '../core/types';
import { diskFileAccess } from './files';

/** The analysis worker's loop: one job at a time, every failure turned into a message. */
export function runAnalysisWorker(): void {
  parentPort?.on('message', (msg: { id: number; input: AnalysisInput }) => {
    try {
      const result = analyze({ ...msg.input, files: diskFileAccess });
      parentPort!.postMessage({ id: msg.id, result });
    } catch (e) {
      parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
