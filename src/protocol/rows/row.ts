import { ArgumentError } from '../errors/cqlwire-error.js';
import { type JsonOf, type JsonValue, jsonOf } from '../types/value-json.js';
import { INSPECT_CUSTOM } from '../types/values/inspect-value.js';
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
  // declared, not defined: the constructor's two stores are the only ones per row
  /** @internal */
  declare readonly [SOURCE]: RowSource;
  /** @internal */
  declare readonly [INDEX]: number;

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

  /**
   * What `JSON.stringify(row)` writes: an object of column name -> the value's JSON form, which
   * never throws. bigint, counter, varint (also as `Long`) and decimal become strings so that no
   * JSON reader loses digits; blobs `0x` hex; timestamps ISO 8601; uuid, date, time, duration and
   * inet their canonical text; list, set, tuple and vector arrays; map and UDT objects (a map's
   * keys as their canonical text). The same rule `cqlwire export --format ndjson` writes by.
   */
  toJSON(): Record<string, JsonValue> {
    const src = this[SOURCE];
    const cols = src.columns;
    const json = jsonFormsOf(cols);
    const out: Record<string, JsonValue> = {};
    for (let j = 0; j < cols.length; j++) {
      const name = cols[j]!.name;
      // defineProperty: a column named __proto__ stays a plain key
      if (!Object.hasOwn(out, name))
        Object.defineProperty(out, name, {
          value: json[j]!(src.cell(this[INDEX], j)),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }

  /**
   * `console.log(row)` / `util.inspect(row)` show its columns (`Row { id: Uuid 1b4e28ba-..., n: 3n }`),
   * not its internals.
   */
  [INSPECT_CUSTOM](depth: number, options: object, inspectFn: (value: unknown, options: object) => string): string {
    return `Row ${inspectFn(this.toObject(), { ...options, depth: depth < 0 ? null : depth })}`;
  }
}

/** One JSON converter per column, made once per column list (a result shape shares one list). */
const JSON_FORMS = new WeakMap<readonly RowColumn[], readonly JsonOf[]>();

function jsonFormsOf(columns: readonly RowColumn[]): readonly JsonOf[] {
  let forms = JSON_FORMS.get(columns);
  if (forms === undefined) {
    forms = columns.map((c) => jsonOf(c.type));
    JSON_FORMS.set(columns, forms);
  }
  return forms;
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
