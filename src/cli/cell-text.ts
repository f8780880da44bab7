/**
 * How `cqlwire query` and `cqlwire shell` show a value in a table, close to cqlsh: text as it is,
 * `null` for a null, booleans `True`/`False`, timestamps `2024-01-31 12:00:00.000000+0000`,
 * blobs `0x…`, the value classes as their canonical text, and collections, tuples and UDTs as CQL
 * literals (`[1, 2]`, `{'a', 'b'}`, `{'k': 1}`, `(1, 'x')`, `{street: 'Main', zip: 1}`) with the
 * text inside them quoted. The formatter is chosen once per column from its type.
 */
import type { DataType } from '../protocol/types/index.js';
import { blobText } from '../protocol/types/value-json.js';

/** Turns a decoded value (null included) into its display text. */
export type CellText = (value: unknown) => string;

/** A timestamp as cqlsh prints it (UTC, microsecond field, `+0000`). */
export function cqlshTimestamp(value: unknown): string {
  if (!(value instanceof Date)) return String(value);
  const iso = value.toISOString();
  const m = /^(.*)T(\d\d:\d\d:\d\d)\.(\d{3})Z$/.exec(iso);
  return m === null ? iso : `${m[1]} ${m[2]}.${m[3]}000+0000`;
}

function quoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function iterableOf(value: unknown): Iterable<unknown> {
  if (value !== null && typeof value === 'object' && Symbol.iterator in value) return value as Iterable<unknown>;
  return [];
}

/** Text, dates and times are quoted inside a collection, as in a CQL literal. */
function isQuotedInside(type: DataType): boolean {
  switch (type.kind) {
    case 'text':
    case 'ascii':
    case 'inet':
    case 'date':
    case 'time':
    case 'timestamp':
    case 'duration':
      return true;
    default:
      return false;
  }
}

/** The display text of a value of `type`; `nested` when it sits inside a collection, tuple or UDT. */
export function cellTextOf(type: DataType, nested = false): CellText {
  const inner = (t: DataType): CellText => cellTextOf(t, true);
  const nonNull = ((): CellText => {
    switch (type.kind) {
      case 'boolean':
        return (v) => (v === true ? 'True' : 'False');
      case 'blob':
      case 'custom':
        return blobText;
      case 'timestamp':
        return nested ? (v) => quoted(cqlshTimestamp(v)) : cqlshTimestamp;
      case 'list':
      case 'vector': {
        const element = inner(type.element);
        return (v) => `[${Array.from(iterableOf(v), element).join(', ')}]`;
      }
      case 'set': {
        const element = inner(type.element);
        return (v) => `{${Array.from(iterableOf(v), element).join(', ')}}`;
      }
      case 'map': {
        const key = inner(type.key);
        const value = inner(type.value);
        // a Map, or a plain object of string keys (the 'driver' collections option)
        return (v) => {
          const entries = v instanceof Map ? [...v] : Object.entries(v as object);
          return `{${entries.map(([k, x]) => `${key(k)}: ${value(x)}`).join(', ')}}`;
        };
      }
      case 'tuple': {
        const elements = type.elements.map(inner);
        return (v) => `(${elements.map((f, i) => f(Array.isArray(v) ? v[i] : undefined)).join(', ')})`;
      }
      case 'udt': {
        const fields = type.fields.map((f) => ({ name: f.name, text: inner(f.type) }));
        return (v) => {
          const o = v as Readonly<Record<string, unknown>>;
          return `{${fields.map((f) => `${f.name}: ${f.text(Object.hasOwn(o, f.name) ? o[f.name] : null)}`).join(', ')}}`;
        };
      }
      default:
        return nested && isQuotedInside(type) ? (v) => quoted(String(v)) : String;
    }
  })();
  return (value) => (value === null || value === undefined ? 'null' : nonNull(value));
}
