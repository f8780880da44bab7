import { UNSET } from '../../protocol/primitives/index.js';
import { serializePartitionKey } from '../../protocol/token/index.js';
import type { DataType } from '../../protocol/types/index.js';
import type { Relation, RelationOp, Term } from '../cql/index.js';
import type { ColumnMetadata, TableMetadata } from '../schema/index.js';
import type { ValueComparator } from '../store/index.js';
import { comparatorFor } from '../store/index.js';
import type { BindValues } from './cql-values.js';
import { termBytes } from './cql-values.js';
import { checkKeyComponents, FILTERING_MESSAGE, invalidRequest, undefinedColumn } from './invalid-request.js';

/** A bound of a clustering slice in storage order: a prefix, inclusive or not. */
export interface SliceBound {
  readonly prefix: Buffer[];
  readonly inclusive: boolean;
}
/** A contiguous run of rows in a partition, in storage (clustering) order. */
export interface Slice {
  readonly start: SliceBound | undefined;
  readonly end: SliceBound | undefined;
}
/** A restriction checked row by row (ALLOW FILTERING, or partial keys). */
export interface RowFilter {
  readonly slot: number;
  readonly op: RelationOp;
  readonly values: (Buffer | null)[];
  readonly compare: ValueComparator;
  readonly type: DataType;
}
export interface TokenBound {
  readonly hi: number;
  readonly lo: number;
  readonly inclusive: boolean;
}

/** What a WHERE clause selects, resolved against bound values. */
export interface ReadPlan {
  /** Serialised partition keys (deduplicated, in IN order) when the partition key is fully given by = / IN. */
  readonly partitionKeys: Buffer[] | undefined;
  readonly tokenLower: TokenBound | undefined;
  readonly tokenUpper: TokenBound | undefined;
  /** Slices within each partition, in storage order; one unbounded slice when none restricted. */
  readonly slices: Slice[];
  readonly filters: RowFilter[];
}

const MAX_IN_PRODUCT = 1 << 16;

function termsOf(r: Relation & { kind: 'column' }): readonly Term[] {
  return Array.isArray(r.term) ? (r.term as readonly Term[]) : [r.term as Term];
}

/** The values an `=` / `IN` relation gives a column (IN ? takes a bound list). */
function eqValues(r: Relation & { kind: 'column' }, col: ColumnMetadata, values: BindValues): Buffer[] {
  if (r.op === 'IN' && !Array.isArray(r.term)) {
    const listType: DataType = { kind: 'list', element: col.type };
    const bytes = termBytes(r.term as Term, listType, { values, column: `in(${col.name})` });
    if (bytes === null || bytes === UNSET) throw invalidRequest(`Invalid null value for ${col.name} IN restriction`);
    return splitList(bytes);
  }
  const out: Buffer[] = [];
  for (const t of termsOf(r)) {
    const b = termBytes(t, col.type, { values, column: col.name });
    if (b === UNSET) throw invalidRequest(`Invalid unset value for column ${col.name}`);
    if (b === null) throw invalidRequest(`Invalid null value in condition for column ${col.name}`);
    out.push(b);
  }
  return out;
}

function splitList(b: Buffer): Buffer[] {
  if (b.length < 4) throw invalidRequest('Invalid list value for IN restriction');
  const n = b.readInt32BE(0);
  const out: Buffer[] = [];
  let p = 4;
  for (let i = 0; i < n; i++) {
    if (p + 4 > b.length) throw invalidRequest('Invalid list value for IN restriction');
    const len = b.readInt32BE(p);
    if (len < 0 || p + 4 + len > b.length) throw invalidRequest('Invalid list value for IN restriction');
    out.push(b.subarray(p + 4, p + 4 + len));
    p += 4 + len;
  }
  return out;
}

function product(lists: readonly Buffer[][]): Buffer[][] {
  let acc: Buffer[][] = [[]];
  for (const l of lists) {
    const next: Buffer[][] = [];
    for (const prefix of acc) for (const v of l) next.push([...prefix, v]);
    if (next.length > MAX_IN_PRODUCT)
      throw invalidRequest(`The cartesian product of the IN relations is greater than ${MAX_IN_PRODUCT}`);
    acc = next;
  }
  return acc;
}

