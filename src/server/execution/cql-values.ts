import { ArgumentError, CqlwireError, ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';
import type { Unset } from '../../protocol/primitives/index.js';
import { UNSET } from '../../protocol/primitives/index.js';
import type { DataType } from '../../protocol/types/index.js';
import { Duration, encodeValue, TimeUuid, toCqlTypeString, Uuid } from '../../protocol/types/index.js';
import type { Term } from '../cql/index.js';

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(ErrorCode.INVALID, message);
}

/** A value bound to a statement: bytes, null, or "not set" (v4+). */
export type BoundValue = Buffer | null | Unset;

/** Bound values by marker index, already matched to the statement's markers. */
export type BindValues = readonly BoundValue[];

/** Fixed sizes of the types whose values Cassandra validates by length, and its messages. */
const FIXED: Record<string, [number[], (n: number) => string]> = {
  int: [[4, 0], (n) => `Expected 4 or 0 byte int (${n})`],
  bigint: [[8, 0], (n) => `Expected 8 or 0 byte long (${n})`],
  counter: [[8, 0], (n) => `Expected 8 or 0 byte long (${n})`],
  smallint: [[2, 0], (n) => `Expected 2 bytes for a smallint (${n})`],
  tinyint: [[1, 0], (n) => `Expected 1 byte for a tinyint (${n})`],
  double: [[8, 0], (n) => `Expected 8 or 0 byte value for a double (${n})`],
  float: [[4, 0], (n) => `Expected 4 or 0 byte value for a float (${n})`],
  timestamp: [[8, 0], (n) => `Expected 8 or 0 byte long for date (${n})`],
  boolean: [[1, 0], (n) => `Expected 1 or 0 byte value (${n})`],
  uuid: [[16, 0], (n) => `UUID should be 16 or 0 bytes (${n})`],
  timeuuid: [[16, 0], (n) => `TimeUUID should be 16 or 0 bytes (${n})`],
  date: [[4, 0], (n) => `Expected 4 byte long for date (${n})`],
  time: [[8, 0], (n) => `Expected 8 byte long for time (${n})`],
  inet: [[4, 16, 0], (n) => `Expected 4 or 16 byte inetaddress; got ${n} bytes`],
};

/**
 * Validates a bound value for `type` as Cassandra's marshal types do (InvalidRequest when bad),
 * walking collections, tuples and UDTs so that no malformed bytes reach the store or a comparator.
 */
export function validateBound(type: DataType, value: Buffer): void {
  const rule = FIXED[type.kind];
  if (rule !== undefined) {
    if (!rule[0].includes(value.length)) throw invalid(rule[1](value.length));
    return;
  }
  switch (type.kind) {
    case 'text':
      if (!isValidUtf8(value)) throw invalid("String didn't validate.");
      return;
    case 'ascii':
      for (let i = 0; i < value.length; i++) if (value[i]! > 127) throw invalid(`Invalid byte for ascii: ${value[i]}`);
      return;
    case 'decimal':
      if (value.length > 0 && value.length < 4)
        throw invalid(`Expected 0 or at least 4 bytes for a decimal (${value.length})`);
      return;
    case 'list':
    case 'set':
    case 'map': {
      if (value.length === 0) return;
      if (value.length < 4) throw invalid(`Not enough bytes to read a ${type.kind}`);
      const n = value.readInt32BE(0);
      const perItem = type.kind === 'map' ? 2 : 1;
      if (n < 0 || n * perItem * 4 > value.length - 4) throw invalid(`Not enough bytes to read a ${type.kind}`);
      let p = 4;
      for (let i = 0; i < n * perItem; i++) {
        const elementType = type.kind === 'map' ? (i % 2 === 0 ? type.key : type.value) : type.element;
        p = validateComponent(elementType, value, p, false, type.kind);
      }
      if (p !== value.length) throw invalid(`Unexpected extraneous bytes after ${type.kind} value`);
      return;
    }
    case 'tuple':
    case 'udt': {
      const types = type.kind === 'tuple' ? type.elements : type.fields.map((f) => f.type);
      let p = 0;
      for (let i = 0; i < types.length && p < value.length; i++)
        p = validateComponent(types[i]!, value, p, true, type.kind);
      if (p !== value.length)
        throw invalid(`Invalid remaining data after end of ${type.kind === 'udt' ? 'UDT' : 'tuple'} value`);
      return;
    }
    default:
      return;
  }
}

