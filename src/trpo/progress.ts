/**
 * A minimal progress bar for `learn({ progressBar: true })`: one line on a TTY, rewritten in place
 * (carriage return + erase to end of line), at most 10 times a second, finished with a newline.
 * On a stream that is not a TTY (a pipe, a CI log) it prints nothing. The package has no runtime
 * dependency for this; a CLI may swap in a full-featured library.
 */

/** Where a ProgressBar draws: the part of a Node writable TTY stream (process.stderr) it uses. */
export interface ProgressStream {
  /** Whether the stream is a terminal; the bar draws only on one (unless forced). */
  isTTY?: boolean;
  /** Terminal width in characters; the line is cut to it. */
  columns?: number;
  /** Writes a chunk of text (returns false when the stream's buffer is full, as Node's). */
  write(chunk: string): boolean;
}

/** A one-line progress bar (bar, percentage, steps done / total, elapsed time, ETA, a suffix) drawn on a TTY stream. */
export class ProgressBar {
  private lastDraw = 0;
  private readonly start = performance.now();
  private active: boolean;

  constructor(
    private readonly total: number,
    /** Default: process.stderr; where there is no process (a browser), nothing is drawn. */
    private readonly stream: ProgressStream = (globalThis as { process?: { stderr: ProgressStream } }).process?.stderr ?? { write: () => true },
    /** Draw even when the stream is not a TTY (tests). */
    force = false,
  ) {
    this.active = force || stream.isTTY === true;
  }

  /** Redraw with `current` of `total` done, plus a short suffix (e.g. the mean return). */
  update(current: number, suffix = '', forceDraw = false): void {
    if (!this.active) return;
    const now = performance.now();
    if (!forceDraw && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r${this.render(current, suffix, now)}\x1b[K`);
  }

  /** The bar's text (no control characters). */
  render(current: number, suffix: string, now = performance.now()): string {
    const frac = this.total > 0 ? Math.min(1, Math.max(0, current / this.total)) : 1;
    const elapsed = (now - this.start) / 1000;
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : Number.NaN;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const time = (s: number): string => (Number.isFinite(s) ? (s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60).toString().padStart(2, '0')}s`) : '?');
    let line = `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${current}/${this.total} ${time(elapsed)} eta ${time(eta)}${suffix ? ` ${suffix}` : ''}`;
    const cols = this.stream.columns;
    if (cols && line.length > cols - 1) line = line.slice(0, cols - 1);
    return line;
  }

  /** Final draw and newline; later calls do nothing. */
  done(current: number, suffix = ''): void {
    if (!this.active) return;
    this.update(current, suffix, true);
    this.stream.write('\n');
    this.active = false;
  }
}
