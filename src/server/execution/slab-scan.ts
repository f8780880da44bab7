import type { ColumnSpec } from '../../protocol/messages/index.js';
import { murmur3TokenHalves, tokenHalves } from '../../protocol/token/index.js';
import type { PagingState } from '../paging/index.js';
import { decodeRowMark, encodePagingState, encodeRowMark, NO_LIMIT } from '../paging/index.js';
import type { TableMetadata } from '../schema/index.js';
import type { TableData } from '../store/index.js';
import { layoutIndexFrom, layoutPartitionKey, layoutRowAfter, layoutRowClustering } from '../store/index.js';
import type { RowsPage } from './result.js';
import { rowsPage } from './result.js';
import type { ReadPlan } from './select-plan.js';

/**
 * The fast path of `SELECT *` over a whole table or a token range (the benchmark's query): when
 * the store's slab layout is current, a page is one view of the slab between two row offsets, so
 * serving a page costs O(log n), not O(rows), copies nothing and touches no row or partition
 * object (a bulk-loaded table has none until something else needs them). Returns undefined when
 * the layout is not current or the position cannot be found in it (the general path then serves).
 */
export function slabPage(
  table: TableMetadata,
  data: TableData,
  plan: ReadPlan,
  specs: ColumnSpec[],
  pageSize: number | undefined,
  state: PagingState | undefined,
  limit: number,
): RowsPage | undefined {
  const layout = data.currentLayout();
  if (layout === undefined) return undefined;
  const { offsets, partitionOf, rows, slab, partStart } = layout;
  const pkCount = table.partitionKey.length,
    ckCount = table.clustering.length;

  const lower = plan.tokenLower;
  let start =
    partStart[lower === undefined ? 0 : layoutIndexFrom(layout, lower.hi, lower.lo, undefined, lower.inclusive)]!;
  let remaining = limit;
  if (state !== undefined) {
    remaining = state.remaining;
    const key = state.partitionKey;
    if (key.length === 0) return undefined;
    murmur3TokenHalves(key);
    const pi = layoutIndexFrom(layout, tokenHalves.hi, tokenHalves.lo, key, true);
    // The partition of the paging state is gone: the general path resumes at the next one.
    if (pi >= layout.partitions || !layoutPartitionKey(layout, pi).equals(key)) return undefined;
    const mark = state.rowMark.length > 0 && ckCount > 0 ? decodeRowMark(state.rowMark, ckCount) : undefined;
    start = Math.max(
      start,
      mark === undefined
        ? partStart[pi + 1]!
        : layoutRowAfter(layout, pi, mark, pkCount, ckCount, data.compareClustering),
    );
  }
  let end = rows;
  const upper = plan.tokenUpper;
  if (upper !== undefined) end = partStart[layoutIndexFrom(layout, upper.hi, upper.lo, undefined, !upper.inclusive)]!;
  const n = Math.max(0, Math.min(end - start, remaining, pageSize ?? NO_LIMIT));

  const result = rowsPage(specs, n, n === 0 ? [] : slab.subarray(offsets[start], offsets[start + n]));
  if (pageSize !== undefined && n === pageSize && remaining - n > 0) {
    const last = start + n - 1;
    const pi = partitionOf[last]!;
    result.metadata.pagingState = encodePagingState({
      partitionKey: layoutPartitionKey(layout, pi),
      rowMark: ckCount > 0 ? encodeRowMark(layoutRowClustering(layout, last, pkCount, ckCount)) : Buffer.alloc(0),
      remaining: remaining - n,
      remainingInPartition: NO_LIMIT - (last - Math.max(start, partStart[pi]!) + 1),
    });
  }
  return result;
}
