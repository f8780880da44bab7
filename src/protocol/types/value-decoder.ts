import Long from 'long';
import { ProtocolError } from '../errors/cqlwire-error.js';
import { readInt64BigInt } from './bigint64.js';
import {
  listDecoder,
  mapDecoder,
  mapObjectDecoder,
  setDecoder,
  tupleDecoder,
  udtDecoder,
  vectorDecoder,
} from './composite-decoders.js';
import { toCqlTypeString } from './cql-type-string.js';
import type { DataType } from './data-type.js';
import { bad, badLength, readUnsignedVint } from './value-bytes.js';
import { BigDecimal } from './values/big-decimal.js';
import { Duration } from './values/duration.js';
import { InetAddress } from './values/inet-address.js';
import { LocalDate } from './values/local-date.js';
import { LocalTime } from './values/local-time.js';
import { MAX_DATE_MS, OutOfRangeDate } from './values/out-of-range-date.js';
import { TimeUuid } from './values/time-uuid.js';
import { Uuid } from './values/uuid.js';
import { readVarint } from './varint.js';

/**
 * Decodes one cell: `length` bytes at `offset` (never negative; a null cell is the caller's).
 * The bytes must lie inside `buf`.
 */
export type ValueDecoder = (buf: Buffer, offset: number, length: number) => unknown;

export interface DecodeOptions {
  /** How bigint and counter values come back: `bigint` (default) or a `Long`. varint is always a bigint. */
  readonly bigint?: 'bigint' | 'long';
  /**
   * How sets and maps come back: `'native'` (default) a `Set` and a `Map`; `'driver'` an Array and
   * a plain object keyed by each key's `String()`, as cassandra-driver gives them. Chosen when the
   * decoder is built, so the default costs nothing per value.
   */
  readonly collections?: 'native' | 'driver';
}

const TWO_32 = 4294967296;

/**
 * Buffer's own UTF-8 and Latin-1 decoders (Node's; other runtimes may lack them). text and ascii
 * cells call them as methods on the cell's buffer: no `toString` encoding dispatch (about a
 * quarter faster per short string, measured on Node 20) and V8's fast API path (through
 * `utf8Slice.call(buf, ...)` it took its slow generic path: 5% more CPU per streamed row of the
 * bench table). `toString` where a runtime lacks them.
 */
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
const nativeSlices = Buffer.prototype as unknown as Partial<NativeSlices>;
const hasUtf8Slice = typeof nativeSlices.utf8Slice === 'function';
const hasLatin1Slice = typeof nativeSlices.latin1Slice === 'function';
const NANOS_PER_DAY = 86_400_000_000_000;

/**
 * Builds the decoder for one column type, once; the Rows decoder then calls it per cell. The
 * returned functions read numbers straight from the buffer, strings with Buffer's own decoders, and
 * take views (`subarray`) only for blobs. A zero-length value is `null` for every type except text,
 * ascii, blob, custom (empty bytes) and collections (the "empty" values of native_protocol_v5.spec
 * §5). Bytes that do not fit the type are a `ProtocolError`; invalid UTF-8 decodes lossily, as Node
 * does.
 */
export function createValueDecoder(type: DataType, options?: DecodeOptions): ValueDecoder {
  const asLong = options?.bigint === 'long';
  switch (type.kind) {
    case 'text':
      return hasUtf8Slice
        ? (buf, o, n) => (buf as unknown as NativeSlices).utf8Slice(o, o + n)
        : (buf, o, n) => buf.toString('utf8', o, o + n);
    case 'ascii':
      return hasLatin1Slice
        ? (buf, o, n) => (buf as unknown as NativeSlices).latin1Slice(o, o + n)
        : (buf, o, n) => buf.toString('latin1', o, o + n);
    case 'blob':
    case 'custom':
      return (buf, o, n) => buf.subarray(o, o + n);
    case 'int':
      return (buf, o, n) => (n === 0 ? null : n === 4 ? buf.readInt32BE(o) : badLength(type, 4, n));
    case 'smallint':
      return (buf, o, n) => (n === 0 ? null : n === 2 ? buf.readInt16BE(o) : badLength(type, 2, n));
    case 'tinyint':
      return (buf, o, n) => (n === 0 ? null : n === 1 ? buf.readInt8(o) : badLength(type, 1, n));
    case 'float':
      return (buf, o, n) => (n === 0 ? null : n === 4 ? buf.readFloatBE(o) : badLength(type, 4, n));
    case 'double':
      return (buf, o, n) => (n === 0 ? null : n === 8 ? buf.readDoubleBE(o) : badLength(type, 8, n));
    case 'boolean':
      return (buf, o, n) => (n === 0 ? null : n === 1 ? buf[o] !== 0 : badLength(type, 1, n));
    case 'bigint':
    case 'counter':
      return asLong
        ? (buf, o, n) =>
            n === 0 ? null : n === 8 ? Long.fromBits(buf.readInt32BE(o + 4), buf.readInt32BE(o)) : badLength(type, 8, n)
        : (buf, o, n) => (n === 0 ? null : n === 8 ? readInt64BigInt(buf, o) : badLength(type, 8, n));
    case 'varint':
      return (buf, o, n) => (n === 0 ? null : readVarint(buf, o, n));
    case 'timestamp':
      return (buf, o, n) => (n === 0 ? null : n === 8 ? decodeTimestamp(buf, o) : badLength(type, 8, n));
    case 'date':
      // unsigned day count, epoch at 2^31 (native_protocol_v5.spec §5.5 (date))
      return (buf, o, n) =>
        n === 0 ? null : n === 4 ? new LocalDate(buf.readUInt32BE(o) - 0x80000000) : badLength(type, 4, n);
    case 'time':
      return (buf, o, n) => (n === 0 ? null : n === 8 ? decodeTime(buf, o) : badLength(type, 8, n));
    case 'uuid':
      return (buf, o, n) => (n === 0 ? null : n === 16 ? new Uuid(buf, o) : badLength(type, 16, n));
    case 'timeuuid':
      return (buf, o, n) => (n === 0 ? null : n === 16 ? new TimeUuid(buf, o) : badLength(type, 16, n));
    case 'inet':
      return (buf, o, n) =>
        n === 0
          ? null
          : n === 4 || n === 16
            ? InetAddress.fromBytes(buf, o, n)
            : bad(type, `has ${n} bytes; an address has 4 or 16`);
    case 'decimal':
      return (buf, o, n) => (n === 0 ? null : decodeDecimal(buf, o, n));
    case 'duration':
      return (buf, o, n) => (n === 0 ? null : decodeDuration(buf, o, n));
    case 'list':
      return listDecoder(type, createValueDecoder(type.element, options));
    case 'set':
      return options?.collections === 'driver'
        ? listDecoder(type, createValueDecoder(type.element, options))
        : setDecoder(type, createValueDecoder(type.element, options));
    case 'map':
      return (options?.collections === 'driver' ? mapObjectDecoder : mapDecoder)(
        type,
        createValueDecoder(type.key, options),
        createValueDecoder(type.value, options),
      );
    case 'tuple':
      return tupleDecoder(
        type,
        type.elements.map((e) => createValueDecoder(e, options)),
      );
    case 'udt':
      return udtDecoder(
        type,
        type.fields.map((f) => createValueDecoder(f.type, options)),
      );
    case 'vector':
      return vectorDecoder(type, createValueDecoder(type.element, options));
  }
}

