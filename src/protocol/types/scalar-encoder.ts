import { ArgumentError } from '../errors/cqlwire-error.js';
import { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { CustomType, DataType, SimpleType } from './data-type.js';
import { parseTimestampText, TIMESTAMP_TEXT_FORMS } from './timestamp-text.js';
import type { ValuePath } from './value-inputs.js';
import { bytesInput, integerInput, invalidValue, smallIntegerInput } from './value-inputs.js';
import { BigDecimal } from './values/big-decimal.js';
import { Duration } from './values/duration.js';
import { InetAddress } from './values/inet-address.js';
import { LocalDate } from './values/local-date.js';
import { LocalTime } from './values/local-time.js';
import { OutOfRangeDate } from './values/out-of-range-date.js';
import { parseUuidBytes, Uuid } from './values/uuid.js';
import { encodeVarint, varintByteLength, writeVarint } from './varint.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;
const TWO_32 = 4294967296;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Encodes a non-null value of a type without parameters (or an opaque custom type). */
export function encodeScalar(type: SimpleType | CustomType, value: unknown, where: ValuePath): Buffer {
  switch (type.kind) {
    case 'int': {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(smallIntegerInput(value, -0x80000000, 0x7fffffff, where, type), 0);
      return b;
    }
    case 'smallint': {
      const b = Buffer.allocUnsafe(2);
      b.writeInt16BE(smallIntegerInput(value, -0x8000, 0x7fff, where, type), 0);
      return b;
    }
    case 'tinyint': {
      const b = Buffer.allocUnsafe(1);
      b.writeInt8(smallIntegerInput(value, -0x80, 0x7f, where, type), 0);
      return b;
    }
    case 'bigint':
    case 'counter': {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(int64Input(value, where, type), 0);
      return b;
    }
    case 'varint': {
      const v = integerInput(value, true);
      if (v === undefined) throw invalidValue(where, type, value, notIntegerProblem(value));
      return encodeVarint(v);
    }
    case 'float': {
      if (typeof value !== 'number') throw invalidValue(where, type, value, 'is not a number');
      if (Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX && !Number.isFinite(Math.fround(value))) {
        throw invalidValue(where, type, value, `is out of range for a 32-bit float (±${FLOAT32_MAX})`);
      }
      const b = Buffer.allocUnsafe(4);
      b.writeFloatBE(value, 0);
      return b;
    }
    case 'double': {
      if (typeof value !== 'number') throw invalidValue(where, type, value, 'is not a number');
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleBE(value, 0);
      return b;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidValue(where, type, value, 'is not a boolean');
      return Buffer.from([value ? 1 : 0]);
    case 'text':
      if (typeof value !== 'string') throw invalidValue(where, type, value, 'is not a string');
      return Buffer.from(value, 'utf8');
    case 'ascii':
      if (typeof value !== 'string') throw invalidValue(where, type, value, 'is not a string');
      if (!ASCII_ONLY.test(value)) throw invalidValue(where, type, value, 'has characters outside US-ASCII');
      return Buffer.from(value, 'latin1');
    case 'blob':
    case 'custom': {
      const b = bytesInput(value);
      if (b === undefined) throw invalidValue(where, type, value, 'is not a Buffer, Uint8Array or ArrayBuffer');
      return b;
    }
    case 'timestamp':
      return encodeTimestamp(value, where, type);
    case 'date': {
      const d = convert(
        where,
        type,
        value,
        () =>
          value instanceof LocalDate
            ? value
            : typeof value === 'string'
              ? LocalDate.fromString(value)
              : value instanceof Date
                ? LocalDate.fromDate(value)
                : undefined,
        'is not a LocalDate, a YYYY-MM-DD string or a Date',
      );
      const b = Buffer.allocUnsafe(4);
      // unsigned day count with the epoch at 2^31 (native_protocol_v5.spec §5.5 (date))
      b.writeUInt32BE(d.days + 0x80000000, 0);
      return b;
    }
    case 'time': {
      const t = convert(
        where,
        type,
        value,
        () => {
          if (value instanceof LocalTime) return value;
          if (typeof value === 'string') return LocalTime.fromString(value);
          const ns = integerInput(value, false);
          return ns === undefined ? undefined : new LocalTime(ns);
        },
        'is not a LocalTime, an HH:MM:SS.fffffffff string or nanoseconds since midnight',
      );
      return int64FromNumber(t.nanoOfDay);
    }
    case 'duration': {
      const d = convert(
        where,
        type,
        value,
        () => (value instanceof Duration ? value : typeof value === 'string' ? Duration.fromString(value) : undefined),
        'is not a Duration or a duration string',
      );
      // three zigzag [vint]s: months, days, nanoseconds (native_protocol_v5.spec §5.8 (duration))
      return new PrimitiveWriter(32).vint(d.months).vint(d.days).vint(d.nanoseconds).finishCopy();
    }
    case 'decimal': {
      const d = convert(
        where,
        type,
        value,
        () => {
          if (value instanceof BigDecimal) return value;
          if (typeof value === 'string') return BigDecimal.fromString(value);
          if (typeof value === 'number') return BigDecimal.fromNumber(value);
          if (typeof value === 'bigint') return new BigDecimal(value, 0);
          return undefined;
        },
        'is not a BigDecimal, a decimal string, a finite number or a bigint',
      );
      const n = varintByteLength(d.unscaled);
      const b = Buffer.allocUnsafe(4 + n);
      b.writeInt32BE(d.scale, 0);
      writeVarint(b, 4, d.unscaled, n);
      return b;
    }
    case 'inet': {
      if (value instanceof InetAddress) return value.toBuffer();
      if (typeof value === 'string')
        return convert(where, type, value, () => InetAddress.fromString(value), '').toBuffer();
      const b = bytesInput(value);
      if (b === undefined)
        throw invalidValue(where, type, value, 'is not an InetAddress, an address string or 4/16 bytes');
      if (b.length !== 4 && b.length !== 16)
        throw invalidValue(where, type, value, `has ${b.length} bytes; an address has 4 or 16`);
      return b;
    }
    case 'uuid':
    case 'timeuuid': {
      let b: Buffer;
      if (value instanceof Uuid) b = value.toBuffer();
      else if (typeof value === 'string') b = convert(where, type, value, () => parseUuidBytes(value), '');
      else {
        const raw = bytesInput(value);
        if (raw === undefined) throw invalidValue(where, type, value, 'is not a Uuid, a uuid string or 16 bytes');
        if (raw.length !== 16) throw invalidValue(where, type, value, `has ${raw.length} bytes; a uuid has 16`);
        b = raw;
      }
      if (type.kind === 'timeuuid' && b[6]! >> 4 !== 1)
        throw invalidValue(where, type, value, 'is not a version 1 (time-based) uuid');
      return b;
    }
    default: {
      const never: never = type;
      throw new ArgumentError(`Cannot encode a value of unknown type ${JSON.stringify(never)}`);
    }
  }
}

/** Runs a conversion that may throw `ArgumentError`, rewording it to name the column and type. */
function convert<T>(where: ValuePath, type: DataType, value: unknown, f: () => T | undefined, problem: string): T {
  let out: T | undefined;
  try {
    out = f();
  } catch (e) {
    if (e instanceof ArgumentError) throw invalidValue(where, type, value, `is invalid: ${e.message}`);
    throw e;
  }
  if (out === undefined) throw invalidValue(where, type, value, problem);
  return out;
}

function notIntegerProblem(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value)
    ? 'is not a safe integer; pass a bigint or a string to keep every digit'
    : 'is not an integer (number, bigint, Long or decimal string)';
}

function int64Input(value: unknown, where: ValuePath, type: DataType): bigint {
  const v = integerInput(value, true);
  if (v === undefined) throw invalidValue(where, type, value, notIntegerProblem(value));
  if (v < INT64_MIN || v > INT64_MAX)
    throw invalidValue(where, type, value, `is out of range [${INT64_MIN}, ${INT64_MAX}]`);
  return v;
}

/**
 * ms since the epoch from a Date (an OutOfRangeDate: its exact count), a safe-integer number, a
 * bigint, a Long, or ISO-8601 text with a zone (timestamp-text.ts).
 */
function encodeTimestamp(value: unknown, where: ValuePath, type: DataType): Buffer {
  if (value instanceof OutOfRangeDate) {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(int64Input(value.milliseconds, where, type), 0);
    return b;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw invalidValue(where, type, value, 'is an invalid Date');
    return int64FromNumber(ms);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw invalidValue(where, type, value, 'is not a whole number of milliseconds');
    return int64FromNumber(value);
  }
  if (typeof value === 'string') {
    const ms = parseTimestampText(value);
    if (ms === undefined) throw invalidValue(where, type, value, TIMESTAMP_TEXT_FORMS);
    return int64FromNumber(ms);
  }
  const b = Buffer.allocUnsafe(8);
  if (typeof value !== 'bigint' && integerInput(value, false) === undefined) {
    throw invalidValue(where, type, value, 'is not a Date or milliseconds since the epoch');
  }
  b.writeBigInt64BE(int64Input(value, where, type), 0);
  return b;
}

/** 8 bytes big-endian of a safe integer, without going through bigint. */
function int64FromNumber(n: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  const hi = Math.floor(n / TWO_32);
  b.writeInt32BE(hi, 0);
  b.writeUInt32BE(n - hi * TWO_32, 4);
  return b;
}
