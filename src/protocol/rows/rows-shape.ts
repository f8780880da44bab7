import { createValueDecoder } from '../types/index.js';
import type { CellDecoder, RowColumn } from './column.js';
import type { Row, RowSource } from './row.js';
import { createRowClass } from './row.js';

/** Options of the Rows decoder. */
export interface RowDecodeOptions {
  /** `'bigint'` (default) or `'long'` for `Long` objects from the `long` package. */
  readonly bigint?: 'bigint' | 'long';
  /** `'native'` (default): sets and maps as `Set` and `Map`; `'driver'`: as an Array and a plain object. */
  readonly collections?: 'native' | 'driver';
}

/**
 * Everything about a result's columns that is the same for every page: the column list, one
 * value decoder per column (built once), the name index and the Row class with its getters.
 */
export class RowsShape {
  readonly columns: readonly RowColumn[];
  readonly decoders: readonly CellDecoder[];
  readonly RowClass: new (
    source: RowSource,
    index: number,
  ) => Row;
  private readonly nameIndex: Map<string, number>;
  private readonly lowerNameIndex: Map<string, number>;
  /**
   * @internal An empty page of this shape, one row of it and its row iterator, never handed out,
   * set by `decodeRowsPage` with the shape's first page. V8 reaches the hidden class ("map") an
   * instance ends up with from its class's first map only through weak links: once every page and
   * row of a stream has died in a full collection, those maps are dropped, and every optimized
   * function that had them built in (the consumer's loop, the row class's getters, the row
   * constructor) is thrown away ("deoptimized: weak objects") and compiled again during the next
   * stream. These three keep the maps for as long as the shape lives.
   */
  mapAnchors: readonly object[] | undefined;

  constructor(columns: readonly RowColumn[], options: RowDecodeOptions = {}) {
    this.columns = columns;
    this.decoders = columns.map((c) => createValueDecoder(c.type, options));
    this.RowClass = createRowClass(columns, this.decoders);
    this.mapAnchors = undefined;
    this.nameIndex = new Map();
    this.lowerNameIndex = new Map();
    columns.forEach((c, j) => {
      if (!this.nameIndex.has(c.name)) this.nameIndex.set(c.name, j);
      const lower = c.name.toLowerCase();
      if (!this.lowerNameIndex.has(lower)) this.lowerNameIndex.set(lower, j);
    });
  }

  /** Index of a column by exact name, then case-insensitively; -1 when absent. */
  columnIndex(name: string): number {
    return this.nameIndex.get(name) ?? this.lowerNameIndex.get(name.toLowerCase()) ?? -1;
  }

  /** True when `columns` describe the same names and types as this shape. */
  matches(columns: readonly RowColumn[]): boolean {
    if (columns === this.columns) return true;
    if (columns.length !== this.columns.length) return false;
    for (let j = 0; j < columns.length; j++) {
      const a = columns[j]!;
      const b = this.columns[j]!;
      if (a.name !== b.name || JSON.stringify(a.type) !== JSON.stringify(b.type)) return false;
    }
    return true;
  }
}
