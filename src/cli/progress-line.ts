/**
 * The progress line of `cqlwire export` and `cqlwire demo`: rows, pages, rows/s, RSS and elapsed
 * time. On a TTY one line is redrawn in place (carriage return + erase line); elsewhere (a log
 * file, CI) a plain line is printed every `intervalMs`, so a log is readable and not flooded.
 * No timers: it redraws when the caller reports progress (every page), throttled by the clock.
 */

/** Where the line goes: stderr, or a fake in tests. */
export interface ProgressSink {
  write(text: string): unknown;
}

/** Options of {@link ProgressLine}. */
export interface ProgressOptions {
  /** Redraw in place (a TTY) or print plain lines. */
  readonly tty: boolean;
  /** Least time between two outputs; default 100 ms on a TTY, 2,000 ms otherwise. */
  readonly intervalMs?: number;
  /** A label before the figures, e.g. `streaming`. */
  readonly label?: string;
  /** The clock in ms (tests inject one); default `performance.now()`. */
  readonly now?: () => number;
  /** Resident set size in bytes (tests inject one); default `process.memoryUsage.rss()`. */
  readonly rss?: () => number;
}

const MIB = 1024 * 1024;

/** `1234567` → `1,234,567`. */
export function groupDigits(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes as MiB with no decimals, e.g. `123 MiB`. */
export function mebibytes(bytes: number): string {
  return `${Math.round(bytes / MIB)} MiB`;
}

/** A throttled progress reporter; call `update` after every page and `finish` at the end. */
export class ProgressLine {
  private readonly started: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly rss: () => number;
  private lastOutput = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private rows = 0;
  private pages = 0;
  private ranges: { readonly done: number; readonly total: number } | undefined;

  constructor(
    private readonly sink: ProgressSink,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.rss = options.rss ?? (() => process.memoryUsage.rss());
    this.intervalMs = options.intervalMs ?? (options.tty ? 100 : 2000);
    this.started = this.now();
  }

  /**
   * Reports the running totals (and, for a table scan, its token ranges done of all); draws when
   * the last output is at least `intervalMs` old.
   */
  update(rows: number, pages: number, ranges?: { readonly done: number; readonly total: number }): void {
    this.rows = rows;
    this.pages = pages;
    this.ranges = ranges;
    const t = this.now();
    if (t - this.lastOutput < this.intervalMs) return;
    this.lastOutput = t;
    this.draw(t);
  }

  /** Draws the final figures and ends the line (on a TTY the next output starts on a new line). */
  finish(): void {
    this.draw(this.now());
    if (this.options.tty) this.sink.write('\n');
    this.drawn = false;
  }

  /** The current figures as text, e.g. `1,000 rows  1 pages  500 rows/s  RSS 80 MiB  2.0 s`. */
  describe(t = this.now()): string {
    const seconds = Math.max(0, (t - this.started) / 1000);
    const rate = seconds > 0 ? this.rows / seconds : 0;
    const label = this.options.label !== undefined ? `${this.options.label}: ` : '';
    const ranges = this.ranges === undefined ? '' : `  ranges ${this.ranges.done}/${this.ranges.total}`;
    return `${label}${groupDigits(this.rows)} rows  ${groupDigits(this.pages)} pages${ranges}  ${groupDigits(rate)} rows/s  RSS ${mebibytes(this.rss())}  ${seconds.toFixed(1)} s`;
  }

  private draw(t: number): void {
    if (this.options.tty) {
      this.sink.write(`\r\x1b[2K${this.describe(t)}`);
      this.drawn = true;
    } else {
      this.sink.write(`${this.describe(t)}\n`);
    }
  }

  /** Erases a partly drawn TTY line before other output is written to the same terminal. */
  clear(): void {
    if (this.options.tty && this.drawn) this.sink.write('\r\x1b[2K');
    this.drawn = false;
  }
}
