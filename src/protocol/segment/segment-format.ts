import type { Compression } from '../compression/compression.js';
import { ProtocolError } from '../errors/cqlwire-error.js';
import { crc24 } from './crc24.js';

/** Largest payload of one segment: the length fields are 17 bits (native_protocol_v5.spec §2.1, §2.2). */
export const MAX_SEGMENT_PAYLOAD = 131071;
/** Header data bytes of an uncompressed (CRC) segment (native_protocol_v5.spec §2.1 (Uncompressed Format)). */
export const CRC_SEGMENT_HEADER_LENGTH = 3;
/** Header data bytes of an lz4 segment, 17 + 17 + 1 + 5 bits (native_protocol_v5.spec §2.2). */
export const LZ4_SEGMENT_HEADER_LENGTH = 5;
/** The CRC24 after the header data. */
export const SEGMENT_HEADER_CRC_LENGTH = 3;
/** The CRC32 after the payload. */
export const SEGMENT_TRAILER_LENGTH = 4;

/** A decoded segment header. */
export interface SegmentHeader {
  /** Payload bytes on the wire (the compressed length C for lz4). */
  payloadLength: number;
  /**
   * lz4 only: the length after decompression; 0 = payload stored raw (native_protocol_v5.spec
   * §2.2). Always 0 without lz4.
   */
  uncompressedLength: number;
  selfContained: boolean;
  /** Header data bytes: 3 or 5 (the CRC24 adds 3 more). */
  headerLength: number;
}

/** Header data length for a connection's compression. */
export function segmentHeaderLength(compression: Compression): number {
  return compression === 'lz4' ? LZ4_SEGMENT_HEADER_LENGTH : CRC_SEGMENT_HEADER_LENGTH;
}

/**
 * Writes header data + CRC24 at `offset`; returns the bytes written (6 or 8). Little-endian bit
 * layout of native_protocol_v5.spec §2.1/§2.2, built byte by byte because the lz4 header is 40 bits
 * wide.
 */
export function writeSegmentHeader(
  target: Uint8Array,
  offset: number,
  compression: Compression,
  payloadLength: number,
  uncompressedLength: number,
  selfContained: boolean,
): number {
  let n: number;
  if (compression === 'lz4') {
    target[offset] = payloadLength & 0xff;
    target[offset + 1] = (payloadLength >>> 8) & 0xff;
    target[offset + 2] = ((payloadLength >>> 16) & 0x01) | ((uncompressedLength & 0x7f) << 1);
    target[offset + 3] = (uncompressedLength >>> 7) & 0xff;
    target[offset + 4] = ((uncompressedLength >>> 15) & 0x03) | (selfContained ? 0x04 : 0);
    n = LZ4_SEGMENT_HEADER_LENGTH;
  } else {
    target[offset] = payloadLength & 0xff;
    target[offset + 1] = (payloadLength >>> 8) & 0xff;
    target[offset + 2] = ((payloadLength >>> 16) & 0x01) | (selfContained ? 0x02 : 0);
    n = CRC_SEGMENT_HEADER_LENGTH;
  }
  const crc = crc24(target, offset, n);
  target[offset + n] = crc & 0xff;
  target[offset + n + 1] = (crc >>> 8) & 0xff;
  target[offset + n + 2] = (crc >>> 16) & 0xff;
  return n + SEGMENT_HEADER_CRC_LENGTH;
}

/**
 * Decodes the header at `offset` (header data + CRC24 must be present). The CRC24 is checked
 * first, so no length is believed before it is verified; a mismatch is a `ProtocolError`.
 */
export function decodeSegmentHeader(bytes: Uint8Array, offset: number, compression: Compression): SegmentHeader {
  const n = segmentHeaderLength(compression);
  const expected = bytes[offset + n]! | (bytes[offset + n + 1]! << 8) | (bytes[offset + n + 2]! << 16);
  const actual = crc24(bytes, offset, n);
  if (expected !== actual) {
    throw new ProtocolError(
      `Segment header CRC24 mismatch: header says 0x${expected.toString(16).padStart(6, '0')}, computed 0x${actual.toString(16).padStart(6, '0')}`,
    );
  }
  const b2 = bytes[offset + 2]!;
  const payloadLength = bytes[offset]! | (bytes[offset + 1]! << 8) | ((b2 & 0x01) << 16);
  if (compression === 'lz4') {
    const b3 = bytes[offset + 3]!;
    const b4 = bytes[offset + 4]!;
    return {
      payloadLength,
      uncompressedLength: (b2 >>> 1) | (b3 << 7) | ((b4 & 0x03) << 15),
      selfContained: (b4 & 0x04) !== 0,
      headerLength: n,
    };
  }
  return { payloadLength, uncompressedLength: 0, selfContained: (b2 & 0x02) !== 0, headerLength: n };
}
