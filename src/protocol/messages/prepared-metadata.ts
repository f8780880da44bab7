import { ProtocolError } from '../errors/cqlwire-error.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';
import type { ColumnSpec } from './rows-metadata.js';
import { RowsFlag, readColumnSpecs, sharesOneTable, writeColumnSpecs } from './rows-metadata.js';

/** The bind-variable `<metadata>` of a Prepared result (native_protocol_v5.spec §4.2.5.4 (Prepared)). */
export interface PreparedMetadata {
  /** One per bind marker, in order. */
  columns: ColumnSpec[];
  /**
   * v4+: for each partition-key component, the index of the bind marker holding it (token-aware
   * routing). Empty when the server could not tell; always empty on v3.
   */
  pkIndexes: number[];
}

/** Reads `<flags><columns_count>[<pk_count><pk_index>*]<col_specs>`. */
export function readPreparedMetadata(r: PrimitiveReader, version: ProtocolVersion): PreparedMetadata {
  const flags = r.int();
  const columnCount = r.int();
  if (columnCount < 0) throw new ProtocolError(`Negative bind variable count ${columnCount}`);
  let pkIndexes: number[] = [];
  if (version >= 4) {
    const pkCount = r.int();
    if (pkCount < 0) throw new ProtocolError(`Negative partition key count ${pkCount}`);
    r.need(pkCount * 2, 'partition key indexes');
    pkIndexes = new Array<number>(pkCount);
    for (let i = 0; i < pkCount; i++) pkIndexes[i] = r.short();
  }
  const columns = readColumnSpecs(r, columnCount, (flags & RowsFlag.GLOBAL_TABLES_SPEC) !== 0, version);
  return { columns, pkIndexes };
}

/** Writes the bind-variable metadata; GLOBAL_TABLES_SPEC when every column is in one table. */
export function writePreparedMetadata(w: PrimitiveWriter, m: PreparedMetadata, version: ProtocolVersion): void {
  const global = sharesOneTable(m.columns);
  w.int(global ? RowsFlag.GLOBAL_TABLES_SPEC : 0);
  w.int(m.columns.length);
  if (version >= 4) {
    w.int(m.pkIndexes.length);
    for (const i of m.pkIndexes) w.short(i);
  }
  writeColumnSpecs(w, m.columns, global, version);
}
