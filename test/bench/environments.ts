// Environments (issue 9) through the real server over stdio: what judging a file on what production
// deploys costs in the editor, as ratios of medians taken side by side in one server process.
//
//   - A chart with 3 overlays (values-prod.yaml, values-live.yaml: production; values-staging.yaml) and 2
//     packaged subcharts (charts/*.tgz), and a compose base of 500 services with 2 production overlays.
//   - Overlay: edit→diagnostics p50 of a production overlay, against the same text analysed alone (a
//     copy in a folder where it has no base). Target ≤ 1.3×.
//   - Base: an edit to the base until every open production overlay has republished, against the same
//     base text analysed alone (a copy with no overlays beside it). Target ≤ 2×.
//
// Run alone: `node out/test/bench/environments.js` (BENCH_QUICK=1 for fewer edits).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, ServerProcess } from '../lsp/serverProcess';
import { tgz } from '../core/tarball';
import { generateStack } from './gen/compose';
import { generateHelmValues } from './gen/helm';
import { percentile, ratio } from './stats';

interface Layout {
  name: string;
  /** The production overlay edited, and its copy that has no base. */
  overlay: string;
  overlayAlone: string;
  /** The shared base, its production overlays (opened, republished on a base edit), and its copy alone. */
  base: string;
  productionOverlays: string[];
  baseAlone: string;
  /** Every other file opened as an editor would have them. */
  others: string[];
}

const SEED = 20_261_202;

