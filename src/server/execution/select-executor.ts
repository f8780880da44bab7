import type { ColumnSpec } from '../../protocol/messages/index.js';
import { PrimitiveWriter } from '../../protocol/primitives/index.js';
import { compareTokens, murmur3TokenHalves, tokenHalves } from '../../protocol/token/index.js';
import type { DataType } from '../../protocol/types/index.js';
import type { SelectStatement, Term } from '../cql/index.js';
import type { PagingState } from '../paging/index.js';
import { decodePagingState, decodeRowMark, encodePagingState, encodeRowMark, NO_LIMIT } from '../paging/index.js';
import type { TableMetadata } from '../schema/index.js';
import type { Partition, StoredRow, TableData } from '../store/index.js';
import { cellValue, comparePartitions } from '../store/index.js';
import type { BindValues } from './cql-values.js';
import { termBytes } from './cql-values.js';
import { invalidRequest, undefinedColumn } from './invalid-request.js';
import type { RowsPage } from './result.js';
import { rowsPage } from './result.js';
import type { ReadPlan, Slice } from './select-plan.js';
import { passesFilter, planRead } from './select-plan.js';
import { slabPage } from './slab-scan.js';

const BIGINT: DataType = { kind: 'bigint' };
const INT: DataType = { kind: 'int' };

/** One output column: a stored cell, the partition's token, or the count. */
type Output = { kind: 'slot'; slot: number } | { kind: 'token' } | { kind: 'count' };

/** The result columns of a SELECT and how to produce each (also used by PREPARE). */
export function selectColumns(
  table: TableMetadata,
  s: SelectStatement,
): { specs: ColumnSpec[]; outputs: Output[]; star: boolean; aggregate: boolean } {
  const spec = (name: string, type: DataType): ColumnSpec => ({
    keyspace: table.keyspace,
    table: table.name,
    name,
    type,
  });
  if (s.json) throw invalidRequest('SELECT JSON is not supported by the embedded server');
  if (s.selectors === undefined) {
    return {
      specs: table.columns.map((c) => spec(c.name, c.type)),
      outputs: table.columns.map((c) => ({ kind: 'slot', slot: c.slot })),
      star: true,
      aggregate: false,
    };
  }
  const specs: ColumnSpec[] = [];
  const outputs: Output[] = [];
  let aggregate = false;
  for (const sel of s.selectors) {
    switch (sel.kind) {
      case 'column': {
        const col = table.byName.get(sel.name);
        if (col === undefined) throw undefinedColumn(sel.name, table);
        specs.push(spec(sel.alias ?? col.name, col.type));
        outputs.push({ kind: 'slot', slot: col.slot });
        break;
      }
      case 'count':
        aggregate = true;
        specs.push(spec(sel.alias ?? 'count', BIGINT));
        outputs.push({ kind: 'count' });
        break;
      case 'token': {
        const pk = table.partitionKey.map((c) => c.name);
        if (sel.columns.length !== pk.length || sel.columns.some((c, i) => c !== pk[i])) {
          throw invalidRequest(`Type error: token() takes the partition key columns (${pk.join(', ')}) in order`);
        }
        specs.push(spec(sel.alias ?? `system.token(${sel.columns.join(', ')})`, BIGINT));
        outputs.push({ kind: 'token' });
        break;
      }
      default:
        throw invalidRequest(`${sel.kind}() is not supported by the embedded server`);
    }
  }
  return { specs, outputs, star: false, aggregate };
}

/** A positive LIMIT / PER PARTITION LIMIT value (literal or bound). */
function limitValue(term: Term | undefined, values: BindValues, what: string): number {
  if (term === undefined) return NO_LIMIT;
  const b = termBytes(term, INT, { values, column: what === 'LIMIT' ? '[limit]' : '[per_partition_limit]' });
  if (b === null || !(b instanceof Buffer) || b.length !== 4)
    throw invalidRequest(`Invalid null value of ${what.toLowerCase()}`);
  const n = b.readInt32BE(0);
  if (n <= 0) throw invalidRequest(`${what} must be strictly positive`);
  return n;
}

