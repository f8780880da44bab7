import { compareTokens } from '../../protocol/token/index.js';
import type { TableMetadata } from '../schema/index.js';
import type { ClusteringComparator, Partition } from './partition.js';
import { comparatorFor } from './value-comparator.js';

/** Orders partitions as Cassandra's ring does: by token, then by key bytes. */
export function comparePartitions(a: Partition, b: Partition): number {
  const d = a.approxToken - b.approxToken;
  if (d !== 0) return d;
  return compareTokens(a.tokenHi, a.tokenLo, b.tokenHi, b.tokenLo) || Buffer.compare(a.key, b.key);
}

/** Builds the clustering comparator of a table: per-column type order, reversed for DESC. */
export function clusteringComparator(table: TableMetadata): ClusteringComparator {
  const cmps = table.clustering.map((c) => {
    const cmp = comparatorFor(c.type);
    return c.clusteringOrder === 'desc' ? (a: Buffer, b: Buffer) => cmp(b, a) : cmp;
  });
  // Prefixes compare equal on their common columns (slices use prefix bounds).
  return (a, b) => {
    const n = Math.min(a.length, b.length, cmps.length);
    for (let i = 0; i < n; i++) {
      const c = cmps[i]!(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/**
 * Sorts partitions in ring order. Large batches (bulk loads) are first bucketed by the top 16
 * bits of the token (tokens are uniformly spread), so the comparison sort only orders small
 * buckets: about 4 comparisons per partition instead of log2(n).
 */
export function sortPartitions(parts: Partition[]): void {
  if (parts.length < 4096) {
    parts.sort(comparePartitions);
    return;
  }
  const counts = new Uint32Array(65537);
  for (const p of parts) counts[((p.tokenHi >>> 16) ^ 0x8000) + 1]!++;
  for (let i = 1; i <= 65536; i++) counts[i]! += counts[i - 1]!;
  const starts = counts.slice(0, 65536);
  const out: Partition[] = new Array<Partition>(parts.length);
  for (const p of parts) out[counts[(p.tokenHi >>> 16) ^ 0x8000]!++] = p;
  for (let b = 0; b < 65536; b++) {
    const from = starts[b]!,
      to = b === 65535 ? parts.length : starts[b + 1]!;
    if (to - from > 1) {
      const bucket = out.slice(from, to).sort(comparePartitions);
      for (let i = 0; i < bucket.length; i++) out[from + i] = bucket[i]!;
    }
  }
  for (let i = 0; i < out.length; i++) parts[i] = out[i]!;
}

export function mergeSorted(a: Partition[], b: Partition[]): Partition[] {
  const out: Partition[] = new Array<Partition>(a.length + b.length);
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length && j < b.length) out[k++] = comparePartitions(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
