// Issue 10: `prodready check` as CI runs it, over a generated monorepo of 2,000 configs of all four
// kinds at realistic sizes (50 to 2,000 lines, most of them small: sizes are log-uniform), through the
// real dist/cli.js in a child process: whole-run files/s with --jobs 1 and --jobs 2, and the compose
// subset through dclint (a devDependency, run only here) on the same files in the same run. Peak
// resident memory (all threads) and CPU time of each whole run come from getrusage, through
// test/bench/usage.ts. Runs are interleaved round by round, so a load change on the shared machine hits
// every series alike; CPU time, which the load does not inflate as much, compares the single-threaded
// runs (prodready --jobs 1 and dclint) too.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateStack } from './gen/compose';
import { generateHaproxy } from './gen/haproxy';
import { generateHelmValues } from './gen/helm';
import { generateNginx } from './gen/nginx';
import { seededRandom } from './gen/random';
import { fmtMb, fmtMs, fmtRatio } from './measure';
import { median, ratio } from './stats';
import type { Usage } from './usage';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist/cli.js');
const USAGE = path.join(__dirname, 'usage.js');
const SEED = 20_251_202;
/** The generated compose files have about this many lines per service (test/bench/gen/compose.ts). */
const COMPOSE_LINES_PER_SERVICE = 74;
const QUICK = /^(1|true|yes)$/i.test(process.env.BENCH_QUICK ?? '');

interface Monorepo {
  root: string;
  configs: number;
  lines: number;
  byKind: Record<string, number>;
  composeFiles: string[];
}

export function generateMonorepo(root: string, configs: number): Monorepo {
  const random = seededRandom(SEED);
  const byKind: Record<string, number> = { compose: 0, 'helm-values': 0, nginx: 0, haproxy: 0 };
  const composeFiles: string[] = [];
  let lines = 0;
  const put = (rel: string, text: string) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return text.split('\n').length - 1;
  };
  for (let i = 0; i < configs; i++) {
    const n = String(i).padStart(4, '0');
    const team = `team-${i % 23}`;
    const size = Math.round(50 * 40 ** random());
    const seed = SEED + i;
    const roll = random();
    if (roll < 0.3) {
      const rel = `${team}/services/app-${n}/${random() < 0.5 ? 'docker-stack.yml' : 'docker-compose.yml'}`;
      lines += put(rel, generateStack(Math.max(1, Math.round(size / COMPOSE_LINES_PER_SERVICE)), seed));
      composeFiles.push(rel);
      byKind.compose++;
    } else if (roll < 0.6) {
      put(`${team}/charts/chart-${n}/Chart.yaml`, `apiVersion: v2\nname: chart-${n}\nversion: 1.${i}.0\n`);
      lines += put(`${team}/charts/chart-${n}/values.yaml`, generateHelmValues(size, seed));
      byKind['helm-values']++;
    } else if (roll < 0.8) {
      lines += put(`${team}/edge/nginx-${n}/nginx.conf`, generateNginx(size, seed));
      byKind.nginx++;
    } else {
      lines += put(`${team}/edge/lb-${n}/haproxy.cfg`, generateHaproxy(size, seed));
      byKind.haproxy++;
    }
  }
  return { root, configs, lines, byKind, composeFiles };
}

interface Run {
  ms: number;
  usage?: Usage;
  status: number | null;
  stderr: string;
}

/** Runs a Node.js program to its end, timing it from spawn to exit, with its resource usage. */
function runNode(script: string, args: string[], cwd: string, tmp: string): Promise<Run> {
  const usageFile = path.join(tmp, `usage-${process.pid}-${Date.now()}.json`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--require', USAGE, script, ...args], {
      cwd,
      env: { ...process.env, PRODREADY_BENCH_USAGE: usageFile, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = performance.now() - start;
      let usage: Usage | undefined;
      try {
        usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as Usage;
        fs.rmSync(usageFile);
      } catch {
        usage = undefined;
      }
      resolve({ ms, usage, status, stderr });
    });
  });
}

interface Series {
  label: string;
  files: number;
  args: () => [string, string[]];
  /** A second process run at the same time as the first (the pair's time is the later exit). */
  pairArgs?: () => [string, string[]];
  runs: Run[];
}

