import { describe, expect, it } from 'vitest';
import { MAX_TOKEN, MIN_TOKEN } from '../../src/protocol/token/index.js';
import { estimateWeights } from '../../src/scan/estimate-weights.js';
import {
  apportion,
  cutPieces,
  planSplits,
  RING_SIZE,
  type RingRange,
  ringPieces,
  shardSplits,
  type TokenSplit,
} from '../../src/scan/token-splits.js';
import { seededRandom } from '../support/seeded-random.js';

/** The metadata's ranges of a ring with these tokens: (t[i-1], t[i]], the wrapping one first. */
function ring(tokens: readonly bigint[]): RingRange<string>[] {
  const sorted = [...tokens].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map((end, i) => ({
    start: sorted[(i - 1 + sorted.length) % sorted.length]!,
    end,
    replicas: [`owner-of-${end}`],
  }));
}

/** Offsets (lo, hi] of a split, with the end of the ring as 2^64. */
function offsets(s: TokenSplit<string>): [bigint, bigint] {
  const lo = s.start - MIN_TOKEN;
  const hi = s.hasUpperBound ? s.end - MIN_TOKEN : RING_SIZE;
  return [lo, hi];
}

/** Asserts the splits tile (-2^63, 2^63 - 1] exactly: in order, each starting where the last ended. */
function expectTiling(splits: readonly TokenSplit<string>[]): void {
  let at = 0n;
  for (const [i, s] of splits.entries()) {
    expect(s.index).toBe(i);
    const [lo, hi] = offsets(s);
    expect(lo).toBe(at);
    expect(hi > lo).toBe(true);
    expect(s.hasLowerBound).toBe(lo !== 0n);
    expect(s.hasUpperBound).toBe(hi !== RING_SIZE);
    at = hi;
  }
  expect(at).toBe(RING_SIZE);
}

/** The split holding key token `t` (a key never has the minimum token). */
function holder(splits: readonly TokenSplit<string>[], t: bigint): TokenSplit<string>[] {
  return splits.filter((s) => (!s.hasLowerBound || t > s.start) && (!s.hasUpperBound || t <= s.end));
}

