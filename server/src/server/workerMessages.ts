// The messages between the server's main thread (analysisRunner.ts) and its analysis worker
// (worker.ts), declared once for both ends.

import { AnalysisInput, AnalysisResult } from '../core/types';

/** Main thread → worker. */
export type ToWorker =
  /**
   * Analyse a text. `key`: keep (and reuse) the per-document parse cache under this key; without it
   * the analysis starts from scratch and leaves nothing behind.
   */
  | { type: 'analyse'; id: number; key?: string; input: Omit<AnalysisInput, 'files' | 'cache'>; openTexts?: Record<string, string> }
  /** Drop a document's parse cache (the document was closed). */
  | { type: 'forget'; key: string };

/** Worker → main thread: the answer to the `analyse` message with the same id. */
export type FromWorker = { id: number; result: AnalysisResult } | { id: number; error: string };