/** Two processes at once: wall time to the later exit, CPU time summed, peak RSS of both together. */
async function runPair(a: [string, string[]], b: [string, string[]], cwd: string, tmp: string): Promise<Run> {
  const start = performance.now();
  const [x, y] = await Promise.all([runNode(a[0], a[1], cwd, tmp), runNode(b[0], b[1], cwd, tmp)]);
  const usage = x.usage && y.usage ? { ...x.usage, cpuMs: x.usage.cpuMs + y.usage.cpuMs, maxRssKb: x.usage.maxRssKb + y.usage.maxRssKb } : undefined;
  return { ms: performance.now() - start, usage, status: x.status || y.status, stderr: x.stderr + y.stderr };
}

/** The repository's top-level folders in two groups of about equal bytes (largest first, to the lighter group). */
function splitByBytes(root: string): [string[], string[]] {
  const bytes = (p: string): number => {
    const st = fs.statSync(p);
    return st.isDirectory() ? fs.readdirSync(p).reduce((sum, e) => sum + bytes(path.join(p, e)), 0) : st.size;
  };
  const folders = fs.readdirSync(root).map((name) => ({ name, size: bytes(path.join(root, name)) }));
  folders.sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  const groups: [string[], string[]] = [[], []];
  const sums = [0, 0];
  for (const f of folders) {
    const g = sums[0] <= sums[1] ? 0 : 1;
    groups[g].push(f.name);
    sums[g] += f.size;
  }
  return groups;
}

function dclintScript(): { script: string; version: string } | undefined {
  try {
    const pkg = require.resolve('dclint/package.json', { paths: [REPO] });
    const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string; bin: Record<string, string> };
    return { script: path.join(path.dirname(pkg), json.bin.dclint), version: json.version };
  } catch {
    return undefined;
  }
}