/** Resolves a SELECT/UPDATE/DELETE WHERE clause against the table and the bound values. */
export function planRead(
  table: TableMetadata,
  where: readonly Relation[],
  values: BindValues,
  allowFiltering: boolean,
): ReadPlan {
  const pkEq = new Map<string, Buffer[]>();
  const ckEq = new Map<string, Buffer[]>();
  const ckRange = new Map<string, { op: RelationOp; value: Buffer }[]>();
  const filters: RowFilter[] = [];
  let tokenLower: TokenBound | undefined;
  let tokenUpper: TokenBound | undefined;

  const addFilter = (col: ColumnMetadata, r: Relation & { kind: 'column' }): void => {
    if (!allowFiltering) throw invalidRequest(FILTERING_MESSAGE);
    const vals = r.op === 'IN' ? eqValues(r, col, values) : [termBytesForFilter(r.term as Term, col, values)];
    filters.push({ slot: col.slot, op: r.op, values: vals, compare: comparatorFor(col.type), type: col.type });
  };

  for (const r of where) {
    if (r.kind === 'token') {
      const pkNames = table.partitionKey.map((c) => c.name);
      if (r.columns.length !== pkNames.length || r.columns.some((c, i) => c !== pkNames[i])) {
        throw invalidRequest(`The token() function must be applied to all partition key components or none of them`);
      }
      const b = termBytes(r.term, { kind: 'bigint' }, { values, column: 'partition key token' });
      if (b === null || b === UNSET || b.length !== 8)
        throw invalidRequest('Invalid null value for partition key token');
      const bound = { hi: b.readInt32BE(0), lo: b.readUInt32BE(4) };
      if (r.op === '>' || r.op === '>=') tokenLower = { ...bound, inclusive: r.op === '>=' };
      else if (r.op === '<' || r.op === '<=') {
        // An upper bound at the minimum token (-2^63) is no bound: Cassandra reads a range ending
        // there as running to the end of the ring, so `token(pk) <= -9223372036854775808` is the
        // whole table (StatementRestrictions.getPartitionKeyBoundsForTokenRestrictions skips its
        // empty-range rule when either bound is the minimum token; test/fixtures/README.md).
        tokenUpper = isMinimumToken(bound) ? undefined : { ...bound, inclusive: r.op === '<=' };
      } else if (r.op === '=') {
        tokenLower = { ...bound, inclusive: true };
        tokenUpper = { ...bound, inclusive: true };
      } else throw invalidRequest(`Unsupported operator ${r.op} on token()`);
      continue;
    }
    const col = table.byName.get(r.column);
    if (col === undefined) throw undefinedColumn(r.column, table);
    if (col.kind === 'partition_key' && (r.op === '=' || r.op === 'IN')) {
      if (pkEq.has(col.name))
        throw invalidRequest(`${col.name} cannot be restricted by more than one relation if it includes an Equal`);
      pkEq.set(col.name, eqValues(r, col, values));
    } else if (col.kind === 'clustering' && (r.op === '=' || r.op === 'IN')) {
      if (ckEq.has(col.name))
        throw invalidRequest(`${col.name} cannot be restricted by more than one relation if it includes an Equal`);
      ckEq.set(col.name, eqValues(r, col, values));
    } else if (col.kind === 'clustering' && ['<', '<=', '>', '>='].includes(r.op)) {
      const list = ckRange.get(col.name) ?? [];
      list.push({ op: r.op, value: termBytesForFilter(r.term as Term, col, values)! });
      ckRange.set(col.name, list);
    } else if (col.kind === 'partition_key') {
      if (!allowFiltering)
        throw invalidRequest(
          'Only EQ and IN relation are supported on the partition key (unless you use the token() function or allow filtering)',
        );
      addFilter(col, r);
    } else {
      addFilter(col, r);
    }
  }

  // Partition key: all components by = / IN, or none (then a filtered/ranged scan).
  let partitionKeys: Buffer[] | undefined;
  if (pkEq.size === table.partitionKey.length) {
    const lists = table.partitionKey.map((c) => pkEq.get(c.name)!);
    const seen = new Set<string>();
    partitionKeys = [];
    for (const combo of product(lists)) {
      checkKeyComponents(combo);
      const key = serializePartitionKey(combo);
      const id = key.toString('latin1');
      if (!seen.has(id)) {
        seen.add(id);
        partitionKeys.push(key);
      }
    }
  } else if (pkEq.size > 0) {
    if (!allowFiltering) {
      const missing = table.partitionKey.filter((c) => !pkEq.has(c.name)).map((c) => c.name);
      throw invalidRequest(
        `Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. ` +
          `If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING` +
          (missing.length > 0 ? '' : ''),
      );
    }
    for (const [name, vals] of pkEq) {
      const col = table.byName.get(name)!;
      filters.push({ slot: col.slot, op: 'IN', values: vals, compare: comparatorFor(col.type), type: col.type });
    }
  }

  // Clustering: an = / IN prefix, then at most one ranged column; the rest must be filtered.
  const eqLists: Buffer[][] = [];
  let rangeCol: ColumnMetadata | undefined;
  let broken = false;
  for (const col of table.clustering) {
    const eq = ckEq.get(col.name);
    const range = ckRange.get(col.name);
    if (!broken && eq !== undefined) {
      eqLists.push(eq);
      continue;
    }
    if (!broken && range !== undefined) {
      rangeCol = col;
      broken = true;
      continue;
    }
    if (eq !== undefined || range !== undefined) {
      if (!allowFiltering) {
        const prev = table.clustering[Math.max(0, col.position - 1)]!;
        throw invalidRequest(
          `PRIMARY KEY column "${col.name}" cannot be restricted as preceding column "${prev.name}" is not restricted`,
        );
      }
      if (eq !== undefined)
        filters.push({ slot: col.slot, op: 'IN', values: eq, compare: comparatorFor(col.type), type: col.type });
      for (const r of range ?? [])
        filters.push({ slot: col.slot, op: r.op, values: [r.value], compare: comparatorFor(col.type), type: col.type });
    }
    broken = true;
  }
  if ((eqLists.length > 0 || rangeCol !== undefined) && partitionKeys === undefined && !allowFiltering) {
    throw invalidRequest(FILTERING_MESSAGE);
  }
  const slices = buildSlices(table, eqLists, rangeCol, rangeCol ? ckRange.get(rangeCol.name)! : []);
  return { partitionKeys, tokenLower, tokenUpper, slices, filters };
}

