// A Compose / stack environment: `docker compose -f base.yml -f prod.yml` and
// `docker stack deploy -c base.yml -c prod.yml`, merged as the Compose Specification says
// (compose-spec merge.md; the sequences' keys as Compose itself applies them), interpolated from the
// `.env` file beside the first file.

import { isMap, isNode, isPair, isScalar, isSeq, Node, Scalar } from 'yaml';
import { dirname, joinPath } from '../paths';
import { FileAccess } from '../types';
import { scalarText } from '../yaml/nav';
import { parseDotEnv } from './dotenv';
import { interpolate, Interpolation, Variables } from './interpolate';
import { ItemKey, Merged, MergePolicy, Merger, rootLeaf, Source, Strategy } from './merge';
import { assemble, EnvProblem, Environment, fileExists, readText } from './model';
import { EnvCache, EnvFile, layoutFiles, SourceFile } from './virtual';
import { hasTag, RESET_TAG } from './yaml';

/** What a scalar of a compose environment deploys as. */
export type EffectiveScalar =
  | { known: true; value: string | null; /** The written text had interpolations. */ interpolated: boolean }
  | { known: false; unknown: string[]; errors: string[] };

export interface ComposeEnvironment extends Environment {
  variables: Variables;
  /** The `.env` file read, when there is one. */
  envFile?: string;
  /**
   * A scalar's effective value, for rules that must tell a known value from an unknown one. (Values
   * read through `view` already are the interpolated ones where known.)
   */
  scalar(node: unknown): EffectiveScalar | undefined;
}

export interface ComposeEnvironmentInput {
  name: string;
  /** The compose files in `-f` / `-c` order. */
  files: string[];
  access: FileAccess;
  /** `--env-file`; by default `.env` beside the first file. */
  envFile?: string;
  cache?: EnvCache;
}

export function buildComposeEnvironment(input: ComposeEnvironmentInput): ComposeEnvironment {
  const problems: EnvProblem[] = [];
  const sources: SourceFile[] = [];
  input.files.forEach((path, i) => {
    const text = readText(input.access, path);
    if (text === undefined) problems.push({ path, message: `${path} is part of environment "${input.name}" but cannot be read`, severity: 'warning' });
    else sources.push({ path, text, role: i === 0 ? 'base' : 'overlay' });
  });
  const envPath = input.envFile ?? (input.files.length ? joinPath(dirname(input.files[0]), '.env') : undefined);
  const envText = envPath && fileExists(input.access, envPath) ? readText(input.access, envPath) : undefined;
  const dotenv = parseDotEnv(envText ?? '');
  for (const p of dotenv.problems) problems.push({ path: envPath!, message: `line ${p.line}: ${p.message}`, severity: 'warning' });

  const values = new Interpolated(dotenv.variables);
  const layout = layoutFiles(sources, input.cache);
  const merger = new Merger(composePolicy((node) => values.text(node)));
  let merged: Merged | undefined;
  layout.files.forEach((file, layer) => {
    const leaf = rootLeaf(file, layer);
    if (leaf) merged = merger.merge(merged, leaf, []);
  });
  const env = assemble(input.name, layout, merged, problems, (node) => values.effective(node));
  return { ...env, variables: dotenv.variables, envFile: envText === undefined ? undefined : envPath, scalar: (node) => values.scalar(node) };
}

/** Interpolation of one environment's scalars, computed once per node. */
class Interpolated {
  private readonly results = new WeakMap<Scalar, Interpolation>();
  private readonly substitutes = new WeakMap<Node, Scalar>();
  private readonly originals = new WeakMap<Node, Scalar>();

  constructor(private readonly variables: Variables) {}

  private result(node: Scalar): Interpolation | undefined {
    if (typeof node.value !== 'string' || !node.value.includes('$')) return undefined;
    let r = this.results.get(node);
    if (!r) this.results.set(node, (r = interpolate(node.value, this.variables)));
    return r;
  }

  /** The node as deployed: an interpolated scalar whose value is known becomes a scalar of that value, same range. */
  effective(node: Node): Node {
    if (!isScalar(node)) return node;
    const r = this.result(node);
    if (!r?.known || r.value === node.value) return node;
    let s = this.substitutes.get(node);
    if (!s) {
      s = new Scalar(r.value);
      s.range = node.range;
      s.type = node.type;
      this.substitutes.set(node, s);
      this.originals.set(s, node);
    }
    return s;
  }

