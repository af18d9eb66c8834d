// The component model. Values files have no fixed shape: the `helm create` scaffold puts its one
// workload at the top level, Bitnami charts nest theirs under `primary:`, `master:`, `readReplicas:`,
// the big community charts under `controller:`, `server:`, `repoServer:`… So the model is built by
// walking the tree once and recognising maps that *look like* a workload (replicas, image, resources,
// probes, scheduling keys), plus the facts rules need about them: whether they are switched on, and
// whether they hold data (a database's pod cannot simply be doubled).

import { isAlias, isMap, isScalar, isSeq, Node, YAMLMap, YAMLSeq } from 'yaml';
import { YamlDocument } from '../yaml/document';
import { Entry, isFalse, isMergeKey, keyText, scalarText, YamlView } from '../yaml/nav';
import { ChartInfo } from './chart';

export interface ValuesMap {
  map: YAMLMap;
  /** Keys from the document root; sequence items appear as `[index]`. */
  path: string[];
  /** The key naming this map in its parent map (undefined for roots and sequence items). */
  key?: string;
  keyNode?: Node;
  document: YamlDocument;
  parent?: ValuesMap;
  /** False inside a section switched off (`enabled: false`) or a role the chart's architecture does not deploy. */
  active: boolean;
  /** The nearest enclosing component, this map included. */
  component?: Component;
  /** Why the section this map belongs to holds data (a data-store chart, a `postgresql:` subchart block). */
  dataStore?: string;
  /** The map's entries, merges applied, read once for every rule. */
  entries: Entry[];
}

/** An entry of a walked map by key (merges applied), without building anything. */
export function entryIn(m: ValuesMap, key: string): Entry | undefined {
  for (const e of m.entries) if (e.key === key) return e;
  return undefined;
}

export interface Component {
  at: ValuesMap;
  /** Dotted path (`controller`, `redis-ha.haproxy`), or `(top level)`. */
  name: string;
  /** Runs pods of its own (replicas, scheduling); false for a container spec such as a sidecar or init container. */
  workload: boolean;
  /** Why the component holds data (`the image bitnami/postgresql is a data store`), when it does. */
  dataStore?: string;
}

export interface KeyedEntry {
  at: ValuesMap;
  entry: Entry;
}

export interface ValuesModel {
  /** Every map reached, in document order. */
  maps: ValuesMap[];
  /**
   * Every entry of every walked map by key, in document order. Rules look up the few keys they care
   * about here instead of scanning every entry, and test a key-name pattern once per distinct key.
   */
  keys: Map<string, KeyedEntry[]>;
  /** The walked map for a YAML map node (the child section an entry's value opens). */
  byMap: Map<YAMLMap, ValuesMap>;
  components: Component[];
  /** Values that apply to every component of the chart (`global.affinity`, `global.topologySpreadConstraints`). */
  globals: ValuesMap[];
}

// Keys that belong to a pod (scheduling, scaling, pod-level settings).
const POD_KEYS = new Set([
  'replicaCount',
  'replicas',
  'autoscaling',
  'hpa',
  'podAnnotations',
  'podLabels',
  'podSecurityContext',
  'nodeSelector',
  'tolerations',
  'affinity',
  'topologySpreadConstraints',
  'podDisruptionBudget',
  'pdb',
  'updateStrategy',
  'strategy',
  'deploymentStrategy',
  'priorityClassName',
  'terminationGracePeriodSeconds',
  'podAntiAffinityPreset',
  'initContainers',
  'sidecars',
  'extraContainers',
  'hostNetwork',
]);

// Keys that belong to a container.
const CONTAINER_KEYS = new Set([
  'image',
  'resources',
  'resourcesPreset',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'containerSecurityContext',
  'securityContext',
  'env',
  'extraEnv',
  'extraEnvVars',
  'extraArgs',
  'command',
  'args',
  'containerPorts',
  'ports',
  'volumeMounts',
  'extraVolumeMounts',
]);

/** Maps that configure many components at once rather than being one. */
const NOT_COMPONENTS = new Set(['global', 'defaults', 'default', 'common', 'commonLabels', 'commonAnnotations']);

/** Roles that exist only in a replicated architecture (Bitnami's `architecture: standalone` does not deploy them). */
const REPLICA_ROLES = new Set(['readReplicas', 'replica', 'replicas', 'secondary', 'arbiter', 'hidden', 'slave']);

