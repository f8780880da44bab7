import { ProtocolError } from '../errors/cqlwire-error.js';
import { lz4Binding } from './lz4-binding.js';

/**
 * Raw LZ4 *block* format (no LZ4 frame, no size prefix), the payload format of v5 lz4 segments
 * (native_protocol_v5.spec §2.2 (LZ4 Compressed Format)) and, behind a 4-byte big-endian length, of v3/v4
 * compressed envelope bodies (native_protocol_v4.spec §5 (Compression); Cassandra's transport `Compressor`).
 *
 * `lz4-napi` speaks the block format with a 4-byte little-endian uncompressed-size prefix in
 * front of it, both ways. Its decompressor reserves whatever that prefix declares without
 * checking it against the real output, so the declared size is bounded here before the native
 * code ever sees it, and the real output length is compared with the declared one afterwards.
 * The binding is loaded on first use (lz4-binding.ts).
 */

/** Bytes of the size prefix `lz4-napi` puts in front of a raw block. */
const NAPI_PREFIX = 4;
/** Bytes in front of the raw block that {@link lz4DecompressPrefixed} fills with the size prefix. */
export const LZ4_INPUT_PREFIX = NAPI_PREFIX;

/** Compresses `input` into a raw LZ4 block. The result is a view; the caller must not rely on what surrounds it. */
export function lz4CompressBlock(input: Uint8Array): Buffer {
  const prefixed = lz4Binding().compressSync(
    Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength),
  );
  return prefixed.subarray(NAPI_PREFIX);
}

/**
 * Decompresses the raw LZ4 block `input`, which must expand to exactly `uncompressedLength`
 * bytes. A declared length above `maxLength` is refused before anything is allocated (an lz4
 * "bomb"); garbage input and an output of any other length are a `ProtocolError`.
 */
export function lz4DecompressBlock(input: Uint8Array, uncompressedLength: number, maxLength: number): Buffer {
  checkUncompressedLength(uncompressedLength, maxLength);
  // a temporary in memory of its own, not the shared pool: lz4 keeps short input as literals, so a
  // compressed AUTH_RESPONSE still holds the password's bytes (large inputs are unpooled anyway)
  const prefixed = Buffer.allocUnsafeSlow(LZ4_INPUT_PREFIX + input.byteLength);
  prefixed.set(input, LZ4_INPUT_PREFIX);
  return lz4DecompressPrefixed(prefixed, uncompressedLength, maxLength);
}

/**
 * {@link lz4DecompressBlock} for a caller that already put the raw block at
 * `prefixed[LZ4_INPUT_PREFIX..]` (the segment decoder copies a compressed payload straight there
 * from the received chunks, saving a copy and an allocation per segment). The first
 * {@link LZ4_INPUT_PREFIX} bytes are overwritten.
 */
export function lz4DecompressPrefixed(prefixed: Buffer, uncompressedLength: number, maxLength: number): Buffer {
  checkUncompressedLength(uncompressedLength, maxLength);
  const binding = lz4Binding();
  prefixed.writeUInt32LE(uncompressedLength, 0);
  let output: Buffer;
  try {
    output = binding.uncompressSync(prefixed);
  } catch (cause) {
    throw new ProtocolError(
      `Malformed lz4 block (${prefixed.length - LZ4_INPUT_PREFIX} bytes, declared ${uncompressedLength} uncompressed): ${(cause as Error).message}`,
      { cause },
    );
  }
  if (output.length !== uncompressedLength) {
    throw new ProtocolError(`lz4 block decompressed to ${output.length} bytes but declared ${uncompressedLength}`);
  }
  return output;
}

/** A declared length the decompressor may be trusted with, or a `ProtocolError` (an lz4 "bomb"). */
function checkUncompressedLength(uncompressedLength: number, maxLength: number): void {
  if (!Number.isInteger(uncompressedLength) || uncompressedLength < 0) {
    throw new ProtocolError(`Invalid lz4 uncompressed length ${uncompressedLength}`);
  }
  if (uncompressedLength > maxLength) {
    throw new ProtocolError(
      `lz4 block declares ${uncompressedLength} uncompressed bytes, above the limit of ${maxLength}; refusing to decompress it`,
    );
  }
  if (uncompressedLength > 0xffffffff) {
    throw new ProtocolError(`lz4 uncompressed length ${uncompressedLength} does not fit 32 bits`);
  }
}