function write(file: string, text: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function subchart(name: string, version: string, lines: number): Uint8Array {
  const values = generateHelmValues(lines, SEED + name.length).replace(/^# Generated.*\n/, `# ${name} defaults\n`);
  return tgz([
    { path: `${name}/Chart.yaml`, text: `apiVersion: v2\nname: ${name}\nversion: ${version}\n` },
    { path: `${name}/values.yaml`, text: values },
  ]);
}

function helmLayout(root: string, lines: number): Layout {
  const chart = path.join(root, 'chart');
  const deps = [
    ['postgresql', '12.1.0'],
    ['redis', '17.3.0'],
  ];
  write(
    path.join(chart, 'Chart.yaml'),
    `apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n${deps.map(([n, v]) => `  - name: ${n}\n    version: ${v}\n    repository: https://charts.example.com\n`).join('')}`,
  );
  for (const [n, v] of deps) write(path.join(chart, `charts/${n}-${v}.tgz`), subchart(n, v, Math.round(lines / 4)));
  const values = generateHelmValues(lines, SEED);
  write(path.join(chart, 'values.yaml'), values);
  const overlay = (replicas: number) => `global:\n  domain: prod.example.com\npostgresql:\n  architecture: replication\nredis:\n  architecture: replication\nreplicaCount: ${replicas}\n`;
  write(path.join(chart, 'values-prod.yaml'), overlay(3));
  write(path.join(chart, 'values-live.yaml'), overlay(4));
  write(path.join(chart, 'values-staging.yaml'), overlay(1));
  // The same texts where they have no environment: a chart folder with no values.yaml, and one with no overlays.
  write(path.join(root, 'alone-overlay/Chart.yaml'), 'apiVersion: v2\nname: platform\nversion: 1.0.0\n');
  write(path.join(root, 'alone-overlay/values-prod.yaml'), overlay(3));
  write(path.join(root, 'alone-base/Chart.yaml'), 'apiVersion: v2\nname: platform\nversion: 1.0.0\n');
  write(path.join(root, 'alone-base/values.yaml'), values);
  return {
    name: `Helm chart (values.yaml ${lines.toLocaleString('en')} lines, 3 overlays, 2 packaged subcharts)`,
    overlay: path.join(chart, 'values-prod.yaml'),
    overlayAlone: path.join(root, 'alone-overlay/values-prod.yaml'),
    base: path.join(chart, 'values.yaml'),
    productionOverlays: [path.join(chart, 'values-prod.yaml'), path.join(chart, 'values-live.yaml')],
    baseAlone: path.join(root, 'alone-base/values.yaml'),
    others: [path.join(chart, 'values-staging.yaml')],
  };
}

function composeLayout(root: string, services: number): Layout {
  const dir = path.join(root, 'compose');
  const base = generateStack(services, SEED);
  const names = [...base.matchAll(/^ {2}([a-z][\w-]*):\s*$/gm)].map((m) => m[1]).slice(0, 10);
  const overlay = (replicas: number) => `services:\n${names.map((n) => `  ${n}:\n    deploy:\n      replicas: ${replicas}\n`).join('')}`;
  write(path.join(dir, 'docker-compose.yml'), base);
  write(path.join(dir, 'docker-compose.prod.yml'), overlay(3));
  write(path.join(dir, 'docker-compose.live.yml'), overlay(4));
  write(path.join(root, 'alone-compose-overlay/docker-compose.prod.yml'), overlay(3));
  write(path.join(root, 'alone-compose-base/docker-compose.yml'), base);
  return {
    name: `compose base (${services} services, 2 production overlays)`,
    overlay: path.join(dir, 'docker-compose.prod.yml'),
    overlayAlone: path.join(root, 'alone-compose-overlay/docker-compose.prod.yml'),
    base: path.join(dir, 'docker-compose.yml'),
    productionOverlays: [path.join(dir, 'docker-compose.prod.yml'), path.join(dir, 'docker-compose.live.yml')],
    baseAlone: path.join(root, 'alone-compose-base/docker-compose.yml'),
    others: [],
  };
}

export interface EnvironmentFigures {
  layout: string;
  edits: number;
  overlayP50Ms: number;
  overlayAloneP50Ms: number;
  overlayRatio: number;
  baseRepublishP50Ms: number;
  baseAloneP50Ms: number;
  baseRatio: number;
  /** Whether the overlay's diagnostics show what production inherits (the environment was judged). */
  judgedInEnvironment: boolean;
}

/** A text edit that changes nothing a rule reads: a trailing comment, alternating, so every version differs. */
/**
 * The text with a service or component that runs a moving image tag (even edits) or without it (odd
 * ones): every edit changes the file's findings, and those of the overlays that inherit it. The server
 * does not publish diagnostics that did not change, so an edit that changed none would never be answered.
 * Each file adds its own name (`key`), so what an overlay adds never overrides what its base adds.
 */
function edited(text: string, n: number, key: string): string {
  const service = new RegExp(`^ {2}${key}:\\n {4}image: nginx:latest\\n`, 'm');
  const component = new RegExp(`^${key}:\\n {2}image:\\n {4}repository: nginx\\n {4}tag: latest\\n`, 'm');
  const clean = text.replace(service, '').replace(component, '');
  if (n % 2 === 1) return clean;
  if (/^services:\n/m.test(clean)) return clean.replace(/^services:\n/m, (m) => `${m}  ${key}:\n    image: nginx:latest\n`);
  return `${clean}${key}:\n  image:\n    repository: nginx\n    tag: latest\n`;
}

async function measure(layout: Layout, edits: number): Promise<EnvironmentFigures> {
  const server = new ServerProcess();
  try {
    await server.initialize();
    const texts = new Map<string, string>();
    const versions = new Map<string, number>();
    const all = [layout.base, ...layout.productionOverlays, layout.overlayAlone, layout.baseAlone, ...layout.others];
    let overlayDiagnostics: { relatedInformation?: unknown[] }[] = [];
    for (const file of new Set(all)) {
      const text = fs.readFileSync(file, 'utf8');
      texts.set(file, text);
      versions.set(file, 1);
      const d = await server.open(fileUri(file), text);
      if (file === layout.overlay) overlayDiagnostics = d;
    }
    /**
     * Times one edit until its diagnostics and those of `waitFor` arrive; then, untimed, waits for the
     * files that re-check because of it (`settle`: an overlay's edit re-checks its base), so the next
     * measurement does not queue behind them.
     */
    const edit = async (file: string, n: number, waitFor: string[] = [], settle: string[] = []): Promise<number> => {
      const version = versions.get(file)! + 1;
      versions.set(file, version);
      const text = edited(texts.get(file)!, n, `bench${[...file].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7)}`);
      texts.set(file, text);
      // Generous deadlines: a 500-service base judged in two environments on a loaded machine.
      const own = server.diagnostics(fileUri(file), version, 180_000);
      const others = waitFor.map((f) => server.diagnostics(fileUri(f), undefined, 180_000));
      const start = performance.now();
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri(file), version }, contentChanges: [{ text }] });
      // A re-check whose diagnostics did not change publishes nothing: the wait then ends at its deadline.
      const settled = settle.map((f) => server.diagnostics(fileUri(f), undefined, 5_000).catch(() => undefined));
      await Promise.all([own, ...others]);
      const ms = performance.now() - start;
      await Promise.all(settled);
      return ms;
    };
    const samples = { overlay: [] as number[], overlayAlone: [] as number[], base: [] as number[], baseAlone: [] as number[] };
    // Interleaved, one warm-up round left out: each pair of figures shares the machine's state.
    for (let i = 0; i <= edits; i++) {
      const o = await edit(layout.overlay, i, [], [layout.base]);
      const oa = await edit(layout.overlayAlone, i);
      const dependents = layout.productionOverlays;
      const b = await edit(layout.base, i, dependents);
      const ba = await edit(layout.baseAlone, i);
      if (i === 0) continue;
      samples.overlay.push(o);
      samples.overlayAlone.push(oa);
      samples.base.push(b);
      samples.baseAlone.push(ba);
    }
    const p50 = (s: number[]) => percentile(s, 0.5);
    return {
      layout: layout.name,
      edits,
      overlayP50Ms: p50(samples.overlay),
      overlayAloneP50Ms: p50(samples.overlayAlone),
      overlayRatio: ratio(p50(samples.overlay), p50(samples.overlayAlone)),
      baseRepublishP50Ms: p50(samples.base),
      baseAloneP50Ms: p50(samples.baseAlone),
      baseRatio: ratio(p50(samples.base), p50(samples.baseAlone)),
      judgedInEnvironment: overlayDiagnostics.some((d) => (d.relatedInformation?.length ?? 0) > 0),
    };
  } finally {
    await server.stop();
  }
}

