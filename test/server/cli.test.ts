// The command line as CI runs it: through the built bundle dist/cli.js, in a child process.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist/cli.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: REPO });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('prodready (CLI)', () => {
  it('--version prints the package version', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-v']) {
      const r = run(flag);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `prodready ${version}\n`);
    }
    assert.equal(run('check', '--version').stdout, `prodready ${version}\n`);
  });

  it('ends with a summary of files checked, skipped by reason, findings by severity and time', () => {
    const r = run('check', 'examples/helm/', 'examples/swarm/');
    assert.equal(r.status, 1);
    const last = r.stderr.trim().split('\n').pop()!;
    assert.match(last, /^prodready: 4 files checked, 1 skipped \(1 not a config\); 0 errors, \d+ warnings, \d+ information in \d+\.\d s$/);
    const warnings = r.stdout.split('\n').filter((l) => / warning /.test(l)).length;
    assert.ok(last.includes(`${warnings} warnings`), 'the counts are the printed findings');
    assert.equal(run('check', '--quiet', 'examples/helm/', 'examples/swarm/').stderr, '', '--quiet prints no summary');
  });

  it('gives JSON findings 1-based line and column beside the offsets', () => {
    const r = run('check', '--format', 'json', 'examples/nginx/nginx-before.conf');
    const [file] = JSON.parse(r.stdout) as { findings: { span: { start: number; end: number }; line: number; column: number; endLine: number; endColumn: number }[] }[];
    const text = fs.readFileSync(path.join(REPO, 'examples/nginx/nginx-before.conf'), 'utf8');
    assert.ok(file.findings.length > 0);
    for (const f of file.findings) {
      const before = text.slice(0, f.span.start).split('\n');
      assert.equal(f.line, before.length);
      assert.equal(f.column, before[before.length - 1].length + 1);
      const through = text.slice(0, f.span.end).split('\n');
      assert.equal(f.endLine, through.length);
      assert.equal(f.endColumn, through[through.length - 1].length + 1);
    }
  });

  it('says why a file cannot be read (ENOENT, EISDIR-like folders are walked, EACCES)', () => {
    const missing = run('check', path.join(tmp, 'missing.yml'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*missing\.yml: ENOENT \(no such file or folder\)/);
    if (process.getuid?.() !== 0) {
      const locked = path.join(tmp, 'locked-stack.yml');
      fs.writeFileSync(locked, 'services: {}\n');
      fs.chmodSync(locked, 0);
      assert.match(run('check', locked).stderr, /EACCES \(permission denied\)/);
    }
  });

  it('never skips silently: binary and too-large files are named, counted, and fail the run with --fail-on-skipped', () => {
    const binary = path.join(tmp, 'nginx.conf');
    fs.writeFileSync(binary, Buffer.from([0x68, 0x74, 0x00, 0x70]));
    const big = path.join(tmp, 'docker-stack.yml');
    fs.writeFileSync(big, 'services:\n  web:\n    image: nginx:1.27\n');
    const settings = path.join(tmp, 'settings.json');
    fs.writeFileSync(settings, JSON.stringify({ maxFileSize: 10 }));
    const r = run('check', '--settings', settings, binary, big);
    assert.equal(r.status, 0, 'skipped files alone do not fail the default gate');
    assert.match(r.stderr, /nginx\.conf: not checked: binary content/);
    assert.match(r.stderr, /docker-stack\.yml: not checked: larger than maxFileSize/);
    assert.match(r.stderr, /0 files checked, 2 skipped \(1 binary, 1 too large\)/);
    assert.equal(run('check', '--fail-on-skipped', '--settings', settings, binary, big).status, 1);
  });
});

