import { ArgumentError } from '../errors/index.js';

/**
 * Serialises a partition key the way Cassandra stores it before hashing (CompositeType layout):
 * a single-column key is its value bytes as they are; a composite key is, for each component,
 * a 2-byte big-endian length, the bytes, then an end-of-component byte 0x00.
 */
export function serializePartitionKey(components: readonly Uint8Array[]): Buffer {
  if (components.length === 1) {
    const c = components[0]!;
    return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  }
  let size = 0;
  for (const c of components) {
    if (c.length > 0xffff) {
      throw new ArgumentError(
        `A partition key component of ${c.length} bytes is longer than the 65535 a composite key allows`,
      );
    }
    size += 3 + c.length;
  }
  const out = Buffer.allocUnsafe(size);
  let p = 0;
  for (const c of components) {
    out.writeUInt16BE(c.length, p);
    out.set(c, p + 2);
    p += 2 + c.length;
    out[p++] = 0;
  }
  return out;
}

/** Splits a serialised composite key back into its components (views, not copies). */
export function splitPartitionKey(key: Buffer, componentCount: number): Buffer[] | undefined {
  if (componentCount === 1) return [key];
  const parts: Buffer[] = [];
  let p = 0;
  for (let i = 0; i < componentCount; i++) {
    if (p + 2 > key.length) return undefined;
    const len = key.readUInt16BE(p);
    if (p + 2 + len + 1 > key.length) return undefined;
    parts.push(key.subarray(p + 2, p + 2 + len));
    p += 3 + len;
  }
  return p === key.length ? parts : undefined;
}
