import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';
import type { DataType, SimpleTypeName } from './data-type.js';
import { TypeCode } from './data-type.js';
import { parseMarshalClassName, toMarshalClassName } from './marshal-class-name.js';
import { simpleType } from './simple-types.js';

/**
 * [option] id -> simple type. 0x000A is the legacy text id: accepted, never written (it is not in
 * native_protocol_v5.spec §4.2.5.2; Cassandra's `DataType` still decodes it but writes text as 0x000D).
 */
const ID_TO_SIMPLE: readonly (SimpleTypeName | undefined)[] = (() => {
  const t: (SimpleTypeName | undefined)[] = new Array<SimpleTypeName | undefined>(0x16).fill(undefined);
  t[TypeCode.ASCII] = 'ascii';
  t[TypeCode.BIGINT] = 'bigint';
  t[TypeCode.BLOB] = 'blob';
  t[TypeCode.BOOLEAN] = 'boolean';
  t[TypeCode.COUNTER] = 'counter';
  t[TypeCode.DECIMAL] = 'decimal';
  t[TypeCode.DOUBLE] = 'double';
  t[TypeCode.FLOAT] = 'float';
  t[TypeCode.INT] = 'int';
  t[TypeCode.LEGACY_TEXT] = 'text';
  t[TypeCode.TIMESTAMP] = 'timestamp';
  t[TypeCode.UUID] = 'uuid';
  t[TypeCode.VARCHAR] = 'text';
  t[TypeCode.VARINT] = 'varint';
  t[TypeCode.TIMEUUID] = 'timeuuid';
  t[TypeCode.INET] = 'inet';
  t[TypeCode.DATE] = 'date';
  t[TypeCode.TIME] = 'time';
  t[TypeCode.SMALLINT] = 'smallint';
  t[TypeCode.TINYINT] = 'tinyint';
  t[TypeCode.DURATION] = 'duration';
  return t;
})();

const SIMPLE_TO_ID: Readonly<Record<SimpleTypeName, number>> = {
  ascii: TypeCode.ASCII,
  bigint: TypeCode.BIGINT,
  blob: TypeCode.BLOB,
  boolean: TypeCode.BOOLEAN,
  counter: TypeCode.COUNTER,
  decimal: TypeCode.DECIMAL,
  double: TypeCode.DOUBLE,
  float: TypeCode.FLOAT,
  int: TypeCode.INT,
  timestamp: TypeCode.TIMESTAMP,
  uuid: TypeCode.UUID,
  text: TypeCode.VARCHAR,
  varint: TypeCode.VARINT,
  timeuuid: TypeCode.TIMEUUID,
  inet: TypeCode.INET,
  date: TypeCode.DATE,
  time: TypeCode.TIME,
  smallint: TypeCode.SMALLINT,
  tinyint: TypeCode.TINYINT,
  duration: TypeCode.DURATION,
};

/**
 * The protocol version that gave a simple type its id; below it the server sends the type as
 * CUSTOM with its class name (Cassandra's `DataType.fromType`): date, time, smallint and
 * tinyint came with v4, duration with v5.
 */
const INTRODUCED_IN: Partial<Record<SimpleTypeName, number>> = {
  date: 4,
  time: 4,
  smallint: 4,
  tinyint: 4,
  duration: 5,
};

/** A real schema never nests this deep; the limit keeps hostile bytes from exhausting the stack. */
const MAX_DEPTH = 64;

/**
 * Reads one [option] (native_protocol_v5.spec §4.2.5.2 (Rows)) into a type descriptor. CUSTOM class names
 * of known marshal classes become real descriptors (a v4 `DurationType` is `duration`, a
 * `VectorType(...)` is a vector); unknown ones stay `custom`. Unknown ids, truncation and absurd
 * nesting are `ProtocolError`s. `version` is accepted for symmetry with `writeTypeOption`: every
 * id is read the same way whatever the version.
 */
export function readTypeOption(r: PrimitiveReader, version: ProtocolVersion): DataType {
  return readAt(r, version, 0);
}

