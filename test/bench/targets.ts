// Issue 14's targets beside what this run measured: one table at the end of `npm run bench`, built from
// the sections' JSON records (run.ts), so every figure is a ratio of samples taken in the same run.
// A target the run has no figure for says so ("—") rather than passing.

import { fmtMb, fmtMs, fmtRatio } from './measure';

interface Summary {
  medianMs?: number;
}
interface CoreRecord {
  lines?: number;
  parse?: Summary;
}
interface Latency {
  openMs?: number;
  p50?: number;
  peakRssMb?: number;
  edits?: number;
}
interface ServerRecord {
  lines?: number;
  prodready?: Latency;
  yamlLanguageServer?: Latency;
}
interface Section {
  core?: CoreRecord[];
  servers?: ServerRecord[];
}
interface EditorSection {
  scans?: { files: number; filesPerSecond: number }[];
}

export interface TargetRow {
  what: string;
  measured: string;
  target: string;
  yamlLanguageServer: string;
  met: boolean | undefined;
}

const finite = (x: number | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

function ratioRow(what: string, value: number | undefined, limit: number, yls: string, unit = '×'): TargetRow {
  return {
    what,
    measured: finite(value) ? (unit === '×' ? fmtRatio(value) : `${value.toFixed(0)} ${unit}`) : '—',
    target: unit === '×' ? `≤ ${limit}×` : `≥ ${limit} ${unit}`,
    yamlLanguageServer: yls,
    met: finite(value) ? (unit === '×' ? value <= limit : value >= limit) : undefined,
  };
}

/** Stack edit p50 limits against a bare parse, by size (issue 14): small files may cost a parse, big ones far less. */
function stackLimit(lines: number): number {
  return lines < 10_000 ? 1.0 : 0.3;
}

export function targetRows(report: { compose?: Section; helm?: Section; editor?: EditorSection }): TargetRow[] {
  const rows: TargetRow[] = [];
  const compose = report.compose ?? {};
  for (const [i, s] of (compose.servers ?? []).entries()) {
    const p = s.prodready;
    const y = s.yamlLanguageServer;
    const parse = compose.core?.[i]?.parse?.medianMs;
    const label = `stack ${(s.lines ?? 0).toLocaleString('en-US')} lines`;
    const yEdit = finite(y?.p50) ? fmtMs(y.p50) : '—';
    rows.push(ratioRow(`${label}: edit p50 / bare parse (${finite(p?.p50) ? fmtMs(p.p50) : '—'} / ${finite(parse) ? fmtMs(parse) : '—'})`, ratio(p?.p50, parse), stackLimit(s.lines ?? 0), yEdit));
    if ((s.lines ?? 0) < 10_000) rows.push(ratioRow(`${label}: edit p50 / yaml-language-server's`, ratio(p?.p50, y?.p50), 0.15, yEdit));
    const yOpen = finite(y?.openMs) ? fmtMs(y.openMs) : '—';
    rows.push(ratioRow(`${label}: open → diagnostics / yaml-language-server's (${finite(p?.openMs) ? fmtMs(p.openMs) : '—'})`, ratio(p?.openMs, y?.openMs), 0.5, yOpen));
    if (finite(parse)) rows.push(ratioRow(`${label}: open → diagnostics / (3 × parse + 100 ms)`, ratio(p?.openMs, 3 * parse + 100), 1, yOpen));
    rows.push(ratioRow(`${label}: peak RSS / yaml-language-server's (${finite(p?.peakRssMb) ? fmtMb(p.peakRssMb) : '—'})`, ratio(p?.peakRssMb, y?.peakRssMb), 1, finite(y?.peakRssMb) ? fmtMb(y.peakRssMb) : '—'));
  }
  const helm = report.helm ?? {};
  for (const [i, s] of (helm.servers ?? []).entries()) {
    if ((s.lines ?? 0) < 10_000 * 0.8) continue;
    const parse = helm.core?.[i]?.parse?.medianMs;
    const p = s.prodready;
    rows.push(ratioRow(`Helm ${(s.lines ?? 0).toLocaleString('en-US')} lines: edit p50 / bare parse (${finite(p?.p50) ? fmtMs(p.p50) : '—'})`, ratio(p?.p50, parse), 0.5, 'no schema for values'));
  }
  const scans = report.editor?.scans ?? [];
  const largest = scans[scans.length - 1];
  rows.push(ratioRow(`workspace scan, ${largest ? `${largest.files} files` : 'not run'}`, largest?.filesPerSecond, 300, '—', 'files/s'));
  return rows;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return finite(a) && finite(b) && b > 0 ? a / b : undefined;
}

/** The table, as lines. */
export function targetTable(rows: TargetRow[]): string[][] {
  return [
    ['target (issue 14)', 'measured', 'target', 'yaml-language-server', ''],
    ...rows.map((r) => [r.what, r.measured, r.target, r.yamlLanguageServer, r.met === undefined ? 'no figure' : r.met ? 'met' : 'NOT MET']),
  ];
}
