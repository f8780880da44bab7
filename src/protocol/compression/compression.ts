/** The compression a connection negotiated with STARTUP `COMPRESSION` (PROTOCOL.md §2.9). */
export type Compression = 'lz4' | 'none';

/** True for a compression name cqlwire implements. */
export function isCompression(value: unknown): value is Compression {
  return value === 'lz4' || value === 'none';
}