/** Checks one `[bytes]` component at `p` (null allowed in tuples/UDTs only); returns the next offset. */
function validateComponent(type: DataType, value: Buffer, p: number, nullable: boolean, what: string): number {
  if (p + 4 > value.length) throw invalid(`Not enough bytes to read a ${what}`);
  const len = value.readInt32BE(p);
  if (len < 0) {
    if (!nullable) throw invalid(`null is not supported inside ${what}s`);
    return p + 4;
  }
  if (p + 4 + len > value.length) throw invalid(`Not enough bytes to read a ${what}`);
  validateBound(type, value.subarray(p + 4, p + 4 + len));
  return p + 4 + len;
}

function isValidUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

/** Context for turning a term into bytes: the bound values and the column for messages. */
export interface TermContext {
  readonly values: BindValues;
  readonly column: string;
}

/**
 * The bytes of a term for a value of `type`: a bind marker's bound bytes (validated), or a literal
 * converted to a JS value and encoded by the protocol layer's `encodeValue`.
 */
export function termBytes(term: Term, type: DataType, ctx: TermContext): BoundValue {
  if (term.kind === 'bind') {
    const v = ctx.values[term.index];
    if (v === undefined)
      throw invalid(
        `There were ${ctx.values.length} markers(?) in CQL but ${term.index + 1} or more bound variables are needed`,
      );
    if (v === null || v === UNSET) return v;
    validateBound(type, v);
    return v;
  }
  if (term.kind === 'null') return null;
  try {
    return encodeValue(type, literalValue(term, type, ctx.column), { column: ctx.column });
  } catch (e) {
    if (e instanceof InvalidRequestError) throw e;
    if (e instanceof ArgumentError || e instanceof CqlwireError || e instanceof RangeError || e instanceof TypeError) {
      throw invalid(
        `Invalid ${literalKind(term)} constant (${literalText(term)}) for "${ctx.column}" of type ${toCqlTypeString(type)}`,
      );
    }
    throw e;
  }
}

function literalKind(t: Term): string {
  switch (t.kind) {
    case 'string':
      return 'STRING';
    case 'integer':
      return 'INTEGER';
    case 'float':
      return 'FLOAT';
    case 'boolean':
      return 'BOOLEAN';
    case 'uuid':
      return 'UUID';
    case 'hex':
      return 'HEX';
    case 'duration':
      return 'DURATION';
    default:
      return t.kind.toUpperCase();
  }
}

function literalText(t: Term): string {
  switch (t.kind) {
    case 'string':
      return t.value;
    case 'boolean':
      return String(t.value);
    case 'integer':
    case 'float':
    case 'uuid':
    case 'hex':
    case 'duration':
      return t.text;
    default:
      return t.kind;
  }
}

function mismatch(t: Term, type: DataType, column: string): InvalidRequestError {
  return invalid(
    `Invalid ${literalKind(t)} constant (${literalText(t)}) for "${column}" of type ${toCqlTypeString(type)}`,
  );
}

const INTEGER_TYPES = new Set(['int', 'bigint', 'smallint', 'tinyint', 'varint', 'counter']);

