import type { SizeEstimate } from './metadata-types.js';
import type { SchemaRow } from './schema-row.js';

/** Cassandra 4.0+: one row per range and range_type ('primary' and 'local_primary'). */
export const TABLE_ESTIMATES_QUERY =
  "SELECT range_start, range_end, partitions_count, mean_partition_size FROM system.table_estimates WHERE keyspace_name = ? AND table_name = ? AND range_type = 'primary'";

/** Every version: one row per primary range of the node answering. */
export const SIZE_ESTIMATES_QUERY =
  'SELECT range_start, range_end, partitions_count, mean_partition_size FROM system.size_estimates WHERE keyspace_name = ? AND table_name = ?';

function token(v: unknown): bigint | undefined {
  if (typeof v !== 'string' || !/^-?[0-9]{1,20}$/.test(v)) return undefined;
  const t = BigInt(v);
  return t >= -(2n ** 63n) && t < 2n ** 63n ? t : undefined;
}

function count(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  // a Long (the `bigint: 'long'` decode option) prints its exact decimal value
  if (v !== null && typeof v === 'object') {
    const text = String(v);
    if (/^-?[0-9]+$/.test(text)) return BigInt(text);
  }
  return 0n;
}

/**
 * Size estimate rows (system.size_estimates or system.table_estimates; range bounds are text
 * tokens) as {@link SizeEstimate}s sorted by range start. Rows whose bounds are not Murmur3
 * tokens (another partitioner) are left out. A `rangeEnd` of -2^63 is the end of the ring: the
 * server splits the wrapping range there, as it keeps it.
 */
export function parseSizeEstimates(rows: readonly SchemaRow[]): SizeEstimate[] {
  const out: SizeEstimate[] = [];
  for (const row of rows) {
    const rangeStart = token(row.range_start);
    const rangeEnd = token(row.range_end);
    if (rangeStart === undefined || rangeEnd === undefined) continue;
    out.push(
      Object.freeze({
        rangeStart,
        rangeEnd,
        partitionsCount: count(row.partitions_count),
        meanPartitionSize: count(row.mean_partition_size),
      }),
    );
  }
  return out.sort((a, b) => (a.rangeStart < b.rangeStart ? -1 : a.rangeStart > b.rangeStart ? 1 : 0));
}
