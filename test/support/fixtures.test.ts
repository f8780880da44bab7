import { describe, expect, it } from 'vitest';
import { directionBytes, fixtureNames, loadFixture, loadTypesTable } from './fixtures.js';

describe('the real-Cassandra recordings are readable', () => {
  it('lists all 24 recordings', () => {
    expect(fixtureNames()).toHaveLength(24);
  });
  it('starts the v5 flow with a bare OPTIONS envelope', () => {
    const f = loadFixture('5.0.2-v5-plain');
    expect(directionBytes(f, 'c2s').subarray(0, 9).toString('hex')).toBe('050000000500000000');
    expect(f.expect.framing?.c2s_unframed_bytes).toBe(101);
  });
  it('has the every-type table', () => {
    expect(loadTypesTable().columns.find((c) => c.column === 'c_date')?.value_hex).toBe('80004d46');
  });
});
