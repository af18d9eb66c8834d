// An environment as rules will read it: the effective document of several files, merged, over one
// virtual text, with the way back from any span to the file and offsets it came from.

import { Document, Node, YAMLMap } from 'yaml';
import { FileAccess, Span } from '../types';
import { YamlEditor } from '../yaml/edit';
import { YamlView } from '../yaml/nav';
import { Materialiser, Merged } from './merge';
import { EnvFile, SpanMap } from './virtual';
import { EnvView } from './yaml';

/** Something that kept (part of) an environment from being built as deployed: reported on `path`. */
export interface EnvProblem {
  path: string;
  /** In the file's own offsets, when the problem has a place in it. */
  span?: Span;
  message: string;
  severity: 'error' | 'warning' | 'information';
}

export interface Environment {
  name: string;
  /** The virtual text: every file of the environment, each in its own offset range (see virtual.ts). */
  text: string;
  spans: SpanMap;
  /** Every file read, in virtual-text order: the user's files first, then dependency defaults. */
  files: EnvFile[];
  /** The effective document: the files' own nodes, merged; ranges are virtual offsets. */
  doc: Document;
  root: YAMLMap | undefined;
  /** Reads the effective document (aliases resolved in the file that wrote them). */
  view: YamlView;
  /** Edits on the effective document; map its changes back with `spans.mapChanges`. */
  edit: YamlEditor;
  problems: EnvProblem[];
}

export function assemble(
  name: string,
  layout: { files: EnvFile[]; text: string; spans: SpanMap },
  merged: Merged | undefined,
  problems: EnvProblem[],
  effective?: (node: Node) => Node,
): Environment {
  const { files, text, spans } = layout;
  const doc = new Document();
  doc.contents = (merged ? new Materialiser(text).node(merged) : null) as Node | null;
  const view = new EnvView(doc, text, { anchorsAt: (offset) => spans.fileAt(offset)?.anchors(offset), effective });
  return { name, text, spans, files, doc, root: view.map(doc.contents), view, edit: new YamlEditor(view), problems };
}

/** Reads a file through the host, treating a failing host as a missing file. */
export function readText(access: FileAccess, path: string): string | undefined {
  try {
    return access.readFile(path);
  } catch {
    return undefined;
  }
}

export function fileExists(access: FileAccess, path: string): boolean {
  try {
    return access.exists(path);
  } catch {
    return false;
  }
}
