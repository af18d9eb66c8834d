// A YAML file as the rules of the YAML-based kinds (compose, Helm values) read it: every document whose
// top level is a map, with its merge/alias-aware view and the editor that turns a rule's intent into
// minimal text edits.

import { Document, YAMLMap } from 'yaml';
import { YamlEditor } from './edit';
import { YamlView } from './nav';
import { ParsedYaml } from './parse';

export interface YamlDocument {
  doc: Document;
  view: YamlView;
  edit: YamlEditor;
  /** The document's top-level map (documents whose top level is not a map are left out). */
  root: YAMLMap;
}

/** The documents of a parse whose top level is a map, in file order. */
export function yamlDocuments(parsed: ParsedYaml, text: string): YamlDocument[] {
  const documents: YamlDocument[] = [];
  for (const doc of parsed.docs) {
    const view = new YamlView(doc, text);
    const root = view.map(doc.contents);
    if (root) documents.push({ doc, view, edit: new YamlEditor(view), root });
  }
  return documents;
}
