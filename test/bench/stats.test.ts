import { describe, expect, it } from 'vitest';
import { formatMiB, formatRate, formatRatio, formatTable, median, ratio } from '../../bench/stats.js';
import { roundOrder } from '../../bench/stream-bench.js';

describe('bench stats', () => {
  it('median of odd and even sample counts, unsorted input left untouched', () => {
    const samples = [5, 1, 3];
    expect(median(samples)).toBe(3);
    expect(samples).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
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
