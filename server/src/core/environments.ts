// A file deployed together with others (issue 9): its rules judge what the environment deploys — the
// files merged, chart and subchart defaults included — and each finding goes where its fix belongs.
//
// - The analysed file is a production overlay: a finding on a value it writes stays on that value; a
//   finding on a value production inherits (from the base, or a subchart's default) is reported on
//   the overlay, at the nearest key of the value's path the overlay has (or its first line), naming
//   the value and where it comes from, pointing there (related information) when a user wrote it, and
//   fixed by setting the value in the overlay when the rule's own fix tells which value to set.
// - The analysed file is a shared base with production overlays: only what reaches production from
//   it in every production environment, at information level; nothing for what production overrides.
// - Rules that judge each file alone (the Compose schema) and syntax stay per file, as without
//   environments. A schema the tool checks on the merged values (Helm's values.schema.json) is judged on
//   the environment, each finding on the file that writes the offending value.
// A file in no environment, or only in non-production ones, is analysed alone, as before.

import { isScalar, Node, YAMLMap } from 'yaml';
import { Collected, collectReports, mapFixes, RuleReport } from './collect';
import { DiscoveredEnvironment, discoverEnvironments, DiscoveryKind, FileEnvironments, isProductionName } from './env/discovery';
import { KeyPath, pathAt, placeIn } from './env/provenance';
import { EnvFile } from './env/virtual';
import { BaseContext, EnvironmentSupport, KindModule, PreparedEnvironment } from './kind';
import { basename, dirname } from './paths';
import { findSuppressions, isSuppressed, Suppressions } from './suppress';
import { applyChanges, LineIndex, lineStartOf } from './text';
import { FileAccess, Fix, Report, Severity, Span, TextChange } from './types';
import { scalarSource, Snippet } from './yaml/edit';
import { parseYaml } from './yaml/parse';

export function environmentReports<Ctx extends BaseContext>(
  mod: KindModule<Ctx>,
  support: EnvironmentSupport<Ctx>,
  base: BaseContext,
  forcedVariant: string | null | undefined,
  /** The file's own reports (of the rules `only` accepts): only the per-file rules' count in an environment. */
  ownReports: (only?: (id: string) => boolean) => Collected,
): Collected {
  const found = support.discover(base);
  const chosen = found.environments.filter((e) => isChosen(e, base.environment, base.settings.productionEnvironments) && e.files.includes(base.path));
  const environments = [...new Set(chosen.map((e) => e.name))];
  const production = chosen.filter((e) => e.files.length > 1);
  if (found.role === 'standalone' || !production.length) return { ...ownReports(), environments };
  const perFile = (id: string) => support.fileRules.includes(id);
  const own = ownReports(perFile);
  const reports: RuleReport[] = own.reports.filter((r) => perFile(r.meta.id));
  const applicable = new Set(own.applicable.filter(perFile));
  // On a base: a finding counts only when every production environment gets it from here.
  const fromBase = new Map<string, { rule: RuleReport; environments: Set<number>; through: Set<string>; what: string }>();
  production.forEach((environment, index) => {
    const prepared = support.prepare(base, environment, { variant: forcedVariant });
    reports.push(...problemReports(mod, prepared, base.path));
    const collected = collectReports(mod, prepared.ctx, mod.variantOf?.(prepared.ctx), base.settings);
    for (const id of collected.applicable) if (!perFile(id)) applicable.add(id);
    const overlay = environment.files[environment.files.length - 1];
    const what = environment.production ? 'production' : environment.name;
    for (const rule of collected.reports) {
      if (perFile(rule.meta.id)) continue;
      if (rule.error !== undefined) {
        reports.push(rule);
        continue;
      }
      if (support.valueRules?.includes(rule.meta.id)) {
        const report = whereWritten(prepared, support, base.path, found.role, rule, what);
        if (report) reports.push({ meta: rule.meta, report });
        continue;
      }
      if (found.role === 'overlay') {
        const report = onOverlay(prepared, support, base.path, rule, what);
        if (report) reports.push({ meta: rule.meta, report });
        continue;
      }
      const origin = prepared.env.spans.toFile(rule.report.span);
      if (origin?.file.path !== base.path) continue;
      const key = `${rule.meta.id}:${origin.span.start}:${origin.span.end}:${rule.report.dedupeKey ?? ''}`;
      let entry = fromBase.get(key);
      if (!entry) {
        const report = { ...rule.report, span: origin.span, fixes: mapFixes(rule.report.fixes, (fixes) => fixesIn(prepared, base.path, fixes)) };
        fromBase.set(key, (entry = { rule: { meta: rule.meta, report }, environments: new Set(), through: new Set(), what }));
      }
      entry.environments.add(index);
      entry.through.add(basename(overlay));
    }
  });
  for (const { rule, environments: judgedIn, through, what } of fromBase.values()) {
    if (judgedIn.size !== production.length) continue;
    const severity = atMostInformation(rule.report.severity ?? rule.meta.defaultSeverity);
    reports.push({ meta: rule.meta, report: { ...rule.report, severity, message: `${rule.report.message} (reaches ${what} through ${[...through].join(', ')})` } });
  }
  const environmentFiles = production.map((e) => ({ name: e.name, production: e.production, files: e.files }));
  return { reports, applicable: [...applicable], environments, environmentFiles };
}

