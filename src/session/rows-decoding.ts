import { ProtocolError } from '../protocol/errors/index.js';
import type { ColumnSpec, RowsResult } from '../protocol/messages/index.js';
import { decodeRowsPage, type RowDecodeOptions, type RowsPage, RowsShape } from '../protocol/rows/index.js';
import type { PreparedStatement } from './prepared-statement.js';

const SHAPE_CACHE_LIMIT = 256;
const EMPTY = Buffer.alloc(0);

/**
 * Turns RESULT Rows into zero-copy pages, reusing one `RowsShape` (decoders and Row class) per
 * statement: a prepared statement keeps its own; unprepared queries share a small cache keyed by
 * their text, checked against the columns each result carries.
 */
export class RowsDecoding {
  private readonly shapes = new Map<string, RowsShape>();
  private readonly emptyShape: RowsShape;

  constructor(private readonly options: RowDecodeOptions) {
    this.emptyShape = new RowsShape([], options);
  }

  /** An empty page (for results without rows, seen through the page seam). */
  emptyPage(): RowsPage {
    return decodeRowsPage(this.emptyShape, EMPTY, 0, 0, 0);
  }

  /** The page of `result`, and its columns. v5 METADATA_CHANGED updates the statement. */
  page(
    result: RowsResult,
    stmt: PreparedStatement | undefined,
    query: string | undefined,
  ): { page: RowsPage; columns: readonly ColumnSpec[] } {
    const m = result.metadata;
    let shape: RowsShape | undefined;
    let columns: readonly ColumnSpec[] | undefined = m.columns;
    if (stmt !== undefined) {
      if (m.columns !== undefined) {
        if (m.newMetadataId !== undefined) stmt.metadataChanged(Buffer.from(m.newMetadataId), m.columns);
        else stmt.setResultColumns(m.columns);
      }
      shape = stmt.shape;
      columns = stmt.resultColumns;
      if (shape === undefined && m.columns !== undefined) shape = this.shapeFor(m.columns, undefined);
    } else if (m.columns !== undefined) {
      shape = this.shapeFor(m.columns, query);
    }
    if (shape === undefined || columns === undefined) {
      if (result.rowCount === 0 && m.columnCount === 0) return { page: this.emptyPage(), columns: [] };
      throw new ProtocolError(
        `A Rows result came without column metadata (NO_METADATA) for a statement whose columns are unknown${query !== undefined ? `: ${query}` : ''}`,
      );
    }
    if (shape.columns.length !== m.columnCount) {
      throw new ProtocolError(
        `A Rows result says ${m.columnCount} columns but the statement's metadata has ${shape.columns.length}`,
      );
    }
    const page = decodeRowsPage(
      shape,
      result.body,
      result.rowsOffset,
      result.body.length,
      result.rowCount,
      m.pagingState,
    );
    return { page, columns };
  }

  private shapeFor(columns: readonly ColumnSpec[], query: string | undefined): RowsShape {
    if (query === undefined) return new RowsShape(columns, this.options);
    const cached = this.shapes.get(query);
    if (cached?.matches(columns) === true) return cached;
    const shape = new RowsShape(columns, this.options);
    if (this.shapes.size >= SHAPE_CACHE_LIMIT) this.shapes.delete(this.shapes.keys().next().value!);
    this.shapes.set(query, shape);
    return shape;
  }
}
