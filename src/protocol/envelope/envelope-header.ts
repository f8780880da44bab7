import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import type { Envelope } from './envelope.js';
import { isOpcode, type Opcode, opcodeName } from './opcode.js';

/** The v3+ envelope header: version, flags, stream(2), opcode, length(4) (native_protocol_v5.spec §2.4). */
export const ENVELOPE_HEADER_LENGTH = 9;
/** The v1/v2 header: the stream id is one signed byte (`native_protocol_v2.spec` §2 (Frame header)). */
export const LEGACY_ENVELOPE_HEADER_LENGTH = 8;
/** Bit 7 of the version byte: set on responses (native_protocol_v5.spec §2.4.1.1 (version)). */
export const RESPONSE_BIT = 0x80;
/** The spec's ceiling on a body, 256 MiB (native_protocol_v5.spec §2.4.1.5 (length)); the default decoder limit. */
export const DEFAULT_MAX_ENVELOPE_SIZE = 256 * 1024 * 1024;

/** The fields of a decoded envelope header. */
export interface EnvelopeHeader {
  version: number;
  isResponse: boolean;
  flags: number;
  stream: number;
  opcode: Opcode;
  /** The header's length field: the body bytes that follow (compressed length if COMPRESSED). */
  bodyLength: number;
  /** 9, or 8 for a v1/v2 header. */
  headerLength: number;
}

/** What a header decode accepts. */
export interface EnvelopeHeaderLimits {
  /**
   * Accept a v1/v2 8-byte header: only the first envelope of a connection, where Cassandra answers
   * a too-old version in that version's format (`ProtocolVersion.decode`, `ErrorMessage`).
   */
  allowLegacy: boolean;
  /** If set, the direction bit must say response (true) or request (false). */
  expectResponses?: boolean;
  /** Largest accepted header + body, checked before anything is allocated. */
  maxEnvelopeSize: number;
}

/**
 * The header length announced by a version byte: 9, or 8 for v1/v2 when `allowLegacy`.
 * Version 0, and v1/v2 where not allowed, are a `ProtocolError`.
 */
export function envelopeHeaderLength(versionByte: number, allowLegacy: boolean): number {
  const version = versionByte & 0x7f; // native_protocol_v5.spec §2.4.1.1 (version); the server masks with 0x7f
  if (version >= 3) return ENVELOPE_HEADER_LENGTH;
  if (version >= 1 && allowLegacy) return LEGACY_ENVELOPE_HEADER_LENGTH;
  throw new ProtocolError(
    `Invalid protocol version ${version} in envelope header (version byte 0x${versionByte.toString(16).padStart(2, '0')})`,
  );
}

/**
 * Decodes and validates the header at `offset` (which must hold the whole header: see
 * {@link envelopeHeaderLength}). Unknown opcode, wrong direction and an oversized length are a
 * `ProtocolError`.
 */
export function decodeEnvelopeHeader(bytes: Buffer, offset: number, limits: EnvelopeHeaderLimits): EnvelopeHeader {
  const versionByte = bytes[offset]!;
  // a request-direction byte that is no CQL version at all: another protocol answered
  if (
    limits.allowLegacy &&
    limits.expectResponses === true &&
    (versionByte & RESPONSE_BIT) === 0 &&
    versionByte > MAX_CQL_VERSION
  ) {
    throw notCqlAnswer(bytes, offset);
  }
  const headerLength = envelopeHeaderLength(versionByte, limits.allowLegacy);
  if (bytes.length - offset < headerLength) {
    throw new ProtocolError(`Truncated envelope header: ${bytes.length - offset} of ${headerLength} bytes`);
  }
  const isResponse = (versionByte & RESPONSE_BIT) !== 0;
  if (limits.expectResponses !== undefined && isResponse !== limits.expectResponses) {
    throw new ProtocolError(
      `Envelope direction bit says ${isResponse ? 'response' : 'request'} (version byte 0x${versionByte.toString(16)}) where a ${limits.expectResponses ? 'response' : 'request'} was expected`,
    );
  }
  const flags = bytes[offset + 1]!;
  let stream: number;
  let p: number;
  if (headerLength === LEGACY_ENVELOPE_HEADER_LENGTH) {
    stream = bytes.readInt8(offset + 2);
    p = offset + 3;
  } else {
    stream = bytes.readInt16BE(offset + 2); // signed: −1 is EVENT (native_protocol_v5.spec §2.4.1.3)
    p = offset + 4;
  }
  const opcode = bytes[p]!;
  if (!isOpcode(opcode)) {
    throw new ProtocolError(`Unknown opcode ${opcodeName(opcode)} in envelope header (stream ${stream})`);
  }
  const bodyLength = bytes.readUInt32BE(p + 1);
  if (bodyLength + headerLength > limits.maxEnvelopeSize) {
    throw new ProtocolError(
      `Envelope ${opcodeName(opcode)} on stream ${stream} declares a ${bodyLength}-byte body, above the limit of ${limits.maxEnvelopeSize} bytes per envelope`,
    );
  }
  return { version: versionByte & 0x7f, isResponse, flags, stream, opcode, bodyLength, headerLength };
}

