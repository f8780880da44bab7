import type { Compression } from '../compression/compression.js';
import { lz4CompressBlock } from '../compression/lz4-block.js';
import type { Envelope, PartedEnvelope } from '../envelope/envelope.js';
import { partedBodyLength } from '../envelope/envelope.js';
import { EnvelopeFlag } from '../envelope/envelope-flag.js';
import { ENVELOPE_HEADER_LENGTH, writeEnvelopeHeader } from '../envelope/envelope-header.js';
import { ArgumentError } from '../errors/cqlwire-error.js';
import { GATHER_VIEW_MIN, GatherOutput } from '../primitives/gather-output.js';
import { SEGMENT_CRC32_SEED, segmentCrc32, segmentCrc32Update } from './crc32.js';
import {
  CRC_SEGMENT_HEADER_LENGTH,
  MAX_SEGMENT_PAYLOAD,
  SEGMENT_HEADER_CRC_LENGTH,
  SEGMENT_TRAILER_LENGTH,
  segmentHeaderLength,
  writeSegmentHeader,
} from './segment-format.js';

/** Options of {@link encodeSegments}. */
export interface SegmentEncodeOptions {
  compression: Compression;
  /** Largest payload per segment, 1..131071 (default 131071, as the Java and Python drivers). */
  maxPayloadLength?: number;
}

/**
 * Wraps one payload in one segment: header, CRC24, payload, CRC32 (native_protocol_v5.spec §2.1
 * (Uncompressed Format), §2.2 (LZ4 Compressed Format)). With lz4 the payload is compressed, or
 * stored raw with uncompressed length 0 when compressing does not make it smaller (the rule of
 * Cassandra's `FrameEncoderLZ4`).
 */
export function encodeSegment(payload: Uint8Array, selfContained: boolean, compression: Compression): Buffer {
  if (payload.length > MAX_SEGMENT_PAYLOAD) {
    throw new ArgumentError(`Segment payload of ${payload.length} bytes exceeds ${MAX_SEGMENT_PAYLOAD}`);
  }
  let wire: Uint8Array = payload;
  let uncompressedLength = 0;
  if (compression === 'lz4' && payload.length > 0) {
    const block = lz4CompressBlock(payload);
    if (block.length < payload.length) {
      wire = block;
      uncompressedLength = payload.length;
    }
  }
  const prefix = segmentHeaderLength(compression) + SEGMENT_HEADER_CRC_LENGTH;
  const out = Buffer.allocUnsafe(prefix + wire.length + SEGMENT_TRAILER_LENGTH);
  writeSegmentHeader(out, 0, compression, wire.length, uncompressedLength, selfContained);
  out.set(wire, prefix);
  out.writeUInt32LE(segmentCrc32(wire), prefix + wire.length);
  return out;
}

/** A run of envelopes [start, end) sharing one self-contained segment, or one split envelope. */
interface Group {
  start: number;
  end: number;
  /** Payload bytes of the group (the whole envelope if split). */
  bytes: number;
  split: boolean;
}

/** One envelope as the encoder sees it: its 9 header bytes, then its body parts. */
interface Pieces {
  header: Buffer;
  parts: readonly Buffer[];
  /** Header + body bytes. */
  size: number;
}

/** Writes envelope bytes [from, to) — header then body parts, as if contiguous — into `out`. */
function appendEnvelopeRange(e: Pieces, from: number, to: number, out: GatherOutput): void {
  let base = 0;
  for (let i = -1; i < e.parts.length && base < to; i++) {
    const piece = i < 0 ? e.header : e.parts[i]!;
    const end = base + piece.length;
    if (end > from) out.append(piece, Math.max(from, base) - base, Math.min(to, end) - base);
    base = end;
  }
}

