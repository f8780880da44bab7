/**
 * A small latency histogram for the percentile speculative-execution policy: fixed memory (864
 * counters), values bucketed log-linearly (32 sub-buckets per power of two of microseconds, so a
 * percentile is within ~3% of the true value), and two windows so old latencies age out: the
 * estimate reads the current window and the one before it.
 */

import { performance } from 'node:perf_hooks';

/**
 * The histogram's and the percentile policy's clock by default, in milliseconds: monotonic, and
 * read without allocating (`Date.now()` is a call into the runtime that returns a new heap number
 * each time; per request, that showed in the percentile policy's instruction count).
 */
export const monotonicNow = (): number => performance.now();

/** Sub-buckets per power of two (a power of two itself). */
const SUB_BUCKETS = 32;
const SUB_BITS = 5;
/** Powers of two covered: values up to 2^31 µs (~36 minutes), longer ones clamped. */
const MAGNITUDES = 27;
const BUCKETS = SUB_BUCKETS * MAGNITUDES;

/** The bucket of a value in microseconds (values below 32 µs each have their own bucket). */
function bucketOf(micros: number): number {
  const v = micros < 1 ? 0 : Math.min(Math.floor(micros), 0x7fffffff);
  if (v < SUB_BUCKETS) return v;
  const magnitude = 31 - Math.clz32(v); // >= SUB_BITS
  const shift = magnitude - SUB_BITS;
  return (shift + 1) * SUB_BUCKETS + ((v >>> shift) - SUB_BUCKETS);
}

/** The highest value (µs) a bucket holds: what a percentile reports, so the delay errs long. */
function bucketTop(bucket: number): number {
  if (bucket < SUB_BUCKETS) return bucket;
  const shift = Math.floor(bucket / SUB_BUCKETS) - 1;
  const sub = (bucket % SUB_BUCKETS) + SUB_BUCKETS;
  return (sub + 1) * 2 ** shift - 1;
}

/** Latencies of recent requests, in two rotating windows of `windowMs` each. */
export class LatencyHistogram {
  private current = new Uint32Array(BUCKETS);
  private previous = new Uint32Array(BUCKETS);
  private currentCount = 0;
  private previousCount = 0;
  private windowStart: number;

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = monotonicNow,
  ) {
    this.windowStart = now();
  }

  /**
   * Records one latency in milliseconds (fractions kept to the microsecond); `now`: the time on
   * this histogram's clock, when the caller has just read it.
   */
  record(latencyMs: number, now = this.now()): void {
    this.rotate(now);
    this.current[bucketOf(latencyMs * 1000)]!++;
    this.currentCount++;
  }

  /** Latencies recorded in the two windows. */
  get count(): number {
    return this.countAt(this.now());
  }

  /** {@link count} at `now` (this histogram's clock). */
  countAt(now: number): number {
    this.rotate(now);
    return this.currentCount + this.previousCount;
  }

  /**
   * The latency (ms) at `percentile` (0..100] over both windows, or undefined with no samples.
   * Reported as the top of its bucket.
   */
  percentile(percentile: number): number | undefined {
    return this.percentileAt(percentile, this.now());
  }

  /** {@link percentile} at `now` (this histogram's clock). */
  percentileAt(percentile: number, now: number): number | undefined {
    this.rotate(now);
    const total = this.currentCount + this.previousCount;
    if (total === 0) return undefined;
    const rank = Math.max(1, Math.ceil((percentile / 100) * total));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.current[b]! + this.previous[b]!;
      if (seen >= rank) return bucketTop(b) / 1000;
    }
    return bucketTop(BUCKETS - 1) / 1000;
  }

  /** Starts a new window when the current one is over (two over: both are stale). */
  private rotate(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed < this.windowMs) return;
    if (elapsed >= 2 * this.windowMs) {
      this.previous.fill(0);
      this.previousCount = 0;
      this.current.fill(0);
    } else {
      const emptied = this.previous.fill(0);
      this.previous = this.current;
      this.previousCount = this.currentCount;
      this.current = emptied;
    }
    this.currentCount = 0;
    this.windowStart = now;
  }
}