/** The ring range (metadata) holding key token `t`. */
function ringRangeOf(ranges: readonly RingRange<string>[], t: bigint): RingRange<string> {
  const found = ranges.filter((r) =>
    r.start < r.end ? t > r.start && t <= r.end : r.start === r.end ? true : t > r.start || t <= r.end,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

const EVEN_4 = [MIN_TOKEN, -(2n ** 62n), 0n, 2n ** 62n];

describe('ring pieces', () => {
  it('a ring whose first token is -2^63: the wrap-around range is (last, -2^63], read as token > last', () => {
    const pieces = ringPieces(ring(EVEN_4));
    expect(pieces.map((p) => [p.lo, p.hi, p.replicas[0]])).toEqual([
      [0n, 2n ** 62n, `owner-of-${-(2n ** 62n)}`],
      [2n ** 62n, 2n ** 63n, 'owner-of-0'],
      [2n ** 63n, 3n * 2n ** 62n, `owner-of-${2n ** 62n}`],
      [3n * 2n ** 62n, RING_SIZE, `owner-of-${MIN_TOKEN}`],
    ]);
  });

  it('a wrap-around range (last, first] is cut at -2^63 into (last, MIN] and (MIN, first], both owned by first', () => {
    const pieces = ringPieces(ring([-100n, 0n, 100n]));
    expect(pieces.map((p) => [p.lo + MIN_TOKEN, p.hi === RING_SIZE ? 'end' : p.hi + MIN_TOKEN, p.replicas[0]])).toEqual(
      [
        [MIN_TOKEN, -100n, 'owner-of--100'],
        [-100n, 0n, 'owner-of-0'],
        [0n, 100n, 'owner-of-100'],
        [100n, 'end', 'owner-of--100'],
      ],
    );
  });

  it('a one-token ring: the whole ring, in two pieces at -2^63 (or one when the token is -2^63)', () => {
    expect(ringPieces(ring([42n])).map((p) => [p.lo, p.hi])).toEqual([
      [0n, 42n - MIN_TOKEN],
      [42n - MIN_TOKEN, RING_SIZE],
    ]);
    expect(ringPieces(ring([MIN_TOKEN])).map((p) => [p.lo, p.hi, p.replicas])).toEqual([
      [0n, RING_SIZE, [`owner-of-${MIN_TOKEN}`]],
    ]);
    expect(ringPieces(ring([MAX_TOKEN])).map((p) => [p.lo, p.hi])).toEqual([
      [0n, RING_SIZE - 1n],
      [RING_SIZE - 1n, RING_SIZE],
    ]);
  });

  it('no ring at all (unknown partitioner): one piece, no replicas', () => {
    expect(ringPieces<string>([])).toEqual([{ lo: 0n, hi: RING_SIZE, replicas: [] }]);
  });
});

describe('splits', () => {
  const random = seededRandom(11);
  const rings: [string, bigint[]][] = [
    ['one token at -2^63', [MIN_TOKEN]],
    ['one token at 0', [0n]],
    ['one token at 2^63 - 1', [MAX_TOKEN]],
    ['4 even tokens', EVEN_4],
    ['tokens at both ends', [MIN_TOKEN, MIN_TOKEN + 1n, MAX_TOKEN - 1n, MAX_TOKEN]],
    [
      '3 nodes x 256 vnodes, random',
      Array.from({ length: 768 }, () => BigInt(Math.floor((random() - 0.5) * 2 ** 63)) * 2n + 1n),
    ],
  ];

  for (const [name, tokens] of rings) {
    it(`${name}: every split count tiles the ring, each split inside one ring range`, () => {
      const ranges = ring(tokens);
      const pieces = ringPieces(ranges);
      for (const count of tokens.length > 100 ? [1, 1000, 1537] : [1, 2, 3, 7, 16, 100, 1000, 1537]) {
        const plan = planSplits(pieces, count, undefined);
        expectTiling(plan.splits);
        expect(plan.splits.length).toBe(Math.max(count, pieces.length));
        expect(plan.cuts.reduce((a, b) => a + b, 0)).toBe(plan.splits.length);
        for (const s of plan.splits) {
          // (2^63 - 1, end of ring] holds no key token: nothing to own
          if (s.start === MAX_TOKEN) continue;
          // the split's first and last tokens are in the ring range whose replicas it carries
          const last = s.hasUpperBound ? s.end : MAX_TOKEN;
          expect(s.replicas).toEqual(ringRangeOf(ranges, last).replicas);
          const first = s.start + 1n;
          expect(ringRangeOf(ranges, first).replicas).toEqual(s.replicas);
        }
      }
    });
  }

  it('tokens on a boundary, -2^63 + 1 and 2^63 - 1 each fall in exactly one split', () => {
    const ranges = ring([MIN_TOKEN, -5n, 0n, 7n]);
    const plan = planSplits(ringPieces(ranges), 9, undefined);
    const boundaries = plan.splits.flatMap((s) => [s.start, s.end]).filter((t) => t !== MIN_TOKEN);
    for (const t of [
      MIN_TOKEN + 1n,
      MAX_TOKEN,
      -5n,
      -4n,
      0n,
      1n,
      7n,
      8n,
      ...boundaries,
      ...boundaries.map((b) => b + 1n),
    ]) {
      expect(holder(plan.splits, t)).toHaveLength(1);
    }
    // the first split reads token <= end alone, the last token > start alone
    expect(plan.splits[0]!.hasLowerBound).toBe(false);
    expect(plan.splits.at(-1)!.hasUpperBound).toBe(false);
    expect(plan.splits.at(-1)!.end).toBe(MIN_TOKEN);
  });

  it('balanced by token span: the ring in 4 even ranges cut into 16 gives 16 splits of 2^60 tokens', () => {
    const plan = planSplits(ringPieces(ring(EVEN_4)), 16, undefined);
    expect(plan.cuts).toEqual([4, 4, 4, 4]);
    for (const s of plan.splits) {
      const [lo, hi] = offsets(s);
      expect(hi - lo).toBe(2n ** 60n);
    }
  });

  it('uneven ring ranges get splits in proportion to their span', () => {
    // (MIN, 0] is half the ring, the other two ranges a quarter each
    const plan = planSplits(ringPieces(ring([MIN_TOKEN, 0n, 2n ** 62n])), 8, undefined);
    expect(plan.cuts).toEqual([4, 2, 2]);
  });

  it('a piece is never cut finer than one token per split', () => {
    const pieces = ringPieces(ring([MIN_TOKEN, MIN_TOKEN + 2n]));
    const plan = planSplits(pieces, 10, [1e9, 1]);
    expect(plan.cuts[0]).toBe(2);
    expectTiling(plan.splits);
    expect(() => cutPieces(pieces, [3, 1])).toThrow(RangeError);
  });

  it('is a pure function: same ring and numbers, same splits and hash; any change, another hash', () => {
    const a = planSplits(ringPieces(ring(EVEN_4)), 10, undefined);
    const b = planSplits(ringPieces(ring([...EVEN_4].reverse())), 10, undefined);
    expect(b.splits.map((s) => [s.start, s.end])).toEqual(a.splits.map((s) => [s.start, s.end]));
    expect(b.hash).toBe(a.hash);
    expect(b.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(planSplits(ringPieces(ring(EVEN_4)), 11, undefined).hash).not.toBe(a.hash);
    expect(cutPieces(ringPieces(ring(EVEN_4)), a.cuts).hash).toBe(a.hash);
  });

  it('shards: every split in exactly one of the count shards, whatever the count', () => {
    const plan = planSplits(ringPieces(ring(EVEN_4)), 23, undefined);
    for (let count = 1; count <= 5; count++) {
      const all = Array.from({ length: count }, (_, i) => shardSplits(plan.splits, i, count)).flat();
      expect(all.map((s) => s.index).sort((x, y) => x - y)).toEqual(plan.splits.map((s) => s.index));
    }
  });
});

describe('apportion', () => {
  it('hands the extra splits to the heaviest pieces (weight per split), ties to the lower index', () => {
    expect(apportion([3, 1], [100n, 100n], 4)).toEqual([3, 1]);
    expect(apportion([1, 1, 1], [100n, 100n, 100n], 5)).toEqual([2, 2, 1]);
    expect(apportion([1, 1], [100n, 100n], 1)).toEqual([1, 1]);
  });
});

describe('size estimate weights', () => {
  const pieces = ringPieces(ring(EVEN_4));

  it('weigh the pieces by estimated bytes, the uncovered part at the average density', () => {
    // a node's primary range (-2^62, 0] holds 1000 partitions of 100 bytes; nothing else is estimated
    const w = estimateWeights(pieces, [
      { rangeStart: -(2n ** 62n), rangeEnd: 0n, partitionsCount: 1000n, meanPartitionSize: 100n },
    ])!;
    expect(w.weights[1]).toBeCloseTo(100_000, 6);
    expect(w.weights[0]).toBeCloseTo(100_000, 6);
    expect(w.totalBytes).toBeCloseTo(400_000, 3);
  });

  it('make the heavy ring range get more splits than token span would', () => {
    const w = estimateWeights(pieces, [
      { rangeStart: MIN_TOKEN, rangeEnd: -(2n ** 62n), partitionsCount: 9000n, meanPartitionSize: 10n },
      { rangeStart: -(2n ** 62n), rangeEnd: 0n, partitionsCount: 1000n, meanPartitionSize: 10n },
      { rangeStart: 0n, rangeEnd: 2n ** 62n, partitionsCount: 1000n, meanPartitionSize: 10n },
      // the wrapping range as Cassandra keeps it: ending at -2^63, the end of the ring
      { rangeStart: 2n ** 62n, rangeEnd: MIN_TOKEN, partitionsCount: 1000n, meanPartitionSize: 10n },
    ])!;
    expect(planSplits(pieces, 12, w.weights).cuts).toEqual([9, 1, 1, 1]);
  });

  it('are undefined when empty or counting nothing: split by token span', () => {
    expect(estimateWeights(pieces, [])).toBeUndefined();
    expect(
      estimateWeights(pieces, [{ rangeStart: 0n, rangeEnd: 5n, partitionsCount: 0n, meanPartitionSize: 0n }]),
    ).toBeUndefined();
  });
});
