/**
 * The text and JSON forms of a decoded CQL value, shared by `Row.toJSON()` and by the NDJSON and
 * CSV writers of `cqlwire export`: every scalar as its canonical string (the value classes'
 * `toString()`, timestamps as ISO 8601 UTC, blobs as `0x` hex), collections, tuples and UDTs as
 * JSON, and bigint, varint, counter and decimal as strings so that no JSON reader loses digits.
 * The shape is chosen once per column from its type, so the per-cell work is one call with no
 * type switch, and nothing here ever throws on a decoded value.
 */
import type { DataType } from './data-type.js';
import { OutOfRangeDate } from './values/out-of-range-date.js';

/** A JSON value as `JSON.stringify` writes it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Turns a non-null decoded value into its canonical text. */
export type TextOf = (value: unknown) => string;
/** Turns a decoded value (null included) into its JSON form. */
export type JsonOf = (value: unknown) => JsonValue;

/** A blob (or a custom type's opaque bytes) as `0x` followed by lower-case hex, like cqlsh. */
export function blobText(value: unknown): string {
  return Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : String(value);
}

/**
 * A timestamp as ISO 8601 in UTC with milliseconds; one beyond a Date's range (an `OutOfRangeDate`)
 * in expanded ISO 8601 (`+294247-01-10T04:00:54.775Z`), any other invalid Date as `Invalid Date`.
 */
export function timestampText(value: unknown): string {
  if (value instanceof OutOfRangeDate) return value.toISOString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return String(value);
}

/** Numbers as JavaScript prints them (shortest round-trip form), so `0.1` stays `0.1`. */
function numberText(value: unknown): string {
  return String(value);
}

function isCollection(type: DataType): boolean {
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
    case 'tuple':
    case 'udt':
    case 'vector':
      return true;
    default:
      return false;
  }
}

/**
 * The canonical text of a non-null value of `type`: what a CSV field holds before quoting.
 * Collections, tuples, UDTs and vectors are JSON (see {@link jsonOf}).
 */
export function textOf(type: DataType): TextOf {
  if (isCollection(type)) {
    const json = jsonOf(type);
    return (value) => JSON.stringify(json(value));
  }
  switch (type.kind) {
    case 'blob':
    case 'custom':
      return blobText;
    case 'timestamp':
      return timestampText;
    case 'int':
    case 'smallint':
    case 'tinyint':
    case 'float':
    case 'double':
      return numberText;
    // strings, booleans, bigint/varint/counter (bigint or Long), and the value classes
    // (LocalDate, LocalTime, Duration, BigDecimal, InetAddress, Uuid, TimeUuid) print canonically.
    default:
      return String;
  }
}

/** A number in JSON; NaN and the infinities have no JSON spelling, so they become strings. */
function jsonNumber(value: unknown): JsonValue {
  if (typeof value !== 'number') return value === null || value === undefined ? null : String(value);
  return Number.isFinite(value) ? value : String(value);
}

function nullable(f: (value: unknown) => JsonValue): JsonOf {
  return (value) => (value === null || value === undefined ? null : f(value));
}

function iterableOf(value: unknown): Iterable<unknown> {
  if (value !== null && typeof value === 'object' && Symbol.iterator in value) return value as Iterable<unknown>;
  return [];
}

/**
 * The JSON form of a value of `type`. Text, booleans and the 32-bit-or-smaller numbers and
 * floating point numbers are JSON natives; bigint, varint, counter and decimal are strings so
 * that no reader loses digits (bigint as a string); every other
 * scalar is its canonical text. list/set/tuple/vector are arrays, udt an object by field name,
 * map an object keyed by the key's canonical text (JSON object keys are strings).
 */
export function jsonOf(type: DataType): JsonOf {
  switch (type.kind) {
    case 'text':
    case 'ascii':
      return nullable((v) => String(v));
    case 'boolean':
      return nullable((v) => v === true);
    case 'int':
    case 'smallint':
    case 'tinyint':
    case 'float':
    case 'double':
      return jsonNumber;
    case 'list':
    case 'set': {
      const element = jsonOf(type.element);
      return nullable((v) => {
        const out: JsonValue[] = [];
        for (const e of iterableOf(v)) out.push(element(e));
        return out;
      });
    }
    case 'vector': {
      const element = jsonOf(type.element);
      return nullable((v) => {
        const out: JsonValue[] = [];
        for (const e of iterableOf(v)) out.push(element(e));
        return out;
      });
    }
    case 'tuple': {
      const elements = type.elements.map(jsonOf);
      return nullable((v) => {
        const values = Array.isArray(v) ? v : [];
        return elements.map((f, i) => f(values[i]));
      });
    }
    case 'udt': {
      const fields = type.fields.map((f) => ({ name: f.name, json: jsonOf(f.type) }));
      return nullable((v) => {
        const source = v as Readonly<Record<string, unknown>>;
        const out: Record<string, JsonValue> = {};
        // defineProperty: a field named __proto__ must stay a plain key
        for (const f of fields)
          Object.defineProperty(out, f.name, {
            value: f.json(source[f.name]),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return out;
      });
    }
    case 'map': {
      const keyText = textOf(type.key);
      const value = jsonOf(type.value);
      return nullable((v) => {
        const out: Record<string, JsonValue> = {};
        // a Map, or the plain object of string keys that the 'driver' collections option gives
        const entries: Iterable<readonly [unknown, unknown]> =
          v instanceof Map ? v : v !== null && typeof v === 'object' ? Object.entries(v) : [];
        for (const [k, x] of entries) {
          Object.defineProperty(out, k === null || k === undefined ? 'null' : keyText(k), {
            value: value(x),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      });
    }
    default: {
      const text = textOf(type);
      return nullable((v) => text(v));
    }
  }
}
