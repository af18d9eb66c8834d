// `--jobs` and the progress line, through the built CLI (dist/cli.js) on a generated workspace of every
// kind: the output is the same bytes whatever the number of worker threads, and the progress line is
// only ever drawn on a terminal.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateWorkspace } from '../lsp/workspaceHelpers';
import { LONG_SCAN_FILES } from '../../server/src/cli/progress';
import { POOL_MIN_BYTES } from '../../server/src/cli/pool';
import { generateHelmValues } from '../bench/gen/helm';
import { generateNginx } from '../bench/gen/nginx';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist/cli.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-jobs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The summary's time is the one thing two runs may differ in. */
const untimed = (stderr: string) => stderr.replace(/ in \d+\.\d s\n$/, ' in … s\n');

/** Every file below `dir`, relative, with its text. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, rel);
    if (fs.statSync(full).isFile()) files.set(rel, fs.readFileSync(full, 'utf8'));
  }
  return files;
}

describe('prodready check --jobs', () => {
  let workspace: string;
  let configs: number;
  before(() => {
    workspace = path.join(tmp, 'workspace');
    const generated = generateWorkspace(workspace, 140, 11);
    configs = generated.configs.size;
    // A file with a syntax error (never fixed) and one that cannot be decoded as a config, among the others.
    fs.writeFileSync(path.join(workspace, 'team-0/broken-compose.yml'), 'services:\n  web:\n    image: nginx:latest\n   ports: [80\n');
    // The examples too: Helm charts with environments and a packaged subchart, compose overrides.
    fs.cpSync(path.join(REPO, 'examples'), path.join(workspace, 'examples'), { recursive: true });
    // A few big files, so that the run is long enough to be shared between workers at all.
    fs.mkdirSync(path.join(workspace, 'platform/charts/umbrella'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'platform/charts/umbrella/Chart.yaml'), 'apiVersion: v2\nname: umbrella\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(workspace, 'platform/charts/umbrella/values.yaml'), generateHelmValues(3000, 3));
    fs.writeFileSync(path.join(workspace, 'platform/nginx.conf'), generateNginx(3000, 4));
    const bytes = [...tree(workspace).values()].reduce((n, text) => n + Buffer.byteLength(text), 0);
    assert.ok(bytes > 2 * POOL_MIN_BYTES, `${bytes} bytes: too small a run for the pool`);
  });

  it('prints the same bytes with one worker and with two, in every format', () => {
    const kinds = new Set<string>();
    for (const format of ['text', 'json', 'sarif', 'github', 'junit']) {
      const one = run(workspace, '--jobs', '1', '--format', format, '.');
      const two = run(workspace, '--jobs', '2', '--format', format, '.');
      assert.equal(one.status, 1, one.stderr);
      assert.equal(two.status, one.status, format);
      assert.ok(one.stdout.length > 1000, `${format}: a report`);
      assert.equal(two.stdout, one.stdout, `${format}: stdout`);
      assert.equal(untimed(two.stderr), untimed(one.stderr), `${format}: stderr`);
      if (format === 'json') for (const entry of JSON.parse(one.stdout) as { kind?: string }[]) if (entry.kind) kinds.add(entry.kind);
    }
    assert.deepEqual([...kinds].sort(), ['compose', 'haproxy', 'helm-values', 'nginx'], 'every kind is in the workspace');
    const summary = run(workspace, '--jobs', '2', '.').stderr.trim().split('\n').pop()!;
    assert.ok(Number(/(\d+) files checked/.exec(summary)?.[1]) >= configs, summary);
  });

  it('fixes the same files the same way with one worker and with two', () => {
    const copies = [1, 2].map((jobs) => {
      const dir = path.join(tmp, `fix-${jobs}`);
      fs.cpSync(workspace, dir, { recursive: true });
      const dryRun = run(dir, '--jobs', String(jobs), '--fix-dry-run', '.');
      const fixed = run(dir, '--jobs', String(jobs), '--fix', '.');
      return { dir, dryRun, fixed };
    });
    const [one, two] = copies;
    assert.ok(one.dryRun.stdout.includes('+++ b/'), 'some fixes to show');
    assert.equal(two.dryRun.stdout, one.dryRun.stdout, 'the same diff');
    assert.match(one.fixed.stderr, /fixes? applied/);
    assert.match(one.fixed.stderr, /broken-compose\.yml: not fixed: it has syntax errors/);
    assert.equal(two.fixed.stdout, one.fixed.stdout, 'the same findings remain');
    assert.equal(untimed(two.fixed.stderr), untimed(one.fixed.stderr));
    assert.deepEqual(tree(two.dir), tree(one.dir), 'the same files written');
    assert.notDeepEqual(tree(one.dir), tree(workspace), 'files were fixed');
    // What remains after --fix is what a fresh run of the fixed files reports.
    assert.equal(run(one.dir, '--jobs', '2', '.').stdout, one.fixed.stdout);
  });

  it('rejects a number of jobs that is not a whole number of at least 1', () => {
    for (const bad of ['0', '-1', '1.5', 'many']) {
      const r = run(workspace, '--jobs', bad, '.');
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, /--jobs takes a whole number of at least 1/);
    }
  });
});

describe('prodready check: the progress line', () => {
  let workspace: string;
  before(() => {
    workspace = path.join(tmp, 'progress');
    generateWorkspace(workspace, LONG_SCAN_FILES + 20, 5);
  });

  it('is never written when stderr is not a terminal', () => {
    const r = run(workspace, '.');
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stderr, /\r|\x1b|\d+\/\d+ files/);
    assert.match(r.stderr, /^prodready: \d+ files checked/m);
  });

  // `script` (util-linux) runs the command on a pseudo-terminal; stdout goes to a file so what the
  // terminal shows is stderr alone.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  const onTerminal = (...args: string[]) => {
    const out = path.join(tmp, 'stdout.txt');
    const command = [process.execPath, CLI, 'check', ...args, '.'].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', `${command} > '${out}'`, '/dev/null'], { encoding: 'utf8', cwd: workspace });
    return { status: r.status, terminal: r.stdout, stdout: fs.readFileSync(out, 'utf8') };
  };

  it('is drawn on a terminal for a long scan and erased before the summary', { skip: !hasScript && 'no `script` command' }, () => {
    const r = onTerminal();
    const total = Number(/(\d+)\/(\d+) files/.exec(r.terminal)?.[2]);
    assert.ok(total > LONG_SCAN_FILES, r.terminal);
    assert.match(r.terminal, new RegExp(`\\r\\x1b\\[2Kprodready: ${total}/${total} files\\r\\x1b\\[2K`), 'the last count, then erased');
    assert.match(r.terminal, /\r\x1b\[2Kprodready: \d+ files checked/, 'the summary starts on the erased line');
    assert.doesNotMatch(r.stdout, /\x1b|\d+\/\d+ files/, 'nothing on stdout');
  });

  it('is not drawn with --quiet, even on a terminal', { skip: !hasScript && 'no `script` command' }, () => {
    const r = onTerminal('--quiet');
    assert.equal(r.terminal, '');
    assert.ok(r.stdout.length > 0, 'findings still printed');
  });
});
