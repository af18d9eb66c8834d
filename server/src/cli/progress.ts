// The progress line of a long `prodready check` on a terminal: `prodready: 120/2000 files`, rewritten in
// place on stderr and erased before anything else is printed. Never written to a pipe or a file (CI logs
// would fill with carriage returns), nor with --quiet.

/** A scan of more files than this is long enough to show where it is. */
export const LONG_SCAN_FILES = 100;

/** Redrawn at most this often: a terminal repainting thousands of times a second slows the run. */
const REDRAW_MS = 100;

export class Progress {
  private drawnAt = -Infinity;
  private shown = false;

  /** `write`: stderr; nothing is written unless `enabled`. */
  constructor(
    private readonly write: (text: string) => void,
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < this.total && now - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = now;
    this.shown = true;
    // Back to the start of the line, erase it, draw.
    this.write(`\r\x1b[2Kprodready: ${done}/${this.total} files`);
  }

  /** Erases the line (before the report, the summary or any message). */
  clear(): void {
    if (!this.shown) return;
    this.shown = false;
    this.write('\r\x1b[2K');
  }
}