export interface SelectRequest {
  readonly table: TableMetadata;
  readonly data: TableData;
  readonly statement: SelectStatement;
  readonly values: BindValues;
  /** Rows per page; undefined or ≤ 0 = no paging. */
  readonly pageSize: number | undefined;
  readonly pagingState: Buffer | undefined;
}

/** Where a page starts: the partition index in the candidate list and the row after which to resume. */
interface Start {
  partitionIndex: number;
  afterClustering: Buffer[] | undefined;
  remaining: number;
  /** Rows already returned from the partition we resume in (PER PARTITION LIMIT). */
  countedInPartition: number;
}

/**
 * Runs a SELECT over one table, one page at a time, with Cassandra's paging contract
 * (native_protocol_v5.spec §7 (Result paging), as Cassandra's pagers keep it): a paging state
 * whenever a page is full and the LIMIT is not reached (so an exact multiple ends with one empty
 * page), encoding only the data position and the counters.
 */
export function executeSelect(req: SelectRequest): RowsPage {
  const { table, data, statement: s, values } = req;
  const { specs, outputs, star, aggregate } = selectColumns(table, s);
  const plan = planRead(table, s.where, values, s.allowFiltering);
  const reversed = orderIsReversed(table, s, plan);
  const limit = limitValue(s.limit, values, 'LIMIT');
  const perPartition = s.distinct ? 1 : limitValue(s.perPartitionLimit, values, 'PER PARTITION LIMIT');

  const pageSize = req.pageSize !== undefined && req.pageSize > 0 ? req.pageSize : undefined;
  const decoded = req.pagingState === undefined ? undefined : decodePagingState(req.pagingState);
  // Before the candidate partitions: the slab path needs no partition object (see slab-scan.ts).
  if (
    star &&
    !aggregate &&
    !reversed &&
    plan.partitionKeys === undefined &&
    plan.filters.length === 0 &&
    perPartition === NO_LIMIT &&
    plan.slices.length === 1 &&
    plan.slices[0]!.start === undefined &&
    plan.slices[0]!.end === undefined
  ) {
    const fast = slabPage(table, data, plan, specs, pageSize, decoded, limit);
    if (fast !== undefined) return fast;
  }

  const partitions = candidatePartitions(data, plan);
  const single = plan.partitionKeys?.length === 1;

  if (aggregate) return aggregateResult(specs, outputs, partitions, plan, perPartition);
  if (s.orderBy.length > 0 && plan.partitionKeys !== undefined && plan.partitionKeys.length > 1) {
    if (req.pageSize !== undefined && req.pageSize > 0) {
      throw invalidRequest(
        'Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must either ' +
          'remove the ORDER BY or the IN and sort client side, or disable paging for this query',
      );
    }
    return sortedAcrossPartitions(
      specs,
      outputs,
      star,
      partitions,
      plan,
      data.compareClustering,
      reversed,
      limit,
      perPartition,
    );
  }

  const start =
    decoded === undefined
      ? { partitionIndex: partitions.first, afterClustering: undefined, remaining: limit, countedInPartition: 0 }
      : resumePoint(decoded, partitions, perPartition, single, table);
  const maxRows = Math.min(start.remaining, pageSize ?? NO_LIMIT);

  const rowsOut: Buffer[] = [];
  const writer = star ? undefined : new PrimitiveWriter(256);
  let count = 0;
  let lastPartition: Partition | undefined;
  let lastRow: StoredRow | undefined;
  let countedInLast = 0;

  const tokenBounded = plan.tokenUpper !== undefined;
  const filtered = plan.filters.length > 0;
  const slices = plan.slices;
  const list = partitions.list;
  outer: for (let pi = start.partitionIndex; pi < list.length && count < maxRows; pi++) {
    const p = list[pi]!;
    if (tokenBounded && !partitions.inRange(p)) break;
    const resuming = pi === start.partitionIndex && start.afterClustering !== undefined;
    let inPartition = pi === start.partitionIndex ? start.countedInPartition : 0;
    if (inPartition >= perPartition) continue;
    const rows = p.sortedRows();
    for (let sj = 0; sj < slices.length; sj++) {
      const slice = slices[reversed ? slices.length - 1 - sj : sj]!;
      let from = slice.start === undefined ? 0 : sliceFrom(p, slice);
      let to = slice.end === undefined ? rows.length : sliceTo(p, slice);
      if (resuming) {
        // Resume strictly after the last row returned, in the direction of iteration.
        if (reversed) to = Math.min(to, p.lowerBound(start.afterClustering!, true));
        else from = Math.max(from, p.lowerBound(start.afterClustering!, false));
      }
      const step = reversed ? -1 : 1;
      for (let ri = reversed ? to - 1 : from; reversed ? ri >= from : ri < to; ri += step) {
        const row = rows[ri]!;
        if (filtered && !rowPasses(row, plan)) continue;
        if (star) rowsOut.push(row.data);
        else writeProjected(writer!, row, p, outputs);
        count++;
        inPartition++;
        lastPartition = p;
        lastRow = row;
        countedInLast = inPartition;
        if (count >= maxRows) break outer;
        if (inPartition >= perPartition) break;
      }
      if (inPartition >= perPartition) break;
    }
  }

  const result = rowsPage(specs, count, star ? contiguousOrList(rowsOut) : writer!.finishCopy());
  const remaining = start.remaining - count;
  if (pageSize !== undefined && count === pageSize && remaining > 0 && lastPartition !== undefined) {
    const state: PagingState = {
      partitionKey: single ? Buffer.alloc(0) : lastPartition.key,
      rowMark: table.clustering.length > 0 ? encodeRowMark(lastRow!.clustering) : Buffer.alloc(0),
      remaining,
      remainingInPartition: perPartition - countedInLast,
    };
    result.metadata.pagingState = encodePagingState(state);
  }
  return result;
}