/** Versions 1 to 6 exist (6 as a beta); a first byte above, with the direction bit clear, is no CQL envelope. */
const MAX_CQL_VERSION = 6;

/**
 * The first bytes a server answered with are no CQL envelope (no version, no response bit):
 * an HTTP server, SSH, SMTP or anything else listens on that port. Said as such, with the bytes
 * shown as text when they are printable (`"HTTP/1.1 "`), rather than as an envelope error.
 */
function notCqlAnswer(bytes: Buffer, offset: number): ProtocolError {
  const head = bytes.subarray(offset, Math.min(bytes.length, offset + 32));
  const printable = head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0d || b === 0x0a);
  const shown = printable ? JSON.stringify(head.toString('latin1')) : `0x${head.toString('hex')}`;
  return new ProtocolError(`this port does not speak the CQL native protocol: its answer starts ${shown}`);
}

/**
 * Writes a header at `offset` (9 bytes, or 8 for version 1/2 so the embedded server can answer a
 * v1/v2 client in its own format, as Cassandra's `ProtocolVersion.decode` does). Returns the
 * header length.
 */
export function writeEnvelopeHeader(
  target: Buffer,
  offset: number,
  header: Omit<EnvelopeHeader, 'headerLength'>,
): number {
  const { version, isResponse, flags, stream, opcode, bodyLength } = header;
  if (!Number.isInteger(version) || version < 1 || version > 0x7f) {
    throw new ArgumentError(`Envelope version must be an integer 1..127, got ${version}`);
  }
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff) {
    throw new ArgumentError(`Envelope flags must be a byte, got ${flags}`);
  }
  if (!isOpcode(opcode)) throw new ArgumentError(`Unknown opcode ${String(opcode)}`);
  if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > 0xffffffff) {
    throw new ArgumentError(`Envelope body length must fit 32 bits, got ${bodyLength}`);
  }
  const legacy = version < 3;
  const [minStream, maxStream] = legacy ? [-128, 127] : [-32768, 32767];
  if (!Number.isInteger(stream) || stream < minStream || stream > maxStream) {
    throw new ArgumentError(
      `Stream id must be an integer ${minStream}..${maxStream} for version ${version}, got ${stream}`,
    );
  }
  target[offset] = version | (isResponse ? RESPONSE_BIT : 0);
  target[offset + 1] = flags;
  let p: number;
  if (legacy) {
    target.writeInt8(stream, offset + 2);
    p = offset + 3;
  } else {
    target.writeInt16BE(stream, offset + 2);
    p = offset + 4;
  }
  target[p] = opcode;
  target.writeUInt32BE(bodyLength, p + 1);
  return p + 5 - offset;
}

/** The envelope of a decoded header and its (plain) body. */
export function envelopeFromHeader(h: EnvelopeHeader, body: Buffer): Envelope {
  return { version: h.version, isResponse: h.isResponse, flags: h.flags, stream: h.stream, opcode: h.opcode, body };
}
