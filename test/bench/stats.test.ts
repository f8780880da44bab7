import { describe, expect, it } from 'vitest';
import { formatMiB, formatRate, formatRatio, formatTable, median, quantile, ratio } from '../../bench/stats.js';
import { pairedRoundSteps, roundOrder, streamContestants } from '../../bench/stream-bench.js';

describe('bench stats', () => {
  it('median of odd and even sample counts, unsorted input left untouched', () => {
    const samples = [5, 1, 3];
    expect(median(samples)).toBe(3);
    expect(samples).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('quantiles interpolate between the nearest samples and leave the input untouched', () => {
    const samples = [40, 10, 30, 20, 50];
    expect(quantile(samples, 0)).toBe(10);
    expect(quantile(samples, 0.25)).toBe(20);
    expect(quantile(samples, 0.5)).toBe(30);
    expect(quantile(samples, 1)).toBe(50);
    expect(quantile([1, 2], 0.25)).toBeCloseTo(1.25, 10);
    expect(samples).toEqual([40, 10, 30, 20, 50]);
  });

  it('ratio is null when a side is missing or the divisor is 0', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
  });

  it('formats rates, ratios and MiB', () => {
    expect(formatRate(1234567.6)).toBe('1,234,568');
    expect(formatRatio(2.345)).toBe('2.35x');
    expect(formatRatio(null)).toBe('n/a');
    expect(formatMiB(1572864)).toBe('1.5 MiB');
  });

  it('formatTable aligns the first column left and the others right, under a rule', () => {
    expect(
      formatTable(
        ['client', 'rows/s'],
        [
          ['a', '1,000'],
          ['longer', '5'],
        ],
      ),
    ).toBe('client  rows/s\n' + '------  ------\n' + 'a        1,000\n' + 'longer       5\n');
  });
});

describe('stream round order', () => {
  it('is a permutation starting with another client each round, and predecessors change', () => {
    const n = 15;
    const orders = Array.from({ length: 9 }, (_, r) => roundOrder(n, r));
    for (const o of orders) expect([...o].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(orders.map((o) => o[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // client 5's predecessor in the rounds where it has one: 6 different clients in 8 rounds
    const before = new Set(orders.map((o) => o[o.indexOf(5) - 1]).filter((x) => x !== undefined));
    expect([...before].sort((a, b) => a - b)).toEqual([1, 2, 7, 8, 10, 13]);
    expect(roundOrder(n, 3)).toEqual(orders[3]);
  });
});

describe('stream round steps', () => {
  const contestants = streamContestants(['v5', 'v4'], true);
  const name = (i: number | undefined): string =>
    i === undefined ? '-' : `${contestants[i]!.config} ${contestants[i]!.kind}`;
  const everyone = contestants.map(() => true);

  it('runs each cqlwire consumer (and the bound behind their shapes) beside its own configuration bound, the bound first in even rounds and second in odd ones', () => {
    for (const round of [0, 1, 2, 3]) {
      const steps = pairedRoundSteps(contestants, round, everyone);
      const cqlwire = contestants.flatMap((x, i) =>
        x.kind.startsWith('cqlwire') || x.kind === 'rawDecodePages' || x.kind === 'rawDecodeRows' ? [i] : [],
      );
      expect(cqlwire.map(name)).toContain('v5 rawDecodeRows');
      // every paired kind once, each in a pair with the bound of its configuration
      const pairs = steps.filter((s) => s.second !== undefined);
      expect(pairs.map((s) => (s.boundFirst ? s.second! : s.first)).sort((a, b) => a - b)).toEqual(cqlwire);
      for (const s of pairs) {
        const [client, bound] = s.boundFirst ? [s.second, s.first] : [s.first, s.second];
        expect(name(bound)).toBe(`${contestants[client!]!.config} rawDecode`);
        expect(s.boundFirst).toBe(round % 2 === 0);
      }
      // the bounds never run alone; the driver and the lengths-only client do, once each
      expect(
        steps
          .filter((s) => s.second === undefined)
          .map((s) => name(s.first))
          .sort(),
      ).toEqual(['v4 driverEachRow', 'v4 driverStream', 'v5 rawLengths']);
    }
  });

  it('follows the round order, so the pairs move around from round to round', () => {
    const firstClient = (round: number): string => {
      const s = pairedRoundSteps(contestants, round, everyone)[0]!;
      return name(s.second !== undefined && s.boundFirst ? s.second : s.first);
    };
    const order = (round: number): string[] =>
      roundOrder(contestants.length, round)
        .map(name)
        .filter((x) => !x.endsWith('rawDecode'));
    for (const round of [0, 1, 5]) expect(firstClient(round)).toBe(order(round)[0]);
  });

  it('runs a bound alone when no consumer of its configuration is available, and skips what is not', () => {
    const available = contestants.map(
      (x) => !(x.config === 'v4' && x.kind.startsWith('cqlwire')) && x.kind !== 'driverStream',
    );
    const steps = pairedRoundSteps(contestants, 0, available);
    const alone = steps.filter((s) => s.second === undefined).map((s) => name(s.first));
    expect(alone.sort()).toEqual(['v4 driverEachRow', 'v4 rawDecode', 'v5 rawLengths']);
    // v5: three consumers, recycled pages and the bound behind two shapes
    expect(steps.filter((s) => s.second !== undefined)).toHaveLength(6);
    const v5Bound = contestants.findIndex((x) => x.config === 'v5' && x.kind === 'rawDecode');
    const unavailableV5Bound = everyone.map((_, i) => i !== v5Bound);
    // no v5 bound: the v5 consumers run alone, and no v5 pair is formed
    const withoutBound = pairedRoundSteps(contestants, 0, unavailableV5Bound);
    expect(withoutBound.filter((s) => s.second !== undefined)).toHaveLength(3);
    expect(withoutBound.filter((s) => s.second === undefined).map((s) => name(s.first))).toContain('v5 rawDecodeRows');
    expect(withoutBound.filter((s) => s.second === undefined).map((s) => name(s.first))).toContain('v5 cqlwirePages');
  });
});