/** The section of `npm run bench` (the timer of in-process sections is not used: these are whole runs). */
export async function monorepoSection(_timer: unknown, tmp: string): Promise<unknown> {
  const plan = QUICK ? { configs: 200, rounds: 2 } : { configs: 2000, rounds: 3 };
  out('CI run over a monorepo: prodready check --jobs 1 / --jobs 2, and dclint on the compose files (issue 10)');
  const repo = generateMonorepo(path.join(tmp, 'monorepo'), plan.configs);
  const k = repo.byKind;
  out(`   ${repo.configs.toLocaleString('en-US')} configs, ${repo.lines.toLocaleString('en-US')} lines (compose ${k.compose}, Helm values ${k['helm-values']}, NGINX ${k.nginx}, HAProxy ${k.haproxy}; 50–2,000 lines each, log-uniform), seed ${SEED}`);
  out(`   ${os.availableParallelism()} cores available, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; wall time from spawn to exit, medians of ${plan.rounds} interleaved rounds`);
  const dclint = dclintScript();
  const series: Series[] = [1, 2].map((jobs) => ({
    label: `prodready --jobs ${jobs}`,
    files: repo.configs,
    args: () => [CLI, ['check', '--jobs', String(jobs), '--fail-on', 'never', '--format', 'json', '--output', path.join(tmp, `report-jobs-${jobs}.json`), '.']],
    runs: [],
  }));
  // What two cores give at best here: two independent `--jobs 1` processes at once, each on half of the
  // repository (by bytes). No pool overhead at all, so their speed-up over one process is the ceiling
  // for --jobs 2 on this machine (garbage collection already keeps a second core partly busy in one
  // process, and two processes share the memory bandwidth).
  const halves = splitByBytes(repo.root);
  series.push({
    label: 'two --jobs 1 processes, one per half',
    files: repo.configs,
    args: () => [CLI, ['check', '--jobs', '1', '--fail-on', 'never', '--format', 'json', '--output', path.join(tmp, 'report-half-a.json'), ...halves[0]]],
    pairArgs: () => [CLI, ['check', '--jobs', '1', '--fail-on', 'never', '--format', 'json', '--output', path.join(tmp, 'report-half-b.json'), ...halves[1]]],
    runs: [],
  });
  if (dclint) {
    // The same compose files, named on the command line (dclint's own discovery looks for other names).
    series.push({ label: `dclint ${dclint.version} (compose subset)`, files: repo.composeFiles.length, args: () => [dclint.script, ['--no-color', ...repo.composeFiles]], runs: [] });
    series.push({ label: 'prodready --jobs 1 (compose subset)', files: repo.composeFiles.length, args: () => [CLI, ['check', '--jobs', '1', '--fail-on', 'never', ...repo.composeFiles]], runs: [] });
  }
  for (let round = 0; round < plan.rounds; round++) {
    for (const s of series) {
      const [script, args] = s.args();
      const r = s.pairArgs ? await runPair([script, args], s.pairArgs(), repo.root, tmp) : await runNode(script, args, repo.root, tmp);
      if (s.label.startsWith('prodready') && r.status !== 0) throw new Error(`${s.label} exited with ${r.status}: ${r.stderr.slice(-2000)}`);
      s.runs.push(r);
    }
  }
  const [one, two] = [1, 2].map((jobs) => fs.readFileSync(path.join(tmp, `report-jobs-${jobs}.json`), 'utf8'));
  const checked = (JSON.parse(one) as { skipped?: string }[]).filter((f) => !f.skipped).length;
  if (checked !== repo.configs) throw new Error(`prodready checked ${checked} files, not the ${repo.configs} configs generated`);
  if (one !== two) throw new Error('the reports of --jobs 1 and --jobs 2 differ');

  const figures = series.map((s) => {
    const ms = median(s.runs.map((r) => r.ms));
    const usages = s.runs.map((r) => r.usage).filter((x): x is Usage => x !== undefined);
    const cpuMs = usages.length ? median(usages.map((u) => u.cpuMs)) : NaN;
    return {
      label: s.label,
      files: s.files,
      ms,
      filesPerSecond: (s.files / ms) * 1000,
      cpuMs,
      filesPerCpuSecond: (s.files / cpuMs) * 1000,
      peakRssMb: usages.length ? Math.max(...usages.map((u) => u.maxRssKb)) / 1024 : undefined,
      samplesMs: s.runs.map((r) => Math.round(r.ms)),
    };
  });
  const header = ['run', 'files', 'wall time', 'files/s', 'CPU time', 'files/CPU s', 'peak RSS'];
  const rows = [header, ...figures.map((f) => [f.label, String(f.files), fmtMs(f.ms), f.filesPerSecond.toFixed(1), fmtMs(f.cpuMs), f.filesPerCpuSecond.toFixed(1), fmtMb(f.peakRssMb)])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) out(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`);
  const by = (label: string) => figures.find((f) => f.label.startsWith(label));
  const speedUp = ratio(by('prodready --jobs 2')?.filesPerSecond, by('prodready --jobs 1')?.filesPerSecond);
  const ceiling = ratio(by('two --jobs 1')?.filesPerSecond, by('prodready --jobs 1')?.filesPerSecond);
  const overDclint = ratio(by('prodready --jobs 1 (compose')?.filesPerSecond, by('dclint')?.filesPerSecond);
  const overDclintCpu = ratio(by('prodready --jobs 1 (compose')?.filesPerCpuSecond, by('dclint')?.filesPerCpuSecond);
  out(`   --jobs 2 over --jobs 1: ${fmtRatio(speedUp)} files/s (target ≥ 1.7× on 2 cores); reports identical`);
  out(`   two independent --jobs 1 processes on halves over one process: ${fmtRatio(ceiling)} files/s (the ceiling for --jobs 2 on this machine)`);
  out(
    dclint
      ? `   prodready (--jobs 1) over dclint on the ${repo.composeFiles.length} compose files: ${fmtRatio(overDclint)} files/s, ${fmtRatio(overDclintCpu)} files per CPU second (target ≥ 20×)`
      : '   dclint: not installed (a devDependency: npm install), no comparison',
  );
  out();
  fs.rmSync(repo.root, { recursive: true, force: true });
  return { configs: repo.configs, lines: repo.lines, byKind: repo.byKind, rounds: plan.rounds, cores: os.availableParallelism(), runs: figures, jobsSpeedUp: speedUp, twoProcessCeiling: ceiling, overDclint, overDclintCpu };
}

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

if (require.main === module) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-bench-monorepo-'));
  monorepoSection(undefined, tmp)
    .catch((e) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    })
    .finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
}
