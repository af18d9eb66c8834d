// The bench's stress section (issue 15): hostile and huge inputs through the core, the CLI and the
// server, each in a process of its own so that its peak resident memory is its own.
//
//   - the stress inputs: 160k-level flow nesting, a 5,000-deep compact `- - -` chain, the merge bomb
//     (20 nested `<<: [*g, *g, *g]` levels over 50 services), a 40k-key map with a duplicate, 5 MB of
//     `&a `, 5 MB of `{` as an NGINX config and a 10 MB stack, with the default settings;
//   - the size ladder behind the default `maxFileSize`: generated stacks, Helm values, NGINX and HAProxy
//     configs of 1, 2.5, 4, 5 and 10 MB analysed with the limit lifted.
//
// Core: a child process runs analyze() once and reports its time and peak RSS (getrusage). CLI:
// dist/cli.js on a file, wall time and peak RSS. Server: dist/server.js over stdio, didOpen → first
// publishDiagnostics, and the server process's peak RSS (VmHWM) at that point.
//
// Run alone: `node out/test/bench/stress.js` (BENCH_QUICK=1: smaller sizes, in a few minutes;
// BENCH_STRESS_LADDER=0: the stress inputs without the size ladder).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { AnalysisInput } from '../../server/src/core/types';
import { generateStack } from './gen/compose';
import { generateHaproxy } from './gen/haproxy';
import { generateHelmValues } from './gen/helm';
import { generateNginx } from './gen/nginx';
import { fileUri, LspClient } from './lsp';
import { fmtMb, fmtMs, MemoryProbe } from './measure';

const REPO = path.resolve(__dirname, '../../..');
const QUICK = /^(1|true|yes)$/i.test(process.env.BENCH_QUICK ?? '');
const MB = 1024 * 1024;
/** Every run is stopped after this long and reported as such. */
const DEADLINE_MS = QUICK ? 60_000 : 180_000;

/** What an input is; the text is made again in each process (`make` is deterministic). */
interface Spec {
  name: string;
  /** Where it pretends to live (decides the kind with the name) and its kind. */
  file: string;
  kind: AnalysisInput['kind'];
  make: string;
  size: number;
  /** Settings for the run (the size ladder lifts maxFileSize). */
  settings?: Record<string, unknown>;
}

export interface Figures {
  ms?: number;
  peakMb?: number;
  findings?: number;
  note?: string;
}

/** The deterministic texts by name, so a child process can make the same one. */
function make(spec: Pick<Spec, 'make' | 'size'>): string {
  const n = spec.size;
  switch (spec.make) {
    case 'flow-nesting':
      return `services:\n  web: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    case 'compact-chain':
      return `services:\n  web:\n    image: nginx:1.27\nk:\n${'- '.repeat(n)}x\nz: 1\n`;
    case 'merge-bomb': {
      const lines = ['x-g0: &g0 {image: "nginx:1.27", environment: {A: "1"}}'];
      for (let i = 1; i < n; i++) lines.push(`x-g${i}: &g${i}\n  <<: [*g${i - 1}, *g${i - 1}, *g${i - 1}]`);
      lines.push('services:');
      for (let s = 0; s < 50; s++) lines.push(`  s${s}:\n    <<: *g${n - 1}\n    deploy: {replicas: 2}`);
      return `${lines.join('\n')}\n`;
    }
    case 'many-keys': {
      const keys = Array.from({ length: n }, (_, i) => `      K${i}: v${i}\n`);
      return `services:\n  web:\n    image: nginx:1.27\n    environment:\n${keys.join('')}      K${n >> 1}: again\n`;
    }
    case 'anchors':
      return `services:\n  web:\n    image: nginx:1.27\n    command: ${'&a '.repeat(Math.ceil(n / 3))}\n`;
    case 'braces':
      return '{'.repeat(n);
    case 'stack':
      return generateStack(Math.max(1, Math.round(n / 2090)), 15);
    case 'helm':
      return scaled((lines) => generateHelmValues(lines, 15), n);
    case 'nginx':
      return scaled((lines) => generateNginx(lines, 15), n);
    case 'haproxy':
      return scaled((lines) => generateHaproxy(lines, 15), n);
    default:
      throw new Error(`unknown input ${spec.make}`);
  }
}

/** A generated text of about `bytes`, from a generator that takes a line count. */
function scaled(generate: (lines: number) => string, bytes: number): string {
  const sample = generate(2000);
  return generate(Math.max(10, Math.round((2000 * bytes) / sample.length)));
}

const LIFTED = { maxFileSize: 10 * MB };

function stressInputs(): Spec[] {
  const q = QUICK;
  return [
    { name: `flow nesting, ${q ? '20k' : '160k'} levels`, file: '/srv/flow/docker-compose.yml', kind: 'compose', make: 'flow-nesting', size: q ? 20_000 : 160_000 },
    { name: 'compact `- - -` chain, 5,000 deep', file: '/srv/chain/docker-compose.yml', kind: 'compose', make: 'compact-chain', size: 5000 },
    { name: `merge bomb, ${q ? 10 : 20} levels × 50 services`, file: '/srv/bomb/docker-stack.yml', kind: 'swarm-stack', make: 'merge-bomb', size: q ? 10 : 20 },
    { name: `${q ? '5k' : '40k'}-key map with a duplicate`, file: '/srv/keys/docker-compose.yml', kind: 'compose', make: 'many-keys', size: q ? 5000 : 40_000 },
    // Above the default maxFileSize: lifted, so that the guards are what is measured, not the skip.
    { name: `${q ? '0.5' : '5'} MB of \`&a \` (maxFileSize 10 MiB)`, file: '/srv/anchors/docker-compose.yml', kind: 'compose', make: 'anchors', size: (q ? 0.5 : 5) * MB, settings: LIFTED },
    { name: `${q ? '0.5' : '5'} MB of \`{\` (NGINX, maxFileSize 10 MiB)`, file: '/etc/nginx/nginx.conf', kind: 'nginx', make: 'braces', size: (q ? 0.5 : 5) * MB, settings: LIFTED },
    { name: `${q ? '1' : '10'} MB stack (default maxFileSize)`, file: '/srv/big/docker-stack.yml', kind: 'swarm-stack', make: 'stack', size: (q ? 1 : 10) * MB },
  ];
}

