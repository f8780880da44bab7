import { describe, expect, it } from 'vitest';
import { formatMiB, formatRate, formatRatio, formatTable, median, ratio } from '../../bench/stats.js';

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
