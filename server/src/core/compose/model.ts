// The compose/stack file as its rules read it: the services of every YAML document (see
// yaml/document.ts), with merges and aliases resolved.

import { isMap, Node, YAMLMap } from 'yaml';
import { basename } from '../paths';
import { buildComposeEnvironment } from '../env/compose';
import { DiscoveredEnvironment, EnvUnit } from '../env/discovery';
import { withCurrentText } from '../environments';
import { BaseContext, PreparedEnvironment, SyntaxReport } from '../kind';
import { YamlDocument, yamlDocuments } from '../yaml/document';
import { Entry, scalarText } from '../yaml/nav';
import { parseYaml, yamlSyntaxReports } from '../yaml/parse';

export interface Service {
  name: string;
  /** The service's key in `services:`, where service-wide findings point. */
  keyNode: Node;
  map: YAMLMap;
  document: YamlDocument;
}

/** The compose variant `docker stack deploy` reads: Swarm-only rules run on it. */
export const SWARM_STACK = 'swarm-stack';

export interface ComposeContext extends BaseContext {
  /** Treated as a Swarm stack (variant `swarm-stack`). */
  swarm: boolean;
  documents: YamlDocument[];
  services: Service[];
}

export const COMPOSE_NAME = /^(docker-)?compose[^/]*\.ya?ml$|^[^/]*stack[^/]*\.ya?ml$/i;

export function matchesComposeName(path: string): boolean {
  return COMPOSE_NAME.test(basename(path));
}

/** A top-level `include:` of other compose files (paths to YAML files, or `path:` items). */
const INCLUDE = /^include[ \t]*:[ \t]*(?:\[[ \t]*["']?[^\s"',\]]+\.ya?ml|(?:#.*)?\r?\n[ \t]*-[ \t]+(?:path[ \t]*:|["']?[^\s"']+\.ya?ml["']?[ \t]*(?:#.*)?\r?$))/m;

/**
 * A YAML file whose top level has a `services:` map or an `include:` of compose files (cheap textual
 * check; the parse confirms). A fragment may define a service only by `extends:` of another file's.
 */
export function sniffCompose(text: string, path: string): boolean {
  if (!/\.ya?ml$/i.test(path)) return false;
  const head = text.slice(0, 200_000);
  if (INCLUDE.test(head)) return true;
  const m = /^services[ \t]*:[ \t]*(#.*)?\r?\n([ \t]+)[^\s#]/m.exec(head);
  if (!m) return false;
  // Helm charts also use `services:` at times; a real service definition has one of these keys.
  return /^[ \t]+(image|build|ports|volumes|deploy|environment|command|networks|extends)[ \t]*:/m.test(text.slice(m.index, m.index + 20_000));
}

export function prepareCompose(base: BaseContext, options: { variant?: string | null }): { ctx: ComposeContext; syntax: SyntaxReport[] } {
  const parsed = parseYaml(base.text, base.cache);
  const syntax = yamlSyntaxReports(parsed);
  return { ctx: composeContext(base, yamlDocuments(parsed, base.text), options), syntax };
}

/**
 * What compose rules read on a production environment: the merged document of its files (see
 * environments.ts), over the environment's virtual text.
 */
export function prepareComposeEnvironment(base: BaseContext, environment: DiscoveredEnvironment, options: { variant?: string | null }): PreparedEnvironment<ComposeContext> {
  const unit = environment.unit as Extract<EnvUnit, { kind: 'compose' }>;
  const env = buildComposeEnvironment({ name: environment.name, files: unit.files, access: withCurrentText(base), envFile: unit.envFile, cache: base.cache });
  const documents = env.root ? [{ doc: env.doc, view: env.view, edit: env.edit, root: env.root }] : [];
  const variant = options.variant !== undefined ? options.variant : unit.swarm === undefined ? undefined : unit.swarm ? SWARM_STACK : null;
  return { ctx: composeContext({ ...base, text: env.text }, documents, { variant }), env };
}

function composeContext(base: BaseContext, documents: YamlDocument[], options: { variant?: string | null }): ComposeContext {
  const services: Service[] = [];
  for (const document of documents) {
    const { view, root } = document;
    const servicesMap = view.map(view.get(root, 'services')?.value);
    for (const e of view.entries(servicesMap)) {
      const map = view.map(e.value);
      if (map) services.push({ name: e.key, keyNode: e.keyNode, map, document });
    }
  }
  const swarm =
    options.variant !== undefined
      ? options.variant === SWARM_STACK
      : /stack/i.test(basename(base.path)) || services.some((s) => s.document.view.get(s.map, 'deploy') !== undefined);
  return { ...base, swarm, documents, services };
}

/** Shorthands rules use on a service. */
export function serviceValue(s: Service, ...path: string[]): Entry | undefined {
  return s.document.view.at(s.map, ...path);
}

export function serviceText(s: Service, ...path: string[]): string | undefined {
  return scalarText(serviceValue(s, ...path)?.value);
}

export function isGlobal(s: Service): boolean {
  return serviceText(s, 'deploy', 'mode') === 'global';
}

export function imageName(s: Service): string | undefined {
  return serviceText(s, 'image');
}

export function isMapNode(n: unknown): n is YAMLMap {
  return isMap(n);
}
