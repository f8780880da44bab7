import { compareTokens } from '../../protocol/token/index.js';
import type { ClusteringComparator, StoredRow } from './partition.js';
import { Partition } from './partition.js';
import { decodeRow } from './row-layout.js';

/**
 * Every row of a table back to back in ring then clustering order, described by typed arrays
 * only (no object per row or per partition), so that a bulk-loaded table of millions of rows costs
 * little more than its encoded bytes and a `SELECT *` page is one view of `slab`.
 * Row i is `slab[offsets[i], offsets[i+1])` and belongs to partition `partitionOf[i]`; partition j
 * holds rows `[partStart[j], partStart[j+1])`, has token (`tokenHi[j]`, `tokenLo[j]`) and key
 * `keys[keyStart[j], keyStart[j+1])`.
 */
export interface SlabLayout {
  readonly slab: Buffer;
  readonly offsets: Int32Array;
  readonly partitionOf: Int32Array;
  readonly rows: number;
  readonly partitions: number;
  readonly partStart: Int32Array;
  readonly tokenHi: Int32Array;
  readonly tokenLo: Uint32Array;
  readonly keys: Buffer;
  readonly keyStart: Int32Array;
}

/** Shared by every row of a table without clustering columns (one less object per row). */
export const NO_CLUSTERING: Buffer[] = [];

/** The serialised key of partition `pi` (a view). */
export function layoutPartitionKey(l: SlabLayout, pi: number): Buffer {
  return l.keys.subarray(l.keyStart[pi], l.keyStart[pi + 1]);
}

/** The clustering values of row `row` (views of the slab). */
export function layoutRowClustering(l: SlabLayout, row: number, pkCount: number, ckCount: number): Buffer[] {
  if (ckCount === 0) return NO_CLUSTERING;
  const cells = decodeRow(l.slab.subarray(l.offsets[row], l.offsets[row + 1]), pkCount + ckCount);
  return cells.slice(pkCount) as Buffer[];
}

/**
 * Index of the first partition ordered after (or at, when inclusive) the token/key position;
 * the same contract as `TableData.partitionIndexFrom`.
 */
export function layoutIndexFrom(
  l: SlabLayout,
  tokenHi: number,
  tokenLo: number,
  key: Buffer | undefined,
  inclusive: boolean,
): number {
  let lo = 0,
    hi = l.partitions;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let c = compareTokens(l.tokenHi[mid]!, l.tokenLo[mid]!, tokenHi, tokenLo);
    if (c === 0 && key !== undefined) c = l.keys.compare(key, 0, key.length, l.keyStart[mid], l.keyStart[mid + 1]);
    if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First row of partition `pi` whose clustering compares > `mark` (rows of a partition are sorted). */
export function layoutRowAfter(
  l: SlabLayout,
  pi: number,
  mark: readonly Buffer[],
  pkCount: number,
  ckCount: number,
  compare: ClusteringComparator,
): number {
  let lo = l.partStart[pi]!,
    hi = l.partStart[pi + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(layoutRowClustering(l, mid, pkCount, ckCount), mark) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds the partition and row objects of a layout (rows are views of the slab), for the general
 * path and for writes: done once, on the first access that needs them.
 */
export function layoutPartitionObjects(
  l: SlabLayout,
  compare: ClusteringComparator,
  pkCount: number,
  ckCount: number,
): Partition[] {
  const out: Partition[] = new Array<Partition>(l.partitions);
  for (let pi = 0; pi < l.partitions; pi++) {
    const p = new Partition(layoutPartitionKey(l, pi), l.tokenHi[pi]!, l.tokenLo[pi]!, compare);
    const from = l.partStart[pi]!,
      to = l.partStart[pi + 1]!;
    p.layoutStart = from;
    const rows: StoredRow[] = new Array<StoredRow>(to - from);
    for (let r = from; r < to; r++) {
      rows[r - from] = {
        clustering: layoutRowClustering(l, r, pkCount, ckCount),
        data: l.slab.subarray(l.offsets[r], l.offsets[r + 1]),
        marker: true,
      };
    }
    p.rows = rows;
    out[pi] = p;
  }
  return out;
}
