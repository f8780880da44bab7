import { Opcode } from '../envelope/opcode.js';
import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import { PrimitiveReader } from '../primitives/primitive-reader.js';
import { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';
import {
  checkConsistency,
  checkNowInSeconds,
  checkTimestamp,
  checkV5OnlyFields,
  QueryFlag,
  readBoundValues,
  readQueryFlags,
  readQueryParameters,
  writeBoundValues,
  writeQueryFlags,
  writeQueryParameters,
} from './query-parameters.js';
import type { BatchRequest, BatchStatement, BatchType, RequestMessage } from './request-message.js';

/** PREPARE flags (native_protocol_v5.spec §4.1.5). */
const PREPARE_WITH_KEYSPACE = 0x01;

/** BATCH statement kinds (native_protocol_v5.spec §4.1.7). */
const BATCH_KIND_QUERY = 0;
const BATCH_KIND_PREPARED = 1;

/**
 * BATCH flags that would change the body layout but have no meaning in a batch: VALUES,
 * PAGE_SIZE, WITH_PAGING_STATE (the low 4 bits must be 0) and WITH_NAMES_FOR_VALUES
 * (CASSANDRA-10246): native_protocol_v5.spec §4.1.7 (BATCH).
 */
const BATCH_FORBIDDEN_FLAGS =
  QueryFlag.VALUES | QueryFlag.PAGE_SIZE | QueryFlag.WITH_PAGING_STATE | QueryFlag.WITH_NAMES_FOR_VALUES;

/** Encodes a request body (the bytes after the 9-byte header, before compression) into `w`. */
export function writeRequestBody(w: PrimitiveWriter, msg: RequestMessage, version: ProtocolVersion): void {
  switch (msg.opcode) {
    case Opcode.STARTUP:
      w.stringMap(msg.options);
      return;
    case Opcode.OPTIONS:
      return;
    case Opcode.QUERY:
      w.longString(msg.query);
      writeQueryParameters(w, msg.params, version);
      return;
    case Opcode.PREPARE:
      w.longString(msg.query);
      if (version >= 5) {
        // native_protocol_v5.spec §4.1.5: <flags:[int]> then the keyspace iff flag 0x01
        w.int(msg.keyspace !== undefined ? PREPARE_WITH_KEYSPACE : 0);
        if (msg.keyspace !== undefined) w.string(msg.keyspace);
      } else if (msg.keyspace !== undefined) {
        throw new ArgumentError(
          `PREPARE: a per-request keyspace ('${msg.keyspace}') needs protocol v5, the connection speaks v${version}`,
        );
      }
      return;
    case Opcode.EXECUTE:
      w.shortBytes(msg.id);
      if (version >= 5) {
        // native_protocol_v5.spec §4.1.6: result_metadata_id is mandatory
        if (msg.resultMetadataId === undefined) {
          throw new ArgumentError(
            `EXECUTE of 0x${msg.id.toString('hex')} on v5 needs the resultMetadataId from its PREPARE result`,
          );
        }
        w.shortBytes(msg.resultMetadataId);
      } else if (msg.resultMetadataId !== undefined) {
        throw new ArgumentError(
          `EXECUTE: resultMetadataId exists only in protocol v5, the connection speaks v${version}`,
        );
      }
      writeQueryParameters(w, msg.params, version);
      return;
    case Opcode.BATCH:
      writeBatch(w, msg, version);
      return;
    case Opcode.REGISTER:
      w.stringList(msg.events);
      return;
    case Opcode.AUTH_RESPONSE:
      w.bytes(msg.token);
      return;
    default:
      throw new ArgumentError(`Not a request opcode: 0x${(msg as { opcode: number }).opcode.toString(16)}`);
  }
}

/** Encodes a request body into a new Buffer. */
export function encodeRequestBody(msg: RequestMessage, version: ProtocolVersion): Buffer {
  const w = new PrimitiveWriter(128);
  writeRequestBody(w, msg, version);
  return w.finishCopy();
}

function writeBatch(w: PrimitiveWriter, msg: BatchRequest, version: ProtocolVersion): void {
  checkV5OnlyFields('BATCH', msg.keyspace, msg.nowInSeconds, version);
  if (msg.statements.length > 0xffff)
    throw new ArgumentError(`A BATCH holds at most 65535 statements, got ${msg.statements.length}`);
  if (msg.type !== 0 && msg.type !== 1 && msg.type !== 2)
    throw new ArgumentError(`BATCH type must be 0 (LOGGED), 1 (UNLOGGED) or 2 (COUNTER), got ${String(msg.type)}`);
  checkConsistency('BATCH consistency', msg.consistency);
  if (msg.serialConsistency !== undefined) checkConsistency('BATCH serialConsistency', msg.serialConsistency);
  if (msg.timestamp !== undefined) checkTimestamp('BATCH', msg.timestamp);
  if (msg.nowInSeconds !== undefined) checkNowInSeconds('BATCH', msg.nowInSeconds);
  w.byte(msg.type);
  w.short(msg.statements.length);
  for (const s of msg.statements) {
    if (s.id !== undefined) {
      w.byte(BATCH_KIND_PREPARED);
      w.shortBytes(s.id);
    } else {
      w.byte(BATCH_KIND_QUERY);
      w.longString(s.query);
    }
    writeBoundValues(w, s.values, undefined, version);
  }
  w.consistency(msg.consistency);
  let flags = 0;
  if (msg.serialConsistency !== undefined) flags |= QueryFlag.WITH_SERIAL_CONSISTENCY;
  if (msg.timestamp !== undefined) flags |= QueryFlag.WITH_DEFAULT_TIMESTAMP;
  if (msg.keyspace !== undefined) flags |= QueryFlag.WITH_KEYSPACE;
  if (msg.nowInSeconds !== undefined) flags |= QueryFlag.WITH_NOW_IN_SECONDS;
  writeQueryFlags(w, flags, version);
  // same field order as QUERY's parameters (the server decodes them with one codec)
  if (msg.serialConsistency !== undefined) w.consistency(msg.serialConsistency);
  if (msg.timestamp !== undefined) w.long(msg.timestamp);
  if (msg.keyspace !== undefined) w.string(msg.keyspace);
  if (msg.nowInSeconds !== undefined) w.uint(msg.nowInSeconds);
}

/**
 * Decodes a request body (what the embedded server receives). Reading starts at `offset`, after
 * any custom payload prefix; bytes after the message are ignored (spec: trailing data is allowed).
 * Buffers in the result are views into `body`.
 */
export function decodeRequestBody(opcode: number, body: Buffer, version: ProtocolVersion, offset = 0): RequestMessage {
  const r = new PrimitiveReader(body, offset);
  switch (opcode) {
    case Opcode.STARTUP:
      return { opcode, options: r.stringMap() };
    case Opcode.OPTIONS:
      return { opcode };
    case Opcode.QUERY: {
      const query = r.longString();
      return { opcode, query, params: readQueryParameters(r, version) };
    }
    case Opcode.PREPARE: {
      const query = r.longString();
      if (version >= 5) {
        const flags = r.uint();
        if (flags & PREPARE_WITH_KEYSPACE) return { opcode, query, keyspace: r.string() };
      }
      return { opcode, query };
    }
    case Opcode.EXECUTE: {
      const id = r.shortBytes();
      if (version >= 5) {
        const resultMetadataId = r.shortBytes();
        return { opcode, id, resultMetadataId, params: readQueryParameters(r, version) };
      }
      return { opcode, id, params: readQueryParameters(r, version) };
    }
    case Opcode.BATCH:
      return readBatch(r, version);
    case Opcode.REGISTER:
      return { opcode, events: r.stringList() };
    case Opcode.AUTH_RESPONSE:
      return { opcode, token: r.bytes() };
    default:
      throw new ProtocolError(`Unknown request opcode 0x${opcode.toString(16).padStart(2, '0')}`);
  }
}

function readBatch(r: PrimitiveReader, version: ProtocolVersion): BatchRequest {
  const type = r.byte();
  if (type > 2) throw new ProtocolError(`Invalid BATCH type ${type} (expected 0 LOGGED, 1 UNLOGGED or 2 COUNTER)`);
  const n = r.short();
  // each statement takes at least a kind byte, a 2-byte id length and a 2-byte value count
  r.need(n * 5, 'BATCH statements');
  const statements: BatchStatement[] = new Array<BatchStatement>(n);
  for (let i = 0; i < n; i++) {
    const kind = r.byte();
    if (kind === BATCH_KIND_QUERY) {
      const query = r.longString();
      statements[i] = { query, values: readBoundValues(r, false).values };
    } else if (kind === BATCH_KIND_PREPARED) {
      const id = r.shortBytes();
      statements[i] = { id, values: readBoundValues(r, false).values };
    } else {
      throw new ProtocolError(`Invalid BATCH statement kind ${kind} for statement ${i} (expected 0 or 1)`);
    }
  }
  const msg: BatchRequest = { opcode: Opcode.BATCH, type: type as BatchType, statements, consistency: r.consistency() };
  const flags = readQueryFlags(r, version);
  if (flags & BATCH_FORBIDDEN_FLAGS) throw new ProtocolError(`Invalid BATCH flags 0x${flags.toString(16)}`);
  if (flags & QueryFlag.WITH_SERIAL_CONSISTENCY) msg.serialConsistency = r.consistency();
  if (flags & QueryFlag.WITH_DEFAULT_TIMESTAMP) msg.timestamp = r.long();
  if (version >= 5) {
    if (flags & QueryFlag.WITH_KEYSPACE) msg.keyspace = r.string();
    if (flags & QueryFlag.WITH_NOW_IN_SECONDS) msg.nowInSeconds = r.uint();
  }
  return msg;
}
