import { ProtocolError } from '../errors/cqlwire-error.js';
import type { DataType, ListType, MapType, SetType, TupleType, UdtType, VectorType } from './data-type.js';
import { fixedValueLength } from './fixed-value-length.js';
import { bad, badLength, elementLength, readLengthVint } from './value-bytes.js';

/**
 * Decoders of the types that contain others (native_protocol_v5.spec §5 (Data Type Serialization
 * Formats), §6). Each is built once with its element decoders already made; per value they walk the
 * bytes in one pass, checking every count and length against the value's end before allocating or
 * reading.
 */

type Decode = (buf: Buffer, offset: number, length: number) => unknown;

/** Checks the `[int] n` prefix of a list, set or map, `minEntry` bytes per entry at least. */
function readCount(buf: Buffer, o: number, n: number, minEntry: number, type: DataType): number {
  if (n < 4) bad(type, `needs a 4-byte count, got ${n} bytes`);
  const count = buf.readInt32BE(o);
  if (count < 0 || count > (n - 4) / minEntry) bad(type, `count ${count} does not fit ${n} bytes`);
  return count;
}

/**
 * `[int] n` + n × [bytes] → Array. Zero bytes are an empty list. A set has the same bytes, so with
 * the `collections: 'driver'` option a set decodes through here to an Array, as cassandra-driver's.
 */
export function listDecoder(type: ListType | SetType, element: Decode): Decode {
  return (buf, o, n) => {
    if (n === 0) return [];
    const count = readCount(buf, o, n, 4, type);
    const end = o + n;
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
  };
}

/** `[int] n` + n × [bytes] → Set. */
export function setDecoder(type: SetType, element: Decode): Decode {
  return (buf, o, n) => {
    const out = new Set<unknown>();
    if (n === 0) return out;
    const count = readCount(buf, o, n, 4, type);
    const end = o + n;
    let p = o + 4;
    for (let i = 0; i < count; i++) {
      const len = elementLength(buf, p, end, type);
      p += 4;
      if (len < 0) out.add(null);
      else {
        out.add(element(buf, p, len));
        p += len;
      }
    }
    if (p !== end) bad(type, `${end - p} bytes left after ${count} elements`);
    return out;
  };
}

/** `[int] n` + n × ([bytes] key, [bytes] value) → Map. */
export function mapDecoder(type: MapType, key: Decode, value: Decode): Decode {
  return entriesDecoder(type, key, value, newMap, putInMap);
}

/**
 * `[int] n` + n × ([bytes] key, [bytes] value) → a plain object, each key as its `String()`
 * (cassandra-driver's shape of a map, chosen with `collections: 'driver'`). A `__proto__` key is
 * defined as an own property, never set as the prototype.
 */
export function mapObjectDecoder(type: MapType, key: Decode, value: Decode): Decode {
  return entriesDecoder(type, key, value, newObject, putInObject);
}

const newMap = (): Map<unknown, unknown> => new Map();
const putInMap = (out: Map<unknown, unknown>, k: unknown, v: unknown): void => {
  out.set(k, v);
};
const newObject = (): Record<string, unknown> => ({});
const putInObject = (out: Record<string, unknown>, key: unknown, v: unknown): void => {
  const k = String(key);
  if (k === '__proto__')
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
};

/** The one walk over a map's entries, whatever holds them (`make` a container, `put` an entry). */
function entriesDecoder<C>(
  type: MapType,
  key: Decode,
  value: Decode,
  make: () => C,
  put: (out: C, k: unknown, v: unknown) => void,
): Decode {
  return (buf, o, n) => {
    const out = make();
    if (n === 0) return out;
    const count = readCount(buf, o, n, 8, type);
    const end = o + n;
    let p = o + 4;
    for (let i = 0; i < count; i++) {
      const kl = elementLength(buf, p, end, type);
      p += 4;
      const k = kl < 0 ? null : key(buf, p, kl);
      if (kl > 0) p += kl;
      const vl = elementLength(buf, p, end, type);
      p += 4;
      put(out, k, vl < 0 ? null : value(buf, p, vl));
      if (vl > 0) p += vl;
    }
    if (p !== end) bad(type, `${end - p} bytes left after ${count} entries`);
    return out;
  };
}

/** Concatenated [bytes], one per component → Array; missing trailing components are null. */
export function tupleDecoder(type: TupleType, elements: readonly Decode[]): Decode {
  return (buf, o, n) => {
    if (n === 0) return null;
    const end = o + n;
    checkOmitted(type, buf, o, end, elements.length);
    const out = new Array<unknown>(elements.length).fill(null);
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

/**
 * A tuple or UDT value may leave out trailing components, which decode as null
 * (native_protocol_v5.spec §6 (User Defined Types) allows fewer values than fields: fields added by
 * ALTER TYPE after the value was written). Each one costs a slot in the decoded value but no byte
 * on the wire, so a type declared with 65,535 components would turn every 8-byte cell into a
 * 65,535-element value (found by the fuzzer). More than this many missing is refused as hostile
 * bytes; types no wider than this are never checked.
 */
export const MAX_OMITTED_COMPONENTS = 1024;

function checkOmitted(type: TupleType | UdtType, buf: Buffer, o: number, end: number, width: number): void {
  if (width <= MAX_OMITTED_COMPONENTS) return;
  // only for types this wide: count what is actually there (cheap: lengths only)
  let present = 0;
  for (let p = o; p < end && present < width; present++) {
    const len = elementLength(buf, p, end, type);
    p += 4 + (len > 0 ? len : 0);
  }
  if (width - present > MAX_OMITTED_COMPONENTS) {
    // not through bad(): printing a 65,535-component type would make a 300 KB message
    throw new ProtocolError(
      `Invalid ${type.kind === 'udt' ? `UDT ${type.keyspace}.${type.name}` : 'tuple'} value: it leaves out ${width - present} of its ${width} components (at most ${MAX_OMITTED_COMPONENTS} may be missing)`,
    );
  }
}

/**
 * Concatenated [bytes], one per field in type order → a plain object with every field; missing
 * trailing fields are null (native_protocol_v5.spec §6 (User Defined Types)). A field the server
 * names `__proto__` is defined as an own property rather than assigned, so it cannot replace the
 * object's prototype.
 */
export function udtDecoder(type: UdtType, fields: readonly Decode[]): Decode {
  const names = type.fields.map((f) => f.name);
  const plainNames = !names.includes('__proto__');
  return (buf, o, n) => {
    if (n === 0) return null;
    const end = o + n;
    checkOmitted(type, buf, o, end, fields.length);
    const out: Record<string, unknown> = {};
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
      if (plainNames) out[names[i]!] = v;
      else Object.defineProperty(out, names[i]!, { value: v, enumerable: true, writable: true, configurable: true });
    }
    if (p !== end) bad(type, `${end - p} bytes left after ${fields.length} fields`);
    return out;
  };
}

/**
 * vector<float, n> → Float32Array; other element types → Array. Fixed-width elements are bare,
 * others follow an [unsigned vint] length (native_protocol_v5.spec §5.25 (vector); Cassandra's
 * `VectorType`). Sizes are checked first.
 */
export function vectorDecoder(type: VectorType, element: Decode): Decode {
  const dim = type.dimension;
  const size = fixedValueLength(type.element);
  if (type.element.kind === 'float') {
    return (buf, o, n) => {
      if (n === 0) return null;
      if (n !== 4 * dim) badLength(type, 4 * dim, n);
      const out = new Float32Array(dim);
      for (let i = 0; i < dim; i++) out[i] = buf.readFloatBE(o + 4 * i);
      return out;
    };
  }
  if (size !== undefined) {
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
