// What `npm run generate` writes, rendered from the rule metadata and the registered kinds: the README's
// rule tables, the header of every rule page, and the `prodready.rules` / `prodready.files` settings in
// package.json. Nothing here touches the file system: each generated file is a function from what the
// file holds now to what it should hold (scripts/generate.ts writes them, test/core/generated.test.ts
// compares them), so a hand edit of a generated part, or a rule whose metadata changed, fails the test.
//
// A generated part of a Markdown file sits between `<!-- prodready:<block>[:<argument>] -->` and
// `<!-- /prodready:<block> -->`; everything outside the markers is written by hand and kept as it is.

import { allRuleMetas, docsPath, ruleKinds, ruleMeta } from '../server/src/core/catalog';
import { KindModule, KindVariant } from '../server/src/core/kind';
import { kindModule, kindModules, kindNames, variantOf } from '../server/src/core/registry';
import { DEFAULT_SETTINGS, RuleMeta, SeveritySetting } from '../server/src/core/types';

/** One file the generator maintains, relative to the repository root. */
export interface GeneratedFile {
  path: string;
  /** The whole content the file should have, given its current content (undefined: it does not exist). */
  render(current: string | undefined): string;
}

export function generatedFiles(): GeneratedFile[] {
  return [
    { path: 'README.md', render: (current) => readmeContent(existing('README.md', current)) },
    { path: 'package.json', render: (current) => packageJsonContent(existing('package.json', current)) },
    { path: PROJECT_CONFIG_SCHEMA, render: () => projectConfigSchemaContent() },
    ...allRuleMetas().map((meta) => ({ path: docsPath(meta.id), render: (current: string | undefined) => docsPageContent(meta.id, current) })),
  ];
}

// --- README.md -----------------------------------------------------------------------------------

/** Each kind's rule table, keyed by kind: the README has one `<!-- prodready:rules:<kind> -->` block per kind. */
export function renderReadmeTables(): Map<string, string> {
  return new Map(kindModules().map((mod) => [mod.kind, renderRuleTable(mod)]));
}

/** The kind's rules in the order its module lists them, its syntax rule last. */
export function renderRuleTable(mod: KindModule<any>): string {
  const metas = [...mod.rules.map((r) => r.meta), ...mod.syntaxRules];
  const rows = metas.map((meta) => {
    const variant = ruleVariant(meta);
    const severity = variant ? `${meta.defaultSeverity} (${variant.plural})` : meta.defaultSeverity;
    return `| [${meta.id}](${docsPath(meta.id)}) | ${severity} | ${yesNo(meta.fixable)} | ${tableCell(meta.description)} |`;
  });
  return ['| Rule | Default | Fix | What it checks |', '|---|---|---|---|', ...rows].map((line) => `${line}\n`).join('');
}

export function readmeContent(current: string): string {
  let text = current;
  for (const [kind, table] of renderReadmeTables()) text = replaceBlock(text, `rules:${kind}`, table, 'README.md');
  return text;
}

// --- docs/rules/<id>.md ----------------------------------------------------------------------------

const PAGE_HEADER = 'generated';

