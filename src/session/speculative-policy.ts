import { checkMilliseconds } from '../connection/index.js';
import { ArgumentError } from '../protocol/errors/index.js';
import { LatencyHistogram, monotonicNow } from './speculative-histogram.js';

/**
 * When to send an idempotent request to one more host while the first is still unanswered
 * (README "Tail latency: speculative execution"). A policy is asked once per request for each
 * extra execution; it may learn from the latencies the session reports.
 */
export interface SpeculativeExecutionPolicy {
  /** Most executions started on top of the first (>= 1). */
  readonly maxExtra: number;
  /**
   * The wait (ms) before extra execution `n` (1 for the first extra one), counted from the start
   * of the previous execution; undefined: start no more. `now` is that start, as
   * `performance.now()` read it: a policy that keeps time may use it instead of reading a clock.
   */
  nextDelayMs(n: number, now?: number): number | undefined;
  /**
   * The latency (ms) of a request that got its answer (speculated or not); optional. `now` is
   * when the answer came (`performance.now()`).
   */
  recordLatency?(latencyMs: number, now?: number): void;
}

/** A constant delay: `{ delayMs, maxExtra }`. */
export interface ConstantSpeculativeExecutionOptions {
  /** Wait this long (ms) for an answer before asking the next host; >= 1. */
  delayMs: number;
  /** Extra executions at most. Default 1. */
  maxExtra?: number;
}

/** A delay learnt from recent latencies: `{ percentile, maxExtra }`. */
export interface PercentileSpeculativeExecutionOptions {
  /** Wait the latency at this percentile (e.g. 99) of recent requests, (0, 100). */
  percentile: number;
  /** Extra executions at most. Default 1. */
  maxExtra?: number;
  /** No speculation until this many latencies were recorded in the last two windows. Default 100. */
  minSamples?: number;
  /** The length of a window of latencies (the estimate reads the last two). Default 60,000 ms. */
  windowMs?: number;
  /** The shortest delay used, however fast recent requests were. Default 1 ms. */
  minDelayMs?: number;
}

/** What the `speculativeExecution` cluster option takes. */
export type SpeculativeExecutionOptions =
  | ConstantSpeculativeExecutionOptions
  | PercentileSpeculativeExecutionOptions
  | SpeculativeExecutionPolicy;

const MAX_EXTRA_LIMIT = 16;

function checkMaxExtra(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_EXTRA_LIMIT)
    throw new ArgumentError(
      `speculativeExecution.maxExtra must be an integer from 1 to ${MAX_EXTRA_LIMIT}, got ${String(value)}`,
    );
  return value;
}

/** Waits `delayMs` before each extra execution, up to `maxExtra` of them. */
export class ConstantSpeculativeExecutionPolicy implements SpeculativeExecutionPolicy {
  readonly delayMs: number;
  readonly maxExtra: number;

  constructor(options: ConstantSpeculativeExecutionOptions) {
    this.delayMs = checkMilliseconds('speculativeExecution.delayMs', options.delayMs);
    if (this.delayMs < 1) throw new ArgumentError('speculativeExecution.delayMs must be at least 1 ms, got 0');
    this.maxExtra = checkMaxExtra(options.maxExtra);
  }

  nextDelayMs(n: number): number | undefined {
    return n <= this.maxExtra ? this.delayMs : undefined;
  }
}

/**
 * Waits the latency at `percentile` of recent requests (a {@link LatencyHistogram} of the
 * session's answered requests) before each extra execution; until `minSamples` latencies are known
 * it does not speculate.
 */
export class PercentileSpeculativeExecutionPolicy implements SpeculativeExecutionPolicy {
  readonly percentile: number;
  readonly maxExtra: number;
  readonly minSamples: number;
  readonly minDelayMs: number;
  private readonly histogram: LatencyHistogram;
  private readonly now: () => number;
  /**
   * Whether the `now` a caller passes is this policy's own time: true with the default clock
   * (`performance.now()`, the session's too), false with a clock of the constructor's.
   */
  private readonly sharesCallerClock: boolean;
  /** The delay last computed (a percentile walks the histogram: not on every request). */
  private cachedDelayMs: number | undefined = undefined;
  private computedAt = Number.NEGATIVE_INFINITY;
  private recordedSince = 0;

