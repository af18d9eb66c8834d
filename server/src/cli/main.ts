// `prodready check <files or folders…>`: the same core as the editor, for CI.
// Exit status: 0 nothing at warning or above, 1 findings at warning or above, 2 usage or I/O errors.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import { isProductionName } from '../core/env/discovery';
import { LineIndex } from '../core/text';
import { kindNames } from '../core/registry';
import { settingsFromConfig } from '../core/settings';
import { AnalysisResult, Settings } from '../core/types';
import { withArchives } from '../host/archive';
import { diskFileAccess } from '../host/files';
import { decodeText } from '../host/decode';

const USAGE = `Usage: prodready check [options] <file or folder>...

Checks Docker stack/compose files, Helm values, NGINX and HAProxy configs for production readiness.

Options:
  --kind <kind>        treat every file as this kind (${kindNames().join(', ')})
  --swarm              treat compose files as Swarm stacks
  --settings <file>    a JSON file with prodready settings ({"rules": {...}, "minReplicas": 2, ...},
                       or a VS Code settings.json with "prodready.*" keys)
  --all                also check files named for non-production environments (dev, test, ci, local, override)
  --env <name>         judge files in this environment (e.g. staging) instead of production, and report
                       only the files that are part of it (see docs/environments.md)
  --format text|json   output format (default text)
  --quiet              print only findings at warning or above
  -h, --help           this help

Output: file:line:col severity rule-id message
Exit status: 0 = no warnings or errors, 1 = warnings or errors found, 2 = usage or read error.`;

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);
const RANK = { hint: 0, information: 1, warning: 2, error: 3 } as const;

interface Options {
  kind?: string;
  swarm?: boolean;
  settings: Partial<Settings>;
  format: 'text' | 'json';
  quiet: boolean;
  paths: string[];
  environment?: string;
}

function fail(message: string): never {
  process.stderr.write(`prodready: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  if (argv[0] !== 'check') fail(argv.length ? `unknown command "${argv[0]}"` : 'missing command');
  // Declared environments' paths (prodready.environments in --settings) are relative to where it runs.
  const o: Options = { settings: { root: process.cwd().split(path.sep).join('/') }, format: 'text', quiet: false, paths: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--kind') {
      const k = value();
      if (!kindNames().includes(k)) fail(`unknown kind "${k}"`);
      o.kind = k;
    } else if (a === '--swarm') o.swarm = true;
    else if (a === '--settings') o.settings = { ...o.settings, ...readSettings(value()) };
    else if (a === '--all') o.settings.checkNonProductionFiles = true;
    else if (a === '--env') {
      o.environment = value();
      // An environment named for development is what the user asked for: its files are not skipped.
      o.settings.checkNonProductionFiles = true;
    }
    else if (a === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') fail(`unknown format "${f}"`);
      o.format = f;
    } else if (a === '--quiet') o.quiet = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (a.startsWith('-')) fail(`unknown option ${a}`);
    else o.paths.push(a);
  }
  if (o.paths.length === 0) fail('no files or folders given');
  return o;
}

function readSettings(file: string): Partial<Settings> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    fail(`cannot read settings ${file}: ${(e as Error).message}`);
  }
  // Accept a VS Code settings.json ("prodready.rules": {…} or dotted "prodready.rules.<id>": "off") as
  // well as a plain object.
  const flat: Record<string, unknown> = {};
  const rules: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = k.startsWith('prodready.') ? k.slice('prodready.'.length) : k;
    if (key.startsWith('rules.')) rules[key.slice('rules.'.length)] = v;
    else if (key === 'rules' && v && typeof v === 'object') Object.assign(rules, v);
    else flat[key] = v;
  }
  if (Object.keys(rules).length) flat.rules = rules;
  return settingsFromConfig(flat, (m) => process.stderr.write(`prodready: ${m}\n`));
}

function* walk(p: string, explicit: boolean): Generator<string> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    process.stderr.write(`prodready: cannot read ${p}\n`);
    process.exitCode = 2;
    return;
  }
  if (stat.isDirectory()) {
    if (!explicit && SKIP_DIRS.has(path.basename(p))) return;
    for (const name of fs.readdirSync(p).sort()) yield* walk(path.join(p, name), false);
  } else if (stat.isFile()) yield p;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  let worst = -1;
  const report: { file: string; result: AnalysisResult }[] = [];
  // Packaged subcharts (charts/*.tgz) are read in memory for environments.
  const files = withArchives(diskFileAccess);
  for (const given of o.paths) {
    for (const file of walk(given, true)) {
      const explicit = path.resolve(file) === path.resolve(given);
      let text: string;
      try {
        text = decodeText(fs.readFileSync(file));
      } catch (e) {
        process.stderr.write(`prodready: cannot read ${file}: ${(e as Error).message}\n`);
        process.exitCode = 2;
        continue;
      }
      const abs = path.resolve(file).split(path.sep).join('/');
      // A file named on the command line is checked even when detection would not pick it up by itself.
      const result = analyze({ text, path: abs, kind: o.kind, variant: o.swarm ? 'swarm-stack' : undefined, settings: o.settings, files, environment: o.environment });
      // Kinds whose files deploy alone (NGINX, HAProxy) are in every production environment.
      if (o.environment !== undefined && (result.skipped || (result.environments ? !result.environments.length : !isProductionName(o.environment)))) continue;
      if (result.skipped && explicit && !o.kind && result.skipped === 'not-a-config') {
        process.stderr.write(`prodready: ${file}: not recognised as a deployment config (use --kind)\n`);
      }
      report.push({ file, result });
      const lines = new LineIndex(text);
      for (const f of result.findings) {
        worst = Math.max(worst, RANK[f.severity]);
        if (o.format === 'text' && (!o.quiet || RANK[f.severity] >= RANK.warning)) {
          const pos = lines.position(f.span.start);
          process.stdout.write(`${file}:${pos.line + 1}:${pos.character + 1} ${f.severity} ${f.ruleId} ${f.message}\n`);
        }
      }
    }
  }
  if (o.format === 'json') {
    process.stdout.write(
      JSON.stringify(
        report.map(({ file, result }) => ({ file, kind: result.kind, skipped: result.skipped, environments: result.environments, findings: result.findings, passed: result.passed })),
        null,
        2,
      ) + '\n',
    );
  }
  if (process.exitCode === 2) return;
  process.exitCode = worst >= RANK.warning ? 1 : 0;
}

main();
