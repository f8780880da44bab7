import type { ColumnSpec } from '../../protocol/messages/index.js';
import { UNSET } from '../../protocol/primitives/index.js';
import { serializePartitionKey } from '../../protocol/token/index.js';
import type { DataType } from '../../protocol/types/index.js';
import type { Assignment, DeleteStatement, InsertStatement, UpdateStatement } from '../cql/index.js';
import type { ColumnMetadata, TableMetadata } from '../schema/index.js';
import type { TableData } from '../store/index.js';
import { decodeRow, encodeRow } from '../store/index.js';
import { combineCollection, joinElements, splitElements, storedCell } from './collection-cells.js';
import type { BindValues, BoundValue } from './cql-values.js';
import { termBytes } from './cql-values.js';
import { checkKeyComponents, invalidRequest, undefinedColumn } from './invalid-request.js';
import type { RowsPage } from './result.js';
import { rowsPage } from './result.js';
import { planRead } from './select-plan.js';

const BOOLEAN: DataType = { kind: 'boolean' };
const TRUE = Buffer.from([1]);
const FALSE = Buffer.from([0]);

/** The `[applied]` result of a conditional statement; when not applied, with the existing row. */
function appliedResult(table: TableMetadata, applied: boolean, existing: Buffer | undefined): RowsPage {
  const spec = (name: string, type: DataType): ColumnSpec => ({
    keyspace: table.keyspace,
    table: table.name,
    name,
    type,
  });
  const columns = [spec('[applied]', BOOLEAN)];
  const parts = [encodeRow([applied ? TRUE : FALSE])];
  if (existing !== undefined) {
    for (const c of table.columns) columns.push(spec(c.name, c.type));
    parts.push(existing);
  }
  const result = rowsPage(columns, 1, Buffer.concat(parts));
  result.conditional = true;
  return result;
}

/** A value written to a cell, as stored (see `storedCell`); UNSET leaves the cell alone. */
function cellBytes(col: ColumnMetadata, v: BoundValue): Buffer | null | undefined {
  if (v === UNSET) return undefined;
  if (v === null) return null;
  return storedCell(col.type, v);
}

function keyValue(col: ColumnMetadata, v: BoundValue): Buffer {
  if (v === UNSET) throw invalidRequest(`Invalid unset value for column ${col.name}`);
  if (v === null) throw invalidRequest(`Invalid null value in condition for column ${col.name}`);
  return v;
}

/** INSERT: an upsert of the given columns with a row marker; IF NOT EXISTS gives `[applied]`. */
export function executeInsert(
  s: InsertStatement,
  table: TableMetadata,
  data: TableData,
  values: BindValues,
): RowsPage | undefined {
  if (table.isCounter) throw invalidRequest('INSERT statements are not allowed on counter tables, use UPDATE instead');
  if (s.columns.length !== s.values.length) throw invalidRequest('Unmatched column names/values');
  const cells: (Buffer | null | undefined)[] = new Array<Buffer | null | undefined>(table.columns.length);
  const given = new Set<string>();
  s.columns.forEach((name, i) => {
    const col = table.byName.get(name);
    if (col === undefined) throw undefinedColumn(name, table);
    if (given.has(name)) throw invalidRequest(`Multiple definitions found for column ${name}`);
    given.add(name);
    const v = termBytes(s.values[i]!, col.type, { values, column: col.name });
    cells[col.slot] = col.kind === 'partition_key' || col.kind === 'clustering' ? keyValue(col, v) : cellBytes(col, v);
  });
  const missingPk = table.partitionKey.filter((c) => !given.has(c.name)).map((c) => c.name);
  if (missingPk.length > 0) throw invalidRequest(`Some partition key parts are missing: ${missingPk.join(', ')}`);
  const missingCk = table.clustering.filter((c) => !given.has(c.name)).map((c) => c.name);
  if (missingCk.length > 0) throw invalidRequest(`Some clustering keys are missing: ${missingCk.join(', ')}`);
  const key = partitionKeyOf(table, cells as Buffer[]);
  const clustering = table.clustering.map((c) => cells[c.slot]!);
  if (s.ifNotExists) {
    const existing = data.partition(key)?.find(clustering);
    if (existing !== undefined) return appliedResult(table, false, existing.data);
    data.upsert(key, clustering, cells, true);
    return appliedResult(table, true, undefined);
  }
  data.upsert(key, clustering, cells, true);
  return undefined;
}

function partitionKeyOf(table: TableMetadata, cells: readonly Buffer[]): Buffer {
  const parts = table.partitionKey.map((c) => cells[c.slot]!);
  if (parts.length === 1 && parts[0]!.length === 0) throw invalidRequest('Key may not be empty');
  checkKeyComponents(parts);
  return serializePartitionKey(parts);
}

