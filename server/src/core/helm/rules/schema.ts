// helm/schema: Helm validates the values it is about to render against the chart's values.schema.json
// and refuses to install or upgrade when they do not match. The schema is the chart author's, in
// whatever draft they wrote it (draft-04 to 2020-12), sometimes broken, sometimes pointing at schemas
// on the web: it is cleaned into something ajv compiles, with remote parts left out (nothing is ever
// fetched) and one note saying so.

import Ajv, { ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { FileAccess, Report, Rule } from '../../types';
import { basename, dirname, joinPath } from '../../paths';
import { YamlView } from '../../yaml/nav';
import { parseYaml } from '../../yaml/parse';
import { conversionMessage, firstLineOf, fileNoteSpan, isPlainObject, limitsFor, schemaReports, yamlToJs } from '../../yaml/schema';
import { HelmContext } from '../model';

type Draft = 'draft4' | 'draft7' | '2019' | '2020';

export interface ChartSchema {
  validate?: ValidateFunction;
  /** Why the schema cannot be used, when it cannot. */
  problem?: string;
  /** True when Helm itself would fail on the schema (it is not JSON), not just prodready. */
  fatal?: boolean;
  /** $refs to other files or URLs, left out of the check. */
  remoteRefs: string[];
}

// ---------------------------------------------------------------------------------------------------
// Compiling a chart's schema

const MAX_CACHED = 16;
const compiled = new Map<string, { text: string; schema: ChartSchema }>();

/**
 * Compiled schemas by content alone (a hash of the text, confirmed by comparing it): compiling a large
 * generated schema costs seconds, so an edit of the values, the same chart opened from another path or
 * a vendored copy of it must reuse the validator rather than recompile it.
 */
export function chartSchema(text: string): ChartSchema {
  const key = `${text.length}\0${fnv1a(text)}`;
  const hit = compiled.get(key);
  if (hit && hit.text === text) {
    compiled.delete(key);
    compiled.set(key, hit);
    return hit.schema;
  }
  const schema = compileChartSchema(text);
  compiled.set(key, { text, schema });
  while (compiled.size > MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  return schema;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function compileChartSchema(text: string): ChartSchema {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { problem: `it is not valid JSON (${(e as Error).message})`, fatal: true, remoteRefs: [] };
  }
  if (typeof raw !== 'boolean' && !isPlainObject(raw)) return { problem: 'its top level is not a JSON object', fatal: true, remoteRefs: [] };
  const draft = draftOf(raw);
  const cleaner = new Cleaner(raw, draft);
  let schema = cleaner.clean(raw, raw);
  const remoteRefs = cleaner.remote;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return { validate: newAjv(draft).compile(schema as object), remoteRefs };
    } catch (e) {
      // A reference our resolution check let through but ajv cannot follow: drop every reference that
      // is not a plain pointer into this file and try once more before giving up.
      if (attempt === 0 && (e as { missingRef?: string }).missingRef !== undefined) {
        const strict = new Cleaner(raw, draft, true);
        schema = strict.clean(raw, raw);
        remoteRefs.push(...strict.remote.filter((r) => !remoteRefs.includes(r)));
        continue;
      }
      return { problem: `prodready could not compile it (${firstLine((e as Error).message)})`, remoteRefs };
    }
  }
  return { problem: 'prodready could not compile it', remoteRefs };
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return (nl === -1 ? s : s.slice(0, nl)).slice(0, 200);
}

function draftOf(schema: unknown): Draft {
  const id = isPlainObject(schema) && typeof schema.$schema === 'string' ? schema.$schema : '';
  if (/draft-0?[34]\b/.test(id)) return 'draft4';
  if (id.includes('2020-12')) return '2020';
  if (id.includes('2019-09')) return '2019';
  // draft-06, draft-07, the unversioned "http://json-schema.org/schema#" and no $schema at all.
  return 'draft7';
}

