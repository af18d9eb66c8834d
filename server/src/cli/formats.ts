// The CLI's machine-readable outputs besides JSON: SARIF 2.1.0 (GitHub code scanning and most security
// dashboards), GitHub Actions workflow commands (annotations on the pull request), and JUnit XML
// (GitLab, Jenkins). Pure functions from the checked files to text.

import { ruleMeta } from '../core/catalog';
import { docsPath } from '../core/docs';
import { fingerprints } from './fingerprints';
import { LineIndex } from '../core/text';
import { AnalysisResult, Finding, Severity } from '../core/types';

export interface CheckedFile {
  /** The path as given or walked (what text output prints). */
  file: string;
  /** Relative to the run's root, '/'-separated (what SARIF and annotations use). */
  rel: string;
  text: string;
  result: AnalysisResult;
  /**
   * Findings left out because the baseline accepts them (SARIF lists them as suppressed, kind `external`;
   * those a comment disables, in `result.suppressed`, as kind `inSource`).
   */
  baselined?: Finding[];
}

export interface FormatOptions {
  /** Absolute path of the folder findings are reported relative to (SARIF's %SRCROOT%). */
  root: string;
  version: string;
  /** Where the rule pages are published (SARIF helpUri). */
  docsBaseUri: string;
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function regionOf(lines: LineIndex, start: number, end: number): Region {
  const a = lines.position(start);
  const b = lines.position(end);
  return { startLine: a.line + 1, startColumn: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(files: CheckedFile[], o: FormatOptions): string {
  const ruleIds: string[] = [];
  for (const { result, baselined } of files) {
    for (const f of [...result.findings, ...(baselined ?? []), ...(result.suppressed ?? [])]) if (!ruleIds.includes(f.ruleId)) ruleIds.push(f.ruleId);
    for (const id of result.passed) if (!ruleIds.includes(id)) ruleIds.push(id);
  }
  ruleIds.sort();
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const meta = ruleMeta(id);
    return {
      id,
      shortDescription: { text: meta?.description ?? id },
      helpUri: `${o.docsBaseUri}${docsPath(id)}`,
      defaultConfiguration: { level: SARIF_LEVEL[meta?.defaultSeverity ?? 'warning'] },
      properties: { tags: [meta?.category ?? 'correctness'] },
    };
  });
  const results = files.flatMap(({ rel, text, result, baselined }) => {
    const lines = new LineIndex(text);
    const artifactLocation = { uri: encodeURI(rel), uriBaseId: '%SRCROOT%' };
    const accepted = new Set(baselined ?? []);
    const inSource = new Set(result.suppressed ?? []);
    // Counted apart, so a finding's fingerprint is the one its baseline entry has, whatever is disabled.
    const prints = new Map([...fingerprints(rel, text, [...result.findings, ...accepted]), ...fingerprints(rel, text, [...inSource])]);
    const all = [...result.findings, ...accepted, ...inSource].sort((a, b) => a.span.start - b.span.start);
    return all.map((f) => {
      const repairs = f.fixes.filter((x) => !x.suppression && x.changes.length > 0);
      return {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId)!,
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation, region: regionOf(lines, f.span.start, f.span.end) } }],
        partialFingerprints: { 'prodready/v1': prints.get(f)! },
        ...(accepted.has(f) ? { suppressions: [{ kind: 'external', justification: 'accepted in the baseline file' }] } : {}),
        ...(inSource.has(f) ? { suppressions: [{ kind: 'inSource', justification: 'a prodready-disable comment in the file' }] } : {}),
        ...(repairs.length
          ? {
              fixes: repairs.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [
                  {
                    artifactLocation,
                    replacements: fix.changes.map((c) => ({ deletedRegion: regionOf(lines, c.start, c.end), insertedContent: { text: c.newText } })),
                  },
                ],
              })),
            }
          : {}),
      };
    });
  });
  const rootUri = `file://${encodeURI(o.root.endsWith('/') ? o.root : `${o.root}/`)}`;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'prodready', version: o.version, informationUri: `${o.docsBaseUri}README.md`, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** GitHub Actions workflow command properties and messages have their own escapes. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

export function toGithub(files: CheckedFile[]): string {
  let out = '';
  for (const { rel, text, result } of files) {
    const lines = new LineIndex(text);
    for (const f of result.findings) {
      const r = regionOf(lines, f.span.start, f.span.end);
      const props = `file=${escapeProperty(rel)},line=${r.startLine},col=${r.startColumn},endLine=${r.endLine},endColumn=${r.endColumn},title=${escapeProperty(f.ruleId)}`;
      out += `::${GITHUB_COMMAND[f.severity]} ${props}::${escapeData(f.message)}\n`;
    }
  }
  return out;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** One testsuite per checked file, one testcase per rule that ran on it; a finding is a failure. */
export function toJunit(files: CheckedFile[]): string {
  let tests = 0;
  let failures = 0;
  const suites = files
    .filter(({ result }) => !result.skipped)
    .map(({ rel, text, result }) => {
      const lines = new LineIndex(text);
      const byRule = new Map<string, Finding[]>();
      for (const f of result.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
      const ids = [...new Set([...result.passed, ...byRule.keys()])].sort();
      const cases = ids.map((id) => {
        const found = byRule.get(id) ?? [];
        const body = found
          .map((f) => {
            const r = regionOf(lines, f.span.start, f.span.end);
            return `      <failure type="${f.severity}" message="${xml(f.message)}">${xml(`${rel}:${r.startLine}:${r.startColumn} ${f.severity} ${f.ruleId} ${f.message}`)}</failure>\n`;
          })
          .join('');
        return `    <testcase classname="${xml(rel)}" name="${xml(id)}"${body ? `>\n${body}    </testcase>` : ' />'}\n`;
      });
      const failed = ids.filter((id) => byRule.has(id)).length;
      tests += ids.length;
      failures += failed;
      return `  <testsuite name="${xml(rel)}" tests="${ids.length}" failures="${failed}" errors="0" skipped="0">\n${cases.join('')}  </testsuite>\n`;
    });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="prodready" tests="${tests}" failures="${failures}">\n${suites.join('')}</testsuites>\n`;
}