/** Data stores: products whose pods hold state that a second replica would not simply share. */
const DATA_STORE =
  /^(postgres|postgresql|postgresql-ha|postgis|timescaledb|mysql|mariadb|mariadb-galera|percona|percona-xtradb-cluster|mongo|mongodb|mongodb-sharded|redis|redis-cluster|redis-ha|valkey|valkey-cluster|keydb|dragonfly|memcached|elasticsearch|opensearch|rabbitmq|kafka|zookeeper|etcd|consul|vault|minio|influxdb|influxdb2|cassandra|scylla|couchdb|couchbase|neo4j|clickhouse|cockroachdb|nats|solr|questdb|mssql|mssql-server|emqx|vernemq|mosquitto)$/i;

/** Sections next to a data store that hold no data themselves (exporters, proxies, jobs). */
const HELPER_SECTION = /exporter|metrics|proxy|dashboard|backup|job|volumepermissions|^ui$|^web$|^sentinel$/i;

const MAX_DEPTH = 64;
// A values file has thousands of maps, not millions; the budget only matters for pathological input.
const MAX_MAPS = 200_000;

/** The product name in an image reference or repository: `docker.io/bitnami/postgresql:16` → `postgresql`. */
export function imageProduct(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.split(':')[0].toLowerCase();
}

/**
 * Products that keep data only through an optional feature, and that feature's section: NATS is a
 * message bus that holds nothing on disk unless JetStream is on, and its volume exists only for it.
 */
const STORAGE_FEATURES: [product: RegExp, feature: string][] = [[/\bnats\b/i, 'jetstream']];

/** The store's data-holding feature is switched off here (`jetstream.enabled: false`, or under `config:`). */
function storageSwitchedOff(at: ValuesMap, store: string): boolean {
  for (const [product, feature] of STORAGE_FEATURES) {
    if (!product.test(store)) continue;
    const view = at.document.view;
    const section = view.map(entryIn(at, feature)?.value) ?? view.map(view.get(view.map(entryIn(at, 'config')?.value), feature)?.value);
    if (section && isFalse(view.get(section, 'enabled')?.value)) return true;
  }
  return false;
}

export function isDataStoreName(name: string | undefined): boolean {
  return !!name && DATA_STORE.test(name);
}

export function buildModel(documents: YamlDocument[], chart: ChartInfo, path: string): ValuesModel {
  const model: ValuesModel = { maps: [], keys: new Map(), byMap: new Map(), components: [], globals: [] };
  const chartStore = chartDataStore(chart, path);
  for (const document of documents) new Walker(document, model, chartStore).run();
  return model;
}

/** Whether the chart itself is a data store (Chart.yaml name or keywords, or the values file's folder). */
function chartDataStore(chart: ChartInfo, path: string): string | undefined {
  if (isDataStoreName(chart.name)) return `the chart ${chart.name} is a data store`;
  if (chart.hints.includes('database')) return `the chart is a database`;
  // Without a Chart.yaml (a values file matched by prodready.files), `charts/redis/values.yaml` still names it.
  const parts = path.split('/');
  const folder = parts[parts.length - 2];
  if (!chart.name && isDataStoreName(folder)) return `the chart ${folder} is a data store`;
  return undefined;
}

/**
 * A map's entries as YamlView.entries reads them (first of duplicate keys wins, merges applied), with
 * a fast path for the common map without a `<<` merge: the walk reads every map once, so this is the
 * model's main cost.
 */
function entriesOf(view: YamlView, map: YAMLMap): Entry[] {
  const out: Entry[] = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) return view.entries(map);
    const key = keyText(pair.key);
    if (key === undefined) continue;
    out.push({ key, keyNode: pair.key as Node, value: isAlias(pair.value) ? view.resolve(pair.value) : ((pair.value ?? undefined) as Node | undefined), pair, owner: map, inherited: false });
  }
  // Duplicate keys are a syntax error already reported; keep the first like YamlView does.
  return hasDuplicateKey(out) ? view.entries(map) : out;
}

function hasDuplicateKey(entries: Entry[]): boolean {
  if (entries.length <= 16) {
    for (let i = 1; i < entries.length; i++) for (let j = 0; j < i; j++) if (entries[i].key === entries[j].key) return true;
    return false;
  }
  return new Set(entries.map((e) => e.key)).size !== entries.length;
}

class Walker {
  private readonly seen = new Set<unknown>();

  constructor(
    private readonly document: YamlDocument,
    private readonly model: ValuesModel,
    private readonly chartStore: string | undefined,
  ) {}

  run(): void {
    const rootImage = this.imageOf(this.document.root);
    const rootStore = rootImage && isDataStoreName(imageProduct(rootImage)) ? `the image ${rootImage} is a data store` : undefined;
    this.visitMap(this.document.root, [], undefined, undefined, undefined, true, this.chartStore ?? rootStore, 0);
  }