/** Production by default; `--env prod` means every production environment, `--env staging` that one. */
function isChosen(environment: DiscoveredEnvironment, wanted: string | undefined, productionNames: string[]): boolean {
  if (wanted === undefined) return environment.production;
  return environment.name.toLowerCase() === wanted.toLowerCase() || (environment.production && isProductionName(wanted, productionNames));
}

/**
 * What kept the environment from being built as deployed (an unreadable overlay, a corrupt packaged
 * subchart, a broken `.env` line), reported on the analysed file under the kind's syntax rule: where the
 * problem has a place in this file, there; otherwise on its first line, naming the file. Findings
 * built on such an environment may miss what the unread part would have said.
 */
function problemReports<Ctx extends BaseContext>(mod: KindModule<Ctx>, prepared: PreparedEnvironment<Ctx>, path: string): RuleReport[] {
  const meta = mod.syntaxRules[0];
  if (!meta) return [];
  return prepared.env.problems.map((p) => {
    const here = p.path === path && p.span;
    const message = `Environment "${prepared.env.name}": ${here ? '' : `${nameFrom(path, p.path)}: `}${p.message}`;
    return { meta, report: { span: here ? p.span! : { start: 0, end: 0 }, message, severity: p.severity, dedupeKey: message } };
  });
}

/** A kind's discovery, with the environments the settings declare. */
export function discoverIn(kind: DiscoveryKind): (base: BaseContext) => FileEnvironments {
  return (base) =>
    discoverEnvironments(base.path, kind, base.files, {
      root: base.settings.root,
      settings: { environments: base.settings.environments, productionNames: base.settings.productionEnvironments },
    });
}

function atMostInformation(severity: Severity): Severity {
  return severity === 'hint' ? 'hint' : 'information';
}

/** The file access an environment is built with: the analysed file's current text, not what is on disk. */
export function withCurrentText(base: BaseContext): FileAccess {
  return withTexts(base.files, { [base.path]: base.text });
}

/**
 * File access that reads the given texts (the analysed file, an editor's open documents with their
 * unsaved edits) before the files underneath: an environment is judged on what the user sees.
 */
export function withTexts(files: FileAccess, texts: Record<string, string> | undefined): FileAccess {
  if (!texts || !Object.keys(texts).length) return files;
  const has = (path: string) => Object.prototype.hasOwnProperty.call(texts, path);
  return {
    readFile: (path) => (has(path) ? texts[path] : files.readFile(path)),
    exists: (path) => has(path) || files.exists(path),
    ...(files.readArchive && { readArchive: (path: string) => files.readArchive!(path) }),
  };
}

/** The fixes whose changes all fall in `path`, in its offsets. */
function fixesIn(prepared: PreparedEnvironment<unknown>, path: string, fixes: Fix[]): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) {
    const mapped = prepared.env.spans.mapToOneFile(fix.changes);
    if (mapped.ok && mapped.file.path === path) out.push({ ...fix, changes: mapped.file.changes });
  }
  return out;
}

/**
 * A value rule's report (see EnvironmentSupport.valueRules) where the offending value is written: on
 * the analysed file when it wrote it, at the rule's own severity; on an overlay when no user file wrote
 * it (a subchart's default); otherwise nowhere here, as the file that wrote it reports it.
 */