  constructor(options: PercentileSpeculativeExecutionOptions, now?: () => number) {
    const p = options.percentile;
    if (typeof p !== 'number' || !(p > 0 && p < 100))
      throw new ArgumentError(
        `speculativeExecution.percentile must be a number between 0 and 100 (e.g. 99), got ${String(p)}`,
      );
    this.percentile = p;
    this.maxExtra = checkMaxExtra(options.maxExtra);
    const minSamples = options.minSamples ?? 100;
    if (!Number.isInteger(minSamples) || minSamples < 1)
      throw new ArgumentError(
        `speculativeExecution.minSamples must be a positive integer, got ${String(options.minSamples)}`,
      );
    this.minSamples = minSamples;
    const windowMs = checkMilliseconds('speculativeExecution.windowMs', options.windowMs ?? 60_000);
    if (windowMs < 1) throw new ArgumentError('speculativeExecution.windowMs must be at least 1 ms, got 0');
    this.minDelayMs = Math.max(1, checkMilliseconds('speculativeExecution.minDelayMs', options.minDelayMs ?? 1));
    this.now = now ?? monotonicNow;
    this.sharesCallerClock = now === undefined;
    this.histogram = new LatencyHistogram(windowMs, this.now);
  }

  /**
   * The delay the next request would wait, or undefined while too few latencies are known.
   * Recomputed after every 64 latencies recorded or 100 ms, whichever comes first (and after each
   * latency until `minSamples` are known).
   */
  get currentDelayMs(): number | undefined {
    return this.delayAt(this.now());
  }

  nextDelayMs(n: number, now?: number): number | undefined {
    if (n > this.maxExtra) return undefined;
    // the session read the clock as the execution started: not once more here (each read of
    // performance.now() allocates, and this runs for every request)
    return this.delayAt(now !== undefined && this.sharesCallerClock ? now : this.now());
  }

  recordLatency(latencyMs: number, now?: number): void {
    this.histogram.record(latencyMs, now !== undefined && this.sharesCallerClock ? now : undefined);
    this.recordedSince++;
  }

  private delayAt(now: number): number | undefined {
    const stale =
      this.recordedSince >= 64 ||
      now - this.computedAt >= 100 ||
      (this.cachedDelayMs === undefined && this.recordedSince > 0); // minSamples may just be reached
    if (!stale) return this.cachedDelayMs;
    this.recordedSince = 0;
    this.computedAt = now;
    const at =
      this.histogram.countAt(now) < this.minSamples ? undefined : this.histogram.percentileAt(this.percentile, now);
    this.cachedDelayMs = at === undefined ? undefined : Math.max(this.minDelayMs, Math.ceil(at));
    return this.cachedDelayMs;
  }
}

/**
 * The policy for the `speculativeExecution` option: `{ delayMs, maxExtra }` (constant),
 * `{ percentile, maxExtra, ... }` (percentile), or a policy object; undefined: none. A bad value
 * is an `ArgumentError` naming it.
 */
export function resolveSpeculativeExecution(value: unknown): SpeculativeExecutionPolicy | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value !== 'object')
    throw new ArgumentError(
      `speculativeExecution must be { delayMs, maxExtra }, { percentile, maxExtra } or a policy, got ${String(value)}`,
    );
  const v = value as Record<string, unknown>;
  if (typeof v.nextDelayMs === 'function') {
    checkMaxExtra(v.maxExtra);
    return value as SpeculativeExecutionPolicy;
  }
  if ('delayMs' in v && 'percentile' in v)
    throw new ArgumentError('speculativeExecution takes either delayMs (constant) or percentile, not both');
  if ('delayMs' in v) return new ConstantSpeculativeExecutionPolicy(value as ConstantSpeculativeExecutionOptions);
  if ('percentile' in v)
    return new PercentileSpeculativeExecutionPolicy(value as PercentileSpeculativeExecutionOptions);
  throw new ArgumentError(
    `speculativeExecution must be { delayMs, maxExtra }, { percentile, maxExtra } or a policy, got ${JSON.stringify(value)}`,
  );
}
