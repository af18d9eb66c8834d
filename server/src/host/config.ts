// The team's project configuration, `.prodready.yaml` (or `.yml`, `.json`): the same settings as the
// editor's `prodready.*`, plus `baseline`, shared by the CLI, CI and every editor. Found by walking up
// from a checked file to the repository root (a folder holding `.git`) or the file system's root.
// Validated against schemas/prodready-config.schema.json (generated from the rule metadata); an invalid
// file is an error that names the file, the line and the key.

import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, LineCounter, Node, parseDocument } from 'yaml';
import schema from '../../../schemas/prodready-config.schema.json';
import { environmentsFrom, settingsFromConfig } from '../core/settings';
import { Settings } from '../core/types';

export const PROJECT_CONFIG_NAMES = ['.prodready.yaml', '.prodready.yml', '.prodready.json'];

export interface ProjectConfig {
  file: string;
  settings: Partial<Settings>;
  /** `exclude` globs (the scans' business, not the core's). */
  exclude: string[];
  /** The baseline file, resolved against the config file's folder. */
  baseline?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

let validator: ValidateFunction | undefined;

/** The config file that applies to files in `dir`, if any: the nearest one up to the repository root. */
export function findProjectConfig(dir: string, cache = new Map<string, string | null>()): string | undefined {
  const visited: string[] = [];
  let found: string | null = null;
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const known = cache.get(current);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(current);
    const here = PROJECT_CONFIG_NAMES.map((n) => path.join(current, n)).find((f) => fs.existsSync(f));
    if (here) {
      found = here;
      break;
    }
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) break;
  }
  for (const d of visited) cache.set(d, found);
  return found ?? undefined;
}

/** Reads and validates a config file; throws ConfigError (with the line) for anything invalid. */
export function readProjectConfig(file: string): ProjectConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, 1, `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (offset: number) => lines.linePos(offset).line;
  if (doc.errors.length) throw new ConfigError(file, lineOf(doc.errors[0].pos[0]), `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${doc.errors[0].message.split('\n')[0]}`);
  const data = (doc.toJS() ?? {}) as unknown;
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validator(data)) {
    const e = validator.errors![0];
    const { node, key } = locate(doc.contents, e);
    throw new ConfigError(file, node?.range ? lineOf(node.range[0]) : 1, describe(e, key));
  }
  const raw = data as Record<string, unknown>;
  const problems: string[] = [];
  const settings = settingsFromConfig(raw, (m) => problems.push(m));
  if (problems.length) throw new ConfigError(file, 1, problems[0]);
  if (settings.environments) settings.environments = environmentsFrom(path.dirname(path.resolve(file)).split(path.sep).join('/'), settings.environments);
  return {
    file,
    settings,
    exclude: (raw.exclude as string[] | undefined) ?? [],
    baseline: typeof raw.baseline === 'string' ? path.resolve(path.dirname(file), raw.baseline) : undefined,
  };
}

/** The node an ajv error is about (the offending key for unknown properties), and that key's name. */
function locate(root: unknown, e: ErrorObject): { node?: Node; key: string } {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root as Node | undefined;
  for (const segment of segments) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    node = (pair?.value as Node | undefined) ?? (pair?.key as Node | undefined);
  }
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  if (extra !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === extra);
    return { node: (pair?.key as Node | undefined) ?? node, key: [...segments, extra].join('.') };
  }
  return { node, key: segments.join('.') || '(top level)' };
}

function describe(e: ErrorObject, key: string): string {
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  if (extra !== undefined) return `"${key}" is not a prodready setting`;
  const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
  if (allowed) return `"${key}" must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  return `"${key}" ${e.message ?? 'is invalid'}`;
}