/** The 9-byte v5 header of each envelope, all in one allocation. */
function headersOf(envelopes: readonly (Envelope | PartedEnvelope)[], bodyLengths: readonly number[]): Buffer {
  const headers = Buffer.allocUnsafe(ENVELOPE_HEADER_LENGTH * envelopes.length);
  for (let i = 0; i < envelopes.length; i++) {
    const e = envelopes[i]!;
    // native_protocol_v5.spec §2.4: in v5 compression lives in the segment layer; flag 0x01 is never sent.
    writeEnvelopeHeader(headers, i * ENVELOPE_HEADER_LENGTH, {
      version: e.version,
      isResponse: e.isResponse,
      flags: e.flags & ~EnvelopeFlag.COMPRESSED,
      stream: e.stream,
      opcode: e.opcode,
      bodyLength: bodyLengths[i]!,
    });
  }
  return headers;
}

/** Validates the payload limit. */
function maxPayloadOf(options: SegmentEncodeOptions): number {
  const max = options.maxPayloadLength ?? MAX_SEGMENT_PAYLOAD;
  if (!Number.isInteger(max) || max < 1 || max > MAX_SEGMENT_PAYLOAD) {
    throw new ArgumentError(`maxPayloadLength must be an integer 1..${MAX_SEGMENT_PAYLOAD}, got ${max}`);
  }
  return max;
}

/**
 * The rule of the DataStax Java native-protocol `SegmentBuilder` (native_protocol_v5.spec §1
 * (Overview)): envelopes that fit are packed together into self-contained segments; an envelope
 * larger than one payload is cut into non-self-contained slices of `max` bytes (the last holds the
 * remainder; no empty trailing slice).
 */
function groupsOf(items: readonly Pieces[], max: number): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  for (let i = 0; i < items.length; i++) {
    const size = items[i]!.size;
    if (size > max) {
      current = undefined;
      groups.push({ start: i, end: i + 1, bytes: size, split: true });
    } else if (current && current.bytes + size <= max) {
      current.end = i + 1;
      current.bytes += size;
    } else {
      current = { start: i, end: i + 1, bytes: size, split: false };
      groups.push(current);
    }
  }
  return groups;
}

const CRC_PREFIX = CRC_SEGMENT_HEADER_LENGTH + SEGMENT_HEADER_CRC_LENGTH;

/** Uncompressed segments: header, payload (copied or viewed), CRC32 over the payload pieces. */
function writeCrcSegments(items: readonly Pieces[], groups: readonly Group[], max: number, out: GatherOutput): void {
  const segment = (length: number, selfContained: boolean, fill: () => void): void => {
    const { buffer, offset } = out.reserve(CRC_PREFIX);
    writeSegmentHeader(buffer, offset, 'none', length, 0, selfContained);
    out.startChecksum(segmentCrc32Update, SEGMENT_CRC32_SEED);
    fill();
    const crc = out.endChecksum();
    const trailer = out.reserve(SEGMENT_TRAILER_LENGTH);
    trailer.buffer.writeUInt32LE(crc >>> 0, trailer.offset);
  };
  for (const g of groups) {
    if (g.split) {
      const e = items[g.start]!;
      for (let from = 0; from < g.bytes; from += max) {
        const to = Math.min(from + max, g.bytes);
        segment(to - from, false, () => appendEnvelopeRange(e, from, to, out));
      }
    } else {
      segment(g.bytes, true, () => {
        for (let i = g.start; i < g.end; i++) appendEnvelopeRange(items[i]!, 0, items[i]!.size, out);
      });
    }
  }
}

/** Segments needed for these groups. */
function segmentCount(groups: readonly Group[], max: number): number {
  let count = 0;
  for (const g of groups) count += g.split ? Math.ceil(g.bytes / max) : 1;
  return count;
}

/**
 * Encodes envelopes into v5 segments, in order, as one Buffer to write (native_protocol_v5.spec §1, §2; see
 * {@link groupsOf} for the packing rule).
 */
