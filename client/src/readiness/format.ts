// Words and icons for readiness data, shared by the sidebar and the status bar.

import * as vscode from 'vscode';
import type { Category, FileReadiness, Severity, SkipReason } from '../../../common/protocol';

export type SeverityCounts = Record<Severity, number>;

export const CATEGORIES: readonly Category[] = ['encryption', 'availability', 'data', 'secrets', 'operability', 'correctness'];

export const CATEGORY_LABELS: Record<Category, string> = {
  encryption: 'Encryption',
  availability: 'Availability',
  data: 'Data',
  secrets: 'Secrets',
  operability: 'Operability',
  correctness: 'Correctness',
};

const CATEGORY_ICONS: Record<Category, string> = {
  encryption: 'lock',
  availability: 'pulse',
  data: 'database',
  secrets: 'key',
  operability: 'tools',
  correctness: 'check-all',
};

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
const SEVERITY_WORDS: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  information: ['info', 'infos'],
  hint: ['hint', 'hints'],
};
const SEVERITY_ICONS: Record<Severity, [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  information: ['info', 'problemsInfoIcon.foreground'],
  hint: ['lightbulb', 'problemsInfoIcon.foreground'],
};

export const SKIP_REASONS: Record<SkipReason, string> = {
  'not-a-config': 'not a deployment config',
  'non-production': 'named for a non-production environment',
  'too-large': 'larger than prodready.maxFileSize',
  excluded: 'excluded by prodready.exclude, files.exclude or prodready.files',
  binary: 'binary content',
  dependency: "a subchart's files: a dependency of its chart, read with its environments, never reported on",
};

export function emptyCounts(): SeverityCounts {
  return { error: 0, warning: 0, information: 0, hint: 0 };
}

export function countFindings(findings: readonly { severity: Severity }[]): SeverityCounts {
  const counts = emptyCounts();
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** `1 error · 3 warnings`; empty when there is nothing to count. */
export function countsText(counts: SeverityCounts, separator = ' · '): string {
  return SEVERITY_ORDER.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${SEVERITY_WORDS[s][counts[s] === 1 ? 0 : 1]}`)
    .join(separator);
}

export function worstSeverity(counts: SeverityCounts): Severity | undefined {
  return SEVERITY_ORDER.find((s) => counts[s] > 0);
}

export function severityIcon(severity: Severity): vscode.ThemeIcon {
  const [id, color] = SEVERITY_ICONS[severity];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

export function passedIcon(): vscode.ThemeIcon {
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}

/** The kind's icon, coloured by the worst finding (green when every check passed). */
export function kindIcon(file: FileReadiness): vscode.ThemeIcon {
  const id = file.skipped ? 'circle-slash' : file.icon ?? 'file';
  if (file.skipped) return new vscode.ThemeIcon(id, new vscode.ThemeColor('disabledForeground'));
  const worst = worstSeverity(countFindings(file.findings));
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(worst ? SEVERITY_ICONS[worst][1] : 'testing.iconPassed'));
}

export function categoryIcon(category: Category, worst: Severity | undefined): vscode.ThemeIcon {
  return new vscode.ThemeIcon(CATEGORY_ICONS[category], new vscode.ThemeColor(worst ? SEVERITY_ICONS[worst][1] : 'testing.iconPassed'));
}

export function kindLabel(file: Pick<FileReadiness, 'label'>): string {
  return file.label ?? 'configuration';
}

/** `3 warnings · 82%`, `ready · 100%`, or why the file was skipped. */
export function fileDescription(file: FileReadiness): string {
  if (file.skipped) return `skipped: ${SKIP_REASONS[file.skipped]}`;
  const counts = countsText(countFindings(file.findings));
  const score = file.score === undefined ? undefined : `${file.score}%`;
  return [counts || 'ready', score].filter(Boolean).join(' · ');
}

/** The rules that failed (a rule with several findings counts once) and the applicable rules. */
export function tally(file: FileReadiness): { passed: number; applicable: number } {
  const failed = new Set(file.findings.map((f) => f.ruleId));
  return { passed: file.passed.length, applicable: file.passed.length + failed.size };
}

/** A finding's headline: its first sentence (the rest, the production reason, goes in the tooltip). */
export function headline(message: string): string {
  const first = /^(.+?[.!?:])(\s|$)/.exec(message)?.[1] ?? message;
  const trimmed = first.replace(/[.:]$/, '');
  return trimmed.length > 140 ? `${trimmed.slice(0, 139)}…` : trimmed;
}

/** The diagnostic code as a string (VS Code wraps it in `{value, target}` when it has a docs link). */
export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}
