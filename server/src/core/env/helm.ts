// A Helm environment: what `helm upgrade <release> <chart> -f values.yaml -f values-prod.yaml` renders
// the templates with. Lowest first: each subchart's own defaults under its alias (or name), nested
// subcharts under theirs, then the chart's values.yaml, then the `-f` files in order. Maps merge
// deeply, sequences and scalars replace, and a null removes the key beneath it. A dependency whose
// `condition` (the first of its comma-separated paths that holds a boolean) is false, or whose tags are
// all false, contributes nothing. Last, each subchart's `global` gets its parent's `global` merged in,
// the parent's values winning.
//
// Left out: `import-values`/`exports` (values a subchart hands up to its parent), and Helm 4's
// dropping of nulls written in chart defaults (here a null in values.yaml also removes a subchart default).

import { isScalar } from 'yaml';
import { FileAccess } from '../types';
import { isFalse, isTrue } from '../yaml/nav';
import { ChartSource, FolderChart, readChartLock, readChartYaml } from './chart';
import { entriesOf, Merged, MergePolicy, Merger, placeAt, rootLeaf, valueAt } from './merge';
import { assemble, EnvProblem, Environment, readText } from './model';
import { EnvCache, EnvFile, layoutFiles, SourceFile } from './virtual';

export interface Subchart {
  /** The chart's name (Chart.yaml dependency `name`). */
  chart: string;
  /** Where its values sit in the parent's: the alias, or the name. */
  key: string;
  /** Its values' place from the top chart's values (`['postgresql']`, `['backend', 'redis']`). */
  path: string[];
  version?: string;
  /** Where its files were found, when they were. */
  location?: string;
  /** Its values.yaml in the environment's files, when it has one. */
  valuesFile?: string;
  enabled: boolean;
  /** What disabled it. */
  disabledBy?: 'condition' | 'tags' | 'parent';
  condition?: string;
  tags: string[];
}

export interface HelmEnvironment extends Environment {
  chartDir: string;
  subcharts: Subchart[];
}

export interface HelmEnvironmentInput {
  name: string;
  chartDir: string;
  /** The chart's values.yaml first (when it has one), then the `-f` files in order. */
  values: string[];
  access: FileAccess;
  cache?: EnvCache;
}

const MAX_DEPTH = 6;

export const HELM_POLICY: MergePolicy = {
  strategy: () => ({ kind: 'default' }),
  sequences: 'replace',
  nullOverValue: 'delete',
  mergeTags: false,
};

interface ChartNode {
  info: Subchart;
  parent?: ChartNode;
  children: ChartNode[];
  values?: string;
  file?: EnvFile;
}

export function buildHelmEnvironment(input: HelmEnvironmentInput): HelmEnvironment {
  const problems: EnvProblem[] = [];
  const top = new FolderChart(input.chartDir, input.access);
  const chartYaml = top.read('Chart.yaml');
  if (chartYaml === undefined) problems.push({ path: top.pathOf('Chart.yaml'), message: `${input.chartDir} has no readable Chart.yaml`, severity: 'warning' });
  const tree = subchartsOf(top, chartYaml, [], undefined, 0, problems);
  const all = flatten(tree);

  const sources: SourceFile[] = [];
  input.values.forEach((path, i) => {
    const text = readText(input.access, path);
    if (text === undefined) problems.push({ path, message: `${path} is part of environment "${input.name}" but cannot be read`, severity: 'warning' });
    else sources.push({ path, text, role: i === 0 ? 'base' : 'overlay' });
  });
  const userCount = sources.length;
  const withValues = all.filter((n) => n.values !== undefined);
  for (const n of withValues) sources.push({ path: n.info.valuesFile!, text: n.values!, role: 'dependency' });
  const layout = layoutFiles(sources, input.cache);
  withValues.forEach((n, i) => (n.file = layout.files[userCount + i]));
  const userFiles = layout.files.slice(0, userCount);

  const merger = new Merger(HELM_POLICY);
  let root = mergeAll(merger, all, userFiles);
  if (decideEnabled(all, root)) root = mergeAll(merger, all, userFiles);
  for (const n of all) {
    if (!n.info.enabled) continue;
    const parentGlobal = valueAt(root, [...(n.parent?.info.path ?? []), 'global']);
    if (parentGlobal && entriesOf(parentGlobal).length && root) root = merger.merge(root, placeAt([...n.info.path, 'global'], parentGlobal, -1), []);
  }
  const env = assemble(input.name, layout, root, problems);
  return { ...env, chartDir: input.chartDir, subcharts: all.map((n) => n.info) };
}

