// A second real LSP client: headless Neovim (Debian's 0.7, the oldest we document) runs the setup from
// docs/editors.md against dist/server.js, on one example of every kind. What it shows must be what the
// CLI prints for the same file, and its own code-action path must apply the preferred quick fix.
//
// .ci/run installs Neovim; in CI a missing `nvim` fails this suite, elsewhere it is skipped with a note.

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { LineIndex } from '../../server/src/core/text';

const REPO = path.resolve(__dirname, '../../..');
const SERVER = path.join(REPO, 'dist/server.js');
const CLI = path.join(REPO, 'dist/cli.js');
const CLIENT = path.join(REPO, 'test/neovim/client.lua');

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const available = nvim.status === 0;
if (!available) {
  const why = 'Neovim (`nvim`) is not installed: apt-get install neovim (.ci/run does)';
  if (process.env.CI === 'true') throw new Error(`${why}; the Neovim client test cannot run in CI without it`);
  process.stderr.write(`skipping the Neovim tests: ${why}\n`);
}

interface NvimDiagnostic {
  line: number;
  col: number;
  end_line: number;
  end_col: number;
  severity: number;
  code: string;
  message: string;
}

interface NvimResult {
  diagnostics: NvimDiagnostic[];
  errors: string[];
  log: string[];
  fix?: { title: string; kind?: string; code: string; line: number };
  after?: NvimDiagnostic[];
  text?: string;
}

const NVIM_SEVERITY: Record<string, number> = { error: 1, warning: 2, information: 3, hint: 4 };

interface Example {
  name: string;
  /** Files copied into the temporary workspace (relative to examples/), the first one is opened. */
  files: string[];
  /** Where the opened file goes in the workspace (its name decides its kind). */
  as: string;
}

const EXAMPLES: Example[] = [
  { name: 'a Swarm stack', files: ['swarm/stack-before.yml'], as: 'deploy/docker-stack.yml' },
  { name: 'Helm values in a chart', files: ['helm/telemetry/values-before.yaml', 'helm/telemetry/Chart.yaml'], as: 'chart/values.yaml' },
  { name: 'an NGINX config', files: ['nginx/nginx-before.conf'], as: 'nginx/nginx.conf' },
  { name: 'an HAProxy config', files: ['haproxy/haproxy-before.cfg'], as: 'haproxy/haproxy.cfg' },
];

const workspaces: string[] = [];
after(() => {
  for (const dir of workspaces) fs.rmSync(dir, { recursive: true, force: true });
});

function workspaceFor(example: Example): { root: string; file: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-nvim-'));
  workspaces.push(root);
  const file = path.join(root, example.as);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'examples', example.files[0]), file);
  for (const extra of example.files.slice(1)) fs.copyFileSync(path.join(REPO, 'examples', extra), path.join(path.dirname(file), path.basename(extra)));
  return { root, file };
}

function runNeovim(root: string, file: string, fix: boolean, fixCode = ''): NvimResult {
  const out = path.join(root, 'nvim-result.json');
  const run = spawnSync('nvim', ['--headless', '--clean', '-u', CLIENT, file], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PRODREADY_SERVER: SERVER, PRODREADY_ROOT: root, PRODREADY_OUT: out, PRODREADY_FIX: fix ? '1' : '0', PRODREADY_FIX_CODE: fixCode },
  });
  assert.ok(fs.existsSync(out), `Neovim wrote no result (exit ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
  assert.deepEqual(result.errors, [], `Neovim client errors; server log:\n${result.log.join('\n')}`);
  return result;
}

/** What the CLI reports for the text, as Neovim shows diagnostics: zero-based line and UTF-16 column. */
function cliFindings(file: string): string[] {
  const run = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', file], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `CLI failed (${run.status}): ${run.stderr}`);
  const [report] = JSON.parse(run.stdout) as { findings: { ruleId: string; severity: string; span: { start: number } }[] }[];
  const lines = new LineIndex(fs.readFileSync(file, 'utf8'));
  return report.findings.map((f) => {
    const pos = lines.position(f.span.start);
    return `${pos.line}:${pos.character} ${NVIM_SEVERITY[f.severity]} ${f.ruleId}`;
  });
}

function shown(list: NvimDiagnostic[]): string[] {
  return list.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`);
}

describe('Neovim as an LSP client', { skip: !available && 'nvim is not installed' }, () => {
  it('the server bundle exists (npm run build)', () => {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing`);
    assert.ok(execFileSync('nvim', ['--version'], { encoding: 'utf8' }).startsWith('NVIM v'));
  });

  for (const example of EXAMPLES) {
    it(`shows the CLI's findings for ${example.name} and applies the preferred quick fix`, () => {
      const { root, file } = workspaceFor(example);
      const expected = cliFindings(file).sort();
      const result = runNeovim(root, file, true);
      assert.ok(result.diagnostics.length > 0, 'the example has findings');
      assert.deepEqual(shown(result.diagnostics).sort(), expected, 'Neovim shows exactly what the CLI reports');

      assert.ok(result.fix, 'a preferred quick fix was offered for some finding');
      assert.equal(result.fix.kind, 'quickfix');
      const count = (list: NvimDiagnostic[], code: string) => list.filter((d) => d.code === code).length;
      assert.ok(
        count(result.after!, result.fix.code) < count(result.diagnostics, result.fix.code),
        `"${result.fix.title}" removed a ${result.fix.code} finding`,
      );
      // The edited buffer, analysed by the CLI, gives what Neovim shows after the fix.
      fs.writeFileSync(file, result.text! + '\n');
      assert.deepEqual(shown(result.after!).sort(), cliFindings(file).sort(), 'after the fix, Neovim agrees with the CLI on the edited text');
    });
  }

  it('offers the quick fix for a finding that follows non-ASCII text on its line (0.7 sends byte columns)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-nvim-'));
    workspaces.push(root);
    const file = path.join(root, 'nginx/conf.d/shop.conf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      [
        'server {',
        '    listen 443 ssl;',
        '    server_name shop.example.com;',
        '    ssl_certificate /etc/ssl/shop.crt;',
        '    ssl_certificate_key /etc/ssl/shop.key;',
        '    add_header X-Équipe "café crème"; ssl on;',
        '    location / { proxy_pass http://shop_app; }',
        '}',
        '',
      ].join('\n'),
    );
    const result = runNeovim(root, file, true, 'nginx/deprecated-ssl-on');
    assert.ok(result.diagnostics.some((d) => d.code === 'nginx/deprecated-ssl-on' && d.line === 5), 'the finding is shown on its line');
    assert.ok(result.fix, 'the preferred fix is offered although the client counts columns in bytes');
    assert.equal(result.fix.code, 'nginx/deprecated-ssl-on');
    assert.ok(!result.after!.some((d) => d.code === 'nginx/deprecated-ssl-on'), 'and applying it removes the finding');
    assert.ok(result.text!.includes('add_header X-Équipe "café crème";'), 'the text before it is untouched');
  });
});
