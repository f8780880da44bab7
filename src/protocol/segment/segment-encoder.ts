import type { Compression } from '../compression/compression.js';
import { lz4CompressBlock } from '../compression/lz4-block.js';
import { ArgumentError } from '../errors/cqlwire-error.js';
import type { Envelope } from '../envelope/envelope.js';
import { EnvelopeFlag } from '../envelope/envelope-flag.js';
import { ENVELOPE_HEADER_LENGTH, writeEnvelopeHeader } from '../envelope/envelope-header.js';
import { segmentCrc32 } from './crc32.js';
import {
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
 * Wraps one payload in one segment: header, CRC24, payload, CRC32 (PROTOCOL.md §2.2/§2.3).
 * With lz4 the payload is compressed, or stored raw with uncompressed length 0 when compressing
 * does not make it smaller (§2.3 encoder rule).
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

/** Writes envelope bytes [from, to) — header then body, as if contiguous — into target at `at`. */
function copyEnvelopeRange(header: Buffer, body: Buffer, from: number, to: number, target: Buffer, at: number): void {
  const h = header.length;
  if (from < h) {
    const end = Math.min(to, h);
    header.copy(target, at, from, end);
    at += end - from;
    from = end;
  }
  if (from < to) body.copy(target, at, from - h, to - h);
}

function envelopeHeaderBytes(envelope: Envelope): Buffer {
  const header = Buffer.allocUnsafe(ENVELOPE_HEADER_LENGTH);
  // §2.9: in v5 compression lives in the segment layer; flag 0x01 is never sent.
  const n = writeEnvelopeHeader(header, 0, {
    version: envelope.version,
    isResponse: envelope.isResponse,
    flags: envelope.flags & ~EnvelopeFlag.COMPRESSED,
    stream: envelope.stream,
    opcode: envelope.opcode,
    bodyLength: envelope.body.length,
  });
  return header.subarray(0, n);
}

/**
 * Encodes envelopes into v5 segments, in order, as one Buffer to write (PROTOCOL.md §2.7, the
 * Java SegmentBuilder rule): envelopes that fit are packed together into self-contained
 * segments; an envelope larger than one payload is cut into non-self-contained slices of
 * `maxPayloadLength` bytes (the last holds the remainder; no empty trailing slice).
 */
export function encodeSegments(envelopes: readonly Envelope[], options: SegmentEncodeOptions): Buffer {
  const max = options.maxPayloadLength ?? MAX_SEGMENT_PAYLOAD;
  if (!Number.isInteger(max) || max < 1 || max > MAX_SEGMENT_PAYLOAD) {
    throw new ArgumentError(`maxPayloadLength must be an integer 1..${MAX_SEGMENT_PAYLOAD}, got ${max}`);
  }
  const headers = envelopes.map((e, i) => {
    if (!Buffer.isBuffer(e.body)) throw new ArgumentError(`Envelope body must be a Buffer (envelope ${i})`);
    return envelopeHeaderBytes(e);
  });
  const groups: Group[] = [];
  let current: Group | undefined;
  for (let i = 0; i < envelopes.length; i++) {
    const size = headers[i]!.length + envelopes[i]!.body.length;
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
  const prefix = segmentHeaderLength(options.compression) + SEGMENT_HEADER_CRC_LENGTH;
  if (options.compression === 'lz4') return encodeLz4Groups(envelopes, headers, groups, max);
  // Uncompressed: every size is known, so write everything into one allocation.
  let total = 0;
  for (const g of groups) {
    const count = g.split ? Math.ceil(g.bytes / max) : 1;
    total += g.bytes + count * (prefix + SEGMENT_TRAILER_LENGTH);
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const g of groups) {
    if (g.split) {
      const header = headers[g.start]!;
      const body = envelopes[g.start]!.body;
      for (let from = 0; from < g.bytes; from += max) {
        const to = Math.min(from + max, g.bytes);
        at += writeSegmentHeader(out, at, 'none', to - from, 0, false);
        copyEnvelopeRange(header, body, from, to, out, at);
        out.writeUInt32LE(segmentCrc32(out.subarray(at, at + to - from)), at + to - from);
        at += to - from + SEGMENT_TRAILER_LENGTH;
      }
    } else {
      at += writeSegmentHeader(out, at, 'none', g.bytes, 0, true);
      const start = at;
      for (let i = g.start; i < g.end; i++) {
        at += headers[i]!.copy(out, at);
        at += envelopes[i]!.body.copy(out, at);
      }
      out.writeUInt32LE(segmentCrc32(out.subarray(start, at)), at);
      at += SEGMENT_TRAILER_LENGTH;
    }
  }
  return out;
}

/** lz4: each payload is assembled, then compressed on its own (§2.7: per segment). */
function encodeLz4Groups(envelopes: readonly Envelope[], headers: Buffer[], groups: Group[], max: number): Buffer {
  const parts: Buffer[] = [];
  const scratch = Buffer.allocUnsafe(Math.min(max, groups.reduce((m, g) => Math.max(m, g.bytes), 0)));
  for (const g of groups) {
    if (g.split) {
      const header = headers[g.start]!;
      const body = envelopes[g.start]!.body;
      for (let from = 0; from < g.bytes; from += max) {
        const to = Math.min(from + max, g.bytes);
        copyEnvelopeRange(header, body, from, to, scratch, 0);
        parts.push(encodeSegment(scratch.subarray(0, to - from), false, 'lz4'));
      }
    } else {
      let at = 0;
      for (let i = g.start; i < g.end; i++) {
        at += headers[i]!.copy(scratch, at);
        at += envelopes[i]!.body.copy(scratch, at);
      }
      parts.push(encodeSegment(scratch.subarray(0, at), true, 'lz4'));
    }
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