/** What a rule page says about the rule before its hand-written body. */
export function renderDocsHeader(id: string): string {
  const meta = requiredMeta(id);
  return [
    meta.description,
    '',
    `- **Default severity:** ${meta.defaultSeverity}`,
    `- **Category:** ${meta.category}`,
    `- **Applies to:** ${appliesTo(meta)}`,
    `- **Quick fix:** ${yesNo(meta.fixable)}`,
  ]
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * The page starts with `# <id>` and the generated block right under it (so the first paragraph, which
 * the rule picker shows, is the description). A page without the block gets it under its title; a
 * missing page gets only the title and the block, and the docs test then asks for the rest.
 */
export function docsPageContent(id: string, current: string | undefined): string {
  const title = `# ${id}\n`;
  const body = `\n${renderDocsHeader(id)}\n`;
  const block = `${openMarker(PAGE_HEADER)}\n${body}${closeMarker(PAGE_HEADER)}\n`;
  if (current === undefined) return title + block;
  if (current.includes(openMarker(PAGE_HEADER))) return replaceBlock(current, PAGE_HEADER, body, docsPath(id));
  const rest = current.startsWith(title) ? current.slice(title.length) : `\n${current}`;
  return title + block + rest;
}

/** "compose files and Swarm stacks", "Swarm stacks only", "Helm values files, compose files and Swarm stacks". */
export function appliesTo(meta: RuleMeta): string {
  const variant = ruleVariant(meta);
  if (variant) return `${variant.plural} only`;
  const plurals = ruleKinds(meta.id).flatMap((kind) => {
    const mod = kindModule(kind);
    return [mod.plural, ...(mod.variants ?? []).map((v) => v.plural)];
  });
  return listWords(plurals, 'and');
}

// --- package.json ----------------------------------------------------------------------------------

/** The values `prodready.rules` offers per rule (the settings reader also takes `hint` and `info`). */
export const SEVERITY_SETTINGS: SeveritySetting[] = ['off', 'information', 'warning', 'error'];

const SHOW_RULE_DOCUMENTATION = 'prodready.showRuleDocumentation';

/** `prodready.rules` per-rule properties, so the Settings editor and settings.json complete rule ids. */
export function renderRulesSetting(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const meta of allRuleMetas()) {
    const variant = ruleVariant(meta);
    const applies = variant ? `; ${variant.plural} only` : '';
    const docs = `[Documentation](command:${SHOW_RULE_DOCUMENTATION}?${encodeURIComponent(JSON.stringify([meta.id]))})`;
    properties[meta.id] = {
      ...severitySchema(),
      markdownDescription: `${meta.description} Default: \`${meta.defaultSeverity}\`${applies}. ${docs}`,
    };
  }
  return properties;
}

/** `prodready.files`: what each name it accepts means, and the names themselves. */
export function renderFilesSetting(): { markdownDescription: string; additionalProperties: { type: string; enum: string[] } } {
  const kinds = kindModules().flatMap((mod) => {
    const variants = mod.variants ?? [];
    const plain = variants.length ? `${mod.label}; rules only for ${listWords(variants.map((v) => v.plural), 'or')} stay off` : mod.label;
    return [`- \`${mod.kind}\`: ${plain}`, ...variants.map((v) => `- \`${v.id}\`: ${v.label}`)];
  });
  return {
    markdownDescription: [
      'Glob → file kind, overriding detection. Example: `{"deploy/*.yml": "swarm-stack"}`. Kinds:',
      '',
      ...kinds,
      '- `off`: never check matching files',
    ].join('\n'),
    additionalProperties: { type: 'string', enum: [...kindNames(), 'off'] },
  };
}

/** package.json with only the generated values replaced; the rest keeps its order and 2-space layout. */
export function packageJsonContent(current: string): string {
  const pkg = JSON.parse(current);
  const settings = pkg?.contributes?.configuration?.properties;
  if (!settings?.['prodready.rules'] || !settings['prodready.files']) {
    throw new Error('package.json has no contributes.configuration.properties["prodready.rules"] and ["prodready.files"]');
  }
  settings['prodready.rules'] = withKeys(settings['prodready.rules'], {
    properties: renderRulesSetting(),
    additionalProperties: severitySchema(),
  });
  settings['prodready.files'] = withKeys(settings['prodready.files'], renderFilesSetting());
  if (settings['prodready.environments']) settings['prodready.environments'] = withKeys(settings['prodready.environments'], { additionalProperties: environmentSchema() });
  if (settings['prodready.productionEnvironments']) settings['prodready.productionEnvironments'] = withKeys(settings['prodready.productionEnvironments'], productionEnvironmentsSchema());
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** One declared environment (core/types.ts EnvironmentDeclaration), in settings and the project configuration file. */
function environmentSchema(): Record<string, unknown> {
  const helm = { type: 'object', properties: { chart: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } }, required: ['chart', 'values'] };
  const compose = {
    type: 'object',
    properties: { files: { type: 'array', items: { type: 'string' } }, swarm: { type: 'boolean' }, envFile: { type: 'string' } },
    required: ['files'],
  };
  const names = listWords(DEFAULT_SETTINGS.productionEnvironments, 'or');
  return {
    type: 'object',
    properties: {
      production: { type: 'boolean', description: `Whether it is production (by default: named ${names}, or as productionEnvironments says).` },
      helm: { anyOf: [helm, { type: 'array', items: helm }] },
      compose: { anyOf: [compose, { type: 'array', items: compose }] },
    },
  };
}

function productionEnvironmentsSchema(): Record<string, unknown> {
  return { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, default: DEFAULT_SETTINGS.productionEnvironments };
}

function severitySchema(): { type: string; enum: string[] } {
  return { type: 'string', enum: [...SEVERITY_SETTINGS] };
}

