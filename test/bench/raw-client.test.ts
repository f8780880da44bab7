import { describe, expect, it } from 'vitest';
import { thinSamples } from '../../bench/memory-bench.js';
import { walkRows } from '../../bench/raw-client.js';

describe('raw client row walk', () => {
  // Two rows of (int, text): a prefix byte the walk must skip, then the cells.
  const page = Buffer.from(
    'ff' +
      '00000004' +
      '00000001' + // row 1 int: length 4, value 1
      '00000002' +
      '6869' + //     row 1 text: length 2, "hi"
      '00000004' +
      '00000002' + // row 2 int
      'ffffffff', //               row 2 text: null (length -1, no value)
    'hex',
  );

  it('counts rows and value bytes by skipping each cell by its length', () => {
    expect(walkRows(page, 1, 2, 2)).toEqual({ rows: 2, cellBytes: 10 });
  });

  it('refuses a page shorter than its declared cells', () => {
    expect(() => walkRows(page.subarray(0, page.length - 2), 1, 2, 2)).toThrow(
      'Rows page truncated at row 1, column 1',
    );
    expect(() => walkRows(page.subarray(0, 14), 1, 1, 2)).toThrow('Rows page truncated in its last cell');
  });
});

describe('memory samples for the chart', () => {
  it('keeps at most max samples, evenly spaced, first and last included', () => {
    const samples: [number, number][] = Array.from({ length: 11 }, (_, i) => [i * 10, i * 100]);
    expect(thinSamples(samples, 3)).toEqual([
      [0, 0],
      [50, 500],
      [100, 1000],
    ]);
    expect(thinSamples(samples.slice(0, 2), 3)).toEqual([
      [0, 0],
      [10, 100],
    ]);
  });
});
