// Charts as values merging needs them: Chart.yaml's dependencies (read with a tolerant parse: a chart
// with a broken Chart.yaml still gets its own values checked), Chart.lock's resolved versions, and
// where a subchart's files are: an unpacked `charts/<name>/` folder or a packaged
// `charts/<name>-<version>.tgz`, read in memory through FileAccess.readArchive.

import { isSeq, YAMLMap } from 'yaml';
import { joinPath } from '../paths';
import { FileAccess } from '../types';
import { parseAll } from '../yaml/incremental';
import { scalarText, YamlView } from '../yaml/nav';
import { fileExists, readText } from './model';

export interface Dependency {
  name: string;
  /** Where the subchart's values sit in the parent's values (default: its name). */
  alias?: string;
  /** Comma-separated value paths; the first that holds a boolean enables or disables the subchart. */
  condition?: string;
  tags: string[];
  version?: string;
  repository?: string;
}

export interface ChartMeta {
  name?: string;
  version?: string;
  dependencies: Dependency[];
}

function readYaml(text: string | undefined): { view: YamlView; root: YAMLMap | undefined } | undefined {
  if (text === undefined) return undefined;
  const doc = parseAll(text, { prettyErrors: false, uniqueKeys: false })[0];
  if (!doc) return undefined;
  const view = new YamlView(doc, text);
  return { view, root: view.map(doc.contents) };
}

export function readChartYaml(text: string | undefined): ChartMeta {
  const parsed = readYaml(text);
  if (!parsed?.root) return { dependencies: [] };
  const { view, root } = parsed;
  const str = (map: YAMLMap | undefined, key: string) => scalarText(view.get(map, key)?.value)?.trim() || undefined;
  const dependencies: Dependency[] = [];
  for (const item of view.items(view.seq(view.get(root, 'dependencies')?.value))) {
    const map = view.map(item);
    const name = str(map, 'name');
    if (!map || !name) continue;
    const tagsNode = view.get(map, 'tags')?.value;
    const tags = isSeq(tagsNode) ? view.items(tagsNode).map(scalarText).filter((t): t is string => !!t) : [];
    dependencies.push({ name, alias: str(map, 'alias'), condition: str(map, 'condition'), tags, version: str(map, 'version'), repository: str(map, 'repository') });
  }
  return { name: str(root, 'name'), version: str(root, 'version'), dependencies };
}

/** Chart.lock (or requirements.lock): dependency name → the exact version `helm dependency build` fetched. */
export function readChartLock(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const parsed = readYaml(text);
  if (!parsed?.root) return out;
  const { view, root } = parsed;
  for (const item of view.items(view.seq(view.get(root, 'dependencies')?.value))) {
    const map = view.map(item);
    const name = scalarText(view.get(map, 'name')?.value);
    const version = scalarText(view.get(map, 'version')?.value);
    if (name && version && !out.has(name)) out.set(name, version);
  }
  return out;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][\w.+-]*)?$/;

/** Where one chart's files are. */
export interface ChartSource {
  /** A folder, or `<archive>!/<folder>` inside a packaged chart. */
  location: string;
  read(rel: string): string | undefined;
  /** The path a file of this chart is reported under. */
  pathOf(rel: string): string;
  /** The subchart a dependency names, a problem that keeps it from being read, or nothing found. */
  subchart(dep: Dependency, lockedVersion: string | undefined): ChartSource | { problem: string } | undefined;
}

export class FolderChart implements ChartSource {
  constructor(
    readonly location: string,
    private readonly access: FileAccess,
  ) {}

  read(rel: string): string | undefined {
    return readText(this.access, this.pathOf(rel));
  }

  pathOf(rel: string): string {
    return joinPath(this.location, rel);
  }

  subchart(dep: Dependency, lockedVersion: string | undefined): ChartSource | { problem: string } | undefined {
    const folder = joinPath(this.location, `charts/${dep.name}`);
    if (fileExists(this.access, joinPath(folder, 'Chart.yaml'))) return new FolderChart(folder, this.access);
    // Without a directory listing only an exact version names the archive: Chart.lock has it.
    const version = lockedVersion ?? (dep.version && EXACT_VERSION.test(dep.version) ? dep.version : undefined);
    if (!version) return undefined;
    const archive = joinPath(this.location, `charts/${dep.name}-${version.replace(/^v/, '')}.tgz`);
    const candidates = version.startsWith('v') ? [archive, joinPath(this.location, `charts/${dep.name}-${version}.tgz`)] : [archive];
    const found = candidates.find((c) => fileExists(this.access, c));
    if (!found) return undefined;
    if (!this.access.readArchive) return { problem: `${found} is a packaged chart, which this host cannot read` };
    let read: ReturnType<NonNullable<FileAccess['readArchive']>>;
    try {
      read = this.access.readArchive(found);
    } catch (e) {
      read = { problem: `${found} cannot be read: ${(e as Error).message}` };
    }
    if ('problem' in read) return { problem: read.problem };
    return ArchiveChart.open(found, read.entries) ?? { problem: `${found} holds no chart (no <name>/Chart.yaml)` };
  }
}

export class ArchiveChart implements ChartSource {
  private constructor(
    private readonly archive: string,
    private readonly entries: Map<string, string>,
    /** The chart's folder inside the archive. */
    private readonly folder: string,
  ) {}

  static open(archive: string, entries: { path: string; text: string }[]): ArchiveChart | undefined {
    const byPath = new Map(entries.map((e) => [e.path, e.text]));
    const top = [...byPath.keys()].find((p) => /^[^/]+\/Chart\.yaml$/.test(p));
    return top ? new ArchiveChart(archive, byPath, top.slice(0, top.indexOf('/'))) : undefined;
  }

  get location(): string {
    return `${this.archive}!/${this.folder}`;
  }

  read(rel: string): string | undefined {
    return this.entries.get(`${this.folder}/${rel}`);
  }

  pathOf(rel: string): string {
    return `${this.location}/${rel}`;
  }

  subchart(dep: Dependency): ChartSource | { problem: string } | undefined {
    // `helm package` stores a chart's dependencies unpacked under its charts/ folder.
    const folder = `${this.folder}/charts/${dep.name}`;
    return this.entries.has(`${folder}/Chart.yaml`) ? new ArchiveChart(this.archive, this.entries, folder) : undefined;
  }
}
