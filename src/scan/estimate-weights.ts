import { RING_SIZE, type RingPiece, tokenOffset } from './token-splits.js';

/** One row of a table's size estimates, as the metadata reads it (bigint, `rangeEnd = -2^63` = end of ring). */
export interface RangeEstimate {
  readonly rangeStart: bigint;
  readonly rangeEnd: bigint;
  readonly partitionsCount: bigint;
  readonly meanPartitionSize: bigint;
}

/** What the estimates say about the whole table, and how much each ring piece weighs. */
export interface EstimatedWeights {
  /** One positive weight per ring piece (estimated bytes, with a floor so none is zero). */
  readonly weights: number[];
  /** Estimated bytes of the whole table, extrapolated to the ring the estimates do not cover. */
  readonly totalBytes: number;
}

/**
 * Weighs the ring pieces by the table's size estimates (Cassandra 4.0+ `system.size_estimates` /
 * `system.table_estimates`). A node reports only its own primary ranges, from its SSTables, every
 * few minutes: the estimates may cover part of the ring, or say nothing yet. The part they cover
 * weighs what they say (bytes spread evenly over each estimated range); the rest weighs the
 * average density of the covered part. Undefined when they cover nothing or count no data: the
 * caller then splits by token span.
 */
export function estimateWeights<H>(
  pieces: readonly RingPiece<H>[],
  estimates: readonly RangeEstimate[],
): EstimatedWeights | undefined {
  const spans: { lo: bigint; hi: bigint; density: number }[] = [];
  let coveredSpan = 0;
  let coveredBytes = 0;
  for (const e of estimates) {
    const partitions = Number(e.partitionsCount);
    const mean = Number(e.meanPartitionSize);
    if (!(partitions >= 0) || !(mean >= 0)) continue;
    const bytes = partitions * Math.max(mean, 1);
    const lo = tokenOffset(e.rangeStart);
    const hi = tokenOffset(e.rangeEnd);
    const parts: [bigint, bigint][] = lo < hi ? [[lo, hi]] : [];
    if (lo >= hi) {
      if (lo < RING_SIZE) parts.push([lo, RING_SIZE]);
      if (hi > 0n) parts.push([0n, hi]);
    }
    const total = Number(lo < hi ? hi - lo : RING_SIZE - lo + hi);
    if (total <= 0) continue;
    const density = bytes / total;
    for (const [a, b] of parts) spans.push({ lo: a, hi: b, density });
    coveredSpan += total;
    coveredBytes += bytes;
  }
  if (coveredSpan === 0 || coveredBytes === 0) return undefined;
  spans.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const average = coveredBytes / coveredSpan;
  // a piece the estimates call empty still weighs a little, so it is never starved of splits
  const floor = average / 1e6;
  const weights: number[] = [];
  let totalBytes = 0;
  let s = 0;
  for (const piece of pieces) {
    const width = Number(piece.hi - piece.lo);
    let bytes = 0;
    let covered = 0;
    while (s < spans.length && spans[s]!.hi <= piece.lo) s++;
    for (let j = s; j < spans.length && spans[j]!.lo < piece.hi; j++) {
      const span = spans[j]!;
      const from = span.lo > piece.lo ? span.lo : piece.lo;
      const to = span.hi < piece.hi ? span.hi : piece.hi;
      if (to <= from) continue;
      const overlap = Number(to - from);
      bytes += overlap * span.density;
      covered += overlap;
    }
    const estimated = bytes + Math.max(0, width - covered) * average;
    totalBytes += estimated;
    weights.push(Math.max(estimated, width * floor, Number.MIN_VALUE));
  }
  return { weights, totalBytes };
}
