import { ArgumentError } from '../errors/cqlwire-error.js';
import { cellLength, indexCells } from './cell-index.js';
import type { RowColumn } from './column.js';
import type { Row, RowSource } from './row.js';
import type { RowsShape } from './rows-shape.js';

/**
 * One page of a RESULT Rows, decoded without copying: the page keeps the body buffer it arrived
 * in, an index of cell offsets (one Int32Array entry per cell), and hands out `Row` objects that decode cells on
 * access. Array-like (`length`, `row(i)`, iteration) and `rows` materialises the Row array once.
 */
export class RowsPage<R extends Row = Row> implements RowSource, Iterable<R> {
  /** The result columns. */
  readonly columns: readonly RowColumn[];
  /** Number of rows on this page. */
  readonly length: number;
  /** The server's paging state after this page; undefined on the last page. */
  readonly pagingState: Buffer | undefined;
  /** The buffer the cells live in. */
  readonly buffer: Buffer;
  private readonly shape: RowsShape;
  /** @internal One entry per cell, row-major: the offset of its [int] length (negative = null). */
  readonly cellIndex: Int32Array;
  private readonly columnCount: number;
  private materialised: R[] | undefined;

  constructor(shape: RowsShape, buffer: Buffer, cells: Int32Array, rowCount: number, pagingState: Buffer | undefined) {
    this.shape = shape;
    this.columns = shape.columns;
    this.columnCount = shape.columns.length;
    this.buffer = buffer;
    this.cellIndex = cells;
    this.length = rowCount;
    this.pagingState = pagingState;
    this.materialised = undefined;
  }

  /** The decoded value of one cell; null for a null cell. */
  cell(row: number, column: number): unknown {
    const at = this.cellIndex[row * this.columnCount + column]!;
    const len = cellLength(this.buffer, at);
    if (len < 0) return null;
    return this.shape.decoders[column]!(this.buffer, at + 4, len);
  }

  /** Index of a column by name, or -1. */
  columnIndex(name: string): number {
    return this.shape.columnIndex(name);
  }

  /** The row at `index` (0-based). */
  row(index: number): R {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new ArgumentError(`Row index ${index} is out of range: the page has ${this.length} rows`);
    }
    return new this.shape.RowClass(this, index) as R;
  }

  /** Every row of the page, as an array (made once). */
  get rows(): R[] {
    if (this.materialised === undefined) {
      const out = new Array<R>(this.length);
      const RowClass = this.shape.RowClass;
      for (let i = 0; i < this.length; i++) out[i] = new RowClass(this, i) as R;
      this.materialised = out;
    }
    return this.materialised;
  }

  [Symbol.iterator](): Iterator<R> {
    return this.materialised !== undefined
      ? this.materialised[Symbol.iterator]()
      : new RowsPageIterator<R>(this, this.shape.RowClass);
  }
}

/** A plain iterator object: cheaper per row than a generator on the hot path. */
class RowsPageIterator<R extends Row> implements Iterator<R> {
  private index = 0;
  constructor(
    private readonly page: RowsPage<R>,
    private readonly RowClass: new (source: RowSource, index: number) => Row,
  ) {}

  next(): IteratorResult<R> {
    if (this.index >= this.page.length) return { done: true, value: undefined };
    return { done: false, value: new this.RowClass(this.page, this.index++) as R };
  }
}

/**
 * Decodes the rows content of a RESULT Rows body into a page: `buffer[start, end)` holds
 * `rowCount` rows of `shape.columns.length` cells. Only offsets are recorded; cells are decoded
 * when read.
 */
export function decodeRowsPage<R extends Row = Row>(
  shape: RowsShape,
  buffer: Buffer,
  start: number,
  end: number,
  rowCount: number,
  pagingState?: Buffer,
): RowsPage<R> {
  const { cells } = indexCells(buffer, start, end, rowCount, shape.columns.length);
  shape.mapAnchors ??= createMapAnchors(shape);
  return new RowsPage<R>(shape, buffer, cells, rowCount, pagingState);
}

const NO_BYTES = Buffer.alloc(0);
const NO_CELLS = new Int32Array(0);

/** The objects `RowsShape.mapAnchors` keeps alive: an empty page of the shape, a row of it, its iterator. */
function createMapAnchors(shape: RowsShape): readonly object[] {
  const page = new RowsPage(shape, NO_BYTES, NO_CELLS, 0, undefined);
  return [page, new shape.RowClass(page, 0), page[Symbol.iterator]()];
}
