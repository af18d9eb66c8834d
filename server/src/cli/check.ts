// One file's work in `prodready check`, the same in the main thread (--jobs 1) and in a pool worker
// (pool.ts): read, analyse and, for --fix, run the Fix All loop in memory. Writing fixed files is left to
// the main thread, in the report's order, so what a run does never depends on which worker finished first.

import * as fs from 'node:fs';
import { analyze } from '../core/analyze';
import { fixAll } from '../core/fixAll';
import { AnalysisInput, AnalysisResult, FileAccess } from '../core/types';
import { decodeText } from '../host/decode';

export interface CheckTask {
  /** The path as given or walked. */
  file: string;
  /** The analysis input without the text, which is read from `file`. */
  input: Omit<AnalysisInput, 'text' | 'files' | 'cache'>;
  /** Also compute the text every preferred fix leads to. */
  fix: boolean;
}

export type FixOutcome = { text: string; applied: number } | { refused: 'syntax-errors' };

export type CheckOutcome =
  | { file: string; readError: string }
  /** The analysis threw: the file is named on stderr and the run goes on. */
  | { file: string; failure: string }
  | { file: string; text: string; result: AnalysisResult; fix?: FixOutcome };

/** Why a file could not be read or written, with the system's code (ENOENT, EACCES, EISDIR…). */
export function readError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reason: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ELOOP: 'too many symbolic links',
    EMFILE: 'too many open files',
  };
  return err?.code ? `${err.code} (${reason[err.code] ?? err.message})` : String(err?.message ?? e);
}

export async function checkFile(task: CheckTask, analyse: typeof analyze, files: FileAccess): Promise<CheckOutcome> {
  const { file } = task;
  let text: string;
  try {
    text = decodeText(fs.readFileSync(file));
  } catch (e) {
    return { file, readError: readError(e) };
  }
  const input: AnalysisInput = { ...task.input, text, files };
  try {
    const result = analyse(input);
    if (!task.fix || result.skipped) return { file, text, result };
    // A fix computed on a broken file could land anywhere.
    if (result.findings.some((f) => f.ruleId.endsWith('/syntax') && f.severity === 'error')) return { file, text, result, fix: { refused: 'syntax-errors' } };
    const outcome = await fixAll(text, (t) => analyse({ ...input, text: t }), { first: result });
    return { file, text, result, fix: { text: outcome.text, applied: outcome.applied } };
  } catch (e) {
    return { file, failure: e instanceof Error ? e.message : String(e) };
  }
}
