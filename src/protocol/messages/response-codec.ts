import { Opcode } from '../envelope/opcode.js';
import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import { PrimitiveReader } from '../primitives/primitive-reader.js';
import { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';
import { readErrorBody, writeErrorBody } from './error-body.js';
import { readEventBody, writeEventBody } from './event-body.js';
import type { OutgoingResponseMessage, ResponseMessage } from './response-message.js';
import { readResultBody, writeResultBody, writeRowsResultHead } from './result-body.js';

/**
 * Decodes a response body (what the client receives): the bytes after the 9-byte header, already
 * decompressed. Reading starts at `offset`, i.e. after the prefix `readResponsePrefix` consumed;
 * bytes after the message are ignored (spec: trailing data is allowed). Buffers in the result,
 * including a Rows result's `body`, are views into `body`.
 */
export function decodeResponseBody(
  opcode: number,
  body: Buffer,
  version: ProtocolVersion,
  offset = 0,
): ResponseMessage {
  const r = new PrimitiveReader(body, offset);
  switch (opcode) {
    case Opcode.ERROR:
      return { opcode: Opcode.ERROR, ...readErrorBody(r, version) };
    case Opcode.READY:
      return { opcode: Opcode.READY };
    case Opcode.AUTHENTICATE:
      return { opcode: Opcode.AUTHENTICATE, authenticator: r.string() };
    case Opcode.SUPPORTED:
      return { opcode: Opcode.SUPPORTED, options: r.stringMultimap() };
    case Opcode.RESULT:
      return readResultBody(r, version);
    case Opcode.EVENT:
      return readEventBody(r);
    case Opcode.AUTH_CHALLENGE:
      return { opcode: Opcode.AUTH_CHALLENGE, token: r.bytes() };
    case Opcode.AUTH_SUCCESS:
      return { opcode: Opcode.AUTH_SUCCESS, token: r.bytes() };
    default:
      throw new ProtocolError(`Unknown response opcode 0x${opcode.toString(16).padStart(2, '0')}`);
  }
}

/** Encodes a response body (what the embedded server sends) into `w`. */
export function writeResponseBody(w: PrimitiveWriter, msg: OutgoingResponseMessage, version: ProtocolVersion): void {
  switch (msg.opcode) {
    case Opcode.ERROR:
      writeErrorBody(w, msg, version);
      return;
    case Opcode.READY:
      return;
    case Opcode.AUTHENTICATE:
      w.string(msg.authenticator);
      return;
    case Opcode.SUPPORTED:
      w.stringMultimap(msg.options);
      return;
    case Opcode.RESULT:
      writeResultBody(w, msg, version);
      return;
    case Opcode.EVENT:
      writeEventBody(w, msg);
      return;
    case Opcode.AUTH_CHALLENGE:
    case Opcode.AUTH_SUCCESS:
      w.bytes(msg.token);
      return;
    default:
      throw new ArgumentError(`Not a response opcode: 0x${(msg as { opcode: number }).opcode.toString(16)}`);
  }
}

/**
 * Encodes a response body as consecutive parts, for a gathering writer: a Rows result with
 * `rowsContent` becomes its head (kind, metadata, row count) followed by the content buffers
 * themselves, uncopied; anything else is one part. `headCapacity` sizes the head's buffer.
 */
export function encodeResponseBodyParts(
  msg: OutgoingResponseMessage,
  version: ProtocolVersion,
  headCapacity = 64,
): Buffer[] {
  const w = new PrimitiveWriter(headCapacity);
  if (msg.opcode === Opcode.RESULT && msg.kind === 'rows' && 'rowsContent' in msg) {
    writeRowsResultHead(w, msg, version);
    const content = msg.rowsContent;
    return Buffer.isBuffer(content) ? [w.finish(), content] : [w.finish(), ...content];
  }
  writeResponseBody(w, msg, version);
  return [w.finish()];
}

/** Encodes a response body into a new Buffer. */
export function encodeResponseBody(msg: OutgoingResponseMessage, version: ProtocolVersion): Buffer {
  const w = new PrimitiveWriter(128);
  writeResponseBody(w, msg, version);
  return w.finishCopy();
}
