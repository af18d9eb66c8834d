// Fix All for one file: the core's loop (core/fixAll.ts) over the open editor's text at its version, or
// over the file on disk when it is closed, analysed in the worker. The result goes back as the core's
// minimal line changes (core/diff.ts), so the editor keeps cursors, folding and undo granularity for
// the untouched lines.

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineChanges } from '../core/diff';
import { fixAll } from '../core/fixAll';
import { AnalysisResult, Settings } from '../core/types';
import { FixAllParams, FixAllResult } from '../../../common/protocol';
import { decodeText } from '../host/decode';
import { toTextEdit } from './convert';

/** Closed files larger than this are not fixed from disk (the editor would not open them comfortably either). */
const MAX_DISK_SIZE = 10 * 1024 * 1024;

export interface FixAllDeps {
  /** The open document, if the editor has the file open. */
  document(uri: string): TextDocument | undefined;
  /** The analysis the diagnostics came from, when it is of exactly this document version. */
  current(document: TextDocument): AnalysisResult | undefined;
  settings(uri: string): Promise<Partial<Settings>>;
  /** Runs the core on a candidate text of the file (in the worker). */
  analyse(uri: string, text: string, settings: Partial<Settings>): Promise<AnalysisResult>;
}

export class FixAllProvider {
  constructor(private readonly deps: FixAllDeps) {}

  /** FixAllRequest: see its contract in common/protocol.ts. */
  async request(params: FixAllParams): Promise<FixAllResult> {
    const doc = this.deps.document(params.uri);
    if (doc && params.version !== undefined && params.version !== doc.version) return { changes: [], version: doc.version };
    if (doc) {
      // The document object follows the editor's edits: the version is the one of the text read now.
      const version = doc.version;
      return { changes: await this.edits(doc, this.deps.current(doc)), version };
    }
    const text = readSmallFile(params.uri);
    if (text === undefined) return { changes: [] };
    return { changes: await this.edits(TextDocument.create(params.uri, 'plaintext', 0, text)) };
  }

  /** The edits from the document's text to the text with every auto-fix applied. */
  async edits(doc: TextDocument, first?: AnalysisResult): Promise<TextEdit[]> {
    const text = doc.getText();
    const settings = await this.deps.settings(doc.uri);
    const outcome = await fixAll(text, (candidate) => this.deps.analyse(doc.uri, candidate, settings), { first });
    return lineChanges(text, outcome.text).map((change) => toTextEdit(doc, change));
  }
}

function readSmallFile(uri: string): string | undefined {
  try {
    const file = fileURLToPath(uri);
    if (fs.statSync(file).size > MAX_DISK_SIZE) return undefined;
    return decodeText(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}
