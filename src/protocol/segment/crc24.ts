/**
 * CRC24 of a segment header (native_protocol_v5.spec §2.1 (Uncompressed Format), Cassandra's
 * `Crc.crc24`): init 0x875060, polynomial 0x1974F0B, MSB-first, no reflection, no final XOR, over
 * the 3 or 5 header bytes in wire order.
 */
export function crc24(bytes: Uint8Array, offset = 0, length = bytes.length - offset): number {
  let crc = 0x875060;
  const end = offset + length;
  for (let i = offset; i < end; i++) {
    crc ^= bytes[i]! << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1974f0b;
    }
  }
  return crc & 0xffffff;
}
