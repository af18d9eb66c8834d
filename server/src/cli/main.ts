// `prodready check <files or folders…>`: the same core as the editor, for CI.
// Exit status: 0 passed the gate, 1 findings at or above it (or, with --fail-on-skipped, a file that
// could not be checked), 2 usage, configuration or read errors, 3 some files could not be analysed (each
// named on stderr; the others were checked and reported).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { analyze } from '../core/analyze';
import { LineIndex } from '../core/text';
import { kindNames } from '../core/registry';
import { settingsFromConfig } from '../core/settings';
import { Settings } from '../core/types';
import { isScanCandidate } from '../core/catalog';
import { isProductionName } from '../core/env/discovery';
import { ConfigError, findProjectConfig, ProjectConfig, readProjectConfig } from '../host/config';
import { productRoot, productVersion } from '../host/product';
import { matchesGlob } from '../core/glob';
import { Baseline, BaselineEntry, fingerprinted, writeBaseline } from './baseline';
import { writeAtomically, unifiedDiff } from './fix';
import { walkFiles } from './walk';
import { CheckedFile, toGithub, toJunit, toSarif } from './formats';
import { CheckTask, readError } from './check';
import { checkAll, isCheckWorker, serveChecks } from './pool';
import { LONG_SCAN_FILES, Progress } from './progress';

const USAGE = `Usage: prodready check [options] <file or folder>...

Checks Docker stack/compose files, Helm values, NGINX and HAProxy configs for production readiness.

Options:
  --kind <kind>        treat every file as this kind (${kindNames().join(', ')})
  --swarm              treat compose files as Swarm stacks
  --config <file>      the project configuration to use (default: the nearest .prodready.yaml,
                       .prodready.yml or .prodready.json above each file, up to the repository root)
  --settings <file>    a JSON file with prodready settings, over the project configuration ({"rules": {...}, "minReplicas": 2, ...},
                       or a VS Code settings.json with "prodready.*" keys)
  --all                also check files named for non-production environments (dev, test, ci, local, override)
  --env <name>         judge files in this environment (e.g. staging) instead of production, and report
                       only the files that are part of it (see docs/environments.md)
  --format <format>    text (default), json, sarif (SARIF 2.1.0), github (GitHub Actions annotations),
                       junit (JUnit XML)
  --output <file>      write the report there instead of stdout
  --fix                apply every preferred quick fix (as the editor's Fix All does) and write the files;
                       files with syntax errors are left alone; the report shows what remains
  --fix-dry-run        print the fixes as a unified diff (for patch -p1) instead of writing them
  --baseline <file>    report only findings not recorded in this baseline file
  --write-baseline <file>
                       record the current findings as accepted (fingerprints, not line numbers)
  --fail-on <level>    error, warning (default), information or never: the lowest severity that fails
  --max-warnings <n>   also fail when there are more than n warnings
  --quiet              print only findings at warning or above, no summary and no progress line
  --jobs <n>           files checked in parallel by n worker threads (default: the number of cores,
                       ${os.availableParallelism()} here); the output is the same whatever n
  --fail-on-skipped    exit 1 when a file could not be checked (too large, binary, or named on the
                       command line but not recognised)
  -v, --version        the version
  -h, --help           this help

Output: file:line:col severity rule-id message, then a summary line on stderr (files checked, skipped
by reason, findings by severity, time). On a terminal, a run of more than ${LONG_SCAN_FILES} files shows a
progress line on stderr while it runs. JSON: one entry per file, findings with 1-based line/column.
Exit status: 0 = passed the gate, 1 = findings at or above --fail-on (or more than --max-warnings
warnings, or a skipped file with --fail-on-skipped), 2 = usage, configuration or read error,
3 = some files could not be analysed (each is named on stderr; the other files are still checked).`;

/** Where the CLI writes; a test passes its own. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Whether `err` goes to a terminal (then a long run shows a progress line there). */
  errIsTTY?: boolean;
}

const processOutput: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  errIsTTY: process.stderr.isTTY,
};

const RANK = { hint: 0, information: 1, warning: 2, error: 3 } as const;

const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  kind?: string;
  swarm?: boolean;
  settings: Partial<Settings>;
  format: Format;
  output?: string;
  quiet: boolean;
  failOnSkipped: boolean;
  fix: boolean;
  fixDryRun: boolean;
  failOn: number;
  maxWarnings?: number;
  baseline?: string;
  writeBaseline?: string;
  config?: string;
  environment?: string;
  jobs: number;
  paths: string[];
}

const FAIL_ON: Record<string, number> = { error: 3, warning: 2, information: 1, never: Infinity };