function ladderInputs(): Spec[] {
  const sizes = QUICK ? [0.25, 0.5] : [1, 2.5, 4, 5, 10];
  const kinds: [string, string, Spec['kind']][] = [
    ['stack', '/srv/ladder/docker-stack.yml', 'swarm-stack'],
    ['helm', '/srv/ladder/chart/values.yaml', 'helm-values'],
    ['nginx', '/etc/nginx/nginx.conf', 'nginx'],
    ['haproxy', '/etc/haproxy/haproxy.cfg', 'haproxy'],
  ];
  return kinds.flatMap(([make, file, kind]) =>
    sizes.map((mb) => ({ name: `${make} ${mb} MB`, file, kind, make, size: Math.round(mb * MB), settings: { maxFileSize: 1024 * MB } })),
  );
}

// --- The three ways in ---------------------------------------------------------------------------------

/** Runs a node script with a preload that records its peak RSS at exit; wall time from spawn to exit. */
function runNode(args: string[], tmp: string, env: NodeJS.ProcessEnv = {}): Promise<Figures & { stdout: string }> {
  const rssFile = path.join(tmp, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const preload = path.join(tmp, 'peak-rss.js');
  if (!fs.existsSync(preload)) {
    fs.writeFileSync(preload, "process.on('exit', () => require('fs').writeFileSync(process.env.STRESS_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
  }
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', preload, ...args], { env: { ...process.env, ...env, STRESS_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout = (stdout + d).slice(-100_000)));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let peakMb: number | undefined;
      try {
        peakMb = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
        fs.rmSync(rssFile);
      } catch {
        // killed before its exit handler ran
      }
      const note = signal === 'SIGKILL' ? `stopped after ${DEADLINE_MS / 1000} s` : signal ? `died (${signal})` : code !== 0 && code !== 1 ? `exit ${code}: ${stderr.trim().split('\n').pop()}` : undefined;
      resolve({ ms, peakMb, note, stdout });
    });
  });
}

/** analyze() once in a child process (this file run with --core). */
async function throughCore(spec: Spec, tmp: string): Promise<Figures> {
  const r = await runNode([__filename, '--core', JSON.stringify(spec)], tmp);
  try {
    const own = JSON.parse(r.stdout) as { ms: number; findings: number; skipped?: string; first?: string };
    return { ms: own.ms, peakMb: r.peakMb, findings: own.findings, note: r.note ?? own.skipped ?? own.first };
  } catch {
    return { peakMb: r.peakMb, note: r.note ?? 'no result' };
  }
}

/** The CLI on the input as a file. */
async function throughCli(spec: Spec, tmp: string, text: string): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(tmp, 'cli-'));
  const file = path.join(dir, path.basename(spec.file));
  fs.writeFileSync(file, text);
  const args = [path.join(REPO, 'dist/cli.js'), 'check', file, '--format', 'json', '--fail-on', 'never'];
  if (spec.kind) args.push('--kind', spec.kind);
  if (spec.settings) {
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(spec.settings));
    args.push('--settings', path.join(dir, 'settings.json'));
  }
  const r = await runNode(args, tmp);
  fs.rmSync(dir, { recursive: true, force: true });
  let findings: number | undefined;
  try {
    findings = (JSON.parse(r.stdout) as { findings?: unknown[] }[]).reduce((n, f) => n + (f.findings?.length ?? 0), 0);
  } catch {
    // not JSON: the note says why
  }
  return { ms: r.ms, peakMb: r.peakMb, findings, note: r.note };
}

