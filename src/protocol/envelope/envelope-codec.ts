import type { Compression } from '../compression/compression.js';
import { lz4CompressBlock, lz4DecompressBlock } from '../compression/lz4-block.js';
import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import { GATHER_VIEW_MIN, GatherOutput } from '../primitives/gather-output.js';
import type { Envelope, PartedEnvelope } from './envelope.js';
import { joinedBody } from './envelope.js';
import { EnvelopeFlag } from './envelope-flag.js';
import { ENVELOPE_HEADER_LENGTH, LEGACY_ENVELOPE_HEADER_LENGTH, writeEnvelopeHeader } from './envelope-header.js';
import { Opcode } from './opcode.js';

/** How envelopes are written outside v5 segments. */
export interface EnvelopeEncodeOptions {
  /** v3/v4 per-envelope body compression (native_protocol_v4.spec §5 (Compression)); ignored for v5. */
  compression: Compression;
}

/** Bytes of the big-endian uncompressed length in front of a v3/v4 lz4 body (native_protocol_v4.spec §5). */
const V4_LZ4_PREFIX = 4;

/**
 * Whether an envelope's body is compressed on the way out: v3/v4 only (v5 compresses segments
 * and never sets 0x01, native_protocol_v5.spec §2.4 (Frame Payload)), never STARTUP (the server decodes it before
 * compression is on)
 * nor OPTIONS (as the Java library; it may precede STARTUP).
 */
function compresses(envelope: Envelope | PartedEnvelope, compression: Compression): boolean {
  return (
    compression === 'lz4' &&
    envelope.version < 5 &&
    envelope.opcode !== Opcode.STARTUP &&
    envelope.opcode !== Opcode.OPTIONS
  );
}

/** The v3/v4 lz4 body: 4-byte BE uncompressed length, then the raw block (native_protocol_v4.spec §5). */
function compressBody(body: Buffer): Buffer {
  const block = lz4CompressBlock(body);
  // memory of its own, not the shared pool: lz4 keeps short input as literals, so the compressed
  // body of an AUTH_RESPONSE still holds the password's bytes
  const out = Buffer.allocUnsafeSlow(V4_LZ4_PREFIX + block.length);
  out.writeUInt32BE(body.length, 0);
  block.copy(out, V4_LZ4_PREFIX);
  return out;
}

/**
 * Encodes envelopes back to back into one Buffer (unframed: before v5 framing, or any time in
 * v3/v4). With `compression: 'lz4'` each eligible v3/v4 body is compressed and flag 0x01 set; the
 * COMPRESSED bit of `envelope.flags` is ignored either way.
 */
export function encodeEnvelopes(envelopes: readonly Envelope[], options: EnvelopeEncodeOptions): Buffer {
  const bodies: Buffer[] = new Array<Buffer>(envelopes.length);
  let total = 0;
  for (let i = 0; i < envelopes.length; i++) {
    const envelope = envelopes[i]!;
    if (!Buffer.isBuffer(envelope.body)) throw new ArgumentError(`Envelope body must be a Buffer (envelope ${i})`);
    const body = compresses(envelope, options.compression) ? compressBody(envelope.body) : envelope.body;
    bodies[i] = body;
    total += (envelope.version < 3 ? LEGACY_ENVELOPE_HEADER_LENGTH : ENVELOPE_HEADER_LENGTH) + body.length;
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < envelopes.length; i++) {
    const envelope = envelopes[i]!;
    const body = bodies[i]!;
    const compressed = body !== envelope.body;
    offset += writeEnvelopeHeader(out, offset, {
      version: envelope.version,
      isResponse: envelope.isResponse,
      flags: compressed ? envelope.flags | EnvelopeFlag.COMPRESSED : envelope.flags & ~EnvelopeFlag.COMPRESSED,
      stream: envelope.stream,
      opcode: envelope.opcode,
      bodyLength: body.length,
    });
    offset += body.copy(out, offset);
  }
  return out;
}

/**
 * Like {@link encodeEnvelopes}, for envelopes whose bodies come in parts, returning the buffers
 * for one vectored write: uncompressed, long body parts are passed on as views (no copy); a body
 * that gets lz4-compressed is joined first.
 */
export function gatherEnvelopes(envelopes: readonly PartedEnvelope[], options: EnvelopeEncodeOptions): Buffer[] {
  let copied = 0;
  for (const e of envelopes) {
    copied += ENVELOPE_HEADER_LENGTH;
    for (const part of e.bodyParts) if (part.length < GATHER_VIEW_MIN) copied += part.length;
  }
  const out = new GatherOutput(copied);
  for (const e of envelopes) {
    const compressed = compresses(e, options.compression);
    const parts = compressed ? [compressBody(joinedBody(e))] : e.bodyParts;
    let bodyLength = 0;
    for (const part of parts) bodyLength += part.length;
    const headerLength = e.version < 3 ? LEGACY_ENVELOPE_HEADER_LENGTH : ENVELOPE_HEADER_LENGTH;
    const { buffer, offset } = out.reserve(headerLength);
    writeEnvelopeHeader(buffer, offset, {
      version: e.version,
      isResponse: e.isResponse,
      flags: compressed ? e.flags | EnvelopeFlag.COMPRESSED : e.flags & ~EnvelopeFlag.COMPRESSED,
      stream: e.stream,
      opcode: e.opcode,
      bodyLength,
    });
    for (const part of parts) out.append(part, 0, part.length);
  }
  return out.finish();
}

/** Encodes one envelope (see {@link encodeEnvelopes}). */
export function encodeEnvelope(envelope: Envelope, options: EnvelopeEncodeOptions): Buffer {
  return encodeEnvelopes([envelope], options);
}

/**
 * Decompresses a v3/v4 lz4 body (flag 0x01): 4-byte BE uncompressed length, then a raw block
 * that must expand to exactly that length (the "Compressed lengths mismatch" of Cassandra's
 * transport `Compressor`).
 * A declared length above `maxLength` is refused before decompressing.
 */
export function decompressEnvelopeBody(body: Buffer, maxLength: number): Buffer {
  if (body.length < V4_LZ4_PREFIX) {
    throw new ProtocolError(
      `Compressed envelope body of ${body.length} bytes is shorter than its 4-byte length prefix`,
    );
  }
  const uncompressedLength = body.readUInt32BE(0);
  return lz4DecompressBlock(body.subarray(V4_LZ4_PREFIX), uncompressedLength, maxLength);
}
