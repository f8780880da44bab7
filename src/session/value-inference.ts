import Long from 'long';
import { ArgumentError } from '../protocol/errors/index.js';
import type { DataType } from '../protocol/types/index.js';
import { BigDecimal, Duration, InetAddress, LocalDate, LocalTime, TimeUuid, Uuid } from '../protocol/types/index.js';

/**
 * The CQL type a JS value is sent as when the statement's types are unknown (an unprepared query
 * without `hints`). The same mapping cassandra-driver uses, so code moving over behaves the same:
 * number → double, string → text, boolean → boolean, bigint / Long → bigint, Buffer → blob,
 * Date → timestamp, Uuid → uuid, TimeUuid → timeuuid, InetAddress → inet, LocalDate → date,
 * LocalTime → time, Duration → duration, BigDecimal → decimal, Array → list, Set → set,
 * Map → map (element types from the first element). A number bound to an `int` column is
 * therefore refused by the server (it receives 8 bytes): pass `prepare: true` or `hints` for typed
 * encoding. Values that fit no type (plain objects, functions, empty collections, ...) give an
 * `ArgumentError` saying so, before anything is sent.
 */
export function inferType(value: unknown, index: number | string): DataType {
  switch (typeof value) {
    case 'number':
      return { kind: 'double' };
    case 'string':
      return { kind: 'text' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'bigint':
      return { kind: 'bigint' };
    default:
      break;
  }
  if (Buffer.isBuffer(value)) return { kind: 'blob' };
  if (value instanceof Date) return { kind: 'timestamp' };
  if (value instanceof TimeUuid) return { kind: 'timeuuid' };
  if (value instanceof Uuid) return { kind: 'uuid' };
  if (value instanceof InetAddress) return { kind: 'inet' };
  if (value instanceof LocalDate) return { kind: 'date' };
  if (value instanceof LocalTime) return { kind: 'time' };
  if (value instanceof Duration) return { kind: 'duration' };
  if (value instanceof BigDecimal) return { kind: 'decimal' };
  if (Long.isLong(value)) return { kind: 'bigint' };
  if (Array.isArray(value)) return { kind: 'list', element: inferElement(value[0], value.length, index) };
  if (value instanceof Set) return { kind: 'set', element: inferElement(first(value.values()), value.size, index) };
  if (value instanceof Map) {
    const entry = first(value.entries()) as [unknown, unknown] | undefined;
    return {
      kind: 'map',
      key: inferElement(entry?.[0], value.size, index),
      value: inferElement(entry?.[1], value.size, index),
    };
  }
  throw new ArgumentError(
    `Parameter ${describe(index)}: cannot tell the CQL type of ${typeof value === 'object' ? (value === null ? 'null' : (value.constructor?.name ?? 'an object')) : typeof value}` +
      ' for an unprepared query; use { prepare: true } or give its type in `hints`',
  );
}

function first(it: Iterator<unknown>): unknown {
  const r = it.next();
  return r.done === true ? undefined : r.value;
}

function inferElement(value: unknown, size: number, index: number | string): DataType {
  if (size === 0 || value === null || value === undefined) {
    throw new ArgumentError(
      `Parameter ${describe(index)}: cannot tell the element type of an empty collection (or one starting with null) for an unprepared query; use { prepare: true } or \`hints\``,
    );
  }
  return inferType(value, index);
}

function describe(index: number | string): string {
  return typeof index === 'number' ? `${index}` : `"${index}"`;
}
