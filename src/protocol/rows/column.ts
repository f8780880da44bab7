import type { DataType } from '../types/data-type.js';

/** What the Rows decoder needs to know about a result column. */
export interface RowColumn {
  readonly name: string;
  readonly type: DataType;
  readonly keyspace?: string;
  readonly table?: string;
}

/** Decodes one non-null cell: `length` bytes of `buf` starting at `offset`. */
export type CellDecoder = (buf: Buffer, offset: number, length: number) => unknown;