function newAjv(draft: Draft): Ajv {
  // No loadSchema, so ajv cannot fetch anything; validateSchema off because real-world schemas break
  // the meta-schema in harmless ways (the Cleaner removes the harmful ones); formats are not checked,
  // as Helm's own validators disagree on them; unicodeRegExp off because chart authors write Go regexps.
  const options = {
    allErrors: true,
    verbose: true,
    strict: false,
    validateSchema: false,
    validateFormats: false,
    unicodeRegExp: false,
    messages: false,
    inlineRefs: false,
    logger: false as const,
  };
  if (draft === '2020') return new Ajv2020(options);
  if (draft === '2019') return new Ajv2019(options);
  return new Ajv(options);
}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const SCHEMA_VALUED = ['additionalProperties', 'additionalItems', 'unevaluatedProperties', 'unevaluatedItems', 'contains', 'not', 'if', 'then', 'else', 'propertyNames'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'];
const NUMBERS = ['minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minContains', 'maxContains'];
const MAX_SCHEMA_DEPTH = 200;

/**
 * Copies a schema keeping only what ajv can compile: keyword values of the wrong type are dropped
 * (ajv trusts them once meta-schema validation is off), draft-04's boolean exclusiveMinimum/Maximum
 * become numbers, patterns JavaScript cannot compile are dropped, and $refs that do not resolve
 * inside this file become "anything" (listed in `remote`).
 */
class Cleaner {
  readonly remote: string[] = [];
  private readonly ids = new Set<string>();
  private readonly anchors = new Set<string>();

  constructor(
    private readonly root: unknown,
    private readonly draft: Draft,
    private readonly pointersOnly = false,
  ) {
    this.collectIds(root, 0);
  }

  private collectIds(node: unknown, depth: number): void {
    if (depth > MAX_SCHEMA_DEPTH) return;
    if (Array.isArray(node)) node.forEach((n) => this.collectIds(n, depth + 1));
    else if (isPlainObject(node)) {
      for (const k of ['$id', 'id', '$anchor', '$dynamicAnchor']) {
        const v = node[k];
        if (typeof v !== 'string') continue;
        if (k === '$anchor' || k === '$dynamicAnchor') this.anchors.add(v);
        else if (v.startsWith('#')) this.anchors.add(v.slice(1));
        else this.ids.add(v.replace(/#$/, ''));
      }
      for (const v of Object.values(node)) this.collectIds(v, depth + 1);
    }
  }

  /** `resource` is the schema a `#/…` pointer starts from (the nearest enclosing $id, or the root). */
  clean(node: unknown, resource: unknown, depth = 0): unknown {
    if (typeof node === 'boolean') return node;
    if (!isPlainObject(node) || depth > MAX_SCHEMA_DEPTH) return {};
    if (typeof node.$id === 'string' && !node.$id.startsWith('#') && depth > 0) resource = node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$schema') continue;
      if (k === '$ref') {
        if (typeof v !== 'string' || this.resolvable(v, resource)) {
          if (typeof v === 'string') out.$ref = v;
        } else if (!v.startsWith('#') && !this.remote.includes(v)) this.remote.push(v);
        // A pointer to nothing inside the file is the chart author's slip; it is read as "anything".
      } else if (k === 'type') {
        const types = (Array.isArray(v) ? v : [v]).filter((t) => typeof t === 'string' && TYPES.has(t));
        if (types.length) out.type = Array.isArray(v) ? types : types[0];
      } else if (k === 'required') {
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out.required = v;
      } else if (k === 'enum') {
        if (Array.isArray(v)) out.enum = v;
      } else if (NUMBERS.includes(k)) {
        if (typeof v === 'number' && (k !== 'multipleOf' || v > 0)) out[k] = v;
      } else if (k === 'exclusiveMinimum' || k === 'exclusiveMaximum') {
        if (typeof v === 'number') out[k] = v;
        else if (v === true) {
          const bound = node[k === 'exclusiveMinimum' ? 'minimum' : 'maximum'];
          if (typeof bound === 'number') out[k] = bound;
        }
      } else if (k === 'pattern') {
        if (typeof v === 'string' && compiles(v)) out.pattern = v;
      } else if (k === 'uniqueItems') {
        if (typeof v === 'boolean') out.uniqueItems = v;
      } else if (k === 'items') {
        if (Array.isArray(v)) {
          const list = v.map((s) => this.clean(s, resource, depth + 1));
          // 2020-12 spells tuple validation prefixItems, and `items` means the rest.
          if (this.draft === '2020') out.prefixItems = list;
          else out.items = list;
        } else out.items = this.clean(v, resource, depth + 1);
      } else if (SCHEMA_VALUED.includes(k)) {
        out[k] = this.clean(v, resource, depth + 1);
      } else if (SCHEMA_LISTS.includes(k)) {
        if (Array.isArray(v) && v.length) out[k] = v.map((s) => this.clean(s, resource, depth + 1));
      } else if (SCHEMA_MAPS.includes(k)) {
        if (!isPlainObject(v)) continue;
        const map: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(v)) {
          if (k === 'patternProperties' && !compiles(name)) continue;
          map[name] = this.clean(sub, resource, depth + 1);
        }
        out[k] = map;
      } else if (k === 'dependencies') {
        if (!isPlainObject(v)) continue;
        const map: Record<string, unknown> = {};
        for (const [name, dep] of Object.entries(v)) {
          if (Array.isArray(dep)) {
            if (dep.every((x) => typeof x === 'string')) map[name] = dep;
          } else map[name] = this.clean(dep, resource, depth + 1);
        }
        out.dependencies = map;
      } else if (k === 'dependentRequired') {
        if (isPlainObject(v)) out.dependentRequired = Object.fromEntries(Object.entries(v).filter(([, d]) => Array.isArray(d) && d.every((x) => typeof x === 'string')));
      } else if (k === 'format' || k === 'id') {
        // Formats are not checked; draft-04 `id` is neither needed nor understood by ajv's later drafts.
      } else {
        out[k] = v;
      }
    }
    if (this.draft === '2020' && Array.isArray(node.items) && node.additionalItems !== undefined) {
      out.items = out.additionalItems;
      delete out.additionalItems;
    }
    return out;
  }

  private resolvable(ref: string, resource: unknown): boolean {
    const hash = ref.indexOf('#');
    const base = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    if (base !== '') {
      if (this.pointersOnly) return false;
      const known = [...this.ids].some((id) => id === base || id.endsWith('/' + base));
      return known && (fragment === '' || fragment.startsWith('/'));
    }
    if (fragment === '') return true;
    if (!fragment.startsWith('/')) return !this.pointersOnly && this.anchors.has(fragment);
    return resolvePointer(resource ?? this.root, fragment) !== undefined;
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let current = root;
  for (const raw of pointer.split('/').slice(1)) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(current) && /^\d+$/.test(seg)) current = current[Number(seg)];
    else if (isPlainObject(current) && Object.prototype.hasOwnProperty.call(current, seg)) current = current[seg];
    else return undefined;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------------
// The chart's default values, which an override file is merged over

const defaultsCache = new Map<string, { text: string; values: unknown }>();

/** The chart's values.yaml as data; undefined when it cannot be read as a map (the check is then skipped). */
function chartDefaults(files: FileAccess, path: string): unknown {
  let text: string | undefined;
  try {
    text = files.readFile(path);
  } catch {
    text = undefined;
  }
  // No values.yaml at all: Helm merges over nothing.
  if (text === undefined) return Object.create(null);
  const hit = defaultsCache.get(path);
  if (hit && hit.text === text) return hit.values;
  const values = parseDefaults(text);
  defaultsCache.set(path, { text, values });
  while (defaultsCache.size > MAX_CACHED) defaultsCache.delete(defaultsCache.keys().next().value!);
  return values;
}

function parseDefaults(text: string): unknown {
  const { docs } = parseYaml(text);
  const doc = docs[0];
  if (!doc) return Object.create(null);
  if (doc.errors.length) return undefined;
  if (doc.contents === null) return Object.create(null);
  const converted = yamlToJs(new YamlView(doc, text), doc.contents, limitsFor(text));
  return converted.ok && isPlainObject(converted.value) ? converted.value : undefined;
}

/**
 * Helm's merge of a values file over the chart's defaults: maps merge key by key, anything else in
 * the override replaces the default, and an override's null deletes the default.
 */
export function coalesce(defaults: unknown, override: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(defaults)) out[k] = defaults[k];
  for (const k of Object.keys(override)) {
    const v = override[k];
    if (v === null && k in defaults) delete out[k];
    else out[k] = k in defaults ? coalesce(defaults[k], v) : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The rule

export const helmSchema: Rule<HelmContext> = {
  meta: {
    id: 'helm/schema',
    description: "Values satisfy the chart's `values.schema.json`, which Helm enforces on install and upgrade.",
    defaultSeverity: 'error',
    category: 'correctness',
    fixable: true,
  },
  check(ctx, report) {
    if (!ctx.chartDir) return;
    const schemaPath = joinPath(ctx.chartDir, 'values.schema.json');
    let schemaText: string | undefined;
    try {
      schemaText = ctx.files.readFile(schemaPath);
    } catch {
      schemaText = undefined;
    }
    if (schemaText === undefined) return;
    // Helm reads the first document of a values file only.
    const d = ctx.documents[0];
    if (!d || d.doc.errors.length) return;

    const schema = chartSchema(schemaText);
    const fileNote = ctx.merged?.noteSpan ?? fileNoteSpan(ctx.text);
    if (!schema.validate) {
      report({
        span: fileNote,
        severity: schema.fatal ? 'error' : 'warning',
        message: schema.fatal
          ? `The chart's values.schema.json is unusable: ${schema.problem}. Helm fails every install and upgrade of this chart until it is fixed.`
          : `The chart's values.schema.json cannot be checked: ${schema.problem}. These values are not validated against it.`,
      });
      return;
    }
    if (schema.remoteRefs.length) report(remoteNote(fileNote, schema.remoteRefs));

    const converted = yamlToJs(d.view, d.root, limitsFor(ctx.text));
    if (!converted.ok) {
      report({ span: ctx.merged ? fileNote : firstLineOf(ctx.text, d.root), severity: 'warning', message: conversionMessage(converted.problem, 'values.schema.json') });
      return;
    }
    // On an environment, the values are already what Helm validates: every file and subchart default merged.
    const isDefaults = !ctx.merged && dirname(ctx.path) === ctx.chartDir && basename(ctx.path) === 'values.yaml';
    let values = converted.value;
    if (!ctx.merged && !isDefaults) {
      const defaults = chartDefaults(ctx.files, joinPath(ctx.chartDir, 'values.yaml'));
      // Unreadable defaults would make every check on the merged values a guess.
      if (defaults === undefined) return;
      values = coalesce(defaults, values);
    }
    if (schema.validate(values)) return;
    const consequence = ctx.merged
      ? `Helm refuses to install or upgrade "${ctx.merged.environment}", as its merged values break the chart's values.schema.json.`
      : isDefaults
        ? "Helm refuses to install or upgrade the chart while its values break its values.schema.json."
        : "Helm refuses to install or upgrade with these values, as the merged values break the chart's values.schema.json.";
    schemaReports(schema.validate.errors, { view: d.view, root: d.root, consequence, ownKeysOnly: !ctx.merged && !isDefaults, sameFile: ctx.merged?.sameFile }).forEach(report);
  },
};

function remoteNote(span: Report['span'], refs: string[]): Report {
  const shown = refs.slice(0, 3).map((r) => `"${r}"`).join(', ');
  return {
    span,
    severity: 'information',
    message: `values.schema.json refers to ${refs.length === 1 ? 'a schema' : `${refs.length} schemas`} outside the file (${shown}${refs.length > 3 ? ', …' : ''}); prodready never fetches anything, so those parts are not checked.`,
  };
}
