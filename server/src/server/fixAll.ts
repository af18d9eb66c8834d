// Fix All for one file: the core's loop (core/fixAll.ts) over the open editor's text or the file on
// disk, analysed in the worker. The result goes back as the core's minimal line changes (core/diff.ts),
// so the editor keeps cursors, folding and undo granularity for the untouched lines.

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { decodeText } from '../host/decode';
import { lineChanges } from '../core/diff';
import { fixAll } from '../core/fixAll';
import { AnalysisResult } from '../core/types';
import { ReadinessRange } from '../../../common/protocol';

/** Closed files larger than this are not fixed from disk (the editor would not open them comfortably either). */
const MAX_DISK_SIZE = 10 * 1024 * 1024;

export interface LineEdit {
  range: ReadinessRange;
  newText: string;
}

/**
 * Fix All for an open document (its text and version) or a closed file (read from disk): the edits
 * from its text to the text with every auto-fix applied, and the version they apply to.
 */
export async function fixAllFor(
  source: { text: string; version: number } | string,
  analyse: (text: string) => Promise<AnalysisResult>,
  first?: AnalysisResult,
): Promise<{ changes: LineEdit[]; version?: number }> {
  let text: string;
  if (typeof source === 'string') {
    try {
      const file = fileURLToPath(source);
      if (fs.statSync(file).size > MAX_DISK_SIZE) return { changes: [] };
      text = decodeText(fs.readFileSync(file));
    } catch {
      return { changes: [] };
    }
  } else text = source.text;
  const fixed = await fixAll(text, analyse, { first });
  const doc = TextDocument.create('file:///fix-all', 'plaintext', 0, text);
  const changes = lineChanges(text, fixed.text).map((c) => ({ range: { start: doc.positionAt(c.start), end: doc.positionAt(c.end) }, newText: c.newText }));
  return { changes, ...(typeof source === 'string' ? {} : { version: source.version }) };
}