/** The real server: didOpen → the first publishDiagnostics for the document, and its peak RSS then. */
async function throughServer(spec: Spec, text: string): Promise<Figures> {
  const client = new LspClient({
    command: process.execPath,
    args: [path.join(REPO, 'dist/server.js'), '--stdio'],
    configuration: { prodready: spec.settings ?? {} },
    timeoutMs: DEADLINE_MS,
  });
  const probe = new MemoryProbe(client.pid);
  try {
    await client.initialize();
    const uri = fileUri(spec.file);
    const languageId = spec.kind === 'nginx' ? 'nginx' : spec.kind === 'haproxy' ? 'haproxy' : 'yaml';
    const published = client.waitForDiagnostics(uri, { timeoutMs: DEADLINE_MS });
    const sent = client.openDocument(uri, languageId, text);
    const received = await published;
    const params = received.message.params as { diagnostics: { message: string }[] };
    return { ms: received.at - sent, peakMb: probe.peakMb().hwm, findings: params.diagnostics.length };
  } catch (e) {
    return { peakMb: probe.peakMb().hwm, note: (e as Error).message.split('\n')[0].slice(0, 120) };
  } finally {
    probe.stop();
    await client.shutdown().catch(() => client.kill());
  }
}

// --- The section ---------------------------------------------------------------------------------------

export interface StressRow {
  name: string;
  bytes: number;
  core: Figures;
  cli: Figures;
  server?: Figures;
}

const fmt = (f: Figures) => `${fmtMs(f.ms)} ${fmtMb(f.peakMb)}${f.note ? ` (${f.note.slice(0, 70)})` : ''}`;

async function measure(specs: Spec[], tmp: string, viaServer: boolean, out: (line?: string) => void): Promise<StressRow[]> {
  const rows: StressRow[] = [];
  for (const spec of specs) {
    const text = make(spec);
    const row: StressRow = { name: spec.name, bytes: text.length, core: await throughCore(spec, tmp), cli: await throughCli(spec, tmp, text) };
    if (viaServer) row.server = await throughServer(spec, text);
    rows.push(row);
    out(`   ${spec.name.padEnd(44)} core ${fmt(row.core)} | CLI ${fmt(row.cli)}${row.server ? ` | server ${fmt(row.server)}` : ''}`);
  }
  return rows;
}

/** The section: the stress inputs through core, CLI and server; the size ladder through core and CLI. */
export async function stressSection(_timer: unknown, tmp: string, out: (line?: string) => void = (l = '') => process.stdout.write(`${l}\n`)): Promise<unknown> {
  out('5. Stress inputs (issue 15): time and peak RSS, each run in a process of its own');
  out('   core = analyze() in a child process; CLI = dist/cli.js --format json; server = didOpen → first publishDiagnostics');
  const stress = await measure(stressInputs(), tmp, true, out);
  // BENCH_STRESS_LADDER=0: the stress inputs only (the ladder is most of the section's time).
  if (process.env.BENCH_STRESS_LADDER === '0') {
    out();
    return { stress };
  }
  out('   size ladder (maxFileSize lifted), behind the default maxFileSize:');
  const ladder = await measure(ladderInputs(), tmp, false, out);
  out();
  return { stress, ladder };
}

// --- Entry points --------------------------------------------------------------------------------------

function coreChild(spec: Spec): void {
  const text = make(spec);
  const started = performance.now();
  const result = analyze({ text, path: spec.file, kind: spec.kind, settings: spec.settings });
  const ms = performance.now() - started;
  const first = result.findings.find((f) => f.ruleId.endsWith('/syntax'))?.message;
  process.stdout.write(JSON.stringify({ ms, findings: result.findings.length, skipped: result.skipped, first }));
}

if (require.main === module) {
  if (process.argv[2] === '--core') coreChild(JSON.parse(process.argv[3]) as Spec);
  else {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-stress-'));
    stressSection(undefined, tmp)
      .then((report) => {
        const artifact = path.join(REPO, 'test-artifacts/bench-stress.json');
        fs.mkdirSync(path.dirname(artifact), { recursive: true });
        fs.writeFileSync(artifact, `${JSON.stringify(report, null, 2)}\n`);
        process.stdout.write(`JSON: ${path.relative(REPO, artifact)}\n`);
      })
      .catch((e) => {
        process.stderr.write(`stress failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 1;
      })
      .finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
  }
}