  private visitMap(
    map: YAMLMap,
    path: string[],
    key: string | undefined,
    keyNode: Node | undefined,
    parent: ValuesMap | undefined,
    parentActive: boolean,
    inheritedStore: string | undefined,
    depth: number,
  ): void {
    if (this.seen.has(map) || this.model.maps.length >= MAX_MAPS) return;
    this.seen.add(map);
    const view = this.document.view;
    const at: ValuesMap = { map, path, key, keyNode, document: this.document, parent, active: parentActive, entries: entriesOf(view, map) };
    // `create: false` (a chart told not to create its witness, its service account, its secret) leaves the
    // section undeployed just as `enabled: false` does.
    at.active = parentActive && !isFalse(entryIn(at, 'enabled')?.value) && !isFalse(entryIn(at, 'create')?.value) && !this.droppedByArchitecture(at);
    this.model.maps.push(at);
    this.model.byMap.set(map, at);
    for (const entry of at.entries) {
      const list = this.model.keys.get(entry.key);
      if (list) list.push({ at, entry });
      else this.model.keys.set(entry.key, [{ at, entry }]);
    }
    if (path.length === 1 && key === 'global') this.model.globals.push(at);

    // A section named after a data store (`postgresql:` subchart values, `redis-ha:`) holds one.
    let store = inheritedStore;
    const keyName = key?.toLowerCase();
    if (isDataStoreName(keyName)) store = `${key} is a data store`;
    else if (keyName && HELPER_SECTION.test(keyName)) store = undefined;
    at.dataStore = store;

    if (store && storageSwitchedOff(at, store)) store = undefined;
    at.dataStore = store;

    const shape = this.shape(at, path, key);
    if (shape) {
      const image = this.imageOf(map);
      let dataStore = store;
      // A component's own image decides: the exporter or haproxy next to a database holds no data.
      if (image) dataStore = isDataStoreName(imageProduct(image)) ? `the image ${image} is a data store` : undefined;
      if (dataStore && storageSwitchedOff(at, dataStore)) dataStore = undefined;
      const component: Component = { at, name: componentName(path), workload: shape === 'workload', dataStore };
      at.component = component;
      store = dataStore;
      at.dataStore = store;
      this.model.components.push(component);
    } else at.component = parent?.component;

    if (depth >= MAX_DEPTH) return;
    for (const pair of map.items) {
      // Scalars hold no sections; aliased collections are walked once, where their anchor is, so an
      // alias bomb cannot multiply the work.
      if (!isMap(pair.value) && !isSeq(pair.value)) continue;
      const childKey = keyText(pair.key);
      if (childKey === undefined || isMergeKey(pair.key)) continue;
      this.visitValue(pair.value, [...path, childKey], childKey, pair.key as Node, at, at.active, store, depth + 1);
    }
  }

  private visitValue(
    value: unknown,
    path: string[],
    key: string | undefined,
    keyNode: Node | undefined,
    parent: ValuesMap,
    active: boolean,
    store: string | undefined,
    depth: number,
  ): void {
    if (isMap(value)) this.visitMap(value, path, key, keyNode, parent, active, store, depth);
    else if (isSeq(value)) this.visitSeq(value, path, parent, active, store, depth);
  }

  private visitSeq(seq: YAMLSeq, path: string[], parent: ValuesMap, active: boolean, store: string | undefined, depth: number): void {
    if (this.seen.has(seq) || depth >= MAX_DEPTH) return;
    this.seen.add(seq);
    seq.items.forEach((item, i) => {
      if (isMap(item) || isSeq(item)) this.visitValue(item, [...path, `[${i}]`], undefined, undefined, parent, active, store, depth + 1);
    });
  }

  /** Bitnami's `architecture: standalone` leaves replica roles (`readReplicas:`, `replica:`) undeployed. */
  private droppedByArchitecture(at: ValuesMap): boolean {
    if (!at.key || !REPLICA_ROLES.has(at.key) || !at.parent) return false;
    return scalarText(entryIn(at.parent, 'architecture')?.value) === 'standalone';
  }

  private shape(at: ValuesMap, path: string[], key: string | undefined): 'workload' | 'container' | undefined {
    if (key !== undefined && NOT_COMPONENTS.has(key)) return undefined;
    if (path.includes('global')) return undefined;
    let pod = 0;
    let container = 0;
    for (const e of at.entries) {
      if (POD_KEYS.has(e.key)) pod++;
      else if (CONTAINER_KEYS.has(e.key)) container++;
    }
    // `replicaCount` and an autoscaler's bounds name pod counts and nothing else; an override file
    // may set only those.
    if (pod >= 2 || (pod >= 1 && container >= 2) || entryIn(at, 'replicaCount') || this.hasAutoscaler(at)) return 'workload';
    // A container spec names its image; `resources` + `resourcesPreset` alone may size an optional helper.
    if (container >= 2 && entryIn(at, 'image')) return 'container';
    if (container >= 3 && entryIn(at, 'resources')) return 'container';
    return undefined;
  }

