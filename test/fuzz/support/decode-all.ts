import type { Envelope } from '../../../src/protocol/envelope/index.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { ColumnSpec, ResponseMessage } from '../../../src/protocol/messages/index.js';
import {
  decodeRequestBody,
  decodeResponseBody,
  readRequestPrefix,
  readResponsePrefix,
} from '../../../src/protocol/messages/index.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/index.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';
import { decodeRowsPage, RowsShape } from '../../../src/protocol/rows/index.js';

/** The protocol version a decoded envelope is read with: its own when supported, else 4. */
export function versionOf(envelope: Envelope): ProtocolVersion {
  return envelope.version === 3 || envelope.version === 5 ? envelope.version : 4;
}

/**
 * Prints a decoded value the way a consumer would: value classes through their `toString()`,
 * collections, tuples and UDT objects element by element (a UDT may have a field named
 * `toString`, so the object itself is never stringified).
 */
export function printValue(v: unknown, depth = 0): void {
  if (v === null || typeof v !== 'object') {
    String(v);
    return;
  }
  if (depth > 8) return;
  if (Array.isArray(v)) for (const e of v) printValue(e, depth + 1);
  else if (v instanceof Map) {
    for (const [k, e] of v) {
      printValue(k, depth + 1);
      printValue(e, depth + 1);
    }
  } else if (v instanceof Set) for (const e of v) printValue(e, depth + 1);
  else if (ArrayBuffer.isView(v)) Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    for (const key of Object.keys(v)) printValue((v as Record<string, unknown>)[key], depth + 1);
  } else (v as { toString(): string }).toString(); // a value class: its canonical string
}

/**
 * Reads every cell of a RESULT Rows page, as a consumer iterating all rows would: the page's
 * `cell()` decodes lazily, so only touching each one proves the decoders safe. The values are
 * also printed ({@link printValue}) so printing cannot throw either.
 * Returns the number of cells read.
 */
export function readEveryCell(
  columns: readonly ColumnSpec[],
  body: Buffer,
  rowsOffset: number,
  rowCount: number,
): number {
  const page = decodeRowsPage(new RowsShape(columns), body, rowsOffset, body.length, rowCount);
  let cells = 0;
  for (const row of page) {
    const values = row.values();
    for (const v of values) {
      printValue(v);
      cells++;
    }
  }
  return cells;
}

/**
 * Decodes one response envelope the way the client does (prefix, message), then reads every cell
 * of a Rows result. `fallbackColumns` stands in for the metadata of a NO_METADATA page (what a
 * client holding the prepared statement would use).
 */
export function decodeResponseFully(envelope: Envelope, fallbackColumns?: readonly ColumnSpec[]): ResponseMessage {
  const version = versionOf(envelope);
  const r = new PrimitiveReader(envelope.body);
  readResponsePrefix(r, envelope.flags);
  const message = decodeResponseBody(envelope.opcode, envelope.body, version, r.offset);
  if (message.opcode === Opcode.RESULT && message.kind === 'rows') {
    const columns = message.metadata.columns ?? fallbackColumns;
    if (columns?.length === message.metadata.columnCount) {
      readEveryCell(columns, message.body, message.rowsOffset, message.rowCount);
    }
  }
  return message;
}

/** Decodes one request envelope the way the embedded server does (prefix, message). */
export function decodeRequestFully(envelope: Envelope): void {
  const r = new PrimitiveReader(envelope.body);
  readRequestPrefix(r, envelope.flags);
  decodeRequestBody(envelope.opcode, envelope.body, versionOf(envelope), r.offset);
}
