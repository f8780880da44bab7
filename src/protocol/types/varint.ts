/**
 * The CQL varint encoding (native_protocol_v5.spec §5.24 (varint)): a two's-complement big-endian
 * integer in the fewest bytes that keep its sign, so 128 is `00 80` and -129 is `FF 7F`. Also the
 * unscaled part of a decimal.
 */

/** Bytes needed for `v` in minimal two's complement (at least 1). */
export function varintByteLength(v: bigint): number {
  if (v >= -0x80000000n && v <= 0x7fffffffn) {
    const n = Number(v);
    return n >= -0x80 && n <= 0x7f ? 1 : n >= -0x8000 && n <= 0x7fff ? 2 : n >= -0x800000 && n <= 0x7fffff ? 3 : 4;
  }
  // the magnitude of the non-negative value with the same bit pattern as v's bits above the sign
  const m = v < 0n ? -v - 1n : v;
  return Math.ceil((m.toString(2).length + 1) / 8);
}

/** Writes `v` in exactly `length` bytes (from `varintByteLength`) at `offset`. */
export function writeVarint(buf: Buffer, offset: number, v: bigint, length: number): void {
  if (length <= 6) {
    buf.writeIntBE(Number(v), offset, length);
    return;
  }
  const u = v < 0n ? (1n << BigInt(length * 8)) + v : v;
  buf.write(u.toString(16).padStart(length * 2, '0'), offset, length, 'hex');
}

/** The minimal varint bytes of `v`. */
export function encodeVarint(v: bigint): Buffer {
  const n = varintByteLength(v);
  const out = Buffer.allocUnsafe(n);
  writeVarint(out, 0, v, n);
  return out;
}

/** Reads a varint of `length` >= 1 bytes (non-minimal forms such as `00 01` are accepted). */
export function readVarint(buf: Buffer, offset: number, length: number): bigint {
  if (length <= 6) return BigInt(buf.readIntBE(offset, length));
  const u = BigInt(`0x${buf.toString('hex', offset, offset + length)}`);
  return buf[offset]! >= 0x80 ? u - (1n << BigInt(length * 8)) : u;
}
