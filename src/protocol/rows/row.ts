import { inspect } from 'node:util';
import { ArgumentError } from '../errors/cqlwire-error.js';
import { compileCellGetter } from './cell-getter.js';
import type { CellDecoder, RowColumn } from './column.js';

/** What a Row reads its cells from: implemented by `RowsPage`. */
export interface RowSource {
  readonly columns: readonly RowColumn[];
  /** The decoded value of cell (row, column); null for a null cell. */
  cell(row: number, column: number): unknown;
  /** Index of a column by name, or -1. */
  columnIndex(name: string): number;
}

const SOURCE = Symbol('cqlwire.row.source');
const INDEX = Symbol('cqlwire.row.index');

/** Method names a column getter must never shadow; such columns are reached through `get()`. */
export const RESERVED_ROW_NAMES: ReadonlySet<string> = new Set([
  'get',
  'keys',
  'values',
  'toObject',
  'toJSON',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toString',
  'valueOf',
  'toLocaleString',
]);

/**
 * One row of a result, backed by its page's bytes: nothing is copied or decoded until a cell is
 * read, and each read decodes straight from the page buffer. Columns are properties
 * (`row.email`) unless their name collides with a method (`get`, `keys`, `values`, `toObject`,
 * `toJSON`, ...); every column is reachable with `get(nameOrIndex)`.
 */
export class Row {
  /** @internal */
  readonly [SOURCE]: RowSource;
  /** @internal */
  readonly [INDEX]: number;

  constructor(source: RowSource, index: number) {
    this[SOURCE] = source;
    this[INDEX] = index;
  }

  /** The value of a column by name (exact, then case-insensitive) or by position. */
  get(column: string | number): unknown {
    const src = this[SOURCE];
    let j: number;
    if (typeof column === 'number') {
      if (!Number.isInteger(column) || column < 0 || column >= src.columns.length) {
        throw new ArgumentError(`Column index ${column} is out of range: the row has ${src.columns.length} columns`);
      }
      j = column;
    } else {
      j = src.columnIndex(column);
      if (j < 0) {
        throw new ArgumentError(
          `No column named "${column}"; the row has ${src.columns.map((c) => c.name).join(', ')}`,
        );
      }
    }
    return src.cell(this[INDEX], j);
  }

  /** The column names, in result order. */
  keys(): string[] {
    return this[SOURCE].columns.map((c) => c.name);
  }

  /** Every value, in column order. */
  values(): unknown[] {
    const src = this[SOURCE];
    const n = src.columns.length;
    const out = new Array<unknown>(n);
    for (let j = 0; j < n; j++) out[j] = src.cell(this[INDEX], j);
    return out;
  }

  /** A plain object of column name -> value (a copy; it does not keep the page alive). */
  toObject(): Record<string, unknown> {
    const src = this[SOURCE];
    const out: Record<string, unknown> = {};
    const cols = src.columns;
    for (let j = 0; j < cols.length; j++) {
      const name = cols[j]!.name;
      if (!(name in out)) out[name] = src.cell(this[INDEX], j);
    }
    return out;
  }

  /** JSON.stringify(row) gives the object of its columns. */
  toJSON(): Record<string, unknown> {
    return this.toObject();
  }

  /** console.log(row) shows its columns, not its internals. */
  [inspect.custom](depth: number, options: object, inspectFn: typeof inspect): string {
    return `Row ${inspectFn(this.toObject(), { ...options, depth: depth < 0 ? null : depth })}`;
  }
}

/**
 * A Row subclass with one getter per column name, made once per result shape, so `row.email`
 * is a prototype getter rather than a per-row property (no per-row closures or objects beyond
 * the row itself). With the columns' `decoders`, rows of this class must come from a source with
 * a cell index (`RowsPage`): each getter is then compiled for its column (see
 * `compileCellGetter`); without them, or where code generation is off, getters go through
 * `source.cell()`.
 */
export function createRowClass(
  columns: readonly RowColumn[],
  decoders?: readonly CellDecoder[],
): new (
  source: RowSource,
  index: number,
) => Row {
  class ShapedRow extends Row {}
  const seen = new Set<string>();
  for (let j = 0; j < columns.length; j++) {
    const name = columns[j]!.name;
    if (RESERVED_ROW_NAMES.has(name) || seen.has(name)) continue;
    seen.add(name);
    const column = j;
    const decode = decoders?.[j];
    const compiled =
      decode === undefined ? undefined : compileCellGetter(SOURCE, INDEX, decode, column, columns.length);
    Object.defineProperty(ShapedRow.prototype, name, {
      get:
        compiled ??
        function (this: Row) {
          return this[SOURCE].cell(this[INDEX], column);
        },
      enumerable: true,
      configurable: false,
    });
  }
  return ShapedRow;
}