/** The partitions a plan may touch, in the order Cassandra returns them, and the token range test. */
interface Candidates {
  list: Partition[];
  /** Index of the first candidate in `list` (token lower bound of a ring scan). */
  first: number;
  inRange(p: Partition): boolean;
  /** True for ring scans (every partition in token order), false for listed keys (also in ring order). */
  ring: boolean;
  /** Index of the first candidate at or after (token, key) in ring order. */
  indexFrom(hi: number, lo: number, key: Buffer): number;
}

function candidatePartitions(data: TableData, plan: ReadPlan): Candidates {
  const { tokenLower: lo, tokenUpper: hi } = plan;
  const inRange = (p: Partition): boolean => {
    if (hi === undefined) return true;
    const c = compareTokens(p.tokenHi, p.tokenLo, hi.hi, hi.lo);
    return c < 0 || (c === 0 && hi.inclusive);
  };
  if (plan.partitionKeys !== undefined) {
    const list: Partition[] = [];
    for (const key of plan.partitionKeys) {
      const p = data.partition(key);
      if (p === undefined || p.size === 0) continue;
      if (lo !== undefined) {
        const c = compareTokens(p.tokenHi, p.tokenLo, lo.hi, lo.lo);
        if (c < 0 || (c === 0 && !lo.inclusive)) continue;
      }
      list.push(p);
    }
    // Since Cassandra 2.2 (CASSANDRA-7981) IN results come in the normal order (ring order), not the
    // order of the IN values, and duplicates are removed.
    list.sort(comparePartitions);
    return {
      list,
      first: 0,
      inRange,
      ring: false,
      indexFrom: (h, l, key) => {
        const i = list.findIndex((p) => {
          const c = compareTokens(p.tokenHi, p.tokenLo, h, l);
          return c > 0 || (c === 0 && Buffer.compare(p.key, key) >= 0);
        });
        return i < 0 ? list.length : i;
      },
    };
  }
  const all = data.sortedPartitions();
  const from = lo === undefined ? 0 : data.partitionIndexFrom(lo.hi, lo.lo, undefined, lo.inclusive);
  return {
    list: all,
    first: from,
    inRange,
    ring: true,
    indexFrom: (h, l, key) => Math.max(from, data.partitionIndexFrom(h, l, key, true)),
  };
}