describe('prodready check --fix', () => {
  function copyOfExamples(): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'fix-'));
    fs.cpSync(path.join(REPO, 'examples'), dir, { recursive: true });
    return dir;
  }
  const runIn = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const comments = (text: string) => text.split('\n').filter((l) => /(^|\s)#/.test(l)).map((l) => l.slice(l.search(/(^|\s)#/)).trim());

  it('applies the fixes, keeps comments and modes, leaves fewer findings, and changes nothing the second time', () => {
    const dir = copyOfExamples();
    const stack = path.join(dir, 'swarm/stack-before.yml');
    fs.chmodSync(stack, 0o640);
    const before = fs.readFileSync(stack, 'utf8');
    const warningsBefore = runIn(dir, '.').stdout.split('\n').filter((l) => / warning /.test(l)).length;
    const first = runIn(dir, '--fix', '.');
    assert.match(first.stderr, /swarm\/stack-before\.yml: \d+ fixes applied/);
    const after = fs.readFileSync(stack, 'utf8');
    assert.notEqual(after, before);
    assert.deepEqual(comments(after).filter((c) => comments(before).includes(c)), comments(before), 'every comment survives');
    assert.equal(fs.statSync(stack).mode & 0o777, 0o640, 'the mode is kept');
    const warningsAfter = first.stdout.split('\n').filter((l) => / warning /.test(l)).length;
    assert.ok(warningsAfter < warningsBefore, `${warningsAfter} < ${warningsBefore}`);
    const snapshot = fs.readFileSync(stack, 'utf8');
    const second = runIn(dir, '--fix', '.');
    assert.doesNotMatch(second.stderr, /fix(es)? applied/);
    assert.equal(fs.readFileSync(stack, 'utf8'), snapshot, 'a second --fix changes nothing');
  });

  it('--fix-dry-run prints a diff that patch -p1 applies to give what --fix writes', () => {
    const a = copyOfExamples();
    const b = copyOfExamples();
    const diff = runIn(a, '--fix-dry-run', '.').stdout;
    assert.match(diff, /^--- a\/.*\n\+\+\+ b\/.*\n@@ /);
    assert.equal(runIn(a, '.').status, 1, 'the dry run wrote nothing');
    const patched = spawnSync('patch', ['-p1', '-s'], { cwd: a, input: diff, encoding: 'utf8' });
    assert.equal(patched.status, 0, patched.stderr + patched.stdout);
    runIn(b, '--fix', '.');
    for (const rel of ['swarm/stack-before.yml', 'haproxy/haproxy-before.cfg', 'nginx/nginx-before.conf', 'helm/telemetry/values-before.yaml']) {
      assert.equal(fs.readFileSync(path.join(a, rel), 'utf8'), fs.readFileSync(path.join(b, rel), 'utf8'), rel);
    }
  });

  it('leaves a file with syntax errors alone', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'broken-'));
    const file = path.join(dir, 'docker-stack.yml');
    const text = 'services:\n  web:\n    image: nginx:latest\n    ports: ["80:80"\n';
    fs.writeFileSync(file, text);
    const r = runIn(dir, '--fix', 'docker-stack.yml');
    assert.match(r.stderr, /not fixed: it has syntax errors/);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });
});

describe('gates', () => {
  it('--fail-on and --max-warnings decide the exit status', () => {
    const prod = 'examples/swarm/stack-production.yml';
    const before = 'examples/swarm/stack-before.yml';
    assert.equal(run('check', prod).status, 0);
    assert.equal(run('check', before).status, 1);
    assert.equal(run('check', '--fail-on', 'error', before).status, 0, 'only warnings: passes a gate on errors');
    assert.equal(run('check', '--fail-on', 'never', before).status, 0);
    assert.equal(run('check', '--fail-on', 'information', 'examples/nginx/nginx-production.conf').status, 0);
    assert.equal(run('check', '--fail-on', 'error', '--max-warnings', '0', before).status, 1);
    assert.equal(run('check', '--fail-on', 'error', '--max-warnings', '1000', before).status, 0);
    assert.equal(run('check', '--fail-on', 'sometimes', before).status, 2);
  });
});

