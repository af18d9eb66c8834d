// The active editor's readiness in the status bar: `$(shield) 2 warnings`, `$(pass) ready`, or why the
// file is not checked. Read from the cached report, or from the editor's prodready diagnostics while
// the report does not list the file yet. Clicking it shows the file in the Readiness sidebar.

import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../common/protocol';
import { countFindings, countsText, emptyCounts, SKIP_REASONS, SeverityCounts, tally } from './readiness/format';
import { ReadinessModel } from './readiness/model';

export const REVEAL_COMMAND = 'prodready.revealInSidebar';

export interface StatusSnapshot {
  visible: boolean;
  text: string;
  tooltip: string;
  /** The file it describes. */
  uri?: string;
}

const SEVERITY: Record<vscode.DiagnosticSeverity, keyof SeverityCounts> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export class ReadinessStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<StatusSnapshot>();
  private state: StatusSnapshot = { visible: false, text: '', tooltip: '' };

  /** Fires whenever the text, tooltip or visibility changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly model: ReadinessModel) {
    this.item = vscode.window.createStatusBarItem('prodready.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Prod Readiness';
    this.disposables.push(
      this.item,
      this.emitter,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      model.onDidChange(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const uri = vscode.window.activeTextEditor?.document.uri.toString();
        if (uri && e.uris.some((u) => u.toString() === uri)) this.update();
      }),
    );
    this.update();
  }

  get snapshot(): StatusSnapshot {
    return { ...this.state };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  update(): void {
    const next = this.compute(vscode.window.activeTextEditor?.document.uri);
    if (next.visible) {
      this.item.text = next.text;
      this.item.tooltip = next.tooltip;
      this.item.command = { command: REVEAL_COMMAND, title: 'Show in Readiness Sidebar', arguments: [next.uri] };
      this.item.show();
    } else this.item.hide();
    if (next.visible !== this.state.visible || next.text !== this.state.text || next.tooltip !== this.state.tooltip || next.uri !== this.state.uri) {
      this.state = next;
      this.emitter.fire(this.snapshot);
    }
  }

  private compute(uri: vscode.Uri | undefined): StatusSnapshot {
    const hidden: StatusSnapshot = { visible: false, text: '', tooltip: '' };
    if (!uri) return hidden;
    const key = uri.toString();
    const file = this.model.file(key);
    if (file?.skipped) {
      return { visible: true, uri: key, text: '$(circle-slash) not checked', tooltip: `Prod Readiness: not checked (${SKIP_REASONS[file.skipped]}). Click to show it in the Readiness sidebar.` };
    }
    let counts: SeverityCounts;
    let detail = '';
    if (file) {
      counts = countFindings(file.findings);
      const { passed, applicable } = tally(file);
      detail = ` ${passed} of ${applicable} checks passed${file.score === undefined ? '' : ` (${file.score}%)`}.`;
    } else {
      // Not in the report yet (the scan has not reached it): the diagnostics say as much as is known.
      const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
      if (diagnostics.length === 0) return hidden;
      counts = emptyCounts();
      for (const d of diagnostics) counts[SEVERITY[d.severity]]++;
    }
    const summary = countsText(counts);
    if (!summary) {
      return { visible: true, uri: key, text: '$(pass) ready', tooltip: `Prod Readiness: no findings.${detail} Click to show it in the Readiness sidebar.` };
    }
    return { visible: true, uri: key, text: `$(shield) ${summary}`, tooltip: `Prod Readiness: ${countsText(counts, ', ')}.${detail} Click to show it in the Readiness sidebar.` };
  }
}
