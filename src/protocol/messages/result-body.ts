import { Opcode } from '../envelope/opcode.js';
import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';
import { readPreparedMetadata, writePreparedMetadata } from './prepared-metadata.js';
import type { EncodableRowsResult, ResultMessage, RowsResult } from './response-message.js';
import { ResultKind } from './response-message.js';
import { readRowsMetadata, writeRowsMetadata } from './rows-metadata.js';
import { readSchemaChange, writeSchemaChange } from './schema-change.js';

/**
 * Reads a RESULT body (native_protocol_v5.spec §4.2.5 (RESULT)). For Rows only the metadata and the row
 * count are read; the cells stay in `r.buf` from `rowsOffset`.
 */
export function readResultBody(r: PrimitiveReader, version: ProtocolVersion): ResultMessage {
  const opcode = Opcode.RESULT;
  const kind = r.int();
  switch (kind) {
    case ResultKind.VOID:
      return { opcode, kind: 'void' };
    case ResultKind.ROWS: {
      const metadata = readRowsMetadata(r, version);
      const rowCount = r.int();
      if (rowCount < 0) throw new ProtocolError(`Negative Rows row count ${rowCount}`);
      return { opcode, kind: 'rows', metadata, rowCount, body: r.buf, rowsOffset: r.offset };
    }
    case ResultKind.SET_KEYSPACE:
      return { opcode, kind: 'setKeyspace', keyspace: r.string() };
    case ResultKind.PREPARED: {
      const id = r.shortBytes();
      const resultMetadataId = version >= 5 ? r.shortBytes() : undefined;
      const metadata = readPreparedMetadata(r, version);
      const resultMetadata = readRowsMetadata(r, version);
      return resultMetadataId === undefined
        ? { opcode, kind: 'prepared', id, metadata, resultMetadata }
        : { opcode, kind: 'prepared', id, resultMetadataId, metadata, resultMetadata };
    }
    case ResultKind.SCHEMA_CHANGE:
      return { opcode, kind: 'schemaChange', change: readSchemaChange(r) };
    default:
      throw new ProtocolError(`Unknown RESULT kind 0x${(kind >>> 0).toString(16).padStart(4, '0')}`);
  }
}

/** Writes a RESULT body. */
export function writeResultBody(
  w: PrimitiveWriter,
  msg: ResultMessage | EncodableRowsResult,
  version: ProtocolVersion,
): void {
  switch (msg.kind) {
    case 'void':
      w.int(ResultKind.VOID);
      return;
    case 'rows':
      writeRowsResultHead(w, msg, version);
      writeRowsContent(w, msg);
      return;
    case 'setKeyspace':
      w.int(ResultKind.SET_KEYSPACE).string(msg.keyspace);
      return;
    case 'prepared':
      w.int(ResultKind.PREPARED).shortBytes(msg.id);
      if (version >= 5) {
        if (msg.resultMetadataId === undefined) {
          throw new ArgumentError(
            `A v5 Prepared result needs its resultMetadataId (statement 0x${msg.id.toString('hex')})`,
          );
        }
        w.shortBytes(msg.resultMetadataId);
      } else if (msg.resultMetadataId !== undefined) {
        throw new ArgumentError(`resultMetadataId exists only in protocol v5, the connection speaks v${version}`);
      }
      writePreparedMetadata(w, msg.metadata, version);
      writeRowsMetadata(w, msg.resultMetadata, version);
      return;
    case 'schemaChange':
      w.int(ResultKind.SCHEMA_CHANGE);
      writeSchemaChange(w, msg.change);
      return;
  }
}

/** Writes what precedes a Rows result's cells: the kind, the metadata and the row count. */
export function writeRowsResultHead(
  w: PrimitiveWriter,
  msg: RowsResult | EncodableRowsResult,
  version: ProtocolVersion,
): void {
  w.int(ResultKind.ROWS);
  writeRowsMetadata(w, msg.metadata, version);
  w.int(msg.rowCount);
}

function writeRowsContent(w: PrimitiveWriter, msg: RowsResult | EncodableRowsResult): void {
  if ('rowsContent' in msg) {
    const content = msg.rowsContent;
    if (Buffer.isBuffer(content)) w.raw(content);
    else for (const part of content) w.raw(part);
  } else {
    w.raw(msg.body.subarray(msg.rowsOffset));
  }
}