function termBytesForFilter(term: Term, col: ColumnMetadata, values: BindValues): Buffer | null {
  const b = termBytes(term, col.type, { values, column: col.name });
  if (b === UNSET) throw invalidRequest(`Invalid unset value for column ${col.name}`);
  return b;
}

function buildSlices(
  table: TableMetadata,
  eqLists: Buffer[][],
  rangeCol: ColumnMetadata | undefined,
  ranges: readonly { op: RelationOp; value: Buffer }[],
): Slice[] {
  const prefixes = eqLists.length === 0 ? [[]] : product(eqLists);
  const slices: Slice[] = [];
  for (const prefix of prefixes) {
    let start: SliceBound | undefined = prefix.length > 0 ? { prefix, inclusive: true } : undefined;
    let end: SliceBound | undefined = prefix.length > 0 ? { prefix, inclusive: true } : undefined;
    if (rangeCol !== undefined) {
      const desc = rangeCol.clusteringOrder === 'desc';
      for (const r of ranges) {
        // In storage order a DESC column runs backwards: `>` bounds the end, `<` the start.
        const isLowerInValueOrder = r.op === '>' || r.op === '>=';
        const bound = { prefix: [...prefix, r.value], inclusive: r.op === '>=' || r.op === '<=' };
        if (isLowerInValueOrder !== desc) start = bound;
        else end = bound;
      }
    }
    slices.push({ start, end });
  }
  if (slices.length > 1) {
    const cmp = comparatorOfTable(table);
    slices.sort((a, b) => cmp(a.start?.prefix ?? [], b.start?.prefix ?? []));
  }
  return slices;
}

function comparatorOfTable(table: TableMetadata): (a: readonly Buffer[], b: readonly Buffer[]) => number {
  const cmps = table.clustering.map((c) => {
    const cmp = comparatorFor(c.type);
    return c.clusteringOrder === 'desc' ? (x: Buffer, y: Buffer) => cmp(y, x) : cmp;
  });
  return (a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = cmps[i]!(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  };
}

/** True when a row's cell passes one filter (null cells pass nothing, as in Cassandra). */
export function passesFilter(cell: Buffer | null, f: RowFilter): boolean {
  if (cell === null) return false;
  switch (f.op) {
    case '=':
      return f.values[0] !== null && f.compare(cell, f.values[0]!) === 0;
    case '!=':
      return f.values[0] === null || f.compare(cell, f.values[0]!) !== 0;
    case 'IN':
      return f.values.some((v) => v !== null && f.compare(cell, v) === 0);
    case '<':
      return f.values[0] !== null && f.compare(cell, f.values[0]!) < 0;
    case '<=':
      return f.values[0] !== null && f.compare(cell, f.values[0]!) <= 0;
    case '>':
      return f.values[0] !== null && f.compare(cell, f.values[0]!) > 0;
    case '>=':
      return f.values[0] !== null && f.compare(cell, f.values[0]!) >= 0;
    default:
      throw invalidRequest(`Unsupported restriction ${f.op} on the embedded server`);
  }
}

/** True for the Murmur3 minimum token, -2^63 (high word 0x80000000, low word 0). */
function isMinimumToken(bound: { hi: number; lo: number }): boolean {
  return bound.hi === -0x80000000 && bound.lo === 0;
}
