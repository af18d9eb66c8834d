// A Helm values file as its rules read it: every YAML document (see yaml/document.ts), the chart it
// belongs to (chart.ts) and the component model (components.ts) built once per analysis.

import { DiscoveredEnvironment, EnvUnit } from '../env/discovery';
import { buildHelmEnvironment } from '../env/helm';
import { EnvFile } from '../env/virtual';
import { withCurrentText } from '../environments';
import { BaseContext, PreparedEnvironment, SyntaxReport } from '../kind';
import { basename, dirname, joinPath } from '../paths';
import { YamlDocument, yamlDocuments } from '../yaml/document';
import { parseYaml, yamlSyntaxReports } from '../yaml/parse';
import { fileNoteSpan } from '../yaml/schema';
import { Span } from '../types';
import { ChartInfo, findChartDir, readChart } from './chart';
import { buildModel, ValuesModel } from './components';

export interface HelmContext extends BaseContext {
  documents: YamlDocument[];
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
  /**
   * Set when the documents are an environment's merged values (what Helm renders and validates): its
   * name, and where a note about the analysed file goes (its first line, in the environment's offsets).
   */
  merged?: { environment: string; noteSpan: Span; sameFile(a: number, b: number): boolean };
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
  const documents = yamlDocuments(parsed, base.text);
  const chartDir = findChartDir(base);
  const chart = readChart(base, chartDir);
  const overrides = !/^values\.ya?ml$/i.test(basename(base.path));
  return { ctx: { ...base, documents, chartDir, chart, overrides, model: buildModel(documents, chart, base.path) }, syntax };
}

/**
 * What Helm rules read on a production environment: the chart's values as `helm upgrade -f …` merges
 * them, subchart defaults included (see environments.ts), over the environment's virtual text. Nothing
 * is left out of the merged values, so the file is no partial override.
 */
export function prepareHelmEnvironment(base: BaseContext, environment: DiscoveredEnvironment): PreparedEnvironment<HelmContext> {
  const unit = environment.unit as Extract<EnvUnit, { kind: 'helm' }>;
  const env = buildHelmEnvironment({ name: environment.name, chartDir: unit.chartDir, values: unit.values, access: withCurrentText(base), cache: base.cache });
  const documents = env.root ? [{ doc: env.doc, view: env.view, edit: env.edit, root: env.root }] : [];
  const chart = readChart(base, unit.chartDir);
  const noteSpan = env.spans.toVirtual(base.path, fileNoteSpan(base.text)) ?? { start: 0, end: 0 };
  const merged = { environment: environment.name, noteSpan, sameFile: (a: number, b: number) => env.spans.fileAt(a) === env.spans.fileAt(b) };
  const ctx: HelmContext = { ...base, text: env.text, documents, chartDir: unit.chartDir, chart, overrides: false, model: buildModel(documents, chart, base.path), merged };
  const originLabel = (file: EnvFile) => {
    const subchart = env.subcharts.find((s) => s.valuesFile === file.path);
    return subchart && `the ${subchart.chart} subchart's default`;
  };
  return { ctx, env, originLabel };
}