describe('baselines', () => {
  it('accept recorded findings across inserted lines, report new ones, and count entries that no longer occur', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'baseline-'));
    const file = path.join(dir, 'docker-stack.yml');
    const original = fs.readFileSync(path.join(REPO, 'examples/swarm/stack-before.yml'), 'utf8');
    fs.writeFileSync(file, original);
    const runIn = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd: dir });
    const written = runIn('--write-baseline', 'baseline.json', 'docker-stack.yml');
    const recorded = (JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { findings: { line?: number }[] }).findings;
    assert.ok(recorded.length > 10);
    assert.ok(recorded.every((e) => e.line === undefined), 'no line numbers in the baseline');
    assert.match(written.stderr, new RegExp(`${recorded.length} findings recorded in baseline\\.json`));

    fs.writeFileSync(file, `# owned by the platform team\n# deployed with docker stack deploy\n${original}`);
    const same = runIn('--baseline', 'baseline.json', 'docker-stack.yml');
    assert.equal(same.status, 0, same.stdout);
    assert.equal(same.stdout, '');
    assert.match(same.stderr, new RegExp(`${recorded.length} baselined in`));

    fs.writeFileSync(file, `# header\n${original.replace('postgres:16.4', 'postgres:latest').replace('- /srv/pgdata:', '- pgdata:')}`);
    const changed = runIn('--baseline', 'baseline.json', 'docker-stack.yml');
    assert.equal(changed.status, 1);
    assert.deepEqual(changed.stdout.trim().split('\n').map((l) => l.split(' ')[2]), ['compose/image-tag'], 'only the new finding is reported');
    assert.match(changed.stderr, /1 baseline entry no longer found \(refresh with --write-baseline\)/);

    const sarif = JSON.parse(runIn('--baseline', 'baseline.json', '--format', 'sarif', 'docker-stack.yml').stdout) as { runs: { results: { suppressions?: { kind: string }[] }[] }[] };
    const results = sarif.runs[0].results;
    assert.equal(results.filter((r) => r.suppressions?.[0]?.kind === 'external').length, recorded.length - 1, 'baselined findings are listed as suppressed in SARIF');
    assert.equal(results.filter((r) => !r.suppressions).length, 1);
  });

  it('refuses a file that is not a baseline', () => {
    const bad = path.join(tmp, 'not-a-baseline.json');
    fs.writeFileSync(bad, '{"findings": 3}');
    const r = run('check', '--baseline', bad, 'examples/swarm/stack-production.yml');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read the baseline .*: not a prodready baseline/);
  });
});

