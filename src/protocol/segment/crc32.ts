import * as zlib from 'node:zlib';

/**
 * Payload CRC32 of a v5 segment (the trailer of native_protocol_v5.spec §2.1 (Uncompressed Format)
 * and §2.2): standard IEEE CRC-32 (zlib's), but seeded by first running it over the 4 bytes
 * FA 2D 55 CA, as Cassandra's `Crc.crc32` does (the spec does not give the seed).
 */

type Crc32Fn = (data: Uint8Array, value: number) => number;

/** zlib.crc32 appeared in Node 20.15/22.2; older runtimes use the table below. */
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;

/** Reflected table implementation of the same function, for runtimes without zlib.crc32. */
export function crc32Table(data: Uint8Array, value: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

const crc32Update: Crc32Fn = typeof nativeCrc32 === 'function' ? (d, v) => nativeCrc32(d, v) : crc32Table;

/** The running value a segment payload's CRC32 starts from (the seed bytes of Cassandra's `Crc.crc32`). */
export const SEGMENT_CRC32_SEED = crc32Update(new Uint8Array([0xfa, 0x2d, 0x55, 0xca]), 0);

/** The seeded CRC32 of a segment payload, as an unsigned 32-bit number. */
export function segmentCrc32(payload: Uint8Array): number {
  return crc32Update(payload, SEGMENT_CRC32_SEED) >>> 0;
}

/**
 * Continues a payload CRC32 over the next piece of the payload: start from
 * {@link SEGMENT_CRC32_SEED}; the result after the last piece equals `segmentCrc32` of the whole.
 */
export function segmentCrc32Update(piece: Uint8Array, previous: number): number {
  return crc32Update(piece, previous);
}