function readAt(r: PrimitiveReader, version: ProtocolVersion, depth: number): DataType {
  if (depth > MAX_DEPTH) throw new ProtocolError(`[option] nested deeper than ${MAX_DEPTH} levels`);
  const at = r.offset;
  const id = r.short();
  const simple = ID_TO_SIMPLE[id];
  if (simple !== undefined) return simpleType(simple);
  switch (id) {
    case TypeCode.CUSTOM:
      return parseMarshalClassName(r.string());
    case TypeCode.LIST:
      return { kind: 'list', element: readAt(r, version, depth + 1) };
    case TypeCode.SET:
      return { kind: 'set', element: readAt(r, version, depth + 1) };
    case TypeCode.MAP: {
      const key = readAt(r, version, depth + 1);
      return { kind: 'map', key, value: readAt(r, version, depth + 1) };
    }
    case TypeCode.UDT: {
      const keyspace = r.string();
      const name = r.string();
      const n = r.short();
      // each field is at least a [string] (2) and an [option] (2): check before allocating
      r.need(n * 4, 'UDT field list');
      const fields = new Array<{ name: string; type: DataType }>(n);
      for (let i = 0; i < n; i++) {
        const fieldName = r.string();
        fields[i] = { name: fieldName, type: readAt(r, version, depth + 1) };
      }
      return { kind: 'udt', keyspace, name, fields };
    }
    case TypeCode.TUPLE: {
      const n = r.short();
      r.need(n * 2, 'tuple element list');
      const elements = new Array<DataType>(n);
      for (let i = 0; i < n; i++) elements[i] = readAt(r, version, depth + 1);
      return { kind: 'tuple', elements };
    }
    default:
      throw new ProtocolError(`Unknown [option] type id 0x${id.toString(16).padStart(4, '0')} at offset ${at}`);
  }
}

/**
 * Writes a type descriptor as an [option]. Mirrors what the server sends: a simple type newer than
 * `version` (duration below v5; date, time, smallint, tinyint below v4) and every vector go out as
 * CUSTOM with their marshal class name (native_protocol_v5.spec §4.2.5.2, id 0x0000); `text` uses
 * 0x000D. The `frozen` flags are not written: the [option] form has no place for them.
 */
export function writeTypeOption(w: PrimitiveWriter, type: DataType, version: ProtocolVersion): void {
  switch (type.kind) {
    case 'list':
      w.short(TypeCode.LIST);
      writeTypeOption(w, type.element, version);
      return;
    case 'set':
      w.short(TypeCode.SET);
      writeTypeOption(w, type.element, version);
      return;
    case 'map':
      w.short(TypeCode.MAP);
      writeTypeOption(w, type.key, version);
      writeTypeOption(w, type.value, version);
      return;
    case 'udt':
      checkCount(type.fields.length, `UDT ${type.keyspace}.${type.name} fields`);
      w.short(TypeCode.UDT).string(type.keyspace).string(type.name).short(type.fields.length);
      for (const f of type.fields) {
        w.string(f.name);
        writeTypeOption(w, f.type, version);
      }
      return;
    case 'tuple':
      checkCount(type.elements.length, 'tuple elements');
      w.short(TypeCode.TUPLE).short(type.elements.length);
      for (const e of type.elements) writeTypeOption(w, e, version);
      return;
    case 'vector':
      w.short(TypeCode.CUSTOM).string(toMarshalClassName(type));
      return;
    case 'custom':
      w.short(TypeCode.CUSTOM).string(type.className);
      return;
    default: {
      const since = INTRODUCED_IN[type.kind];
      if (since !== undefined && version < since) w.short(TypeCode.CUSTOM).string(toMarshalClassName(type));
      else w.short(SIMPLE_TO_ID[type.kind]);
    }
  }
}

function checkCount(n: number, what: string): void {
  if (n > 0xffff) throw new ArgumentError(`Too many ${what} for an [option]: ${n} (at most 65535)`);
}
