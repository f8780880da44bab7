import { createHash } from 'node:crypto';
import { MIN_TOKEN } from '../protocol/token/index.js';

/**
 * The token range arithmetic of a table scan: no I/O, no clock, no randomness, so every process
 * given the same ring and the same numbers cuts the same ranges.
 *
 * Murmur3 keys have tokens in (-2^63, 2^63 - 1]: Cassandra's partitioner never gives a key the
 * minimum token (it maps that hash to the maximum), so -2^63 is only ever a boundary. Cassandra
 * writes the end of the ring as the minimum token too: a range (X, -2^63] holds every token above
 * X, and a bound `token(pk) <= -2^63` means "no bound" to a real server. So the ring is handled
 * here as offsets from the minimum token, 0 .. 2^64, where 0 and 2^64 are both the minimum token
 * (the start and the end of the ring), and a range (a, b] of offsets never wraps.
 */

/** Size of the ring in offsets: offset 2^64 is the minimum token again, as the end of the ring. */
export const RING_SIZE = 1n << 64n;

/** One range of the ring as the scan reads it: the tokens t with `start < t <= end`. */
export interface TokenSplit<H> {
  /** Position in the whole split list (shards and checkpoints refer to ranges by it). */
  readonly index: number;
  /** Exclusive lower bound; -2^63 for the first range of the ring (no lower bound). */
  readonly start: bigint;
  /** Inclusive upper bound; -2^63 for the last range of the ring (it runs to 2^63 - 1). */
  readonly end: bigint;
  /** The replicas of the ring range this split lies in (primary first, local data center first). */
  readonly replicas: readonly H[];
  /** False when `start` is the start of the ring: the statement then has no lower bound. */
  readonly hasLowerBound: boolean;
  /** False when `end` is the end of the ring: the statement then has no upper bound. */
  readonly hasUpperBound: boolean;
}

/** A range of the ring as the metadata describes it (start exclusive, end inclusive, may wrap). */
export interface RingRange<H> {
  readonly start: bigint;
  readonly end: bigint;
  readonly replicas: readonly H[];
}

/** A piece of the ring that does not wrap: offsets (lo, hi], lo < hi, with its replicas. */
export interface RingPiece<H> {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly replicas: readonly H[];
}

/** The split list of a scan and how it was cut (what a checkpoint needs to cut it again). */
export interface SplitPlan<H> {
  readonly splits: readonly TokenSplit<H>[];
  /** How many splits each ring piece was cut into, in ring order. */
  readonly cuts: readonly number[];
  /** A short digest of the split boundaries: equal lists, equal hashes. */
  readonly hash: string;
}

/** Offset of a token: 0 for -2^63 (the start of the ring). */
export function tokenOffset(token: bigint): bigint {
  return token - MIN_TOKEN;
}

/** Offsets (lo, hi] of a metadata range, cut at the minimum token when it wraps. */
function rangePieces(start: bigint, end: bigint): [bigint, bigint][] {
  const lo = tokenOffset(start);
  const hi = tokenOffset(end);
  if (lo < hi) return [[lo, hi]];
  // wraps past the end of the ring (or is the whole ring when start === end): (start, end of
  // ring] then (start of ring, end]; the second is empty when end is the minimum token
  const out: [bigint, bigint][] = [];
  if (lo < RING_SIZE) out.push([lo, RING_SIZE]);
  if (hi > 0n) out.push([0n, hi]);
  return out;
}

/**
 * Cuts the ring into pieces that never wrap, each inside one ring range, covering offsets
 * (0, 2^64] with no gap and no overlap. The cut points are every range bound plus the minimum
 * token, so the wrap-around range becomes (last, -2^63] and (-2^63, first]. Each piece carries the
 * replicas of the ring range holding its upper end; ranges the metadata left out (an empty ring,
 * an unknown partitioner) give pieces without replicas rather than a gap.
 */
export function ringPieces<H>(ranges: readonly RingRange<H>[]): RingPiece<H>[] {
  const owned: { lo: bigint; hi: bigint; replicas: readonly H[] }[] = [];
  const cuts = new Set<bigint>([0n, RING_SIZE]);
  for (const r of ranges) {
    for (const [lo, hi] of rangePieces(r.start, r.end)) {
      owned.push({ lo, hi, replicas: r.replicas });
      cuts.add(lo);
      cuts.add(hi);
    }
  }
  owned.sort((a, b) => compareBig(a.lo, b.lo) || compareBig(a.hi, b.hi));
  const points = [...cuts].sort(compareBig);
  const pieces: RingPiece<H>[] = [];
  for (let i = 1; i < points.length; i++) {
    const lo = points[i - 1]!;
    const hi = points[i]!;
    pieces.push({ lo, hi, replicas: ownerOf(owned, hi)?.replicas ?? [] });
  }
  return pieces;
}

