import { bytesListSize, writeBytesList } from '../primitives/bytes-list.js';
import { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';
import type { DataType, MapType, TupleType, UdtType, VectorType } from './data-type.js';
import { fixedValueLength } from './fixed-value-length.js';
import { encodeScalar } from './scalar-encoder.js';
import type { ValuePath } from './value-inputs.js';
import { invalidValue } from './value-inputs.js';

/** Who the value is for: the column name makes error messages useful. */
export interface EncodeContext {
  readonly column?: string;
  /** Accepted for symmetry; v3, v4 and v5 encode every value the same way. */
  readonly version?: ProtocolVersion;
}

/**
 * Encodes a JS value as the inner bytes of a CQL value of `type` (native_protocol_v5.spec §5 (Data
 * Type Serialization Formats)): what goes inside a [value], without its length. `null`/`undefined`
 * give `null` (the caller writes a null [value]); the UNSET marker is the caller's business. Wrong
 * JS types and out-of-range values throw an `ArgumentError` naming the column (when given), the CQL
 * type and the value. A Buffer given for a blob is returned as is, not copied.
 */
export function encodeValue(type: DataType, value: unknown, ctx?: EncodeContext): Buffer | null {
  if (value === null || value === undefined) return null;
  return encodeNonNull(type, value, { column: ctx?.column, path: '' });
}

function encodeNonNull(type: DataType, value: unknown, where: ValuePath): Buffer {
  switch (type.kind) {
    case 'list':
    case 'set':
      return encodeCollection(type, type.element, value, where);
    case 'map':
      return encodeMap(type, value, where);
    case 'tuple':
      return encodeTuple(type, value, where);
    case 'udt':
      return encodeUdt(type, value, where);
    case 'vector':
      return encodeVector(type, value, where);
    default:
      return encodeScalar(type, value, where);
  }
}

function at(where: ValuePath, step: string): ValuePath {
  return { column: where.column, path: where.path + step };
}

/** `[int] n` + n × [bytes] (v3+ format). Cassandra refuses null elements, so we do too. */
function encodeCollection(type: DataType, element: DataType, value: unknown, where: ValuePath): Buffer {
  if (!Array.isArray(value) && !(value instanceof Set))
    throw invalidValue(where, type, value, 'is not an Array or a Set');
  const parts: Buffer[] = [];
  let i = 0;
  for (const e of value as Iterable<unknown>) {
    if (e === null || e === undefined)
      throw invalidValue(at(where, `[${i}]`), element, e, 'is not allowed: collections cannot contain null');
    parts.push(encodeNonNull(element, e, at(where, `[${i}]`)));
    i++;
  }
  return joinCounted(parts, i);
}

/** `[int] n` + n × ([bytes] key, [bytes] value), from a Map or a plain object. */
function encodeMap(type: MapType, value: unknown, where: ValuePath): Buffer {
  let entries: Iterable<[unknown, unknown]>;
  if (value instanceof Map) entries = value.entries();
  else if (isPlainObject(value)) entries = Object.entries(value);
  else throw invalidValue(where, type, value, 'is not a Map or a plain object');
  const parts: Buffer[] = [];
  let n = 0;
  for (const [k, v] of entries) {
    const keyWhere = at(where, `{${String(k)}}`);
    if (k === null || k === undefined) throw invalidValue(keyWhere, type.key, k, 'is not allowed as a map key');
    if (v === null || v === undefined)
      throw invalidValue(keyWhere, type.value, v, 'is not allowed: map values cannot be null');
    parts.push(encodeNonNull(type.key, k, keyWhere), encodeNonNull(type.value, v, keyWhere));
    n++;
  }
  return joinCounted(parts, n);
}

/** One [bytes] per component, no count; a null component is length -1 (native_protocol_v5.spec §5.21 (tuple)). */
function encodeTuple(type: TupleType, value: unknown, where: ValuePath): Buffer {
  if (!Array.isArray(value)) throw invalidValue(where, type, value, 'is not an Array');
  if (value.length !== type.elements.length) {
    throw invalidValue(where, type, value, `has ${value.length} elements; the tuple has ${type.elements.length}`);
  }
  const parts = new Array<Buffer | null>(value.length);
  for (let i = 0; i < value.length; i++) {
    const e: unknown = value[i];
    parts[i] = e === null || e === undefined ? null : encodeNonNull(type.elements[i]!, e, at(where, `[${i}]`));
  }
  return joinBytes(parts);
}

/** One [bytes] per field in type order; absent fields are null. Unknown fields are an error. */
function encodeUdt(type: UdtType, value: unknown, where: ValuePath): Buffer {
  const isMap = value instanceof Map;
  if (!isMap && !isPlainObject(value)) throw invalidValue(where, type, value, 'is not a plain object or a Map');
  // own properties only, so a field called e.g. "constructor" does not pick up Object.prototype's
  const get = (name: string): unknown =>
    isMap
      ? (value as Map<unknown, unknown>).get(name)
      : Object.prototype.hasOwnProperty.call(value, name)
        ? value[name]
        : undefined;
  const keys = isMap ? [...(value as Map<unknown, unknown>).keys()] : Object.keys(value);
  for (const k of keys) {
    if (!type.fields.some((f) => f.name === k)) {
      throw invalidValue(
        where,
        type,
        value,
        `has a field ${JSON.stringify(k)} that ${type.name} does not have (fields: ${type.fields.map((f) => f.name).join(', ')})`,
      );
    }
  }
  const parts = type.fields.map((f) => {
    const v = get(f.name);
    return v === null || v === undefined ? null : encodeNonNull(f.type, v, at(where, `.${f.name}`));
  });
  return joinBytes(parts);
}

/**
 * The dimension is implied by the type; elements cannot be null. Fixed-width elements are
 * concatenated bare; others each follow an [unsigned vint] length (native_protocol_v5.spec §5.25
 * (vector); the length's form is Cassandra's `VectorType` serializer's).
 */
function encodeVector(type: VectorType, value: unknown, where: ValuePath): Buffer {
  const isTyped = ArrayBuffer.isView(value) && !(value instanceof DataView);
  if (!Array.isArray(value) && !isTyped) throw invalidValue(where, type, value, 'is not an Array or a typed array');
  const list = value as ArrayLike<unknown>;
  if (list.length !== type.dimension)
    throw invalidValue(where, type, value, `has ${list.length} elements; the vector has ${type.dimension}`);
  if (type.element.kind === 'float' && value instanceof Float32Array) {
    // already float32: no range checks needed
    const out = Buffer.allocUnsafe(4 * list.length);
    for (let i = 0; i < list.length; i++) out.writeFloatBE(value[i]!, 4 * i);
    return out;
  }
  const fixed = fixedValueLength(type.element);
  const parts = new Array<Buffer>(list.length);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (e === null || e === undefined)
      throw invalidValue(at(where, `[${i}]`), type.element, e, 'is not allowed: vector elements cannot be null');
    parts[i] = encodeNonNull(type.element, e, at(where, `[${i}]`));
  }
  if (fixed !== undefined) return Buffer.concat(parts, fixed * list.length);
  const w = new PrimitiveWriter(64);
  for (const p of parts) w.unsignedVint(p.length).raw(p);
  return w.finishCopy();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `[int] count` + each part as [bytes]: the body of a list, set or map value
 * (native_protocol_v5.spec §5.12-§5.14; for a map, count is the number of entries and parts
 * alternate key, value).
 */
export function joinCounted(parts: readonly Buffer[], count: number): Buffer {
  const out = Buffer.allocUnsafe(4 + bytesListSize(parts));
  out.writeInt32BE(count, 0);
  writeBytesList(parts, out, 4);
  return out;
}

/** Each part as [bytes], null as length -1. */
function joinBytes(parts: readonly (Buffer | null)[]): Buffer {
  const out = Buffer.allocUnsafe(bytesListSize(parts));
  writeBytesList(parts, out, 0);
  return out;
}
