import Long from 'long';
import { ProtocolError } from '../errors/cqlwire-error.js';
import type { DataType, MapType, TupleType, UdtType, VectorType } from './data-type.js';
import { toCqlTypeString } from './cql-type-string.js';
import { fixedValueLength } from './fixed-value-length.js';
import { BigDecimal } from './values/big-decimal.js';
import { Duration } from './values/duration.js';
import { InetAddress } from './values/inet-address.js';
import { LocalDate } from './values/local-date.js';
import { LocalTime } from './values/local-time.js';
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
}

const TWO_32 = 4294967296;
const NANOS_PER_DAY = 86_400_000_000_000;

/**
 * Builds the decoder for one column type, once; the Rows decoder then calls it per cell. The
 * returned functions read numbers straight from the buffer, strings with `buf.toString`, and take
 * views (`subarray`) only for blobs. A zero-length value is `null` for every type except text,
 * ascii, blob, custom (empty bytes) and collections (PROTOCOL.md §6.2 "empty" values). Bytes that
 * do not fit the type are a `ProtocolError`; invalid UTF-8 decodes lossily, as Node does.
 */
export function createValueDecoder(type: DataType, options?: DecodeOptions): ValueDecoder {
  const asLong = options?.bigint === 'long';
  switch (type.kind) {
    case 'text': return (buf, o, n) => buf.toString('utf8', o, o + n);
    case 'ascii': return (buf, o, n) => buf.toString('latin1', o, o + n);
    case 'blob':
    case 'custom': return (buf, o, n) => buf.subarray(o, o + n);
    case 'int': return (buf, o, n) => (n === 0 ? null : n === 4 ? buf.readInt32BE(o) : badLength(type, 4, n));
    case 'smallint': return (buf, o, n) => (n === 0 ? null : n === 2 ? buf.readInt16BE(o) : badLength(type, 2, n));
    case 'tinyint': return (buf, o, n) => (n === 0 ? null : n === 1 ? buf.readInt8(o) : badLength(type, 1, n));
    case 'float': return (buf, o, n) => (n === 0 ? null : n === 4 ? buf.readFloatBE(o) : badLength(type, 4, n));
    case 'double': return (buf, o, n) => (n === 0 ? null : n === 8 ? buf.readDoubleBE(o) : badLength(type, 8, n));
    case 'boolean': return (buf, o, n) => (n === 0 ? null : n === 1 ? buf[o] !== 0 : badLength(type, 1, n));
    case 'bigint':
    case 'counter':
      return asLong
        ? (buf, o, n) => (n === 0 ? null : n === 8 ? Long.fromBits(buf.readInt32BE(o + 4), buf.readInt32BE(o)) : badLength(type, 8, n))
        : (buf, o, n) => (n === 0 ? null : n === 8 ? buf.readBigInt64BE(o) : badLength(type, 8, n));
    case 'varint': return (buf, o, n) => (n === 0 ? null : readVarint(buf, o, n));
    case 'timestamp':
      // ms = hi·2^32 + lo is exact for every instant a Date can hold; beyond that Date is Invalid
      return (buf, o, n) => (n === 0 ? null : n === 8 ? new Date(buf.readInt32BE(o) * TWO_32 + buf.readUInt32BE(o + 4)) : badLength(type, 8, n));
    case 'date':
      // unsigned day count, epoch at 2^31 (PROTOCOL.md §6.2)
      return (buf, o, n) => (n === 0 ? null : n === 4 ? new LocalDate(buf.readUInt32BE(o) - 0x80000000) : badLength(type, 4, n));
    case 'time': return (buf, o, n) => (n === 0 ? null : n === 8 ? decodeTime(buf, o) : badLength(type, 8, n));
    case 'uuid': return (buf, o, n) => (n === 0 ? null : n === 16 ? new Uuid(buf, o) : badLength(type, 16, n));
    case 'timeuuid': return (buf, o, n) => (n === 0 ? null : n === 16 ? new TimeUuid(buf, o) : badLength(type, 16, n));
    case 'inet':
      return (buf, o, n) => (n === 0 ? null : n === 4 || n === 16 ? InetAddress.fromBytes(buf, o, n) : bad(type, `has ${n} bytes; an address has 4 or 16`));
    case 'decimal': return (buf, o, n) => (n === 0 ? null : decodeDecimal(buf, o, n));
    case 'duration': return (buf, o, n) => (n === 0 ? null : decodeDuration(buf, o, n));
    case 'list': {
      const element = createValueDecoder(type.element, options);
      return (buf, o, n) => decodeList(buf, o, n, element, type);
    }
    case 'set': {
      const element = createValueDecoder(type.element, options);
      return (buf, o, n) => new Set(decodeList(buf, o, n, element, type));
    }
    case 'map': return mapDecoder(type, options);
    case 'tuple': return tupleDecoder(type, options);
    case 'udt': return udtDecoder(type, options);
    case 'vector': return vectorDecoder(type, options);
  }
}