/** A CQL literal as the JS value `encodeValue` takes for `type`; a kind mismatch is Cassandra's error. */
export function literalValue(t: Term, type: DataType, column: string): unknown {
  switch (t.kind) {
    case 'null':
      return null;
    case 'bind':
      throw invalid(`Bind markers are not allowed inside this literal for "${column}"`);
    case 'integer':
      if (INTEGER_TYPES.has(type.kind)) return BigInt(t.text);
      if (type.kind === 'float' || type.kind === 'double') return Number(t.text);
      if (type.kind === 'decimal') return t.text;
      if (type.kind === 'timestamp') return BigInt(t.text);
      if (type.kind === 'date') return dateFromInteger(t.text);
      if (type.kind === 'time') return BigInt(t.text);
      throw mismatch(t, type, column);
    case 'float':
      if (type.kind === 'float' || type.kind === 'double') return Number(t.text.toLowerCase() === 'nan' ? NaN : t.text);
      if (type.kind === 'decimal') return t.text;
      throw mismatch(t, type, column);
    case 'boolean':
      if (type.kind === 'boolean') return t.value;
      throw mismatch(t, type, column);
    case 'uuid':
      if (type.kind === 'uuid' || type.kind === 'timeuuid') return t.text;
      throw mismatch(t, type, column);
    case 'hex':
      if (type.kind === 'blob' || type.kind === 'custom') {
        const hex = t.text.slice(2);
        if (hex.length % 2 !== 0) throw invalid(`Invalid hex constant (${t.text}) for "${column}" of type blob`);
        return Buffer.from(hex, 'hex');
      }
      throw mismatch(t, type, column);
    case 'duration':
      if (type.kind === 'duration') return Duration.fromString(t.text);
      throw mismatch(t, type, column);
    case 'string':
      switch (type.kind) {
        case 'text':
        case 'ascii':
          return t.value;
        case 'timestamp':
          return parseTimestamp(t.value, column);
        case 'date':
        case 'time':
        case 'inet':
        case 'uuid':
        case 'timeuuid':
        case 'duration':
        case 'decimal':
          return t.value;
        case 'varint':
        case 'bigint':
        case 'int':
        case 'smallint':
        case 'tinyint':
        case 'counter':
          if (/^-?\d+$/.test(t.value)) return BigInt(t.value);
          throw mismatch(t, type, column);
        default:
          throw mismatch(t, type, column);
      }
    case 'list':
    case 'set': {
      const element = type.kind === 'list' || type.kind === 'set' || type.kind === 'vector' ? type.element : undefined;
      if (element === undefined) throw invalid(`Invalid list literal for ${column} of type ${toCqlTypeString(type)}`);
      // `{}` parses as an empty map; `{a, b}` as a set; both fit a set column.
      return t.items.map((i) => literalValue(i, element, column));
    }
    case 'map':
      if (type.kind === 'map')
        return new Map(
          t.entries.map(([k, v]) => [literalValue(k, type.key, column), literalValue(v, type.value, column)]),
        );
      if ((type.kind === 'set' || type.kind === 'list') && t.entries.length === 0) return [];
      throw invalid(`Invalid map literal for ${column} of type ${toCqlTypeString(type)}`);
    case 'udt': {
      if (type.kind !== 'udt')
        throw invalid(`Invalid user type literal for ${column} of type ${toCqlTypeString(type)}`);
      const out: Record<string, unknown> = {};
      for (const [name, v] of t.fields) {
        const f = type.fields.find((x) => x.name === name);
        if (f === undefined) throw invalid(`Unknown field '${name}' in value of user defined type ${type.name}`);
        out[name] = literalValue(v, f.type, column);
      }
      return out;
    }
    case 'tuple':
      if (type.kind !== 'tuple') throw invalid(`Invalid tuple literal for ${column} of type ${toCqlTypeString(type)}`);
      if (t.items.length > type.elements.length)
        throw invalid(
          `Invalid tuple literal for ${column}: too many elements. Type ${toCqlTypeString(type)} expects ${type.elements.length} but got ${t.items.length}`,
        );
      return type.elements.map((e, i) => (i < t.items.length ? literalValue(t.items[i]!, e, column) : null));
    case 'call':
      return callValue(t.name, type, column);
  }
}

/** The few native functions drivers and demos use in literals. */
function callValue(name: string, type: DataType, column: string): unknown {
  switch (name) {
    case 'now':
      return TimeUuid.fromDate(new Date());
    case 'uuid':
      return Uuid.random();
    case 'totimestamp':
    case 'currenttimestamp':
    case 'tounixtimestamp':
      return type.kind === 'bigint' ? BigInt(Date.now()) : new Date();
    case 'currentdate':
    case 'todate':
      return new Date().toISOString().slice(0, 10);
    default:
      throw invalid(`Unknown function ${name} called for "${column}"`);
  }
}

function dateFromInteger(text: string): string {
  // A date given as an integer is the raw day count with the 2^31 offset (SimpleDateType).
  const days = Number(BigInt(text) - 2n ** 31n);
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * CQL timestamp strings: `yyyy-mm-dd[( |T)HH:MM[:SS[.fff]]][Z|(+|-)HHMM|(+|-)HH:MM]`; no zone
 * means UTC here (Cassandra uses the server's zone; ours is UTC).
 */
function parseTimestamp(text: string, column: string): Date {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (m === null) throw invalid(`Unable to coerce '${text}' to a formatted date (long)`);
  let ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  if (Number.isNaN(ms)) throw invalid(`Unable to coerce '${text}' to a formatted date (long) for ${column}`);
  return new Date(ms);
}