export function encodeSegments(envelopes: readonly Envelope[], options: SegmentEncodeOptions): Buffer {
  const max = maxPayloadOf(options);
  const lengths = envelopes.map((e, i) => {
    if (!Buffer.isBuffer(e.body)) throw new ArgumentError(`Envelope body must be a Buffer (envelope ${i})`);
    return e.body.length;
  });
  const headers = headersOf(envelopes, lengths);
  const items = envelopes.map(
    (e, i): Pieces => ({
      header: headers.subarray(i * ENVELOPE_HEADER_LENGTH, (i + 1) * ENVELOPE_HEADER_LENGTH),
      parts: [e.body],
      size: ENVELOPE_HEADER_LENGTH + lengths[i]!,
    }),
  );
  const groups = groupsOf(items, max);
  if (options.compression === 'lz4') return encodeLz4Groups(items, groups, max);
  // Uncompressed: every size is known, so everything is copied into one exact allocation.
  let total = segmentCount(groups, max) * (CRC_PREFIX + SEGMENT_TRAILER_LENGTH);
  for (const g of groups) total += g.bytes;
  const out = new GatherOutput(total, Infinity);
  writeCrcSegments(items, groups, max, out);
  const written = out.finish();
  return written.length === 1 ? written[0]! : Buffer.concat(written);
}

/**
 * Like {@link encodeSegments}, for envelopes whose bodies come in parts, returning the buffers
 * for one vectored write: without compression, long body parts are passed on as views (no
 * copy) with the CRC32 computed over them in place; with lz4 each segment's payload is
 * assembled and compressed as usual.
 */
export function gatherSegments(envelopes: readonly PartedEnvelope[], options: SegmentEncodeOptions): Buffer[] {
  const max = maxPayloadOf(options);
  const lengths = envelopes.map(partedBodyLength);
  const headers = headersOf(envelopes, lengths);
  let copied = 0;
  const items = envelopes.map((e, i): Pieces => {
    copied += ENVELOPE_HEADER_LENGTH;
    for (const part of e.bodyParts) if (part.length < GATHER_VIEW_MIN) copied += part.length;
    return {
      header: headers.subarray(i * ENVELOPE_HEADER_LENGTH, (i + 1) * ENVELOPE_HEADER_LENGTH),
      parts: e.bodyParts,
      size: ENVELOPE_HEADER_LENGTH + lengths[i]!,
    };
  });
  const groups = groupsOf(items, max);
  if (options.compression === 'lz4') return [encodeLz4Groups(items, groups, max)];
  const out = new GatherOutput(copied + segmentCount(groups, max) * (CRC_PREFIX + SEGMENT_TRAILER_LENGTH + 64));
  writeCrcSegments(items, groups, max, out);
  return out.finish();
}

/** lz4: each payload is assembled, then compressed on its own (per segment, native_protocol_v5.spec §2.2). */
function encodeLz4Groups(items: readonly Pieces[], groups: readonly Group[], max: number): Buffer {
  const parts: Buffer[] = [];
  const scratchSize = Math.min(
    max,
    groups.reduce((m, g) => Math.max(m, g.bytes), 0),
  );
  for (const g of groups) {
    if (g.split) {
      const e = items[g.start]!;
      for (let from = 0; from < g.bytes; from += max) {
        const to = Math.min(from + max, g.bytes);
        parts.push(
          encodeSegment(
            assemble(scratchSize, (out) => appendEnvelopeRange(e, from, to, out)),
            false,
            'lz4',
          ),
        );
      }
    } else {
      parts.push(
        encodeSegment(
          assemble(scratchSize, (out) => {
            for (let i = g.start; i < g.end; i++) appendEnvelopeRange(items[i]!, 0, items[i]!.size, out);
          }),
          true,
          'lz4',
        ),
      );
    }
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * One contiguous payload made of envelope ranges: a temporary, compressed or copied into its
 * segment at once, in memory of its own (an AUTH_RESPONSE's password must not linger in the
 * shared pool; large payloads are unpooled anyway).
 */
function assemble(capacity: number, fill: (out: GatherOutput) => void): Buffer {
  const out = new GatherOutput(capacity, Infinity, true);
  fill(out);
  const written = out.finish();
  return written.length === 1 ? written[0]! : Buffer.concat(written);
}