function fail(message: string): never {
  process.stderr.write(`prodready: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(`prodready ${productVersion()}\n`);
    process.exit(0);
  }
  if (argv[0] !== 'check') fail(argv.length ? `unknown command "${argv[0]}"` : 'missing command');
  // Declared environments' paths (prodready.environments) are relative to where the run starts.
  const o: Options = { settings: { root: process.cwd().split(path.sep).join('/') }, format: 'text', quiet: false, failOnSkipped: false, fix: false, fixDryRun: false, failOn: FAIL_ON.warning, jobs: os.availableParallelism(), paths: [] };
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
      if (!(FORMATS as readonly string[]).includes(f)) fail(`unknown format "${f}" (one of ${FORMATS.join(', ')})`);
      o.format = f as Format;
    } else if (a === '--output') {
      o.output = value();
    } else if (a === '--quiet') o.quiet = true;
    else if (a === '--fail-on-skipped') o.failOnSkipped = true;
    else if (a === '--fix') o.fix = true;
    else if (a === '--baseline') o.baseline = value();
    else if (a === '--config') o.config = path.resolve(value());
    else if (a === '--write-baseline') o.writeBaseline = value();
    else if (a === '--fix-dry-run') o.fixDryRun = true;
    else if (a === '--fail-on') {
      const level = value();
      if (!(level in FAIL_ON)) fail(`--fail-on takes error, warning, information or never, not "${level}"`);
      o.failOn = FAIL_ON[level];
    } else if (a === '--jobs') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) fail('--jobs takes a whole number of at least 1');
      o.jobs = n;
    } else if (a === '--max-warnings') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) fail('--max-warnings takes a whole number');
      o.maxWarnings = n;
    }
    else if (a === '-v' || a === '--version') {
      process.stdout.write(`prodready ${productVersion()}\n`);
      process.exit(0);
    }
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

/** Skip reasons a user can act on (or that CI must not pass over silently). */
const NOTEWORTHY_SKIPS: Record<string, string> = {
  'too-large': 'larger than maxFileSize (raise it with --settings)',
  binary: 'binary content (NUL bytes)',
};

interface Tally {
  checked: number;
  skipped: Map<string, number>;
  severities: Record<string, number>;
  unchecked: number;
  fixed: number;
  baselined: number;
  stale?: number;
}

/**
 * Checks what `argv` names and returns the exit status. One file whose analysis fails (an exception
 * anywhere in it) is named on stderr and the run carries on: one hostile file must not hide every other
 * file's findings.
 */
export async function run(argv: string[], io: Output = processOutput, analyse: typeof analyze = analyze): Promise<number> {
  const started = Date.now();
  const o = parseArgs(argv);
  let readFailed = false;
  let notAnalysed = 0;
  let worst = -1;
  const tally: Tally = { checked: 0, skipped: new Map(), severities: { error: 0, warning: 0, information: 0, hint: 0 }, unchecked: 0, fixed: 0, baselined: 0 };
  const configs = new Map<string, ProjectConfig>();
  const configDirs = new Map<string, string | null>();
  // The team's file is the base; --settings and the other flags given here override it.
  /** The configuration for files in `dir`. */
  const configIn = (dir: string): ProjectConfig | undefined => {
    const found = o.config ?? findProjectConfig(path.resolve(dir), configDirs);
    if (!found) return undefined;
    let config = configs.get(found);
    if (!config) {
      try {
        config = readProjectConfig(found);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        io.err(`prodready: invalid configuration: ${e.message}\n`);
        process.exit(2);
      }
      configs.set(found, config);
    }
    return config;
  };
  const settingsFor = (config: ProjectConfig | undefined): Partial<Settings> =>
    config ? { ...config.settings, ...o.settings, rules: { ...config.settings.rules, ...o.settings.rules }, files: { ...config.settings.files, ...o.settings.files } } : o.settings;
  const excluded = (file: string, config: ProjectConfig | undefined): boolean => {
    if (!config?.exclude.length) return false;
    const rel = path.relative(path.dirname(config.file), path.resolve(file)).split(path.sep).join('/');
    return !rel.startsWith('../') && config.exclude.some((glob) => matchesGlob(rel, glob));
  };
  // A baseline named in the configuration of the folder the run starts in (the repository's, usually).
  if (!o.writeBaseline) o.baseline ??= configIn(process.cwd())?.baseline;
  let baseline: Baseline | undefined;
  if (o.baseline) {
    try {
      baseline = Baseline.read(o.baseline);
    } catch (e) {
      fail(`cannot read the baseline ${o.baseline}: ${(e as NodeJS.ErrnoException).code ? readError(e) : (e as Error).message}`);
    }
  }
  const recorded: BaselineEntry[] = [];
  const report: CheckedFile[] = [];
  let out = '';
  const write = (s: string) => (o.output ? (out += s) : io.out(s));
  // Which files to check, in the walk's order (the order of every report).
  const tasks: CheckTask[] = [];
  const explicit = new Set<CheckTask>();
  for (const given of o.paths) {
    const unreadable = (p: string, e: unknown) => {
      io.err(`prodready: cannot read ${p}: ${readError(e)}\n`);
      readFailed = true;
    };
    for (const file of walkFiles(given, unreadable)) {
      const named = path.resolve(file) === path.resolve(given);
      // In a walked folder only files some kind would read count (as in the editor's scan): archives,
      // images and sources are not configs that went unchecked.
      if (!named && !isScanCandidate(path.resolve(file).split(path.sep).join('/'))) continue;
      const config = configIn(path.dirname(file));
      if (!named && excluded(file, config)) continue;
      // A file named on the command line is checked even when detection would not pick it up by itself.
      const input = {
        path: path.resolve(file).split(path.sep).join('/'),
        kind: o.kind,
        variant: o.swarm ? 'swarm-stack' : undefined,
        settings: settingsFor(config),
        environment: o.environment,
      };
      const task = { file, input, fix: o.fix || o.fixDryRun };
      tasks.push(task);
      if (named) explicit.add(task);
    }
  }
  const progress = new Progress(io.err, tasks.length, !o.quiet && !!io.errIsTTY && tasks.length > LONG_SCAN_FILES);
  const pool = { jobs: o.jobs, script: __filename, onDone: (done: number) => progress.update(done) };
  const outcomes = await checkAll(tasks, pool, analyse);
  progress.clear();
  const relOf = (file: string) => path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
  /** Files a fix could not be written to: not reported. */
  const unwritten = new Set<number>();
  if (o.fix || o.fixDryRun) {
    // Files are written here, in the report's order; every file the fixes may have changed the
    // findings of (the fixed ones, those that read them) is then checked again.
    const written = new Set<string>();
    for (const [i, outcome] of outcomes.entries()) {
      if (!('fix' in outcome) || !outcome.fix) continue;
      const { file, text, fix } = outcome;
      if ('refused' in fix) {
        io.err(`prodready: ${file}: not fixed: it has syntax errors, and a fix computed on a broken file could land anywhere\n`);
        continue;
      }
      if (fix.text === text) continue;
      if (o.fixDryRun) {
        write(unifiedDiff(relOf(file), text, fix.text));
        continue;
      }
      try {
        writeAtomically(file, fix.text);
      } catch (e) {
        io.err(`prodready: cannot write ${file}: ${readError(e)}\n`);
        readFailed = true;
        unwritten.add(i);
        continue;
      }
      io.err(`prodready: ${file}: ${fix.applied} fix${fix.applied === 1 ? '' : 'es'} applied\n`);
      tally.fixed += fix.applied;
      written.add(tasks[i].input.path);
    }
    const again = tasks.flatMap((task, i) => {
      const outcome = outcomes[i];
      const affected = written.has(task.input.path) || ('result' in outcome && outcome.result.dependencies?.some((d) => written.has(d)));
      return affected && !unwritten.has(i) ? [i] : [];
    });
    const rechecked = await checkAll(again.map((i) => ({ ...tasks[i], fix: false })), { ...pool, onDone: undefined }, analyse);
    again.forEach((i, k) => (outcomes[i] = rechecked[k]));
  }
  for (const [i, outcome] of outcomes.entries()) {
    if (unwritten.has(i)) continue;
    const { file } = outcome;
    if ('readError' in outcome) {
      io.err(`prodready: cannot read ${file}: ${outcome.readError}\n`);
      readFailed = true;
      continue;
    }
    if ('failure' in outcome) {
      io.err(`prodready: ${file}: could not be analysed: ${outcome.failure}\n`);
      notAnalysed++;
      continue;
    }
    const { text } = outcome;
    let { result } = outcome;
    const rel = relOf(file);
    // Kinds whose files deploy alone (NGINX, HAProxy) are in every production environment.
    if (o.environment !== undefined && (result.skipped || (result.environments ? !result.environments.length : !isProductionName(o.environment, tasks[i].input.settings?.productionEnvironments ?? undefined)))) continue;
    if (result.skipped) {
      tally.skipped.set(result.skipped, (tally.skipped.get(result.skipped) ?? 0) + 1);
      if (NOTEWORTHY_SKIPS[result.skipped]) {
        tally.unchecked++;
        io.err(`prodready: ${file}: not checked: ${NOTEWORTHY_SKIPS[result.skipped]}\n`);
      } else if (explicit.has(tasks[i]) && !o.kind && result.skipped === 'not-a-config') {
        tally.unchecked++;
        io.err(`prodready: ${file}: not recognised as a deployment config (use --kind)\n`);
      }
    } else tally.checked++;
    let baselined: typeof result.findings | undefined;
    if (baseline || o.writeBaseline) {
      const entries = fingerprinted(rel, text, result.findings);
      recorded.push(...entries.map((e) => e.entry));
      if (baseline) {
        const accepted = new Set(entries.filter((e) => baseline!.accepts(e.entry)).map((e) => e.finding));
        baselined = result.findings.filter((f) => accepted.has(f));
        result = { ...result, findings: result.findings.filter((f) => !accepted.has(f)) };
        tally.baselined += accepted.size;
      }
    }
    report.push({ file, rel, text, result, baselined });
    const lines = new LineIndex(text);
    for (const f of result.findings) {
      worst = Math.max(worst, RANK[f.severity]);
      tally.severities[f.severity]++;
      if (o.format === 'text' && !o.fixDryRun && (!o.quiet || RANK[f.severity] >= RANK.warning)) {
        const pos = lines.position(f.span.start);
        write(`${file}:${pos.line + 1}:${pos.character + 1} ${f.severity} ${f.ruleId} ${f.message}\n`);
      }
    }
  }
  const formatOptions = { root: process.cwd().split(path.sep).join('/'), version: productVersion(), docsBaseUri: `file://${encodeURI(productRoot().split(path.sep).join('/'))}/` };
  if (o.fixDryRun) {
    // The diff is the output.
  } else if (o.format === 'sarif') write(toSarif(report, formatOptions));
  else if (o.format === 'github') write(toGithub(report));
  else if (o.format === 'junit') write(toJunit(report));
  else if (o.format === 'json') {
    write(
      JSON.stringify(
        report.map(({ file, text, result }) => {
          const lines = new LineIndex(text);
          return {
            file,
            kind: result.kind,
            variant: result.variant,
            skipped: result.skipped,
            environments: result.environments,
            findings: result.findings.map((f) => {
              const start = lines.position(f.span.start);
              const end = lines.position(f.span.end);
              return { ...f, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
            }),
            passed: result.passed,
          };
        }),
        null,
        2,
      ) + '\n',
    );
  }
  if (o.writeBaseline) {
    try {
      writeBaseline(o.writeBaseline, recorded);
      io.err(`prodready: ${recorded.length} finding${recorded.length === 1 ? '' : 's'} recorded in ${o.writeBaseline}\n`);
    } catch (e) {
      io.err(`prodready: cannot write ${o.writeBaseline}: ${readError(e)}\n`);
      readFailed = true;
    }
  }
  if (baseline) tally.stale = baseline.stale;
  if (o.output) {
    try {
      fs.writeFileSync(o.output, out);
    } catch (e) {
      io.err(`prodready: cannot write ${o.output}: ${readError(e)}\n`);
      readFailed = true;
    }
  }
  if (!o.quiet) io.err(summary(tally, Date.now() - started) + '\n');
  if (readFailed) return 2;
  if (notAnalysed > 0) return 3;
  const overWarnings = o.maxWarnings !== undefined && tally.severities.warning > o.maxWarnings;
  return worst >= o.failOn || overWarnings || (o.failOnSkipped && tally.unchecked > 0) ? 1 : 0;
}

/** `prodready: 12 files checked, 40 skipped (38 not a config, 2 too large); 1 error, 4 warnings, 2 information in 0.3 s` */
function summary(t: Tally, ms: number): string {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const skipped = [...t.skipped.entries()].map(([reason, n]) => `${n} ${reason.replace(/-/g, ' ')}`);
  const skippedText = skipped.length ? `, ${[...t.skipped.values()].reduce((a, b) => a + b, 0)} skipped (${skipped.join(', ')})` : '';
  const s = t.severities;
  const fixed = t.fixed ? `; ${plural(t.fixed, 'fix', 'fixes')} applied` : '';
  const baselined =
    t.stale === undefined ? '' : `; ${t.baselined} baselined${t.stale ? `, ${plural(t.stale, 'baseline entry', 'baseline entries')} no longer found (refresh with --write-baseline)` : ''}`;
  return `prodready: ${plural(t.checked, 'file')} checked${skippedText}; ${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.information} information${fixed}${baselined} in ${(ms / 1000).toFixed(1)} s`;
}

// The same script is the command and, in --jobs worker threads, the workers.
if (!isMainThread && isCheckWorker()) serveChecks();
else if (require.main === module) void run(process.argv.slice(2)).then((status) => (process.exitCode = status));