  scalar(node: unknown): EffectiveScalar | undefined {
    if (!isScalar(node)) return undefined;
    const original = this.originals.get(node) ?? node;
    const r = this.result(original);
    if (!r) return { known: true, value: original.value === null ? null : (scalarText(original) ?? null), interpolated: false };
    return r.known ? { known: true, value: r.value, interpolated: true } : { known: false, unknown: r.unknown, errors: r.errors };
  }

  /** Text used to identify sequence items: the interpolated text where known, else as written. */
  text(node: Node | undefined): string | undefined {
    return scalarText(node && this.effective(node));
  }
}

// ---------------------------------------------------------------------------------------------------
// The merge rules

type Text = (node: Node | undefined) => string | undefined;

function field(source: Source, map: Node, key: string, text: Text): string | undefined {
  return isMap(map) ? text(source.file.view.get(map, key)?.value) : undefined;
}

/** Compose's "unique resources" and list-or-map attributes, keyed as Compose keys them. */
function itemKeys(text: Text) {
  const short = (fn: (s: string) => string | undefined): ItemKey => (node) => {
    const t = text(node);
    return t === undefined || isMap(node) ? undefined : fn(t);
  };
  const beforeEquals = short((t) => t.split('=')[0]);
  /** ports: {host_ip, published, target, protocol} (compose-spec merge.md "Unique resources"). */
  const port: ItemKey = (node, source) => {
    if (isMap(node)) {
      const f = (k: string) => field(source, node, k, text) ?? '';
      return portKey(f('host_ip'), f('published'), f('target'), f('protocol'));
    }
    const t = text(node);
    if (t === undefined) return undefined;
    const [body, protocol = ''] = t.split('/');
    const v6 = /^\[([^\]]*)\]:(.*)$/.exec(body);
    const parts = (v6 ? v6[2] : body).split(':');
    const target = parts.pop() ?? '';
    const published = parts.pop() ?? '';
    return portKey(v6 ? v6[1] : parts.join(':'), published, target, protocol);
  };
  /** volumes and devices: the path inside the container. */
  const target =
    (shortTarget: (parts: string[]) => string): ItemKey =>
    (node, source) => {
      if (isMap(node)) return field(source, node, 'target', text);
      const t = text(node);
      if (t === undefined) return undefined;
      // A Windows drive letter ("C:\data:/data") has a colon of its own.
      const drive = /^[A-Za-z]:[\\/]/.test(t) ? t.slice(0, 2) : '';
      const parts = t.slice(drive.length).split(':');
      return shortTarget(parts);
    };
  /** secrets and configs: `target`, by default a file named for the source in Compose's folder for them. */
  const mount =
    (folder: string): ItemKey =>
    (node, source) => {
      if (!isMap(node)) return short((name) => `${folder}/${name}`)(node, source);
      return field(source, node, 'target', text) ?? `${folder}/${field(source, node, 'source', text) ?? ''}`;
    };
  const envFile: ItemKey = (node, source) => (isMap(node) ? field(source, node, 'path', text) : text(node));
  const subnet: ItemKey = (node, source) => field(source, node, 'subnet', text);
  const host = short((t) => {
    const sep = t.includes('=') ? '=' : ':';
    const i = t.indexOf(sep);
    return i === -1 ? t : `${t.slice(0, i)}=${t.slice(i + 1)}`;
  });
  return {
    beforeEquals,
    port,
    volume: target((parts) => (parts.length === 1 ? parts[0] : parts[1])),
    device: target((parts) => parts[1] ?? parts[0]),
    secret: mount('/run/secrets'),
    config: mount(''),
    envFile,
    subnet,
    host,
  };
}

function portKey(hostIp: string, published: string, target: string, protocol: string): string {
  return `${hostIp === '0.0.0.0' ? '' : hostIp}|${published}|${target}|${(protocol || 'tcp').toLowerCase()}`;
}

