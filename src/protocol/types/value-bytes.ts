import { ProtocolError } from '../errors/cqlwire-error.js';
import { toCqlTypeString } from './cql-type-string.js';
import type { DataType } from './data-type.js';

/** Bounds-checked reads inside one value's bytes, shared by the value decoders. */

/** A `ProtocolError` saying what is wrong with a value of `type`. */
export function bad(type: DataType, problem: string): never {
  throw new ProtocolError(`Invalid ${toCqlTypeString(type)} value: ${problem}`);
}

export function badLength(type: DataType, want: number, got: number): never {
  return bad(type, `expected ${want} bytes, got ${got}`);
}

/** A read position that helpers advance (one small object per value, not per element). */
export interface Cursor {
  at: number;
}

/** An [unsigned vint] (native_protocol_v5.spec §3 (Notations)) at `cursor`, not reading past `end`. */
export function readUnsignedVint(buf: Buffer, cursor: Cursor, end: number, type: DataType): bigint {
  if (cursor.at >= end) bad(type, 'truncated [unsigned vint]');
  const first = buf[cursor.at]!;
  const extra = Math.clz32(~(first << 24) >>> 0); // leading 1 bits = extra bytes
  if (cursor.at + 1 + extra > end) bad(type, 'truncated [unsigned vint]');
  let v = BigInt(first & (0xff >> extra));
  for (let i = 1; i <= extra; i++) v = (v << 8n) | BigInt(buf[cursor.at + i]!);
  cursor.at += 1 + extra;
  return v;
}

/** An [unsigned vint] element length (vectors, native_protocol_v5.spec §5.25) whose bytes must fit before `end`. */
export function readLengthVint(buf: Buffer, cursor: Cursor, end: number, type: DataType): number {
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

/** An [int] element length at `p` whose bytes must fit before `end`; negative means null. */
export function elementLength(buf: Buffer, p: number, end: number, type: DataType): number {
  if (p + 4 > end) bad(type, `truncated element length at ${p}`);
  const len = buf.readInt32BE(p);
  if (len > end - p - 4) bad(type, `element of ${len} bytes runs past the value`);
  return len;
}