function whereWritten(
  prepared: PreparedEnvironment<unknown>,
  support: EnvironmentSupport<any>,
  path: string,
  role: FileEnvironments['role'],
  rule: RuleReport,
  what: string,
): Report | undefined {
  const origin = prepared.env.spans.toFile(rule.report.span);
  if (!origin) return undefined;
  if (origin.file.path === path) return { ...rule.report, span: origin.span, fixes: mapFixes(rule.report.fixes, (fixes) => fixesIn(prepared, path, fixes)) };
  return role === 'overlay' && origin.file.role === 'dependency' ? onOverlay(prepared, support, path, rule, what) : undefined;
}

/** A report on the environment as a report on the overlay `path`, or undefined when it has no place there. */
function onOverlay(prepared: PreparedEnvironment<unknown>, support: EnvironmentSupport<any>, path: string, rule: RuleReport, what: string): Report | undefined {
  const { env } = prepared;
  const { report } = rule;
  const origin = env.spans.toFile(report.span);
  const overlay = env.spans.fileOf(path);
  if (!origin || !overlay) return undefined;
  if (origin.file.path === path) return { ...report, span: origin.span, fixes: mapFixes(report.fixes, (fixes) => fixesIn(prepared, path, fixes)) };

  const keys = pathAt(env, report.span);
  const place = placeIn(overlay, keys ?? []);
  const at = env.spans.toFile(place.span);
  if (!at) return undefined;
  const dependency = origin.file.role === 'dependency';
  const position = new LineIndex(origin.file.text).position(origin.span.start);
  // A finding the user turned off where the value is written stays off where production inherits it.
  if (!dependency && isSuppressed(suppressionsOf(origin.file), rule.meta.id, position.line)) return undefined;
  const from = dependency ? (prepared.originLabel?.(origin.file) ?? `a default in ${basename(origin.file.path)}`) : `set in ${nameFrom(path, origin.file.path)}`;
  const dotted = keys?.length ? dottedPath(keys) : undefined;
  const value = keys ? valueText(prepared, keys) : undefined;
  const head = dotted ? `${dotted}${value ? ` is ${value}` : ''}, ${from}` : `From ${from}`;
  const related = dependency ? [] : [{ path: origin.file.path, span: origin.span, ...position, message: `${dotted ?? 'the value'} production inherits` }];
  // Several inherited values may land on one key of the overlay (`services:`): each stays a finding.
  const dedupeKey = `${dotted ?? ''}|${report.dedupeKey ?? ''}`;
  return { ...report, span: at.span, message: `${head}, reaches ${what}: ${report.message}`, fixes: mapFixes(report.fixes, (fixes) => {
      const fix = overlayFix(prepared, support.sequencesReplace, overlay, origin, keys, fixes);
      return fix ? [fix] : [];
    }),
    related,
    dedupeKey,
  };
}

const suppressionCache = new WeakMap<EnvFile, Suppressions>();

function suppressionsOf(file: EnvFile): Suppressions {
  let found = suppressionCache.get(file);
  if (!found) suppressionCache.set(file, (found = findSuppressions(file.text, new LineIndex(file.text))));
  return found;
}

function dottedPath(keys: KeyPath): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');
}

/** How a message names `to` seen from `from`: its name beside it, its path otherwise. */
function nameFrom(from: string, to: string): string {
  return dirname(from) === dirname(to) ? basename(to) : to;
}

function nodeAt(prepared: PreparedEnvironment<unknown>, keys: KeyPath): Node | undefined {
  const { view, root } = prepared.env;
  let node: Node | undefined = root;
  for (const key of keys) {
    if (typeof key === 'number') node = view.items(view.seq(node))[key] as Node | undefined;
    else node = view.get(view.map(node), key)?.value as Node | undefined;
    if (!node) return undefined;
  }
  return node;
}

const SHORT = 40;

/** The value as a message shows it: a scalar quoted as YAML would, a short collection as written. */
function valueText(prepared: PreparedEnvironment<unknown>, keys: KeyPath): string | undefined {
  const node = nodeAt(prepared, keys);
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return v.length <= SHORT ? JSON.stringify(v) : undefined;
    return v === null ? 'null' : String(v);
  }
  // A block collection spans lines: a message shows only short flow ones (`{}`, `[a, b]`).
  if (!node?.range || !(node as { flow?: boolean }).flow) return undefined;
  const source = prepared.env.text.slice(node.range[0], node.range[1]).trim();
  return source.length <= SHORT && !source.includes('\n') ? source : undefined;
}