describe('the project configuration (.prodready.yaml)', () => {
  function repo(config: string | undefined, name = '.prodready.yaml'): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'repo-'));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'deploy/old'), { recursive: true });
    const stack = fs.readFileSync(path.join(REPO, 'examples/swarm/stack-before.yml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'deploy/docker-stack.yml'), stack);
    fs.writeFileSync(path.join(dir, 'deploy/old/docker-stack.yml'), stack);
    if (config !== undefined) fs.writeFileSync(path.join(dir, name), config);
    return dir;
  }
  const runIn = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const rulesOf = (stdout: string) => new Set(stdout.trim().split('\n').filter(Boolean).map((l) => `${l.split(' ')[1]} ${l.split(' ')[2]}`));

  it('is found from the checked file up to the repository root, and its rules, excludes and settings apply', () => {
    const dir = repo('rules:\n  compose/no-healthcheck: "off"\n  compose/manager-placement: information\nexclude: ["deploy/old/**"]\n');
    const r = runIn(path.join(dir, 'deploy'), '.');
    const rules = rulesOf(r.stdout);
    assert.ok(!rules.has('information compose/no-healthcheck'), 'a rule turned off');
    assert.ok(rules.has('information compose/manager-placement') && !rules.has('warning compose/manager-placement'), 'a severity changed');
    assert.ok(!r.stdout.includes('old/'), 'excluded files are not checked');
    for (const name of ['.prodready.yml', '.prodready.json']) {
      const other = repo(name.endsWith('json') ? '{"rules": {"compose/no-healthcheck": "off"}}' : 'rules: {compose/no-healthcheck: "off"}\n', name);
      assert.ok(!runIn(other, 'deploy/docker-stack.yml').stdout.includes('compose/no-healthcheck'), name);
    }
  });

  it('stops at the repository root, and --settings and --config override it', () => {
    const outer = repo(undefined);
    fs.writeFileSync(path.join(path.dirname(outer), '.prodready.yaml'), 'rules: {compose/no-healthcheck: "off"}\n');
    try {
      assert.ok(runIn(outer, '.').stdout.includes('compose/no-healthcheck'), 'a file above the repository root does not apply');
    } finally {
      fs.rmSync(path.join(path.dirname(outer), '.prodready.yaml'));
    }
    const dir = repo('rules: {compose/no-healthcheck: "off"}\nminReplicas: 2\n');
    const settings = path.join(dir, 'mine.json');
    fs.writeFileSync(settings, JSON.stringify({ rules: { 'compose/no-healthcheck': 'warning' } }));
    assert.ok(rulesOf(runIn(dir, '--settings', settings, 'deploy/docker-stack.yml').stdout).has('warning compose/no-healthcheck'), '--settings wins over the team file');
    const alt = path.join(dir, 'ci.prodready.yaml');
    fs.writeFileSync(alt, 'rules: {compose/no-healthcheck: error}\n');
    assert.ok(rulesOf(runIn(dir, '--config', alt, 'deploy/docker-stack.yml').stdout).has('error compose/no-healthcheck'), '--config replaces discovery');
  });

  it('rejects an invalid file with exit 2, naming the file, the line and the key', () => {
    const cases: [string, RegExp][] = [
      ['rules:\n  compose/no-healthcheck: sometimes\n', /\.prodready\.yaml:2: "rules\.compose\/no-healthcheck" must be one of "off", "information", "warning", "error"/],
      ['minReplicas: 2\nminReplica: 3\n', /\.prodready\.yaml:2: "minReplica" is not a prodready setting/],
      ['rules: [\n', /\.prodready\.yaml:\d+: not valid YAML/],
    ];
    for (const [config, message] of cases) {
      const r = runIn(repo(config), 'deploy/docker-stack.yml');
      assert.equal(r.status, 2, config);
      assert.match(r.stderr, message);
    }
  });

  it('names a baseline that applies to runs started in its folder', () => {
    const dir = repo('baseline: ci/baseline.json\n');
    fs.mkdirSync(path.join(dir, 'ci'));
    runIn(dir, '--write-baseline', 'ci/baseline.json', 'deploy/docker-stack.yml');
    const r = runIn(dir, 'deploy/docker-stack.yml');
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stderr, /\d+ baselined/);
  });
});

describe('walking folders', () => {
  it('honours .gitignore files (the repository root and nested ones), but checks a file named explicitly', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'gitignore-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const stack = fs.readFileSync(path.join(REPO, 'examples/swarm/stack-before.yml'), 'utf8');
    for (const rel of ['deploy/docker-stack.yml', 'generated/docker-stack.yml', 'deploy/scratch/docker-stack.yml', 'deploy/local.stack.yml']) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), stack);
    }
    fs.writeFileSync(path.join(dir, '.gitignore'), 'generated/\n');
    fs.writeFileSync(path.join(dir, 'deploy/.gitignore'), 'scratch/\nlocal.*\n');
    const files = (args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd: dir });
      return [...new Set(r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(':')[0]))].sort();
    };
    assert.deepEqual(files(['.']), ['deploy/docker-stack.yml']);
    assert.deepEqual(files(['deploy']), ['deploy/docker-stack.yml'], 'the root .gitignore applies to a walked subfolder too');
    assert.deepEqual(files(['generated/docker-stack.yml']), ['generated/docker-stack.yml']);
  });
});
