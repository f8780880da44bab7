/**
 * Sub-buckets per power of two. 32 keeps every recorded value within 1/32 (3.1 %) of its bucket's
 * lower bound, and the midpoint the percentiles report within 1/64 (1.6 %) of the value.
 */
const SUB_BUCKET_BITS = 5;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Values below this land in a bucket of their own (exact). */
const LINEAR_LIMIT = SUB_BUCKETS * 2;
/** The largest value kept apart: 2^32 − 1 µs (71 minutes); anything longer is counted as that. */
const MAX_VALUE = 0xffffffff;
const BUCKET_COUNT = LINEAR_LIMIT + (32 - (SUB_BUCKET_BITS + 1)) * SUB_BUCKETS;

/** The bucket of `value` (an integer 0..MAX_VALUE). */
function bucketOf(value: number): number {
  if (value < LINEAR_LIMIT) return value;
  const exponent = 31 - Math.clz32(value); // >= SUB_BUCKET_BITS + 1
  const shift = exponent - SUB_BUCKET_BITS;
  return LINEAR_LIMIT + (exponent - SUB_BUCKET_BITS - 1) * SUB_BUCKETS + ((value >>> shift) - SUB_BUCKETS);
}

/** The smallest value of bucket `index`. */
function lowerBoundOf(index: number): number {
  if (index < LINEAR_LIMIT) return index;
  const octave = Math.floor((index - LINEAR_LIMIT) / SUB_BUCKETS);
  const sub = (index - LINEAR_LIMIT) % SUB_BUCKETS;
  return (SUB_BUCKETS + sub) * 2 ** (octave + 1);
}

/** How many values bucket `index` holds. */
function widthOf(index: number): number {
  if (index < LINEAR_LIMIT) return 1;
  return 2 ** (Math.floor((index - LINEAR_LIMIT) / SUB_BUCKETS) + 1);
}

/**
 * A latency histogram in the manner of HdrHistogram: fixed memory (896 counters, 7 KiB,
 * whatever is recorded), log-linear buckets (exact below 64 µs, then 32 buckets per power of two,
 * so a percentile is within 1.6 % of the true value), O(1) recording with no allocation, and
 * mergeable (`add`): the counts of two histograms sum to the histogram of both. Values are
 * recorded in microseconds and reported in milliseconds.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private maxMicros = 0;

  /** How many values were recorded. */
  get count(): number {
    return this.total;
  }

  /** The largest value recorded, in milliseconds (exact, not bucketed); 0 when empty. */
  get maxMs(): number {
    return this.maxMicros / 1000;
  }

  /** Records one latency given in milliseconds (negative values count as 0). */
  recordMs(ms: number): void {
    let micros = Math.round(ms * 1000);
    if (!(micros > 0)) micros = 0;
    else if (micros > MAX_VALUE) micros = MAX_VALUE;
    this.counts[bucketOf(micros)]!++;
    this.total++;
    if (micros > this.maxMicros) this.maxMicros = micros;
  }

  /** Adds every value of `other` to this histogram. */
  add(other: LatencyHistogram): void {
    const mine = this.counts;
    const theirs = other.counts;
    for (let i = 0; i < BUCKET_COUNT; i++) mine[i]! += theirs[i]!;
    this.total += other.total;
    if (other.maxMicros > this.maxMicros) this.maxMicros = other.maxMicros;
  }

  /**
   * The value at percentile `p` (0..100) in milliseconds: the midpoint of the bucket holding the
   * ⌈p/100 × count⌉-th smallest value (never above the recorded maximum); 0 when empty.
   */
  percentileMs(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const width = widthOf(i);
        const mid = width === 1 ? lowerBoundOf(i) : lowerBoundOf(i) + (width - 1) / 2;
        return Math.min(mid, this.maxMicros) / 1000;
      }
    }
    return this.maxMicros / 1000;
  }

  /** Forgets every value. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.maxMicros = 0;
  }
}