function subchartsOf(source: ChartSource, chartYaml: string | undefined, path: string[], parent: ChartNode | undefined, depth: number, problems: EnvProblem[]): ChartNode[] {
  if (depth >= MAX_DEPTH) return [];
  // apiVersion v1 charts list their dependencies in requirements.yaml.
  const declared = readChartYaml(chartYaml).dependencies;
  const dependencies = declared.length ? declared : readChartYaml(source.read('requirements.yaml')).dependencies;
  const locked = readChartLock(source.read('Chart.lock') ?? source.read('requirements.lock'));
  return dependencies.map((dep) => {
    const key = dep.alias ?? dep.name;
    const info: Subchart = { chart: dep.name, key, path: [...path, key], version: locked.get(dep.name) ?? dep.version, enabled: true, condition: dep.condition, tags: dep.tags };
    const node: ChartNode = { info, parent, children: [] };
    const found = source.subchart(dep, locked.get(dep.name));
    if (!found) {
      problems.push({
        path: source.pathOf('Chart.yaml'),
        message: `subchart "${dep.name}" is not in ${source.location}/charts (run \`helm dependency build\`): its defaults are not part of the checks`,
        severity: 'information',
      });
    } else if ('problem' in found) {
      problems.push({ path: source.pathOf('Chart.yaml'), message: `subchart "${dep.name}": ${found.problem}`, severity: 'warning' });
    } else {
      info.location = found.location;
      node.values = found.read('values.yaml');
      if (node.values !== undefined) info.valuesFile = found.pathOf('values.yaml');
      node.children = subchartsOf(found, found.read('Chart.yaml'), info.path, node, depth + 1, problems);
    }
    return node;
  });
}

/** Every subchart, parents before their children. */
function flatten(nodes: ChartNode[]): ChartNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** The merged values with the enabled subcharts' defaults: deepest defaults first, the user's files last. */
function mergeAll(merger: Merger, all: ChartNode[], userFiles: EnvFile[]): Merged | undefined {
  let root: Merged | undefined;
  let layer = 0;
  for (const n of [...all].reverse()) {
    const leaf = n.info.enabled && n.file ? rootLeaf(n.file, layer++) : undefined;
    if (leaf) root = merger.merge(root, placeAt(n.info.path, leaf, leaf.source.layer), []);
  }
  for (const f of userFiles) {
    const leaf = rootLeaf(f, layer++);
    if (leaf) root = merger.merge(root, leaf, []);
  }
  return root;
}

function booleanAt(root: Merged | undefined, path: string[]): boolean | undefined {
  const v = valueAt(root, path);
  const node = v?.kind === 'leaf' ? v.node : undefined;
  if (!isScalar(node)) return undefined;
  return isTrue(node) ? true : isFalse(node) ? false : undefined;
}

/** Applies tags, then conditions, as Helm does, on values merged with every subchart; true when any is off. */
function decideEnabled(all: ChartNode[], root: Merged | undefined): boolean {
  let changed = false;
  for (const n of all) {
    const info = n.info;
    const tagValues = info.tags.map((t) => booleanAt(root, ['tags', t]));
    if (!tagValues.includes(true) && tagValues.includes(false)) {
      info.enabled = false;
      info.disabledBy = 'tags';
    }
    const parentPath = n.parent?.info.path ?? [];
    for (const c of (info.condition ?? '').split(',')) {
      const path = c.trim();
      const value = path ? booleanAt(root, [...parentPath, ...path.split('.')]) : undefined;
      if (value === undefined) continue;
      info.enabled = value;
      info.disabledBy = value ? undefined : 'condition';
      break;
    }
    if (n.parent && !n.parent.info.enabled) {
      info.enabled = false;
      info.disabledBy = 'parent';
    }
    changed ||= !info.enabled;
  }
  return changed;
}
