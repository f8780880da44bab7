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
 * The primary ranges of the ring tokens in `own`: (previous ring token, token] for each, the one
 * that wraps split at the minimum token as Cassandra keeps them (`Range.unwrap`): (last, MIN] and
 * (MIN, first]. A range that ends at MIN is not split; with a single ring token, its range is the
 * whole ring: (t, MIN] and (MIN, t].
 */
export function primaryRanges(ring: readonly bigint[], own: ReadonlySet<bigint>): TokenSpan[] {
  const sorted = [...new Set(ring)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  const out: TokenSpan[] = [];
  for (let i = 0; i < n; i++) {
    const end = sorted[i]!;
    if (!own.has(end)) continue;
    const start = sorted[(i + n - 1) % n]!;
    if (i > 0 || end === MIN) out.push({ start, end });
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

/** The ranges a node reports: its primary ranges, and those within its data center. */
interface NodeRanges {
  readonly primary: readonly TokenSpan[];
  readonly localPrimary: readonly TokenSpan[];
}

function nodeRanges(nodes: readonly EstimatedNode[]): NodeRanges[] {
  const tokensOf = (list: readonly EstimatedNode[]) => list.flatMap((n) => n.tokens.map((x) => BigInt(x)));
  const ring = tokensOf(nodes);
  return nodes.map((node) => {
    const own = new Set(tokensOf([node]));
    return {
      primary: primaryRanges(ring, own),
      localPrimary: primaryRanges(tokensOf(nodes.filter((n) => n.dataCenter === node.dataCenter)), own),
    };
  });
}

/**
 * system.size_estimates and system.table_estimates (Cassandra 4.0+ layout: the same columns and
 * types, in the same order) as the node `readingNode()` reports them, computed from the stored
 * partitions on every read: a row per table of every non-local keyspace and per primary range of
 * that node (size_estimates; table_estimates with range_type 'primary'), and per primary range
 * within its data center (range_type 'local_primary'), the wrapping range split at the minimum
 * token. `partitions_count` counts the partitions whose token is in the range,
 * `mean_partition_size` is their mean stored size in bytes (0 for an empty range). Unlike a real
 * node, which refreshes them from SSTables every few minutes, they are always current.
 */
export function sizeEstimateTables(
  store: DataStore,
  nodes: readonly EstimatedNode[],
  readingNode: () => number,
): VirtualTableDefinition[] {
  const ranges = nodeRanges(nodes);
  const keyColumns = [
    { name: 'keyspace_name', type: t('text') },
    { name: 'table_name', type: t('text') },
  ];
  const rangeColumns = [
    { name: 'range_start', type: t('text') },
    { name: 'range_end', type: t('text') },
  ];
  const rowsOf = function* (withType: boolean) {
    const node = ranges[readingNode()] ?? ranges[0];
    if (node === undefined) return;
    const kinds: [string, readonly TokenSpan[]][] = withType
      ? [
          ['local_primary', node.localPrimary],
          ['primary', node.primary],
        ]
      : [['', node.primary]];
    for (const table of estimatedTables(store)) {
      const sizes = partitionSizes(table.data);
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