/** The exact rows (key, clustering) a WHERE clause of UPDATE/DELETE names. */
function targetRows(
  table: TableMetadata,
  where: UpdateStatement['where'],
  values: BindValues,
  needFullClustering: boolean,
): {
  keys: Buffer[];
  clusterings: Buffer[][] | undefined;
  plan: ReturnType<typeof planRead>;
} {
  const plan = planRead(table, where, values, false);
  if (plan.partitionKeys === undefined) {
    const restricted = new Set(where.filter((r) => r.kind === 'column').map((r) => (r as { column: string }).column));
    const missing = table.partitionKey.filter((c) => !restricted.has(c.name)).map((c) => c.name);
    throw invalidRequest(`Some partition key parts are missing: ${missing.join(', ')}`);
  }
  if (plan.filters.length > 0) throw invalidRequest('Non PRIMARY KEY columns found in where clause');
  const full = plan.slices.every(
    (s) =>
      s.start !== undefined && s.start.prefix === s.end?.prefix && s.start.prefix.length === table.clustering.length,
  );
  if (table.clustering.length === 0) return { keys: plan.partitionKeys, clusterings: [[]], plan };
  if (!full) {
    if (needFullClustering) {
      const restricted = new Set(where.filter((r) => r.kind === 'column').map((r) => (r as { column: string }).column));
      const missing = table.clustering.filter((c) => !restricted.has(c.name)).map((c) => c.name);
      throw invalidRequest(`Some clustering keys are missing: ${missing.join(', ')}`);
    }
    return { keys: plan.partitionKeys, clusterings: undefined, plan };
  }
  return { keys: plan.partitionKeys, clusterings: plan.slices.map((s) => s.start!.prefix), plan };
}

/** UPDATE: sets, counter increments and collection operations on the named rows. */
export function executeUpdate(
  s: UpdateStatement,
  table: TableMetadata,
  data: TableData,
  values: BindValues,
): RowsPage | undefined {
  const { keys, clusterings } = targetRows(table, s.where, values, true);
  const resolved = s.assignments.map((a) => resolveAssignment(a, table, values));
  if (s.ifExists) {
    const exists = keys.some((k) => clusterings!.some((c) => data.partition(k)?.find(c) !== undefined));
    if (!exists) return appliedResult(table, false, undefined);
  }
  for (const key of keys) {
    for (const clustering of clusterings!) {
      const cells: (Buffer | null | undefined)[] = new Array<Buffer | null | undefined>(table.columns.length);
      table.partitionKey.forEach((c, i) => {
        cells[c.slot] = table.partitionKey.length === 1 ? key : splitKey(key, i);
      });
      table.clustering.forEach((c, i) => {
        cells[c.slot] = clustering[i]!;
      });
      const existing = data.partition(key)?.find(clustering);
      const current = existing === undefined ? undefined : decodeRow(existing.data, table.columns.length);
      for (const { col, op, value, element } of resolved) {
        if (element !== undefined) {
          // Several assignments to one column in one statement build on each other.
          const base = cells[col.slot] !== undefined ? cells[col.slot]! : (current?.[col.slot] ?? null);
          if (value !== undefined) cells[col.slot] = setElement(col, base, element, value);
          continue;
        }
        if (op === 'set') {
          cells[col.slot] = value;
          continue;
        }
        if (value === undefined) continue;
        const now = cells[col.slot] !== undefined ? cells[col.slot]! : (current?.[col.slot] ?? null);
        if (col.type.kind === 'counter') {
          const base = now?.length !== 8 ? 0n : now.readBigInt64BE(0);
          const delta = value?.length !== 8 ? 0n : value.readBigInt64BE(0);
          const out = Buffer.allocUnsafe(8);
          out.writeBigInt64BE(BigInt.asIntN(64, op === 'add' ? base + delta : base - delta));
          cells[col.slot] = out;
        } else if (value !== null) {
          cells[col.slot] = combineCollection(col.type, now, value, op);
        }
      }
      const row = data.upsert(key, clustering, cells, false);
      data.dropIfEmpty(key, row);
    }
  }
  return s.ifExists ? appliedResult(table, true, undefined) : undefined;
}

function splitKey(key: Buffer, i: number): Buffer {
  let p = 0;
  for (let k = 0; k < i; k++) p += 3 + key.readUInt16BE(p);
  return key.subarray(p + 2, p + 2 + key.readUInt16BE(p));
}

/** `m[k] = v` (null removes k) on a map, `l[i] = v` on a list. */
function setElement(col: ColumnMetadata, current: Buffer | null, element: Buffer, value: Buffer | null): Buffer | null {
  const type = col.type;
  if (type.kind === 'map') {
    if (value === null) return combineCollection(type, current, joinElements([element], 1), 'subtract');
    return combineCollection(type, current, joinElements([element, value], 1), 'add');
  }
  if (type.kind === 'list') {
    if (current === null) throw invalidRequest('Attempted to set an element on a list which is null');
    const items = splitElements(current);
    const index = element.readInt32BE(0);
    if (index < 0 || index >= items.length)
      throw invalidRequest(`List index ${index} out of bound, list has size ${items.length}`);
    if (value === null) items.splice(index, 1);
    else items[index] = value;
    return items.length === 0 ? null : joinElements(items, items.length);
  }
  throw invalidRequest(`Invalid operation (${col.name}[?] = ?) for non list or map column ${col.name}`);
}

