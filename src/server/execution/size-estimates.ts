import type { DataType } from '../../protocol/types/index.js';
import { parseCqlTypeString } from '../../protocol/types/index.js';
import { type DataStore, layoutIndexFrom, type TableData } from '../store/index.js';
import type { VirtualTableDefinition } from './virtual-table.js';

/** What the estimates need to know of a node: its tokens (decimal strings) and data center. */
export interface EstimatedNode {
  readonly tokens: readonly string[];
  readonly dataCenter: string;
}

/** A range (start, end] of the ring; `end === MIN` means "to the end of the ring". */
interface TokenSpan {
  readonly start: bigint;
  readonly end: bigint;
}

const MIN = -(2n ** 63n);
const t = (text: string): DataType => parseCqlTypeString(text);

/**
 * The ranges (previous token, token] of a set of ring tokens, the one that wraps split at the
 * minimum token as Cassandra keeps them (`Range.unwrap`): (last, MIN] and (MIN, first]. A range that
 * already ends at MIN is not split. One token: the whole ring as (t, MIN] and (MIN, t].
 */
export function primaryRanges(tokens: readonly bigint[]): TokenSpan[] {
  const sorted = [...new Set(tokens)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  const out: TokenSpan[] = [];
  for (let i = 0; i < n; i++) {
    const end = sorted[i]!;
    const start = sorted[(i + n - 1) % n]!;
    if (i > 0) out.push({ start, end });
    else if (end === MIN) out.push({ start, end: MIN });
    else {
      out.push({ start, end: MIN });
      out.push({ start: MIN, end });
    }
  }
  return out;
}

/** Token halves (signed high, unsigned low) of a bigint token, as the store keeps them. */
function halves(token: bigint): [number, number] {
  return [Number(BigInt.asIntN(32, token >> 32n)), Number(BigInt.asUintN(32, token))];
}

/** Partition tokens and sizes of a table, in ring order, read without building row objects. */
interface PartitionSizes {
  readonly count: number;
  /** Index of the first partition whose token is > `token`. */
  after(token: bigint): number;
  /** Stored bytes of partitions [from, to). */
  bytes(from: number, to: number): number;
}

function partitionSizes(data: TableData): PartitionSizes {
  const layout = data.currentLayout();
  if (layout !== undefined) {
    return {
      count: layout.partitions,
      after: (token) => {
        const [hi, lo] = halves(token);
        return layoutIndexFrom(layout, hi, lo, undefined, false);
      },
      bytes: (from, to) =>
        from >= to ? 0 : layout.offsets[layout.partStart[to]!]! - layout.offsets[layout.partStart[from]!]!,
    };
  }
  const parts = data.sortedPartitions();
  const cumulative = new Float64Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) {
    let size = 0;
    for (const row of parts[i]!.sortedRows()) size += row.data.length;
    cumulative[i + 1] = cumulative[i]! + size;
  }
  return {
    count: parts.length,
    after: (token) => {
      const [hi, lo] = halves(token);
      return data.partitionIndexFrom(hi, lo, undefined, false);
    },
    bytes: (from, to) => cumulative[to]! - cumulative[from]!,
  };
}

/** partitions_count and mean_partition_size of the partitions whose token is in (start, end]. */
function estimate(sizes: PartitionSizes, span: TokenSpan): { partitions: bigint; meanSize: bigint } {
  const from = sizes.after(span.start);
  const to = span.end === MIN ? sizes.count : sizes.after(span.end);
  const partitions = Math.max(0, to - from);
  const meanSize = partitions === 0 ? 0 : Math.round(sizes.bytes(from, to) / partitions);
  return { partitions: BigInt(partitions), meanSize: BigInt(meanSize) };
}

/** Every table of the keyspaces Cassandra estimates (not those with LocalStrategy). */
function* estimatedTables(store: DataStore): Generator<{ keyspace: string; name: string; data: TableData }> {
  for (const ks of store.schema.keyspaces.values()) {
    if ((ks.replication.get('class') ?? '').endsWith('LocalStrategy')) continue;
    for (const table of ks.tables.values()) yield { keyspace: ks.name, name: table.name, data: store.table(table) };
  }
}

const ESTIMATE_COLUMNS = [
  { name: 'mean_partition_size', type: t('bigint') },
  { name: 'partitions_count', type: t('bigint') },
];

/**
 * system.size_estimates and system.table_estimates (Cassandra 4.0+ layout: the same columns and
 * types, in the same order), computed from the stored partitions on every read: a row per table of
 * every non-local keyspace and per primary range (size_estimates; table_estimates with range_type
 * 'primary'), and per primary range within the node's data center (range_type 'local_primary'),
 * the wrapping range split at the minimum token. A real node lists only its own ranges and
 * refreshes them from SSTables every few minutes; this server is one store, so every node answers
 * with the ranges of all nodes (together they cover the ring once per range type and data center),
 * always current. `partitions_count` counts the partitions whose token is in the range,
 * `mean_partition_size` is their mean stored size in bytes (0 for an empty range).
 */
export function sizeEstimateTables(store: DataStore, nodes: readonly EstimatedNode[]): VirtualTableDefinition[] {
  const allTokens = nodes.flatMap((n) => n.tokens.map((x) => BigInt(x)));
  const primary = primaryRanges(allTokens);
  const dataCenters = [...new Set(nodes.map((n) => n.dataCenter))].sort();
  const localPrimary = dataCenters.flatMap((dc) =>
    primaryRanges(nodes.filter((n) => n.dataCenter === dc).flatMap((n) => n.tokens.map((x) => BigInt(x)))),
  );
  const keyColumns = [
    { name: 'keyspace_name', type: t('text') },
    { name: 'table_name', type: t('text') },
  ];
  const rangeColumns = [
    { name: 'range_start', type: t('text') },
    { name: 'range_end', type: t('text') },
  ];
  const rowsOf = function* (withType: boolean) {
    for (const table of estimatedTables(store)) {
      const sizes = partitionSizes(table.data);
      const kinds: [string, readonly TokenSpan[]][] = withType
        ? [
            ['local_primary', localPrimary],
            ['primary', primary],
          ]
        : [['', primary]];
      for (const [rangeType, spans] of kinds) {
        for (const span of spans) {
          const { partitions, meanSize } = estimate(sizes, span);
          yield {
            keyspace_name: table.keyspace,
            table_name: table.name,
            ...(withType ? { range_type: rangeType } : {}),
            range_start: span.start.toString(),
            range_end: span.end.toString(),
            mean_partition_size: meanSize,
            partitions_count: partitions,
          };
        }
      }
    }
  };
  return [
    {
      keyspace: 'system',
      name: 'size_estimates',
      columns: [...keyColumns, ...rangeColumns, ...ESTIMATE_COLUMNS],
      partitionKey: ['keyspace_name'],
      clustering: ['table_name', 'range_start', 'range_end'],
      rows: () => rowsOf(false),
    },
    {
      keyspace: 'system',
      name: 'table_estimates',
      columns: [...keyColumns, { name: 'range_type', type: t('text') }, ...rangeColumns, ...ESTIMATE_COLUMNS],
      partitionKey: ['keyspace_name'],
      clustering: ['table_name', 'range_type', 'range_start', 'range_end'],
      rows: () => rowsOf(true),
    },
  ];
}