/** Replaces the values of `generated`'s keys in place; new keys go before `additionalProperties`, else last. */
function withKeys(object: Record<string, unknown>, generated: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const addMissing = () => {
    for (const [key, value] of Object.entries(generated)) if (!(key in out) && !(key in object)) out[key] = value;
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === 'additionalProperties') addMissing();
    out[key] = key in generated ? generated[key] : value;
  }
  addMissing();
  return out;
}

// --- shared -----------------------------------------------------------------------------------------

function openMarker(name: string): string {
  return `<!-- prodready:${name} -->`;
}

function closeMarker(name: string): string {
  return `<!-- /prodready:${name.split(':')[0]} -->`;
}

/** The text with what stands between the block's markers replaced by `body` (which ends in a newline). */
export function replaceBlock(text: string, name: string, body: string, file: string): string {
  const open = openMarker(name);
  const close = closeMarker(name);
  const start = text.indexOf(open);
  if (start < 0) throw new Error(`${file} has no ${open} … ${close} block`);
  const end = text.indexOf(close, start + open.length);
  if (end < 0) throw new Error(`${file}: ${open} is not closed by ${close}`);
  return `${text.slice(0, start + open.length)}\n${body}${text.slice(end)}`;
}

/** Where two versions of a file first differ, for messages: `line 12: "…" (expected "…")`. */
export function firstDifference(actual: string | undefined, expected: string): string {
  if (actual === undefined) return 'the file does not exist';
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}: ${JSON.stringify(a[i] ?? '')} (expected ${JSON.stringify(e[i] ?? '')})`;
  }
  return 'no difference';
}

function ruleVariant(meta: RuleMeta): KindVariant | undefined {
  if (!meta.variant) return undefined;
  for (const kind of ruleKinds(meta.id)) {
    const variant = variantOf(kind, meta.variant);
    if (variant) return variant;
  }
  throw new Error(`${meta.id}: "${meta.variant}" is not a variant of ${ruleKinds(meta.id).join(', ')}`);
}

function requiredMeta(id: string): RuleMeta {
  const meta = ruleMeta(id);
  if (!meta) throw new Error(`no rule ${id}`);
  return meta;
}

function existing(file: string, current: string | undefined): string {
  if (current === undefined) throw new Error(`${file} is missing`);
  return current;
}

function yesNo(b: boolean): string {
  return b ? 'yes' : 'no';
}

function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function listWords(words: string[], conjunction: 'and' | 'or'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

// --- schemas/prodready-config.schema.json ------------------------------------------------------------

/** The project configuration file's schema (`.prodready.yaml`), read by the CLI and offered to editors. */
export const PROJECT_CONFIG_SCHEMA = 'schemas/prodready-config.schema.json';

export function projectConfigSchemaContent(): string {
  const rules: Record<string, unknown> = {};
  for (const meta of allRuleMetas()) rules[meta.id] = { ...severitySchema(), description: `${meta.description} Default: ${meta.defaultSeverity}.` };
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated by npm run generate from the rule metadata and the registered kinds; do not edit by hand.',
    title: 'prodready project configuration (.prodready.yaml, .prodready.yml, .prodready.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: { type: 'object', description: 'Severity per rule id.', properties: rules, additionalProperties: severitySchema() },
      minReplicas: { type: 'integer', minimum: 1, maximum: 1000, description: 'The fewest replicas before */single-replica reports.' },
      files: { type: 'object', description: 'Glob → file kind (or off), overriding detection.', additionalProperties: { type: 'string', enum: [...kindNames(), 'off'] } },
      exclude: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Globs of files and folders the scans skip.' },
      checkNonProductionFiles: { type: 'boolean', description: 'Also check files named for non-production environments.' },
      maxFileSize: { type: 'integer', minimum: 1, description: 'Files larger than this many characters are skipped (and said to be).' },
      environments: {
        type: 'object',
        description: 'Environments that file names do not reveal, by name (see docs/environments.md); paths relative to this file.',
        additionalProperties: environmentSchema(),
      },
      productionEnvironments: { ...productionEnvironmentsSchema(), description: 'Environment names that mean production, compared case-insensitively.' },
      baseline: { type: 'string', minLength: 1, description: 'A baseline file (written by prodready check --write-baseline), relative to this file.' },
    },
  };
  return JSON.stringify(schema, null, 2) + '\n';
}