/** The owned piece holding `offset` (lo < offset <= hi): the one with the largest lo below it, if it reaches. */
function ownerOf<T extends { lo: bigint; hi: bigint }>(owned: readonly T[], offset: bigint): T | undefined {
  let lo = 0;
  let hi = owned.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (owned[mid]!.lo < offset) lo = mid + 1;
    else hi = mid;
  }
  const candidate = owned[lo - 1];
  return candidate !== undefined && candidate.hi >= offset ? candidate : undefined;
}

/**
 * How many splits each piece gets: at least one each, `total` in all when the pieces allow it
 * (a piece is never cut finer than one token per split; weights must be positive). The extra
 * splits go one at a time to
 * the piece whose splits are currently the heaviest (weight / count, ties to the lower index),
 * so splits end up as even as the ring's own ranges permit.
 */
export function apportion(weights: readonly number[], spans: readonly bigint[], total: number): number[] {
  const n = weights.length;
  const counts = new Array<number>(n).fill(1);
  let given = n;
  if (given >= total) return counts;
  const caps = spans.map((s) => (s > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(s)));
  const heap = new SplitHeap(weights, counts);
  for (let i = 0; i < n; i++) if (caps[i]! > 1) heap.push(i);
  while (given < total) {
    const i = heap.pop();
    if (i === undefined) break;
    counts[i]!++;
    given++;
    if (counts[i]! < caps[i]!) heap.push(i);
  }
  return counts;
}

/** A max-heap of piece indexes by weight / count, ties to the lower index. */
class SplitHeap {
  private readonly items: number[] = [];
  constructor(
    private readonly weights: readonly number[],
    private readonly counts: readonly number[],
  ) {}

  private before(a: number, b: number): boolean {
    const wa = this.weights[a]! / this.counts[a]!;
    const wb = this.weights[b]! / this.counts[b]!;
    return wa > wb || (wa === wb && a < b);
  }

  push(i: number): void {
    const items = this.items;
    items.push(i);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(items[at]!, items[parent]!)) break;
      [items[at], items[parent]] = [items[parent]!, items[at]!];
      at = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let at = 0;
      for (;;) {
        const l = 2 * at + 1;
        const r = l + 1;
        let best = at;
        if (l < items.length && this.before(items[l]!, items[best]!)) best = l;
        if (r < items.length && this.before(items[r]!, items[best]!)) best = r;
        if (best === at) break;
        [items[at], items[best]] = [items[best]!, items[at]!];
        at = best;
      }
    }
    return top;
  }
}

/** Splits from pieces and per-piece counts: each piece cut into `count` spans as equal as integers allow. */
export function cutPieces<H>(pieces: readonly RingPiece<H>[], counts: readonly number[]): SplitPlan<H> {
  if (counts.length !== pieces.length)
    throw new RangeError(`${counts.length} split counts for ${pieces.length} ring pieces`);
  const splits: TokenSplit<H>[] = [];
  const digest = createHash('sha256');
  for (let p = 0; p < pieces.length; p++) {
    const { lo, hi, replicas } = pieces[p]!;
    const k = BigInt(counts[p]!);
    const span = hi - lo;
    if (k < 1n || k > span) throw new RangeError(`ring piece ${p} cannot be cut into ${counts[p]} splits`);
    let from = lo;
    for (let j = 1n; j <= k; j++) {
      const to = j === k ? hi : lo + (span * j) / k;
      const start = from + MIN_TOKEN;
      const end = to === RING_SIZE ? MIN_TOKEN : to + MIN_TOKEN;
      splits.push({
        index: splits.length,
        start,
        end,
        replicas,
        hasLowerBound: from !== 0n,
        hasUpperBound: to !== RING_SIZE,
      });
      digest.update(`${start},${end};`);
      from = to;
    }
  }
  return { splits, cuts: [...counts], hash: digest.digest('hex').slice(0, 16) };
}

/**
 * The whole split plan: ring pieces, at least `total` splits (at least one per piece), balanced by
 * `weights` (one per piece; by token span when undefined).
 */
export function planSplits<H>(
  pieces: readonly RingPiece<H>[],
  total: number,
  weights: readonly number[] | undefined,
): SplitPlan<H> {
  const spans = pieces.map((p) => p.hi - p.lo);
  const w = weights ?? spans.map((s) => Number(s));
  return cutPieces(pieces, apportion(w, spans, total));
}

/** The splits of shard `index` of `count`: every count-th split, so each shard touches the whole ring. */
export function shardSplits<H>(splits: readonly TokenSplit<H>[], index: number, count: number): TokenSplit<H>[] {
  return splits.filter((s) => s.index % count === index);
}

export function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