const BROKEN = Symbol('broken');

const VALUES_CACHED = 8;
const valuesCache = new Map<string, unknown>();

/** valuesOf for a file's text as it stands: one parse for every fix an environment offers from it. */
function cachedValuesOf(text: string): unknown {
  let values = valuesCache.get(text);
  if (values === undefined) {
    values = valuesOf(text);
    valuesCache.set(text, values);
    while (valuesCache.size > VALUES_CACHED) valuesCache.delete(valuesCache.keys().next().value!);
  }
  return values;
}

function valuesOf(text: string): unknown {
  const parsed = parseYaml(text);
  if (parsed.problems.some((p) => p.isError) || !parsed.docs[0]) return BROKEN;
  try {
    return parsed.docs[0].toJS({ maxAliasCount: 10_000 });
  } catch {
    return BROKEN;
  }
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function valueAt(values: unknown, keys: string[]): unknown {
  let v = values;
  for (const k of keys) v = isPlainMap(v) && Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined;
  return v;
}

function withValueAt(values: unknown, keys: string[], value: unknown): unknown {
  if (!keys.length) return value;
  const map = isPlainMap(values) ? values : {};
  return { ...map, [keys[0]]: withValueAt(map[keys[0]], keys.slice(1), value) };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What an overlay writing `over` makes of `under`: maps merge, sequences as the kind merges them. */
function mergedOver(under: unknown, over: unknown, sequencesReplace: boolean): unknown {
  if (isPlainMap(under) && isPlainMap(over)) {
    const out: Record<string, unknown> = { ...under };
    for (const [k, v] of Object.entries(over)) out[k] = mergedOver(under[k], v, sequencesReplace);
    return out;
  }
  // Compose merges sequences item by item: a sequence written over one is not what replaces it.
  if (!sequencesReplace && under !== undefined && (Array.isArray(under) || Array.isArray(over))) return BROKEN;
  return over;
}

/** The part of `after` that differs from `before`; BROKEN when a key was removed (an overlay cannot say that). */
function changesOver(before: unknown, after: unknown): unknown {
  if (!isPlainMap(before) || !isPlainMap(after)) return after;
  if (Object.keys(before).some((k) => !(k in after))) return BROKEN;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    if (sameValue(before[k], v)) continue;
    const changed = changesOver(before[k], v);
    if (changed === BROKEN) return BROKEN;
    out[k] = changed;
  }
  return out;
}

/**
 * The value at `local` in the file once `changes` are applied, read from the changed value's text alone
 * when every change lies inside that value (so nothing else in the file changes, and the file need not
 * be parsed again for each fix); BROKEN when that cannot be told this way (the caller parses the file).
 */
function changedValue(file: EnvFile, local: string[], changes: TextChange[]): unknown {
  const entry = file.view.at(file.root, ...local);
  const range = entry && !entry.inherited ? entry.value?.range : undefined;
  if (!range) return BROKEN;
  // From the end of the key's `:` (a fix may take the space before a flow `[]` with it).
  const valueStart = range[0] - file.start;
  const start = valueStart - /[ \t]*$/.exec(file.text.slice(lineStartOf(file.text, valueStart), valueStart))![0].length;
  let end = range[1] - file.start;
  const source = file.text.slice(valueStart, end);
  // An anchored value is seen elsewhere too, and an alias is another value's: the whole file decides.
  if (/[&*]/.test(source)) return BROKEN;
  // Lines added right after the value's line belong to it when indented deeper than its key (a flow
  // `[]` replaced by a block sequence below the key).
  const keyColumn = entry!.keyNode.range ? entry!.keyNode.range[0] - file.start - lineStartOf(file.text, entry!.keyNode.range[0] - file.start) : -1;
  const rest = /^[ \t]*\r?\n/.exec(file.text.slice(end));
  const deeper = (c: TextChange) => keyColumn >= 0 && c.start === c.end && c.newText.endsWith('\n') && c.newText.split('\n').every((line) => line.trim() === '' || /^ */.exec(line)![0].length > keyColumn);
  if (rest && changes.some((c) => c.start > end) && changes.every((c) => c.end <= end || (c.start === end + rest[0].length && deeper(c)))) end += rest[0].length;
  if (!changes.every((c) => c.start >= start && c.end <= end)) return BROKEN;
  const grown = changes.reduce((n, c) => n + c.newText.length - (c.end - c.start), 0);
  const changed = applyChanges(file.text, changes).slice(start, end + grown);
  // Indented as in the file, so that a block collection's later lines line up with its first.
  return valuesOf(' '.repeat(start - lineStartOf(file.text, start)) + changed);
}

/** The overlay's map to add `path`'s missing keys to: the deepest of the path it has. */
function overlayPlace(overlay: EnvFile, path: string[]): { map: YAMLMap; missing: string[] } | undefined {
  const place = placeIn(overlay, path);
  const map = place.entry ? overlay.view.map(place.entry.value) : overlay.root;
  return map && place.missing.length ? { map, missing: place.missing as string[] } : undefined;
}

function snippetOf(value: unknown): Snippet | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return scalarSource(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map(snippetOf);
    return items.length && items.every((i) => i !== undefined) ? (items as Snippet[]) : undefined;
  }
  if (isPlainMap(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, snippetOf(v)] as const);
    return entries.length && entries.every(([, v]) => v !== undefined) ? Object.fromEntries(entries as [string, Snippet][]) : undefined;
  }
  return undefined;
}

