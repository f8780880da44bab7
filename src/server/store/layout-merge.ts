import type { ClusteringComparator } from './partition.js';
import type { SlabLayout } from './slab-layout.js';
import { layoutIndexFrom, layoutPartitionKey, layoutRowClustering } from './slab-layout.js';

/**
 * Merges two slab layouts into one in ring then clustering order; on an equal primary key the
 * row of `b` (loaded later) replaces the row of `a`, as an upsert would. Each row of `b` finds its
 * place by binary search and the runs of `a` between them are copied with one copy each, so loading a table in chunks (one `load()` per chunk)
 * costs a few copies of the table, not a row-by-row insertion.
 */
export function mergeLayouts(
  a: SlabLayout,
  b: SlabLayout,
  compare: ClusteringComparator,
  pkCount: number,
  ckCount: number,
): SlabLayout {
  const max = a.rows + b.rows;
  const slab = Buffer.allocUnsafeSlow(a.slab.length + b.slab.length);
  const offsets = new Int32Array(max + 1);
  const partitionOf = new Int32Array(max);
  const partStart = new Int32Array(a.partitions + b.partitions + 1);
  const tokenHi = new Int32Array(a.partitions + b.partitions);
  const tokenLo = new Uint32Array(a.partitions + b.partitions);
  const keyStart = new Int32Array(a.partitions + b.partitions + 1);
  const keys = Buffer.allocUnsafeSlow(a.keys.length + b.keys.length);
  let rows = 0,
    parts = 0,
    o = 0,
    k = 0;
  // The partition of the last row written: its layout and index there.
  let lastFrom: SlabLayout | undefined;
  let lastPart = -1;
  let ia = 0;

  const emit = (from: SlabLayout, row: number): void => {
    const pi = from.partitionOf[row]!;
    if (lastFrom !== from || lastPart !== pi) {
      // A new partition unless it has the same token and key as the previous row's.
      const same =
        lastFrom !== undefined &&
        lastFrom.tokenHi[lastPart] === from.tokenHi[pi] &&
        lastFrom.tokenLo[lastPart] === from.tokenLo[pi] &&
        lastFrom.keys.compare(
          from.keys,
          from.keyStart[pi],
          from.keyStart[pi + 1],
          lastFrom.keyStart[lastPart],
          lastFrom.keyStart[lastPart + 1],
        ) === 0;
      if (!same) {
        partStart[parts] = rows;
        tokenHi[parts] = from.tokenHi[pi]!;
        tokenLo[parts] = from.tokenLo[pi]!;
        keyStart[parts] = k;
        k += from.keys.copy(keys, k, from.keyStart[pi], from.keyStart[pi + 1]);
        parts++;
      }
      lastFrom = from;
      lastPart = pi;
    }
    const s = from.offsets[row]!,
      e = from.offsets[row + 1]!;
    offsets[rows] = o;
    partitionOf[rows] = parts - 1;
    rows++;
    o += from.slab.copy(slab, o, s, e);
  };

  /** Rows [from, to) of `a` after their first: one copy of their bytes, offsets shifted. */
  const emitRunOfA = (from: number, to: number): void => {
    if (from >= to) return;
    emit(a, from);
    if (from + 1 >= to) return;
    const shift = o - a.offsets[from + 1]!;
    o += a.slab.copy(slab, o, a.offsets[from + 1], a.offsets[to]);
    for (let r = from + 1; r < to; r++) {
      const pi = a.partitionOf[r]!;
      if (pi !== lastPart) {
        // Within `a`, another partition of `a` is another partition.
        partStart[parts] = rows;
        tokenHi[parts] = a.tokenHi[pi]!;
        tokenLo[parts] = a.tokenLo[pi]!;
        keyStart[parts] = k;
        for (let x = a.keyStart[pi]!, end = a.keyStart[pi + 1]!; x < end; x++) keys[k++] = a.keys[x]!;
        parts++;
        lastPart = pi;
      }
      offsets[rows] = a.offsets[r]! + shift;
      partitionOf[rows] = parts - 1;
      rows++;
    }
  };

  for (let ib = 0; ib < b.rows; ib++) {
    // Where row ib of `b` goes in `a`: the first partition at or after its token and key, then
    // (same partition) the first row whose clustering is not below its own.
    const pb = b.partitionOf[ib]!;
    const key = layoutPartitionKey(b, pb);
    const pi = layoutIndexFrom(a, b.tokenHi[pb]!, b.tokenLo[pb]!, key, true);
    let at = a.partStart[pi]!;
    let replaces = false;
    if (
      pi < a.partitions &&
      a.tokenHi[pi] === b.tokenHi[pb] &&
      a.tokenLo[pi] === b.tokenLo[pb] &&
      layoutPartitionKey(a, pi).equals(key)
    ) {
      if (ckCount === 0) replaces = true;
      else {
        const clustering = layoutRowClustering(b, ib, pkCount, ckCount);
        let lo = at,
          hi = a.partStart[pi + 1]!;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (compare(layoutRowClustering(a, mid, pkCount, ckCount), clustering) < 0) lo = mid + 1;
          else hi = mid;
        }
        at = lo;
        replaces = at < a.partStart[pi + 1]! && compare(layoutRowClustering(a, at, pkCount, ckCount), clustering) === 0;
      }
    }
    if (at > ia) {
      emitRunOfA(ia, at);
      ia = at;
    }
    if (replaces) ia = Math.max(ia, at + 1);
    emit(b, ib);
  }
  emitRunOfA(ia, a.rows);
  offsets[rows] = o;
  partStart[parts] = rows;
  keyStart[parts] = k;
  return {
    slab: o === slab.length ? slab : Buffer.from(slab.subarray(0, o)),
    offsets: offsets.slice(0, rows + 1),
    partitionOf: partitionOf.slice(0, rows),
    rows,
    partitions: parts,
    partStart: partStart.slice(0, parts + 1),
    tokenHi: tokenHi.slice(0, parts),
    tokenLo: tokenLo.slice(0, parts),
    keys: k === keys.length ? keys : Buffer.from(keys.subarray(0, k)),
    keyStart: keyStart.slice(0, parts + 1),
  };
}