function resolveAssignment(
  a: Assignment,
  table: TableMetadata,
  values: BindValues,
): {
  col: ColumnMetadata;
  op: 'set' | 'add' | 'subtract' | 'prepend';
  value: Buffer | null | undefined;
  element?: Buffer;
} {
  const col = table.byName.get(a.column);
  if (col === undefined) throw undefinedColumn(a.column, table);
  if (col.kind === 'partition_key' || col.kind === 'clustering')
    throw invalidRequest(`PRIMARY KEY part ${col.name} found in SET part`);
  if (a.element !== undefined) {
    const keyType: DataType = col.type.kind === 'map' ? col.type.key : { kind: 'int' };
    const valueType: DataType =
      col.type.kind === 'map' ? col.type.value : col.type.kind === 'list' ? col.type.element : col.type;
    const element = termBytes(a.element, keyType, { values, column: `key(${col.name})` });
    if (element === null || element === UNSET) throw invalidRequest(`Invalid null value for ${col.name} element key`);
    const v = termBytes(a.term, valueType, { values, column: `value(${col.name})` });
    return { col, op: 'set', value: v === UNSET ? undefined : v, element };
  }
  const isCounter = col.type.kind === 'counter';
  const isCollection = col.type.kind === 'list' || col.type.kind === 'set' || col.type.kind === 'map';
  if (a.op === 'set') {
    if (isCounter)
      throw invalidRequest(
        `Cannot set the value of counter column ${col.name} (counters can only be incremented/decremented, not set)`,
      );
    return { col, op: 'set', value: cellBytes(col, termBytes(a.term, col.type, { values, column: col.name })) };
  }
  if (!isCounter && !isCollection) {
    throw invalidRequest(
      `Invalid operation (${col.name} = ${col.name} ${a.op === 'subtract' ? '-' : '+'} ?) for non counter column ${col.name}`,
    );
  }
  if (a.op === 'prepend' && col.type.kind !== 'list')
    throw invalidRequest(`Invalid operation (${col.name} = ? + ${col.name}) for non list column ${col.name}`);
  // `map - {keys}` takes a set of keys.
  const deltaType: DataType =
    col.type.kind === 'map' && a.op === 'subtract' ? { kind: 'set', element: col.type.key } : col.type;
  const v = termBytes(a.term, deltaType, { values, column: col.name });
  return { col, op: a.op, value: v === UNSET ? undefined : v };
}

/** DELETE: columns (set to null), rows, clustering ranges or whole partitions. */
export function executeDelete(
  s: DeleteStatement,
  table: TableMetadata,
  data: TableData,
  values: BindValues,
): RowsPage | undefined {
  const cols = s.columns.map((name) => {
    const col = table.byName.get(name);
    if (col === undefined) throw undefinedColumn(name, table);
    if (col.kind === 'partition_key' || col.kind === 'clustering')
      throw invalidRequest(`Invalid identifier ${name} for deletion (should not be a PRIMARY KEY part)`);
    return col;
  });
  const { keys, clusterings, plan } = targetRows(table, s.where, values, cols.length > 0);
  if (s.ifExists) {
    const exists = keys.some((k) => {
      const p = data.partition(k);
      return (
        p !== undefined && (clusterings === undefined ? p.size > 0 : clusterings.some((c) => p.find(c) !== undefined))
      );
    });
    if (!exists) return appliedResult(table, false, undefined);
  }
  for (const key of keys) {
    if (cols.length > 0) {
      for (const clustering of clusterings!) {
        const existing = data.partition(key)?.find(clustering);
        if (existing === undefined) continue;
        const cells: (Buffer | null | undefined)[] = new Array<Buffer | null | undefined>(table.columns.length);
        for (const c of cols) cells[c.slot] = null;
        const row = data.upsert(key, clustering, cells, false);
        data.dropIfEmpty(key, row);
      }
    } else if (clusterings !== undefined && table.clustering.length > 0) {
      for (const clustering of clusterings) data.deleteRow(key, clustering);
    } else if (table.clustering.length === 0) {
      data.deletePrefix(key, []);
    } else {
      const p = data.partition(key);
      if (p === undefined) continue;
      for (const slice of plan.slices) {
        if (slice.start === undefined && slice.end === undefined) {
          data.deletePrefix(key, []);
          continue;
        }
        const rows = p.sortedRows();
        const from = slice.start === undefined ? 0 : p.lowerBound(slice.start.prefix, slice.start.inclusive);
        const to = slice.end === undefined ? rows.length : p.lowerBound(slice.end.prefix, !slice.end.inclusive);
        for (const row of rows.slice(from, Math.max(from, to))) data.deleteRow(key, row.clustering);
      }
    }
  }
  return s.ifExists ? appliedResult(table, true, undefined) : undefined;
}