const decoderCache = new WeakMap<DataType, ValueDecoder>();

/** Decodes one value (a convenience over `createValueDecoder`; the default-options decoder is cached per type object). */
export function decodeValue(
  type: DataType,
  buf: Buffer,
  offset: number,
  length: number,
  options?: DecodeOptions,
): unknown {
  if (offset < 0 || length < 0 || offset + length > buf.length) {
    throw new ProtocolError(
      `${toCqlTypeString(type)} value of ${length} bytes at ${offset} does not fit a buffer of ${buf.length}`,
    );
  }
  let d: ValueDecoder | undefined;
  if (options === undefined) {
    d = decoderCache.get(type);
    if (d === undefined) decoderCache.set(type, (d = createValueDecoder(type)));
  } else {
    d = createValueDecoder(type, options);
  }
  return d(buf, offset, length);
}

/**
 * ms = hi·2^32 + lo as a double is exact for every instant a Date can hold (|ms| <= 8.64e15 < 2^53),
 * and rounds to a value outside that range for every other: two comparisons on the usual path; the
 * rest become an OutOfRangeDate carrying the exact 64-bit count.
 */
function decodeTimestamp(buf: Buffer, o: number): Date {
  const ms = buf.readInt32BE(o) * TWO_32 + buf.readUInt32BE(o + 4);
  return ms <= MAX_DATE_MS && ms >= -MAX_DATE_MS ? new Date(ms) : new OutOfRangeDate(buf.readBigInt64BE(o));
}

function decodeTime(buf: Buffer, o: number): LocalTime {
  const ns = buf.readInt32BE(o) * TWO_32 + buf.readUInt32BE(o + 4);
  if (ns < 0 || ns >= NANOS_PER_DAY) bad({ kind: 'time' }, `${ns} ns is not within a day`);
  return new LocalTime(ns);
}

function decodeDecimal(buf: Buffer, o: number, n: number): BigDecimal {
  if (n < 5) bad({ kind: 'decimal' }, `needs a 4-byte scale and at least 1 byte of unscaled value, got ${n} bytes`);
  return new BigDecimal(readVarint(buf, o + 4, n - 4), buf.readInt32BE(o));
}

/** Three zigzag [vint]s that must use exactly the value's bytes (native_protocol_v5.spec §5.8 (duration), §3). */
function decodeDuration(buf: Buffer, o: number, n: number): Duration {
  const end = o + n;
  const cursor = { at: o };
  const months = readVint(buf, cursor, end);
  const days = readVint(buf, cursor, end);
  const nanos = readVint(buf, cursor, end);
  if (cursor.at !== end) bad({ kind: 'duration' }, `${end - cursor.at} bytes left after the three vints`);
  if (months < -0x80000000n || months > 0x7fffffffn || days < -0x80000000n || days > 0x7fffffffn) {
    bad({ kind: 'duration' }, `months ${months} or days ${days} outside int32`);
  }
  if ((months < 0n || days < 0n || nanos < 0n) && (months > 0n || days > 0n || nanos > 0n)) {
    bad({ kind: 'duration' }, `months ${months}, days ${days} and nanoseconds ${nanos} do not share a sign`);
  }
  return new Duration(Number(months), Number(days), nanos);
}

/** One [vint] (zigzag over an [unsigned vint], native_protocol_v5.spec §3), bounded by `end`. */
function readVint(buf: Buffer, cursor: { at: number }, end: number): bigint {
  const z = readUnsignedVint(buf, cursor, end, { kind: 'duration' });
  return BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
}