const decoderCache = new WeakMap<DataType, ValueDecoder>();

/** Decodes one value (a convenience over `createValueDecoder`; the default-options decoder is cached per type object). */
export function decodeValue(type: DataType, buf: Buffer, offset: number, length: number, options?: DecodeOptions): unknown {
  if (offset < 0 || length < 0 || offset + length > buf.length) {
    throw new ProtocolError(`${toCqlTypeString(type)} value of ${length} bytes at ${offset} does not fit a buffer of ${buf.length}`);
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

function bad(type: DataType, problem: string): never {
  throw new ProtocolError(`Invalid ${toCqlTypeString(type)} value: ${problem}`);
}

function badLength(type: DataType, want: number, got: number): never {
  return bad(type, `expected ${want} bytes, got ${got}`);
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

/** Three zigzag [vint]s that must use exactly the value's bytes (PROTOCOL.md §6.2, §6.3). */
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

/** One [vint] (zigzag over an [unsigned vint], spec v5 §3), bounded by `end`. */
function readVint(buf: Buffer, cursor: { at: number }, end: number): bigint {
  const z = readUnsignedVint(buf, cursor, end, { kind: 'duration' });
  return BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
}

function readUnsignedVint(buf: Buffer, cursor: { at: number }, end: number, type: DataType): bigint {
  if (cursor.at >= end) bad(type, 'truncated [unsigned vint]');
  const first = buf[cursor.at]!;
  const extra = Math.clz32(~(first << 24) >>> 0);
  if (cursor.at + 1 + extra > end) bad(type, 'truncated [unsigned vint]');
  let v = BigInt(first & (0xff >> extra));
  for (let i = 1; i <= extra; i++) v = (v << 8n) | BigInt(buf[cursor.at + i]!);
  cursor.at += 1 + extra;
  return v;
}

/** A small [unsigned vint] (a vector element length) as a number, bounded by `end`. */
function readLengthVint(buf: Buffer, cursor: { at: number }, end: number, type: DataType): number {
  let v: number;
  if (cursor.at < end && buf[cursor.at]! < 0x80) v = buf[cursor.at++]!;
  else {
    const big = readUnsignedVint(buf, cursor, end, type);
    if (big > BigInt(end - cursor.at)) bad(type, `element length ${big} runs past the value`);
    v = Number(big);
  }
  if (v > end - cursor.at) bad(type, `element length ${v} runs past the value`);
  return v;
}

/** Reads an [int] element length at `p`, checking it and its bytes fit before `end`. -1 (or any negative) is null. */
function elementLength(buf: Buffer, p: number, end: number, type: DataType): number {
  if (p + 4 > end) bad(type, `truncated element length at ${p}`);
  const len = buf.readInt32BE(p);
  if (len > end - p - 4) bad(type, `element of ${len} bytes runs past the value`);
  return len;
}

/** `[int] n` + n × [bytes] → Array (PROTOCOL.md §6.2). An empty value is an empty collection. */
function decodeList(buf: Buffer, o: number, n: number, element: (b: Buffer, o: number, n: number) => unknown, type: DataType): unknown[] {
  if (n === 0) return [];
  if (n < 4) bad(type, `needs a 4-byte count, got ${n} bytes`);
  const count = buf.readInt32BE(o);
  const end = o + n;
  // every element needs at least its 4 length bytes: check before allocating
  if (count < 0 || count > (n - 4) / 4) bad(type, `count ${count} does not fit ${n} bytes`);
  const out = new Array<unknown>(count);
  let p = o + 4;
  for (let i = 0; i < count; i++) {
    const len = elementLength(buf, p, end, type);
    p += 4;
    if (len < 0) out[i] = null;
    else {
      out[i] = element(buf, p, len);
      p += len;
    }
  }
  if (p !== end) bad(type, `${end - p} bytes left after ${count} elements`);
  return out;
}

function mapDecoder(type: MapType, options: DecodeOptions | undefined): ValueDecoder {
  const key = createValueDecoder(type.key, options);
  const value = createValueDecoder(type.value, options);
  return (buf, o, n) => {
    const out = new Map<unknown, unknown>();
    if (n === 0) return out;
    if (n < 4) bad(type, `needs a 4-byte count, got ${n} bytes`);
    const count = buf.readInt32BE(o);
    const end = o + n;
    if (count < 0 || count > (n - 4) / 8) bad(type, `count ${count} does not fit ${n} bytes`);
    let p = o + 4;
    for (let i = 0; i < count; i++) {
      const kl = elementLength(buf, p, end, type);
      p += 4;
      const k = kl < 0 ? null : key(buf, p, kl);
      if (kl > 0) p += kl;
      const vl = elementLength(buf, p, end, type);
      p += 4;
      out.set(k, vl < 0 ? null : value(buf, p, vl));
      if (vl > 0) p += vl;
    }
    if (p !== end) bad(type, `${end - p} bytes left after ${count} entries`);
    return out;
  };
}

/** Concatenated [bytes], one per component; missing trailing components are null. */
function tupleDecoder(type: TupleType, options: DecodeOptions | undefined): ValueDecoder {
  const elements = type.elements.map((e) => createValueDecoder(e, options));
  return (buf, o, n) => {
    if (n === 0) return null;
    const out = new Array<unknown>(elements.length).fill(null);
    const end = o + n;
    let p = o;
    for (let i = 0; i < elements.length && p < end; i++) {
      const len = elementLength(buf, p, end, type);
      p += 4;
      if (len >= 0) {
        out[i] = elements[i]!(buf, p, len);
        p += len;
      }
    }
    if (p !== end) bad(type, `${end - p} bytes left after ${elements.length} components`);
    return out;
  };
}

/** Concatenated [bytes], one per field in type order; missing trailing fields are null (PROTOCOL.md §6.2). */
function udtDecoder(type: UdtType, options: DecodeOptions | undefined): ValueDecoder {
  const names = type.fields.map((f) => f.name);
  const fields = type.fields.map((f) => createValueDecoder(f.type, options));
  return (buf, o, n) => {
    if (n === 0) return null;
    const out: Record<string, unknown> = {};
    const end = o + n;
    let p = o;
    for (let i = 0; i < fields.length; i++) {
      let v: unknown = null;
      if (p < end) {
        const len = elementLength(buf, p, end, type);
        p += 4;
        if (len >= 0) {
          v = fields[i]!(buf, p, len);
          p += len;
        }
      }
      out[names[i]!] = v;
    }
    if (p !== end) bad(type, `${end - p} bytes left after ${fields.length} fields`);
    return out;
  };
}

/**
 * vector<float, n> decodes to a Float32Array; other element types to an Array. Fixed-width
 * elements are bare, others follow an [unsigned vint] length (PROTOCOL.md §6.4). Sizes are
 * checked before anything is allocated.
 */
function vectorDecoder(type: VectorType, options: DecodeOptions | undefined): ValueDecoder {
  const dim = type.dimension;
  const fixed = fixedValueLength(type.element);
  if (type.element.kind === 'float') {
    return (buf, o, n) => {
      if (n === 0) return null;
      if (n !== 4 * dim) badLength(type, 4 * dim, n);
      const out = new Float32Array(dim);
      for (let i = 0; i < dim; i++) out[i] = buf.readFloatBE(o + 4 * i);
      return out;
    };
  }
  const element = createValueDecoder(type.element, options);
  if (fixed !== undefined) {
    const size = fixed;
    const total = size * dim;
    return (buf, o, n) => {
      if (n === 0) return null;
      if (n !== total) badLength(type, total, n);
      const out = new Array<unknown>(dim);
      for (let i = 0; i < dim; i++) out[i] = element(buf, o + size * i, size);
      return out;
    };
  }
  return (buf, o, n) => {
    if (n === 0) return null;
    // every element takes at least its 1-byte length
    if (dim > n) bad(type, `${dim} elements cannot fit ${n} bytes`);
    const out = new Array<unknown>(dim);
    const end = o + n;
    const cursor = { at: o };
    for (let i = 0; i < dim; i++) {
      const len = readLengthVint(buf, cursor, end, type);
      out[i] = element(buf, cursor.at, len);
      cursor.at += len;
    }
    if (cursor.at !== end) bad(type, `${end - cursor.at} bytes left after ${dim} elements`);
    return out;
  };
}
