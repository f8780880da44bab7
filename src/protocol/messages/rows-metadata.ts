import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';
import type { DataType } from '../types/data-type.js';
import { readTypeOption, writeTypeOption } from '../types/type-option.js';

/** One column of a result or one bind variable: `<ks><table><name><type>` (native_protocol_v5.spec §4.2.5.2). */
export interface ColumnSpec {
  keyspace: string;
  table: string;
  name: string;
  type: DataType;
}

/** The `<metadata>` of a Rows result (native_protocol_v5.spec §4.2.5.2 (Rows)). Flags follow from the fields. */
export interface RowsMetadata {
  /** Columns per row; present even when `columns` is absent. */
  columnCount: number;
  /** Absent when the server sent NO_METADATA (use the cached metadata). */
  columns?: ColumnSpec[];
  /** Present with HAS_MORE_PAGES. */
  pagingState?: Buffer;
  /** v5 METADATA_CHANGED: the id to use from now on for this prepared statement. */
  newMetadataId?: Buffer;
  /**
   * Only meaningful without `columns`: the server sets GLOBAL_TABLES_SPEC next to NO_METADATA when
   * the statement's columns share one table (seen in the real recordings, flags 0x0005), though
   * no table spec follows. Decoded as `true` in that case only, and written back as given, so a
   * decoded result re-encodes to the server's bytes. With `columns` the flag follows from them.
   */
  globalTablesSpec?: boolean;
}

/** The Rows metadata flags (native_protocol_v5.spec §4.2.5.2). */
export const RowsFlag = {
  GLOBAL_TABLES_SPEC: 0x0001,
  HAS_MORE_PAGES: 0x0002,
  NO_METADATA: 0x0004,
  METADATA_CHANGED: 0x0008,
} as const;

/**
 * True when the columns can be written with one global table spec: at least one column and all
 * in the same keyspace and table (what Cassandra's `ResultSet.ResultMetadata` encoder does).
 */
export function sharesOneTable(columns: readonly ColumnSpec[]): boolean {
  if (columns.length === 0) return false;
  const { keyspace, table } = columns[0]!;
  for (let i = 1; i < columns.length; i++) {
    if (columns[i]!.keyspace !== keyspace || columns[i]!.table !== table) return false;
  }
  return true;
}

/** The flags a `RowsMetadata` is written with. */
export function rowsMetadataFlags(m: RowsMetadata): number {
  let flags = 0;
  if (m.columns === undefined) {
    flags |= RowsFlag.NO_METADATA;
    if (m.globalTablesSpec === true) flags |= RowsFlag.GLOBAL_TABLES_SPEC;
  } else if (sharesOneTable(m.columns)) flags |= RowsFlag.GLOBAL_TABLES_SPEC;
  if (m.pagingState !== undefined) flags |= RowsFlag.HAS_MORE_PAGES;
  if (m.newMetadataId !== undefined) flags |= RowsFlag.METADATA_CHANGED;
  return flags;
}

/** Reads the global table spec and `count` col_specs. */
export function readColumnSpecs(
  r: PrimitiveReader,
  count: number,
  global: boolean,
  version: ProtocolVersion,
): ColumnSpec[] {
  let keyspace = '';
  let table = '';
  if (global) {
    keyspace = r.string();
    table = r.string();
  }
  // a col_spec is at least a 2-byte name length and a 2-byte type id: check before allocating
  r.need(count * (global ? 4 : 8), 'column specs');
  const columns = new Array<ColumnSpec>(count);
  for (let i = 0; i < count; i++) {
    const ks = global ? keyspace : r.string();
    const tb = global ? table : r.string();
    const name = r.string();
    columns[i] = { keyspace: ks, table: tb, name, type: readTypeOption(r, version) };
  }
  return columns;
}

/** Writes the global table spec (when `global`) and the col_specs. */
export function writeColumnSpecs(
  w: PrimitiveWriter,
  columns: readonly ColumnSpec[],
  global: boolean,
  version: ProtocolVersion,
): void {
  if (global) w.string(columns[0]!.keyspace).string(columns[0]!.table);
  for (const c of columns) {
    if (!global) w.string(c.keyspace).string(c.table);
    w.string(c.name);
    writeTypeOption(w, c.type, version);
  }
}

/**
 * Reads a Rows `<metadata>` in the spec's v5 order: flags, columns_count, paging_state,
 * new_metadata_id, then the column specs (native_protocol_v5.spec §4.2.5.2, which Cassandra's
 * encoder follows; its `ResultMetadata` decoder, unused on the response path, reads new_metadata_id
 * first).
 */
export function readRowsMetadata(r: PrimitiveReader, version: ProtocolVersion): RowsMetadata {
  const flags = r.int();
  const columnCount = r.int();
  if (columnCount < 0) throw new ProtocolError(`Negative Rows column count ${columnCount}`);
  const m: RowsMetadata = { columnCount };
  if (flags & RowsFlag.HAS_MORE_PAGES) {
    const state = r.bytes();
    if (state !== null) m.pagingState = state;
  }
  if (version >= 5 && flags & RowsFlag.METADATA_CHANGED) m.newMetadataId = r.shortBytes();
  if (flags & RowsFlag.NO_METADATA) {
    if (flags & RowsFlag.GLOBAL_TABLES_SPEC) m.globalTablesSpec = true;
  } else {
    m.columns = readColumnSpecs(r, columnCount, (flags & RowsFlag.GLOBAL_TABLES_SPEC) !== 0, version);
  }
  return m;
}

/** Writes a Rows `<metadata>`; flags follow from the fields (see `rowsMetadataFlags`). */
export function writeRowsMetadata(w: PrimitiveWriter, m: RowsMetadata, version: ProtocolVersion): void {
  if (m.columns !== undefined && m.columns.length !== m.columnCount) {
    throw new ArgumentError(`Rows metadata says ${m.columnCount} columns but lists ${m.columns.length}`);
  }
  if (m.newMetadataId !== undefined) {
    if (version < 5)
      throw new ArgumentError(`newMetadataId (METADATA_CHANGED) needs protocol v5, the connection speaks v${version}`);
    // native_protocol_v5.spec §4.2.5.2: METADATA_CHANGED comes with full metadata, never with NO_METADATA
    if (m.columns === undefined)
      throw new ArgumentError('newMetadataId (METADATA_CHANGED) needs the columns: it cannot go with NO_METADATA');
  }
  const flags = rowsMetadataFlags(m);
  w.int(flags);
  w.int(m.columnCount);
  if (m.pagingState !== undefined) w.bytes(m.pagingState);
  if (m.newMetadataId !== undefined) w.shortBytes(m.newMetadataId);
  if (m.columns !== undefined) writeColumnSpecs(w, m.columns, (flags & RowsFlag.GLOBAL_TABLES_SPEC) !== 0, version);
  // with NO_METADATA nothing follows, even when GLOBAL_TABLES_SPEC is set
}