function resumePoint(
  state: PagingState,
  partitions: Candidates,
  perPartition: number,
  single: boolean,
  table: TableMetadata,
): Start {
  const mark =
    state.rowMark.length > 0 && table.clustering.length > 0
      ? decodeRowMark(state.rowMark, table.clustering.length)
      : undefined;
  const counted = perPartition === NO_LIMIT ? 0 : Math.max(0, perPartition - state.remainingInPartition);
  // An empty row mark means the whole last partition was returned: continue after it.
  if (single) {
    return mark === undefined
      ? {
          partitionIndex: partitions.list.length,
          afterClustering: undefined,
          remaining: state.remaining,
          countedInPartition: 0,
        }
      : { partitionIndex: 0, afterClustering: mark, remaining: state.remaining, countedInPartition: counted };
  }
  const key = state.partitionKey;
  if (key.length === 0)
    return {
      partitionIndex: partitions.first,
      afterClustering: mark,
      remaining: state.remaining,
      countedInPartition: counted,
    };
  // Resume by position, not by identity: the first partition at or after the key (the key itself
  // when it still exists, else the next one in ring order: it may have been deleted meanwhile).
  murmur3TokenHalves(key);
  const index = partitions.indexFrom(tokenHalves.hi, tokenHalves.lo, key);
  const p = partitions.list[index];
  const same = p?.key.equals(key) === true;
  if (!same || mark === undefined) {
    return {
      partitionIndex: same ? index + 1 : index,
      afterClustering: undefined,
      remaining: state.remaining,
      countedInPartition: 0,
    };
  }
  return { partitionIndex: index, afterClustering: mark, remaining: state.remaining, countedInPartition: counted };
}

/**
 * Validates ORDER BY as Cassandra does and tells whether it reverses the clustering order
 * (allowed: the clustering columns in key order, all in their declared direction or all reversed).
 */
function orderIsReversed(table: TableMetadata, s: SelectStatement, plan: ReadPlan): boolean {
  if (s.orderBy.length === 0) return false;
  if (plan.partitionKeys === undefined)
    throw invalidRequest('ORDER BY is only supported when the partition key is restricted by an EQ or an IN.');
  let reversed: boolean | undefined;
  s.orderBy.forEach((o, i) => {
    const col = table.byName.get(o.column);
    if (col === undefined) throw undefinedColumn(o.column, table);
    if (col.kind !== 'clustering')
      throw invalidRequest(
        `Order by is currently only supported on the clustered columns of the PRIMARY KEY, got ${o.column}`,
      );
    if (col.position !== i)
      throw invalidRequest(
        'Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY',
      );
    const r = (col.clusteringOrder === 'desc') !== o.descending;
    if (reversed !== undefined && r !== reversed) throw invalidRequest('Unsupported order by relation');
    reversed = r;
  });
  return reversed === true;
}

/** IN + ORDER BY without paging: every selected row, sorted by clustering across partitions (ties in ring order). */
function sortedAcrossPartitions(
  specs: ColumnSpec[],
  outputs: readonly Output[],
  star: boolean,
  partitions: Candidates,
  plan: ReadPlan,
  compare: (a: readonly Buffer[], b: readonly Buffer[]) => number,
  reversed: boolean,
  limit: number,
  perPartition: number,
): RowsPage {
  const picked: { p: Partition; row: StoredRow }[] = [];
  for (const p of partitions.list) {
    const rows = p.sortedRows();
    let inPartition = 0;
    for (const slice of plan.slices) {
      const from = slice.start === undefined ? 0 : sliceFrom(p, slice);
      const to = slice.end === undefined ? rows.length : sliceTo(p, slice);
      const list = rows.slice(from, Math.max(from, to));
      if (reversed) list.reverse();
      for (const row of list) {
        if (inPartition >= perPartition) break;
        if (plan.filters.length > 0 && !rowPasses(row, plan)) continue;
        picked.push({ p, row });
        inPartition++;
      }
    }
  }
  picked.sort((a, b) =>
    reversed ? compare(b.row.clustering, a.row.clustering) : compare(a.row.clustering, b.row.clustering),
  );
  const chosen = picked.slice(0, limit);
  if (star)
    return rowsPage(
      specs,
      chosen.length,
      chosen.map((x) => x.row.data),
    );
  const w = new PrimitiveWriter(256);
  for (const x of chosen) writeProjected(w, x.row, x.p, outputs);
  return rowsPage(specs, chosen.length, w.finishCopy());
}