/** Compose's merge rules by attribute path ('*' = any one key). */
export function composeRules(text: Text): [string, Strategy][] {
  const k = itemKeys(text);
  const replace: Strategy = { kind: 'replace' };
  const keyValues: Strategy = { kind: 'keyed', key: k.beforeEquals };
  const values: Strategy = { kind: 'unique', key: k.beforeEquals };
  const byName: Strategy = { kind: 'keyed', key: k.beforeEquals, nested: true };
  return [
    // "Shell commands": the later file's value replaces.
    ['services.*.command', replace],
    ['services.*.entrypoint', replace],
    ['services.*.healthcheck.test', replace],
    ['services.*.ulimits.*', replace],
    // "Unique resources".
    ['services.*.ports', { kind: 'unique', key: k.port }],
    ['services.*.volumes', { kind: 'unique', key: k.volume }],
    ['services.*.secrets', { kind: 'unique', key: k.secret }],
    ['services.*.configs', { kind: 'unique', key: k.config }],
    ['services.*.devices', { kind: 'unique', key: k.device }],
    ['services.*.env_file', { kind: 'unique', key: k.envFile }],
    ['networks.*.ipam.config', { kind: 'unique', key: k.subnet }],
    // Written as `- KEY=value` or `KEY: value`, merged by KEY.
    ['services.*.environment', keyValues],
    ['services.*.labels', keyValues],
    ['services.*.annotations', keyValues],
    ['services.*.sysctls', keyValues],
    ['services.*.deploy.labels', keyValues],
    ['services.*.build.args', keyValues],
    ['services.*.build.labels', keyValues],
    ['services.*.build.additional_contexts', keyValues],
    ['networks.*.labels', keyValues],
    ['volumes.*.labels', keyValues],
    // A host may have several addresses: only an identical entry is dropped.
    ['services.*.extra_hosts', { kind: 'keyed', key: k.host, entryKey: (key, value) => `${key}=${text(value) ?? ''}` }],
    ['services.*.build.extra_hosts', { kind: 'keyed', key: k.host, entryKey: (key, value) => `${key}=${text(value) ?? ''}` }],
    // Lists of values, each once.
    ...['dns', 'dns_opt', 'dns_search', 'tmpfs', 'cap_add', 'cap_drop', 'profiles', 'links', 'expose', 'build.tags', 'build.platforms'].map(
      (a): [string, Strategy] => [`services.*.${a}`, values],
    ),
    ['services.*.networks.*.aliases', values],
    ['services.*.networks.*.link_local_ips', values],
    // Written as a list of names or a map of settings, merged by name.
    ['services.*.networks', byName],
    ['services.*.depends_on', byName],
    ['services.*.models', byName],
    ['services.*.logging', { kind: 'logging' }],
  ];
}

export function composePolicy(text: Text): MergePolicy {
  const rules = composeRules(text).map(([pattern, strategy]) => ({ pattern: pattern.split('.'), strategy }));
  const defaultStrategy: Strategy = { kind: 'default' };
  return {
    strategy(path) {
      for (const r of rules) {
        if (r.pattern.length === path.length && r.pattern.every((p, i) => p === '*' || p === path[i])) return r.strategy;
      }
      return defaultStrategy;
    },
    sequences: 'append',
    nullOverValue: 'keep',
    mergeTags: true,
    // A value holding a `!reset` is walked even where nothing lies beneath it (the first file, a
    // service only the overlay defines), so the reset part is dropped there too.
    expand: (leaf) => !!leaf.node && resetHolders(leaf.source.file).has(leaf.node),
  };
}

const holders = new WeakMap<object, Set<Node>>();

/** The collections of a file that hold a `!reset` value somewhere below them, found once per parse. */
function resetHolders(file: EnvFile): Set<Node> {
  const doc = file.docs[0];
  if (!doc) return new Set();
  let found = holders.get(doc);
  if (found) return found;
  found = new Set();
  if (file.text.includes(RESET_TAG)) {
    const parents = new Map<Node, Node | undefined>();
    const stack: [unknown, Node | undefined][] = [[doc.contents, undefined]];
    while (stack.length) {
      const [n, parent] = stack.pop()!;
      if (isPair(n)) {
        stack.push([n.key, parent], [n.value, parent]);
        continue;
      }
      if (!isNode(n) || parents.has(n)) continue;
      parents.set(n, parent);
      if (hasTag(n, RESET_TAG)) for (let p = parent; p && !found.has(p); p = parents.get(p)) found.add(p);
      if (isMap(n) || isSeq(n)) for (const item of n.items) stack.push([item, n]);
    }
  }
  holders.set(doc, found);
  return found;
}