/**
 * The rule's preferred fix, made in the overlay: the fix is applied to the file the value comes from,
 * and when it changes nothing but the value at the finding's key path, the overlay sets that new value
 * (creating the keys it lacks). Refused where the overlay's value would merge with what lies beneath
 * into something else than the fix meant.
 */
function overlayFix(
  prepared: PreparedEnvironment<unknown>,
  sequencesReplace: boolean,
  overlay: EnvFile,
  origin: { file: EnvFile; span: Span },
  keys: KeyPath | undefined,
  fixes: Fix[],
): Fix | undefined {
  const fix = fixes.find((f) => f.preferred) ?? fixes[0];
  if (!fix || !keys?.length || keys.some((k) => typeof k !== 'string')) return undefined;
  const mapped = prepared.env.spans.mapToOneFile(fix.changes);
  if (!mapped.ok || mapped.file.path !== origin.file.path) return undefined;
  const before = cachedValuesOf(origin.file.text);
  if (before === BROKEN) return undefined;
  // A dependency's values sit under its key in the environment: the value's path in its own file is
  // the longest tail of the environment's path that the file has.
  const path = keys as string[];
  let local: string[] | undefined;
  for (let i = 0; i < path.length && !local; i++) if (valueAt(before, path.slice(i)) !== undefined) local = path.slice(i);
  if (!local) return undefined;
  let value = changedValue(origin.file, local, mapped.file.changes);
  if (value === BROKEN) {
    const after = valuesOf(applyChanges(origin.file.text, mapped.file.changes));
    value = after === BROKEN ? undefined : valueAt(after, local);
    if (value === undefined || !sameValue(withValueAt(before, local, value), after)) return undefined;
  }
  // Only what the fix changes is written, down to the deepest single key it sets.
  let written = changesOver(valueAt(before, local), value);
  if (written === BROKEN || !sameValue(mergedOver(valueAt(before, local), written, sequencesReplace), value)) return undefined;
  const full = [...path];
  while (isPlainMap(written) && Object.keys(written).length === 1) {
    const [k, v] = Object.entries(written)[0];
    full.push(k);
    written = v;
  }
  const snippet = snippetOf(written);
  const target = overlayPlace(overlay, full);
  if (snippet === undefined || !target) return undefined;
  const { map, missing } = target;
  const [last, ...parents] = [...missing].reverse() as string[];
  parents.reverse();
  const change = parents.length ? overlay.edit.ensurePath(map, parents, { [last]: snippet }) : overlay.edit.addEntry(map, last, snippet);
  const inOverlay = change && prepared.env.spans.mapToOneFile([change]);
  if (!inOverlay?.ok || inOverlay.file.path !== overlay.path) return undefined;
  return { title: `${fix.title} in ${basename(overlay.path)}`, changes: inOverlay.file.changes, preferred: true };
}