/** The bench section: prints its table through `out` and returns the figures for the JSON report. */
export async function environmentsSection(out: (line?: string) => void, quick: boolean): Promise<EnvironmentFigures[]> {
  out('Environments (issue 9): overlays judged on what production deploys, through the real server');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-bench-env-'));
  const edits = quick ? 5 : 15;
  const figures: EnvironmentFigures[] = [];
  try {
    for (const layout of [helmLayout(root, quick ? 1_000 : 5_000), composeLayout(root, quick ? 100 : 500)]) {
      const f = await measure(layout, edits);
      figures.push(f);
      const ms = (x: number) => `${x.toFixed(1)} ms`;
      out(`   ${f.layout}${f.judgedInEnvironment ? '' : ' — WARNING: the overlay showed no inherited finding'}`);
      out(`     overlay edit → diagnostics p50 ${ms(f.overlayP50Ms)} vs alone ${ms(f.overlayAloneP50Ms)}: ${f.overlayRatio.toFixed(2)}× (target ≤ 1.3×)`);
      out(`     base edit → its production overlays republished p50 ${ms(f.baseRepublishP50Ms)} vs base alone ${ms(f.baseAloneP50Ms)}: ${f.baseRatio.toFixed(2)}× (target ≤ 2×)`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  out();
  return figures;
}

if (require.main === module) {
  void environmentsSection((line = '') => process.stdout.write(`${line}\n`), /^(1|true|yes)$/i.test(process.env.BENCH_QUICK ?? '')).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
