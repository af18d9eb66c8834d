// A Helm values file as its rules read it: every YAML document with its merge/alias-aware view and
// editor, the chart folder (where Chart.yaml and values.schema.json live) and the component model
// (see components.ts) built once per analysis.

import { Document, YAMLMap } from 'yaml';
import { BaseContext, SyntaxReport } from '../kind';
import { basename, dirname, joinPath } from '../paths';
import { YamlEditor } from '../yaml/edit';
import { YamlView } from '../yaml/nav';
import { parseYaml, yamlSyntaxReports } from '../yaml/parse';
import { buildModel, ValuesModel } from './components';

export interface HelmDocument {
  doc: Document;
  view: YamlView;
  edit: YamlEditor;
  /** The document's top-level map (documents whose top level is not a map are left out). */
  root: YAMLMap;
}

export interface ChartInfo {
  /** `name:` from Chart.yaml, lower-cased. */
  name?: string;
  /** `keywords:` and `description` words from Chart.yaml, lower-cased, for "is this a data store" hints. */
  hints: string[];
}

export interface HelmContext extends BaseContext {
  documents: HelmDocument[];
  /** The folder holding Chart.yaml, when the values file sits in a chart. */
  chartDir?: string;
  chart: ChartInfo;
  /**
   * The file overrides a chart's defaults (`values-production.yaml`, `values.prod.yaml`): keys it leaves
   * out come from the chart's own values.yaml, so a missing key says nothing here.
   */
  overrides: boolean;
  /** Components, sections and notable values, found in one bounded walk over every document. */
  model: ValuesModel;
}

const VALUES_NAME = /^values[^/]*\.ya?ml$/i;

/** `values.yaml`, `values-production.yaml`, `values.prod.yml` next to a Chart.yaml. */
export function matchesHelmName(path: string, files: { exists(path: string): boolean }): boolean {
  if (!VALUES_NAME.test(basename(path))) return false;
  return files.exists(joinPath(dirname(path), 'Chart.yaml'));
}

export function prepareHelm(base: BaseContext): { ctx: HelmContext; syntax: SyntaxReport[] } {
  const parsed = parseYaml(base.text, base.cache);
  const syntax = yamlSyntaxReports(parsed);
  const documents: HelmDocument[] = [];
  for (const doc of parsed.docs) {
    const view = new YamlView(doc, base.text);
    const root = view.map(doc.contents);
    if (root) documents.push({ doc, view, edit: new YamlEditor(view), root });
  }
  const chartDir = findChartDir(base);
  const chart = readChart(base, chartDir);
  const overrides = !/^values\.ya?ml$/i.test(basename(base.path));
  return { ctx: { ...base, documents, chartDir, chart, overrides, model: buildModel(documents, chart, base.path) }, syntax };
}

function findChartDir(base: BaseContext): string | undefined {
  const dir = dirname(base.path);
  try {
    return base.files.exists(joinPath(dir, 'Chart.yaml')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function readChart(base: BaseContext, chartDir: string | undefined): ChartInfo {
  if (!chartDir) return { hints: [] };
  let text: string | undefined;
  try {
    text = base.files.readFile(joinPath(chartDir, 'Chart.yaml'));
  } catch {
    text = undefined;
  }
  if (!text) return { hints: [] };
  // Chart.yaml is tiny and flat; a line scan avoids a second YAML parse on every keystroke.
  const name = /^name[ \t]*:[ \t]*["']?([\w.-]+)/m.exec(text)?.[1]?.toLowerCase();
  const hints: string[] = [];
  const keywords = /^keywords[ \t]*:[ \t]*\r?\n((?:[ \t]*-[^\n]*\r?\n?)+)/m.exec(text)?.[1];
  if (keywords) for (const m of keywords.matchAll(/-[ \t]*["']?([\w .-]+)/g)) hints.push(m[1].trim().toLowerCase());
  const flow = /^keywords[ \t]*:[ \t]*\[([^\]]*)\]/m.exec(text)?.[1];
  if (flow) for (const k of flow.split(',')) hints.push(k.trim().replace(/^["']|["']$/g, '').toLowerCase());
  return { name, hints: hints.filter(Boolean) };
}
