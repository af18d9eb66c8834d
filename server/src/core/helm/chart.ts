// The chart a values file belongs to: the folder holding its Chart.yaml, and what Chart.yaml says
// about the chart that rules care about.

import { readChartYaml } from '../env/chart';
import { BaseContext } from '../kind';
import { basename, dirname, joinPath } from '../paths';
import { FileAccess } from '../types';

export interface ChartInfo {
  /** `name:` from Chart.yaml, lower-cased. */
  name?: string;
  /** `keywords:` and `description` words from Chart.yaml, lower-cased, for "is this a data store" hints. */
  hints: string[];
}

/** The values file's folder, when a Chart.yaml sits in it. */
export function findChartDir(base: BaseContext): string | undefined {
  const dir = dirname(base.path);
  try {
    return base.files.exists(joinPath(dir, 'Chart.yaml')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** What Chart.yaml says (nothing when there is no chart or it cannot be read). */
export function readChart(base: BaseContext, chartDir: string | undefined): ChartInfo {
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

/**
 * A values file of a subchart unpacked under its parent's `charts/<name>/` (what `helm dependency
 * build` or `helm pull --untar` put there): someone else's defaults, which environments read as a
 * dependency and which are never reported on. A subchart the parent declares from `file://` is the
 * user's own chart, checked as any other.
 */
export function isSubchartFile(path: string, files: FileAccess): boolean {
  const chartDir = dirname(path);
  const chartsDir = dirname(chartDir);
  if (basename(chartsDir) !== 'charts') return false;
  const parent = dirname(chartsDir);
  let text: string | undefined;
  try {
    if (!files.exists(joinPath(chartDir, 'Chart.yaml')) || !files.exists(joinPath(parent, 'Chart.yaml'))) return false;
    text = files.readFile(joinPath(parent, 'Chart.yaml'));
  } catch {
    return false;
  }
  const name = basename(chartDir);
  const declared = readChartYaml(text).dependencies;
  const dependencies = declared.length ? declared : readChartYaml(safeRead(files, joinPath(parent, 'requirements.yaml'))).dependencies;
  return !dependencies.some((d) => d.name === name && d.repository?.startsWith('file://'));
}

function safeRead(files: FileAccess, path: string): string | undefined {
  try {
    return files.readFile(path);
  } catch {
    return undefined;
  }
}