/**
 * One view over the rows' bytes when they lie back to back in one slab (the store lays rows out
 * so that they do), else the list of row buffers.
 */
function contiguousOrList(rows: Buffer[]): Buffer | Buffer[] {
  if (rows.length === 0) return rows;
  const first = rows[0]!;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.buffer !== first.buffer || r.byteOffset !== end) return rows;
    end += r.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** First row index of a slice with a start bound. */
function sliceFrom(p: Partition, slice: Slice): number {
  return p.lowerBound(slice.start!.prefix, slice.start!.inclusive);
}

/** One past the last row index of a slice with an end bound. */
function sliceTo(p: Partition, slice: Slice): number {
  return p.lowerBound(slice.end!.prefix, !slice.end!.inclusive);
}

function rowPasses(row: StoredRow, plan: ReadPlan): boolean {
  for (const f of plan.filters) if (!passesFilter(cellValue(row.data, f.slot), f)) return false;
  return true;
}

const cellStarts: number[] = [];

/** Appends the selected cells of a row ([bytes] each) to the page. */
function writeProjected(w: PrimitiveWriter, row: StoredRow, p: Partition, outputs: readonly Output[]): void {
  const data = row.data;
  // Cell offsets once per row (reused array: no allocation).
  let pos = 0;
  let n = 0;
  while (pos < data.length) {
    cellStarts[n++] = pos;
    const len = data.readInt32BE(pos);
    pos += 4 + (len > 0 ? len : 0);
  }
  cellStarts[n] = pos;
  for (const o of outputs) {
    if (o.kind === 'slot') {
      w.raw(data.subarray(cellStarts[o.slot], cellStarts[o.slot + 1]));
    } else if (o.kind === 'token') {
      w.int(8).int(p.tokenHi).uint(p.tokenLo);
    } else {
      w.int(-1);
    }
  }
}

/** COUNT(*) (alone or with columns, whose values come from the first row): one row, no paging. */
function aggregateResult(
  specs: ColumnSpec[],
  outputs: readonly Output[],
  partitions: Candidates,
  plan: ReadPlan,
  perPartition: number,
): RowsPage {
  let total = 0;
  let first: { row: StoredRow; p: Partition } | undefined;
  for (let pi = partitions.first; pi < partitions.list.length; pi++) {
    const p = partitions.list[pi]!;
    if (!partitions.inRange(p)) break;
    const rows = p.sortedRows();
    let inPartition = 0;
    for (const slice of plan.slices) {
      const from = slice.start === undefined ? 0 : sliceFrom(p, slice);
      const to = slice.end === undefined ? rows.length : sliceTo(p, slice);
      for (let ri = from; ri < to && inPartition < perPartition; ri++) {
        if (plan.filters.length > 0 && !rowPasses(rows[ri]!, plan)) continue;
        first ??= { row: rows[ri]!, p };
        total++;
        inPartition++;
      }
    }
  }
  const w = new PrimitiveWriter(64);
  for (const o of outputs) {
    if (o.kind === 'count') w.int(8).long(BigInt(total));
    else if (first === undefined) w.int(-1);
    else if (o.kind === 'token') w.int(8).int(first.p.tokenHi).uint(first.p.tokenLo);
    else {
      const v = cellValue(first.row.data, o.slot);
      w.bytes(v);
    }
  }
  return rowsPage(specs, 1, w.finishCopy());
}
