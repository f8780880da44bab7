import { decodeRowMark, encodePagingState, encodeRowMark, NO_LIMIT } from '../paging/index.js';
import type { PagingState } from '../paging/index.js';
import type { TableMetadata } from '../schema/index.js';
import type { TableData } from '../store/index.js';
import type { ColumnSpec, RowsResult } from './result.js';
import type { ReadPlan } from './select-plan.js';

/**
 * The fast path of `SELECT *` over a whole table or a token range (the benchmark's query): when
 * the store's slab layout is current, a page is one view of the slab between two row offsets, so
 * serving a page costs O(log n), not O(rows), and copies nothing. Returns undefined when the
 * layout is not current or the position cannot be found in it (the general path then serves).
 */
export function slabPage(
  table: TableMetadata, data: TableData, plan: ReadPlan, specs: ColumnSpec[], first: number,
  pageSize: number | undefined, state: PagingState | undefined, limit: number,
): RowsResult | undefined {
  const layout = data.currentLayout();
  if (layout === undefined) return undefined;
  const { ordered, offsets, partitionOf, rows, slab } = layout;
  const startOf = (pi: number): number => (pi < ordered.length ? ordered[pi]!.layoutStart : rows);

  let start = startOf(first);
  let remaining = limit;
  if (state !== undefined) {
    remaining = state.remaining;
    if (state.partitionKey.length === 0) return undefined;
    const p = data.partition(state.partitionKey);
    if (p === undefined || p.size === 0 || ordered[partitionOf[p.layoutStart]!] !== p) return undefined;
    const mark = state.rowMark.length > 0 && table.clustering.length > 0 ? decodeRowMark(state.rowMark, table.clustering.length) : undefined;
    start = Math.max(start, mark === undefined ? p.layoutStart + p.size : p.layoutStart + p.lowerBound(mark, false));
  }
  let end = rows;
  const upper = plan.tokenUpper;
  if (upper !== undefined) end = startOf(data.partitionIndexFrom(upper.hi, upper.lo, undefined, !upper.inclusive));
  const n = Math.max(0, Math.min(end - start, remaining, pageSize ?? NO_LIMIT));

  const result: RowsResult = {
    kind: 'rows', columns: specs, rowCount: n,
    rowsContent: n === 0 ? [] : slab.subarray(offsets[start]!, offsets[start + n]!),
  };
  if (pageSize !== undefined && n === pageSize && remaining - n > 0) {
    const last = start + n - 1;
    const p = ordered[partitionOf[last]!]!;
    const row = p.rows[last - p.layoutStart]!;
    result.pagingState = encodePagingState({
      partitionKey: p.key,
      rowMark: table.clustering.length > 0 ? encodeRowMark(row.clustering) : Buffer.alloc(0),
      remaining: remaining - n,
      remainingInPartition: NO_LIMIT - (last - Math.max(start, p.layoutStart) + 1),
    });
  }
  return result;
}
