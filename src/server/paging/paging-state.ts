import { ErrorCode, ProtocolViolationError } from '../../protocol/errors/index.js';
import { PrimitiveReader, PrimitiveWriter } from '../../protocol/primitives/index.js';

/** Cassandra's "no limit": DataLimits.NO_LIMIT is Integer.MAX_VALUE. */
export const NO_LIMIT = 0x7fffffff;

/**
 * Where a paged query stopped, in Cassandra's v4+ `PagingState` layout (opaque to clients,
 * native_protocol_v5.spec §7 (Result paging)):
 * `[uvint len] partitionKey`, `[uvint len] rowMark`, `[uvint] remaining`, `[uvint] remainingInPartition`.
 * It names a position in the data (key + clustering), not a node or a cursor, so any node sharing
 * the data can continue from it.
 */
export interface PagingState {
  /** The serialised partition key of the last row returned; empty for single-partition queries. */
  readonly partitionKey: Buffer;
  /** The clustering of the last row returned (`encodeRowMark`); empty when the table has none. */
  readonly rowMark: Buffer;
  /** Rows still allowed by LIMIT (NO_LIMIT minus rows returned when there is no LIMIT). */
  readonly remaining: number;
  /** Rows still allowed in the last partition by PER PARTITION LIMIT (same convention). */
  readonly remainingInPartition: number;
}

/** Serialises a paging state. */
export function encodePagingState(state: PagingState): Buffer {
  const w = new PrimitiveWriter(16 + state.partitionKey.length + state.rowMark.length);
  w.unsignedVint(state.partitionKey.length).raw(state.partitionKey);
  w.unsignedVint(state.rowMark.length).raw(state.rowMark);
  w.unsignedVint(state.remaining).unsignedVint(state.remainingInPartition);
  return w.finishCopy();
}

function malformed(): ProtocolViolationError {
  // Cassandra's QueryOptions codec: ProtocolException("Invalid value for the paging state").
  return new ProtocolViolationError(ErrorCode.PROTOCOL_ERROR, 'Invalid value for the paging state');
}

/** Parses a paging state; anything malformed (or with bytes left over) is a ProtocolViolationError. */
export function decodePagingState(bytes: Buffer): PagingState {
  try {
    const r = new PrimitiveReader(bytes);
    const keyLength = r.unsignedVint();
    r.need(keyLength, 'partition key');
    const partitionKey = bytes.subarray(r.offset, r.offset + keyLength);
    r.skip(keyLength);
    const markLength = r.unsignedVint();
    r.need(markLength, 'row mark');
    const rowMark = bytes.subarray(r.offset, r.offset + markLength);
    r.skip(markLength);
    const remaining = r.unsignedVint();
    const remainingInPartition = r.unsignedVint();
    if (r.offset !== bytes.length || remaining > NO_LIMIT || remainingInPartition > NO_LIMIT) throw malformed();
    return { partitionKey, rowMark, remaining, remainingInPartition };
  } catch (e) {
    if (e instanceof ProtocolViolationError) throw e;
    throw malformed();
  }
}

/**
 * A clustering as Cassandra writes it in a row mark (`Clustering.serializer` at messaging version
 * 3.0 with every column typed as BytesType, so each value carries a [uvint] length): per block of
 * 32 values, an [uvint] header with bit 2i set for an empty value and bit 2i+1 for a null, then
 * the non-empty values.
 */
export function encodeRowMark(clustering: readonly Buffer[]): Buffer {
  const w = new PrimitiveWriter(16);
  for (let block = 0; block < clustering.length; block += 32) {
    const end = Math.min(clustering.length, block + 32);
    let header = 0n;
    for (let i = block; i < end; i++) if (clustering[i]!.length === 0) header |= 1n << BigInt((i - block) * 2);
    w.unsignedVint(header);
    for (let i = block; i < end; i++) {
      const v = clustering[i]!;
      if (v.length > 0) w.unsignedVint(v.length).raw(v);
    }
  }
  return w.finishCopy();
}

/** Reads a row mark back into `count` clustering values (views); malformed → ProtocolViolationError. */
export function decodeRowMark(mark: Buffer, count: number): Buffer[] {
  try {
    const r = new PrimitiveReader(mark);
    const out: Buffer[] = [];
    for (let block = 0; block < count; block += 32) {
      const end = Math.min(count, block + 32);
      const header = r.unsignedVintBig();
      for (let i = block; i < end; i++) {
        const bits = Number((header >> BigInt((i - block) * 2)) & 3n);
        if (bits !== 0) {
          // A null clustering value cannot exist in a stored row; empty is a zero-length value.
          if (bits & 2) throw malformed();
          out.push(mark.subarray(0, 0));
          continue;
        }
        const len = r.unsignedVint();
        r.need(len, 'clustering value');
        out.push(mark.subarray(r.offset, r.offset + len));
        r.skip(len);
      }
    }
    if (r.offset !== mark.length) throw malformed();
    return out;
  } catch (e) {
    if (e instanceof ProtocolViolationError) throw e;
    throw malformed();
  }
}
