/**
 * The compression a connection negotiated with STARTUP `COMPRESSION` (native_protocol_v5.spec §2.3.2 (Compression),
 * native_protocol_v4.spec §5 (Compression)).
 */
export type Compression = 'lz4' | 'none';

/** True for a compression name cqlwire implements. */
export function isCompression(value: unknown): value is Compression {
  return value === 'lz4' || value === 'none';
}
