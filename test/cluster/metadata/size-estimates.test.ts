import { describe, expect, it } from 'vitest';
import { parseSizeEstimates, type SizeEstimate } from '../../../src/cluster/metadata/index.js';
import { recordedRowsByQuery } from './recorded-rows.js';

const MIN = -(2n ** 63n);
const recorded = recordedRowsByQuery('5.0.2-estimates-v5');
const where = " WHERE keyspace_name = 'fx_simple' AND table_name = 'big'";
const rowsOf = (query: string) => {
  const rows = recorded.get(query);
  if (rows === undefined) throw new Error(`no recorded answer for ${query}`);
  return rows.map((r) => r.toObject());
};

describe('size estimates read from the recorded answers of Cassandra 5.0.2 (16 vnodes, one node)', () => {
  const sizeEstimates = parseSizeEstimates(rowsOf(`SELECT * FROM system.size_estimates${where}`));

  it('has 17 ranges: one per primary range, the wrapping one split at the minimum token', () => {
    expect(sizeEstimates.length).toBe(17);
    expect(sizeEstimates[0]).toEqual({
      rangeStart: MIN,
      rangeEnd: -8354914454447349282n,
      partitionsCount: 128n,
      meanPartitionSize: 230n,
    });
    expect(sizeEstimates[16]).toEqual({
      rangeStart: 9016073738036622794n,
      rangeEnd: MIN, // the end of the ring
      partitionsCount: 1n,
      meanPartitionSize: 230n,
    });
  });

  it('sorts by range start (Cassandra orders them as text) and chains them around the whole ring', () => {
    for (let i = 1; i < sizeEstimates.length; i++) {
      expect(sizeEstimates[i]!.rangeStart).toBe(sizeEstimates[i - 1]!.rangeEnd);
      expect(sizeEstimates[i]!.rangeStart > sizeEstimates[i - 1]!.rangeStart).toBe(true);
    }
    expect(sizeEstimates.reduce((n, e) => n + e.partitionsCount, 0n)).toBe(1542n);
  });

  it("table_estimates' 'primary' rows say the same as size_estimates", () => {
    const tableRows = rowsOf(`SELECT * FROM system.table_estimates${where}`);
    expect(tableRows.length).toBe(34);
    const primary = parseSizeEstimates(tableRows.filter((r) => r.range_type === 'primary'));
    expect(primary).toEqual(sizeEstimates);
    const localPrimary = parseSizeEstimates(tableRows.filter((r) => r.range_type === 'local_primary'));
    expect(localPrimary).toEqual(sizeEstimates);
  });

  it('reads every table of the unfiltered answer, and leaves out rows that are not Murmur3 tokens', () => {
    const every = rowsOf('SELECT * FROM system.size_estimates');
    expect(every.length).toBe(493);
    expect(parseSizeEstimates(every).length).toBe(493);
    const odd: SizeEstimate[] = parseSizeEstimates([
      { range_start: 'abc', range_end: '5', partitions_count: 1n, mean_partition_size: 2n },
      { range_start: '9223372036854775808', range_end: '5', partitions_count: 1n, mean_partition_size: 2n },
      { range_start: '-5', range_end: '5', partitions_count: null, mean_partition_size: 7n },
    ]);
    expect(odd).toEqual([{ rangeStart: -5n, rangeEnd: 5n, partitionsCount: 0n, meanPartitionSize: 7n }]);
  });
});
