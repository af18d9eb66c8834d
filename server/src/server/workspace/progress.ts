// Progress of a scan (or of a large batch of changes): `n/m files`, reported only when the percentage
// grows, with a cancel button. The scanner sees only ScanProgress; the LSP form is WorkDoneProgress.

import { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';

export interface ScanProgress {
  report(done: number, total: number): void;
  done(): void;
}

/** Starts showing progress; `onCancel` runs when the user cancels it. */
export type ProgressFactory = (onCancel: () => void) => ScanProgress;

/** The window/workDoneProgress notifications of one scan: begin, a report whenever the percentage grows, end. */
export class WorkDoneProgress implements ScanProgress {
  private readonly reporter: Promise<WorkDoneProgressServerReporter | undefined>;
  private percentage = 0;
  private ended = false;

  constructor(connection: Connection, onCancel: () => void) {
    this.reporter = connection.window
      .createWorkDoneProgress()
      .then((r) => {
        r.begin('Prod Readiness', 0, 'Looking for deployment configs…', true);
        r.token.onCancellationRequested(onCancel);
        return r;
      })
      .catch(() => undefined);
  }

  report(done: number, total: number): void {
    if (this.ended || total === 0) return;
    const percentage = Math.floor((done / total) * 100);
    if (percentage <= this.percentage) return;
    this.percentage = percentage;
    void this.reporter.then((r) => r?.report(percentage, `${done}/${total} files`));
  }

  done(): void {
    if (this.ended) return;
    this.ended = true;
    void this.reporter.then((r) => r?.done());
  }
}
