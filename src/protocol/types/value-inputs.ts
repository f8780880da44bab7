import { inspect } from 'node:util';
import Long from 'long';
import { ArgumentError } from '../errors/cqlwire-error.js';
import { toCqlTypeString } from './cql-type-string.js';
import type { DataType } from './data-type.js';

/**
 * Where a value being encoded sits, for error messages: the column (when the caller named it) and
 * the path inside a collection, tuple or UDT (`[2]`, `.street`, `{key}`).
 */
export interface ValuePath {
  readonly column: string | undefined;
  readonly path: string;
}

/** An `ArgumentError` naming the column, the CQL type and the offending value. */
export function invalidValue(where: ValuePath, type: DataType, value: unknown, problem: string): ArgumentError {
  const subject = where.column !== undefined ? `Column "${where.column}"${where.path}` : `Value${where.path}`;
  return new ArgumentError(`${subject} (${toCqlTypeString(type)}): ${showValue(value)} ${problem}`);
}

/** A short, readable rendering of any input (strings quoted, long ones cut). */
export function showValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Long.isLong(value)) return `Long(${String(value)})`;
  const s = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 40 });
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/**
 * An integer input as a bigint: a safe-integer number, a bigint, a `Long`, or (when `text`) a
 * decimal string. `undefined` when the input is none of those.
 */
export function integerInput(value: unknown, text: boolean): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (Long.isLong(value)) return BigInt(value.toString());
  if (text && typeof value === 'string' && INTEGER_TEXT.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

/**
 * A 32-bit-or-narrower integer input as a number in [min, max], or an `ArgumentError`. Numbers
 * take a fast path; bigints and `Long`s are accepted too.
 */
export function smallIntegerInput(value: unknown, min: number, max: number, where: ValuePath, type: DataType): number {
  let n: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw invalidValue(where, type, value, 'is not an integer');
    n = value;
  } else {
    const b = integerInput(value, false);
    if (b === undefined) throw invalidValue(where, type, value, 'is not an integer (number, bigint or Long)');
    if (b < BigInt(min) || b > BigInt(max)) throw invalidValue(where, type, value, `is out of range [${min}, ${max}]`);
    n = Number(b);
  }
  if (n < min || n > max) throw invalidValue(where, type, value, `is out of range [${min}, ${max}]`);
  return n;
}

/** Bytes given as a Buffer, any Uint8Array or an ArrayBuffer, as a Buffer view (no copy). */
export function bytesInput(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return undefined;
}
