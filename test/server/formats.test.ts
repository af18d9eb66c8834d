// The CI outputs through the built CLI: SARIF that validates against the SARIF 2.1.0 schema (shipped by
// @microsoft/jest-sarif, a dev dependency) with fingerprints that survive inserted lines, GitHub
// workflow commands that parse back to the findings, and well-formed JUnit XML.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist/cli.js');
const SARIF_SCHEMA = path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-formats-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string }[];
  fixes?: { artifactChanges: { replacements: unknown[] }[] }[];
}

function sarif(cwd: string, ...paths: string[]): { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: SarifResult[] }[] } {
  const r = run(cwd, '--format', 'sarif', ...paths);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout);
}

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8'));
  // The schema is draft-04 (`id`); its keywords are otherwise the ones draft-07 validators read.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  return new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
}

describe('--format sarif', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const log = sarif(REPO, 'examples/');
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const broken = structuredClone(log) as { runs: { results: { level: string }[] }[] };
    broken.runs[0].results[0].level = 'loud';
    assert.equal(validate(broken), false, 'the schema does catch an invalid log');
  });

  it('lists each rule that ran once, and points every result at its rule, file and 1-based region', () => {
    const log = sarif(REPO, 'examples/');
    const { rules } = log.runs[0].tool.driver;
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
    assert.ok(rules.every((r) => r.helpUri.endsWith(`docs/rules/${r.id}.md`)));
    const results = log.runs[0].results;
    assert.ok(results.length > 20);
    for (const r of results) {
      assert.equal(rules[r.ruleIndex].id, r.ruleId);
      const loc = r.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(fs.existsSync(path.join(REPO, decodeURI(loc.artifactLocation.uri))), loc.artifactLocation.uri);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
    assert.ok(results.some((r) => r.fixes && r.fixes[0].artifactChanges[0].replacements.length > 0), 'fixable findings carry SARIF fixes');
  });

  it('keeps fingerprints when lines are inserted above the findings', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'fp-'));
    const file = path.join(dir, 'docker-stack.yml');
    const original = fs.readFileSync(path.join(REPO, 'examples/swarm/stack-before.yml'), 'utf8');
    fs.writeFileSync(file, original);
    const before = sarif(dir, 'docker-stack.yml').runs[0].results.map((r) => r.partialFingerprints['prodready/v1']);
    fs.writeFileSync(file, `# a new header\n# spanning two lines\n${original}`);
    const after = sarif(dir, 'docker-stack.yml').runs[0].results.map((r) => r.partialFingerprints['prodready/v1']);
    assert.equal(new Set(before).size, before.length, 'fingerprints are distinct');
    assert.deepEqual(after, before);
  });
});

describe('findings a prodready-disable comment silences', () => {
  const silenced = 'services:\n  web:\n    # prodready-disable-next-line compose/image-tag\n    image: nginx:latest\n  api:\n    image: api:latest\n';
  const dir = fs.mkdtempSync(path.join(tmp, 'in-source-'));
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), silenced);
  // The same file with only the silenced finding: what the gate sees must be what it sees with none.
  fs.writeFileSync(path.join(dir, 'alone-compose.yml'), silenced.replace(/  api:\n.*\n$/, ''));
  fs.writeFileSync(path.join(dir, 'none-compose.yml'), silenced.replace(/  api:\n.*\n$/, '').replace(/    # prodready.*\n/, '').replace('nginx:latest', 'nginx:1.27.3'));

  it('are listed in SARIF with an inSource suppression, and the log still validates', () => {
    const log = sarif(dir, 'docker-compose.yml');
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const tags = log.runs[0].results.filter((r) => r.ruleId === 'compose/image-tag');
    assert.deepEqual(
      tags.map((r) => [r.locations[0].physicalLocation.region.startLine, r.suppressions?.map((x) => x.kind)]),
      [
        [4, ['inSource']],
        [6, undefined],
      ],
    );
    const { rules } = log.runs[0].tool.driver;
    assert.equal(rules[tags[0].ruleIndex].id, 'compose/image-tag');
    assert.notEqual(tags[0].partialFingerprints['prodready/v1'], undefined);
  });

  it('are not findings: not printed, not counted, and no gate fails on them', () => {
    const alone = run(dir, 'alone-compose.yml');
    const none = run(dir, 'none-compose.yml');
    assert.equal(alone.status, 0, alone.stdout);
    assert.doesNotMatch(alone.stdout, /image-tag/);
    const counts = (stderr: string) => /; (.*) in \d/.exec(stderr)?.[1];
    assert.equal(counts(alone.stderr), counts(none.stderr), 'the same summary as the file without the finding');
    assert.equal(run(dir, '--max-warnings', '0', 'alone-compose.yml').status, 0);
    assert.equal(run(dir, '--fail-on', 'warning', 'docker-compose.yml').status, 1, 'the other image tag still fails');
    const json = JSON.parse(run(dir, '--format', 'json', 'alone-compose.yml').stdout) as Record<string, unknown>[];
    assert.equal('suppressed' in json[0], false, 'the JSON report is unchanged');
  });
});

describe('--format github', () => {
  it('prints one workflow command per finding that parses back to it', () => {
    const r = run(REPO, '--format', 'github', 'examples/nginx/nginx-before.conf');
    const json = JSON.parse(run(REPO, '--format', 'json', 'examples/nginx/nginx-before.conf').stdout) as { findings: { ruleId: string; line: number; column: number; message: string; severity: string }[] }[];
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, json[0].findings.length);
    lines.forEach((l, i) => {
      const m = /^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^:]+)::(.*)$/.exec(l);
      assert.ok(m, l);
      const f = json[0].findings[i];
      assert.equal(m[1], f.severity === 'information' ? 'notice' : f.severity);
      assert.equal(m[2], 'examples/nginx/nginx-before.conf');
      assert.equal(Number(m[3]), f.line);
      assert.equal(Number(m[4]), f.column);
      assert.equal(m[7].replace(/%2F/g, '/'), f.ruleId);
      assert.equal(m[8].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'), f.message);
    });
  });
});

describe('--format junit', () => {
  it('writes one testsuite per file and one testcase per rule that ran, findings as failures', () => {
    const out = path.join(tmp, 'report.xml');
    const r = run(REPO, '--format', 'junit', '--output', out, 'examples/haproxy/');
    assert.equal(r.stdout, '', 'the report goes to --output');
    const xml = fs.readFileSync(out, 'utf8');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)"/g)];
    assert.deepEqual(suites.map((s) => s[1]), ['examples/haproxy/haproxy-before.cfg', 'examples/haproxy/haproxy-production.cfg']);
    assert.equal(suites[1][3], '0', 'the production config passes');
    assert.ok(Number(suites[0][3]) > 0);
    // Well-formed: every opened element is closed, in order.
    const stack: string[] = [];
    for (const tag of xml.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (tag[3]) continue;
      if (tag[1]) assert.equal(stack.pop(), tag[2]);
      else stack.push(tag[2]);
    }
    assert.deepEqual(stack, []);
  });
});
