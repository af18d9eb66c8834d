// Shared by every rule test: fixtures with inline expectations, and the fix round-trip property.
//
// A fixture lives in test/fixtures/rules/<namespace>/<rule>[.<variant>].<ext>, e.g.
// test/fixtures/rules/compose/bind-mount.long-syntax.yml for rule compose/bind-mount. Each line on
// which a finding of that rule must start carries a trailing marker comment:
//     - ./data:/data        # expect: compose/bind-mount
// and a line may list several ids (`# expect: a/b, a/c`); `# expect-next-line: id` on a line of its own
// marks the line below it. Findings of other rules are ignored unless the
// header line `# fixture: rules=all` is present. Other header options (first lines only):
//     # fixture: path=/srv/app/docker-stack.yml kind=compose swarm=true settings={"minReplicas":3}
// When <fixture>.fixed.<ext> exists beside it, the core's Fix All loop (the server's), limited to the
// compared rules, must produce exactly that text.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analyze';
import { fixAll } from '../../server/src/core/fixAll';
import { applyChanges, LineIndex } from '../../server/src/core/text';
import { kindOfNamespace } from '../../server/src/core/catalog';
import { AnalysisInput, AnalysisResult, FileKind, Finding, Fix, Settings } from '../../server/src/core/types';

export const REPO = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/rules');

export interface Fixture {
  file: string;
  text: string;
  input: AnalysisInput;
  /** Rule ids compared, or undefined for all. */
  rules?: Set<string>;
  /** `line:ruleId` expectations, zero-based lines. */
  expected: string[];
}


export function loadFixture(file: string, files?: AnalysisInput['files']): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const ns = path.basename(path.dirname(file));
  const rule = `${ns}/${path.basename(file).split('.')[0]}`;
  const header = /^[ \t]*#[ \t]*fixture:(.*)$/m.exec(text.split('\n').slice(0, 5).join('\n'))?.[1] ?? '';
  const opt = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\{.*\\}|\\S+)`).exec(header)?.[1];
  const settings = opt('settings') ? (JSON.parse(opt('settings')!) as Partial<Settings>) : undefined;
  const input: AnalysisInput = {
    text,
    path: resolveFixturePath(file, opt('path')),
    kind: (opt('kind') as FileKind | undefined) ?? kindOfNamespace(ns),
    // `swarm=true|false`: the compose fixtures' shorthand for forcing the variant either way.
    variant: opt('swarm') === undefined ? undefined : opt('swarm') === 'true' ? 'swarm-stack' : null,
    settings,
    files,
  };
  const expected: string[] = [];
  text.split('\n').forEach((line, i) => {
    // `# expect-next-line: id` on a line of its own, for findings whose fix removes their line (a
    // trailing marker would be a comment the fix must keep, so it would rightly offer no fix).
    const m = /#[ \t]*expect(-next-line)?:[ \t]*([^#\r\n]+)/.exec(line);
    if (m) for (const id of m[2].split(/[,\s]+/).filter(Boolean)) expected.push(`${m[1] ? i + 1 : i}:${id}`);
  });
  return { file, text, input, rules: opt('rules') === 'all' ? undefined : new Set([rule]), expected };
}

/** `path=./chart/values.yaml` is relative to the fixture's folder; absolute paths are taken as they are. */
function resolveFixturePath(file: string, given: string | undefined): string {
  if (!given) return `/fixtures/${path.basename(file)}`;
  return given.startsWith('.') ? path.resolve(path.dirname(file), given).split(path.sep).join('/') : given;
}

/** Whether the fixture compares this finding's rule. */
export function isCompared(f: Fixture, finding: Finding): boolean {
  return !f.rules || f.rules.has(finding.ruleId);
}

export function relevant(f: Fixture, r: AnalysisResult): Finding[] {
  return r.findings.filter((x) => isCompared(f, x));
}

export function actualMarkers(f: Fixture, r: AnalysisResult): string[] {
  const lines = new LineIndex(f.text);
  return relevant(f, r).map((x) => `${lines.lineAt(x.span.start)}:${x.ruleId}`);
}

export function sortedCounts(items: string[]): string[] {
  return [...items].sort();
}

/** Comments in the text, counted the same way for YAML, NGINX and HAProxy: `#` at a line start or after white space, outside quotes. */
export function commentCount(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    const unquoted = line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    if (/(^|\s)#/.test(unquoted)) n++;
  }
  return n;
}

const SYNTAX_RULES = new Set(['yaml/syntax', 'nginx/syntax', 'haproxy/syntax']);

/**
 * The fix round-trip property: after applying the fix and re-analysing, the finding is gone, the file
 * still parses (no new syntax findings), every comment survives, findings of other rules are the same
 * (by rule id), and each change touches only what it must (no change swallows a comment).
 */
export function assertFixRoundTrip(f: Fixture, finding: Finding, fix: Fix, before: AnalysisResult): string {
  const after = applyChanges(f.text, fix.changes);
  assert.notEqual(after, f.text, `fix "${fix.title}" changes nothing`);
  for (const c of fix.changes) {
    const replaced = f.text.slice(c.start, c.end);
    // A comment may leave with what it annotates (an entry moved elsewhere) if the fix writes it again.
    const comment = replaced.slice(replaced.indexOf('#')).trimEnd();
    assert.ok(commentCount(replaced) === 0 || fix.changes.some((x) => x.newText.includes(comment)), `fix "${fix.title}" replaces a comment: ${JSON.stringify(replaced)}`);
  }
  const result = analyze({ ...f.input, text: after });
  const count = (r: AnalysisResult, pred: (x: Finding) => boolean) => r.findings.filter(pred).length;
  assert.ok(
    count(result, (x) => x.ruleId === finding.ruleId) < count(before, (x) => x.ruleId === finding.ruleId),
    `fix "${fix.title}" did not remove its ${finding.ruleId} finding:\n${after}`,
  );
  assert.equal(
    count(result, (x) => SYNTAX_RULES.has(x.ruleId)),
    count(before, (x) => SYNTAX_RULES.has(x.ruleId)),
    `fix "${fix.title}" broke the syntax:\n${after}`,
  );
  assert.equal(commentCount(after), commentCount(f.text), `fix "${fix.title}" lost or added a comment:\n${after}`);
  const others = (r: AnalysisResult) => sortedCounts(r.findings.filter((x) => x.ruleId !== finding.ruleId && x.severity !== 'information').map((x) => x.ruleId));
  assert.deepEqual(others(result), others(before), `fix "${fix.title}" changed other rules' warnings:\n${after}`);
  return after;
}

/**
 * "Fix All" on a fixture: the core's own loop (the one the server runs) over the fixture's input,
 * limited to the compared rules — a rule's `.fixed` file shows that rule's fixes, whatever other rules
 * would add.
 */
export async function fixAllOf(f: Fixture): Promise<string> {
  const outcome = await fixAll(f.text, (text) => analyze({ ...f.input, text }), { only: (x) => isCompared(f, x) });
  assert.ok(outcome.complete, `fix all did not converge on ${f.file}`);
  return outcome.text;
}

export function fixtureFiles(namespace: string): string[] {
  const dir = path.join(FIXTURES, namespace);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => !n.includes('.fixed.') && !n.startsWith('_'))
    .map((n) => path.join(dir, n));
}

export function fixedFileFor(file: string): string {
  const ext = path.extname(file);
  return file.slice(0, -ext.length) + '.fixed' + ext;
}