  private hasAutoscaler(at: ValuesMap): boolean {
    const view = this.document.view;
    return ['autoscaling', 'hpa'].some((key) => {
      const map = view.map(entryIn(at, key)?.value);
      return !!map && (!!view.get(map, 'minReplicas') || !!view.get(map, 'maxReplicas'));
    });
  }

  imageOf(map: YAMLMap): string | undefined {
    return imageOfMap(this.document.view, map);
  }
}

/** The image a map names: `image: repo:tag`, `image: {repository: …}` or `image: {name: …}`; not a template. */
export function imageOfMap(view: YamlView, map: YAMLMap): string | undefined {
  const image = view.get(map, 'image')?.value;
  if (isScalar(image)) return scalarText(image);
  const imageMap = view.map(image);
  if (!imageMap) return undefined;
  const repo = scalarText(view.get(imageMap, 'repository')?.value) ?? scalarText(view.get(imageMap, 'name')?.value);
  return repo && !repo.includes('{{') ? repo : undefined;
}

function componentName(path: string[]): string {
  return path.length === 0 ? '(top level)' : path.join('.').replace(/\.\[/g, '[');
}

/** Shorthands for rules: an entry of a component's map, merges applied. */
export function componentEntry(c: Component, ...path: string[]): Entry | undefined {
  const first = entryIn(c.at, path[0]);
  if (!first || path.length === 1) return first;
  const view = c.at.document.view;
  return view.at(view.map(first.value), ...path.slice(1));
}

/** Where a finding about a whole component points: its key, or for the top level its first workload key. */
export function componentAnchor(c: Component): Node | undefined {
  if (c.at.keyNode) return c.at.keyNode;
  const view = c.at.document.view;
  for (const key of ['replicaCount', 'replicas', 'image', 'resources']) {
    const e = view.get(c.at.map, key);
    if (e && !e.inherited) return e.keyNode;
  }
  return c.at.map.items[0]?.key as Node | undefined;
}

/** How a finding names a component at the start of a sentence. */
export function describeComponent(c: Component): string {
  if (c.at.path.length === 0) return "The chart's workload (top-level values)";
  return c.workload ? `Component "${c.name}"` : `Container "${c.name}"`;
}

/** How a finding names a section at the start of a sentence, followed by its verb: `"redis.master" `, or `The chart `. */
export function sectionSubject(m: ValuesMap): string {
  return m.path.length === 0 ? 'The chart ' : `"${m.path.join('.')}" `;
}

/** Why the section, or the nearest section above it, holds data (its exporter and backup sections hold none themselves). */
export function dataStoreOf(m: ValuesMap): string | undefined {
  for (let p: ValuesMap | undefined = m; p; p = p.parent) if (p.dataStore) return p.dataStore;
  return undefined;
}

/** The document root's ValuesMap (the walk visits it first). */
export function rootOf(m: ValuesMap): ValuesMap {
  let r = m;
  while (r.parent) r = r.parent;
  return r;
}

/** A value a fix may rewrite in place: written here, not merged in (`<<`) and not shared through an alias. */
export function editableEntry(e: Entry | undefined): boolean {
  return !!e && !e.inherited && !isAlias(e.pair.value);
}

/** A key, or a pattern or predicate over key names. */
export type KeyMatch = string | RegExp | ((key: string) => boolean);

/** Entries under one key, or under every key matching a pattern (tested once per distinct key). */
export function entriesWithKey(model: ValuesModel, key: KeyMatch): KeyedEntry[] {
  if (typeof key === 'string') return model.keys.get(key) ?? [];
  const matches = typeof key === 'function' ? key : (k: string) => key.test(k);
  const out: KeyedEntry[] = [];
  for (const [k, list] of model.keys) if (matches(k)) for (const item of list) out.push(item);
  return out;
}

/** The walked sections opened by entries under a key (`service:`, `tls:`), in document order. */
export function sectionsWithKey(model: ValuesModel, key: KeyMatch): ValuesMap[] {
  const out: ValuesMap[] = [];
  for (const { entry } of entriesWithKey(model, key)) {
    const section = isMap(entry.value) ? model.byMap.get(entry.value) : undefined;
    // A section reached through a merge is the same map as its anchor: once is enough.
    if (section && !entry.inherited) out.push(section);
  }
  return out;
}
