import { ProtocolError } from '../errors/cqlwire-error.js';
import type { DataType, SimpleTypeName, UdtType } from './data-type.js';
import { simpleType } from './simple-types.js';

/**
 * Cassandra's Java marshal class names (`org.apache.cassandra.db.marshal.X(params)`), the form a
 * CUSTOM [option] carries (native_protocol_v5.spec §4.2.5.2 (Rows), id 0x0000). The server uses
 * them for types a connection's protocol version has no id for (duration under v4,
 * date/time/smallint/tinyint under v3) and always for vectors; they may nest
 * (`ListType(FrozenType(...))`).
 */

const PACKAGE = 'org.apache.cassandra.db.marshal.';

/** Simple marshal class -> CQL type. DateType is the legacy timestamp class (Cassandra's `DataType`). */
const CLASS_TO_SIMPLE: ReadonlyMap<string, SimpleTypeName> = new Map<string, SimpleTypeName>([
  ['AsciiType', 'ascii'],
  ['LongType', 'bigint'],
  ['BytesType', 'blob'],
  ['BooleanType', 'boolean'],
  ['CounterColumnType', 'counter'],
  ['DecimalType', 'decimal'],
  ['DoubleType', 'double'],
  ['FloatType', 'float'],
  ['Int32Type', 'int'],
  ['TimestampType', 'timestamp'],
  ['DateType', 'timestamp'],
  ['UUIDType', 'uuid'],
  ['UTF8Type', 'text'],
  ['IntegerType', 'varint'],
  ['TimeUUIDType', 'timeuuid'],
  ['InetAddressType', 'inet'],
  ['SimpleDateType', 'date'],
  ['TimeType', 'time'],
  ['ShortType', 'smallint'],
  ['ByteType', 'tinyint'],
  ['DurationType', 'duration'],
]);

/** CQL type -> the class the server prints for it (TimestampType, not the legacy DateType). */
const SIMPLE_TO_CLASS: Readonly<Record<SimpleTypeName, string>> = {
  ascii: 'AsciiType',
  bigint: 'LongType',
  blob: 'BytesType',
  boolean: 'BooleanType',
  counter: 'CounterColumnType',
  decimal: 'DecimalType',
  double: 'DoubleType',
  float: 'FloatType',
  int: 'Int32Type',
  timestamp: 'TimestampType',
  uuid: 'UUIDType',
  text: 'UTF8Type',
  varint: 'IntegerType',
  timeuuid: 'TimeUUIDType',
  inet: 'InetAddressType',
  date: 'SimpleDateType',
  time: 'TimeType',
  smallint: 'ShortType',
  tinyint: 'ByteType',
  duration: 'DurationType',
};

/** Deeper nesting than this is not a real schema; refusing it keeps the recursion off the stack limit. */
const MAX_DEPTH = 64;

/**
 * Parses a marshal class name into a type descriptor. Known classes (every simple class, ListType,
 * SetType, MapType, TupleType, UserType, VectorType, FrozenType, ReversedType), with or without the
 * `org.apache.cassandra.db.marshal.` package, become real descriptors; any other class stays
 * `{ kind: 'custom', className }` with the text as given. Whitespace around names and separators
 * is ignored (the server writes VectorType's parameters as `elem , n`, in Cassandra's
 * `TypeParser.stringifyVectorParameters`). A known class with malformed parameters is a
 * `ProtocolError`: these strings come from the server.
 */
export function parseMarshalClassName(text: string): DataType {
  return parseAt(text.trim(), 0);
}

function parseAt(text: string, depth: number): DataType {
  if (depth > MAX_DEPTH) throw new ProtocolError(`Marshal class name nested deeper than ${MAX_DEPTH} levels`);
  const open = text.indexOf('(');
  const qualified = (open < 0 ? text : text.slice(0, open)).trim();
  const short = qualified.startsWith(PACKAGE) ? qualified.slice(PACKAGE.length) : qualified;
  if (open < 0) {
    const simple = CLASS_TO_SIMPLE.get(short);
    return simple !== undefined ? simpleType(simple) : { kind: 'custom', className: text };
  }
  if (!isKnownParameterised(short)) return { kind: 'custom', className: text };
  if (!text.endsWith(')')) throw bad(text, 'no closing parenthesis');
  const params = splitTopLevel(text, open + 1, text.length - 1);
  const sub = (p: string): DataType => parseAt(p, depth + 1);
  switch (short) {
    case 'FrozenType': {
      if (params.length !== 1) throw bad(text, `FrozenType takes 1 parameter, got ${params.length}`);
      return freeze(sub(params[0]!));
    }
    case 'ReversedType': {
      // clustering order only; the values are the inner type's (the server strips ReversedType too)
      if (params.length !== 1) throw bad(text, `ReversedType takes 1 parameter, got ${params.length}`);
      return sub(params[0]!);
    }
    case 'ListType':
    case 'SetType': {
      if (params.length !== 1) throw bad(text, `${short} takes 1 parameter, got ${params.length}`);
      return { kind: short === 'ListType' ? 'list' : 'set', element: sub(params[0]!) };
    }
    case 'MapType': {
      if (params.length !== 2) throw bad(text, `MapType takes 2 parameters, got ${params.length}`);
      return { kind: 'map', key: sub(params[0]!), value: sub(params[1]!) };
    }
    case 'TupleType': {
      if (params.length === 0) throw bad(text, 'TupleType needs at least 1 parameter');
      return { kind: 'tuple', elements: params.map(sub) };
    }
    case 'VectorType': {
      if (params.length !== 2) throw bad(text, `VectorType takes 2 parameters, got ${params.length}`);
      const dim = params[1]!;
      if (!/^[0-9]{1,10}$/.test(dim) || Number(dim) < 1 || Number(dim) > 0x7fffffff) {
        throw bad(text, `vector dimension "${dim}" is not a positive int`);
      }
      return { kind: 'vector', element: sub(params[0]!), dimension: Number(dim) };
    }
    default: // 'UserType'
      return parseUserType(text, params, depth);
  }
}

/** UserType(keyspace,hex(name),hex(field):type,...): names are hex of their UTF-8 bytes. */
function parseUserType(text: string, params: string[], depth: number): UdtType {
  if (params.length < 2) throw bad(text, 'UserType needs a keyspace and a name');
  const fields = new Array<{ name: string; type: DataType }>(params.length - 2);
  for (let i = 2; i < params.length; i++) {
    const p = params[i]!;
    const colon = p.indexOf(':');
    if (colon < 0) throw bad(text, `UserType field "${p}" has no ':'`);
    fields[i - 2] = {
      name: fromHex(p.slice(0, colon).trim(), text),
      type: parseAt(p.slice(colon + 1).trim(), depth + 1),
    };
  }
  return { kind: 'udt', keyspace: params[0]!, name: fromHex(params[1]!, text), fields };
}

function isKnownParameterised(short: string): boolean {
  return (
    short === 'FrozenType' ||
    short === 'ReversedType' ||
    short === 'ListType' ||
    short === 'SetType' ||
    short === 'MapType' ||
    short === 'TupleType' ||
    short === 'VectorType' ||
    short === 'UserType'
  );
}

/** Splits `text[start, end)` at the commas that are not inside parentheses; each part trimmed. */
function splitTopLevel(text: string, start: number, end: number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 /* ( */) depth++;
    else if (c === 0x29 /* ) */) {
      if (--depth < 0) throw bad(text, `unbalanced ')' at ${i}`);
    } else if (c === 0x2c /* , */ && depth === 0) {
      parts.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  if (depth !== 0) throw bad(text, 'unbalanced parentheses');
  const last = text.slice(from, end).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  for (const p of parts) if (p === '') throw bad(text, 'empty parameter');
  return parts;
}

function fromHex(hex: string, text: string): string {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw bad(text, `"${hex}" is not a hex-encoded name`);
  return Buffer.from(hex, 'hex').toString('utf8');
}

function freeze(t: DataType): DataType {
  switch (t.kind) {
    case 'list':
    case 'set':
    case 'map':
    case 'udt':
      return { ...t, frozen: true };
    default:
      return t; // tuples and vectors are always frozen; simple types have nothing to freeze
  }
}

function bad(text: string, why: string): ProtocolError {
  return new ProtocolError(`Malformed marshal class name "${text}": ${why}`);
}

/**
 * Prints a type as the server's fully qualified marshal class name, following its freezing rule:
 * a frozen collection or UDT is wrapped in FrozenType, but nothing inside a frozen type, a tuple
 * or a vector is (the server prints those with freezing ignored). Parameters are joined with ","
 * except VectorType's, which the server writes as `elem , n` (Cassandra's `VectorType.toString`).
 */
export function toMarshalClassName(type: DataType): string {
  return print(type, false);
}

function print(type: DataType, ignoreFreezing: boolean): string {
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
    case 'udt': {
      const frozen = type.frozen === true;
      const inner = ignoreFreezing || frozen;
      let s: string;
      if (type.kind === 'list') s = `${PACKAGE}ListType(${print(type.element, inner)})`;
      else if (type.kind === 'set') s = `${PACKAGE}SetType(${print(type.element, inner)})`;
      else if (type.kind === 'map') s = `${PACKAGE}MapType(${print(type.key, inner)},${print(type.value, inner)})`;
      else {
        s = `${PACKAGE}UserType(${type.keyspace},${Buffer.from(type.name, 'utf8').toString('hex')}`;
        for (const f of type.fields) s += `,${Buffer.from(f.name, 'utf8').toString('hex')}:${print(f.type, inner)}`;
        s += ')';
      }
      return frozen && !ignoreFreezing ? `${PACKAGE}FrozenType(${s})` : s;
    }
    case 'tuple':
      return `${PACKAGE}TupleType(${type.elements.map((e) => print(e, true)).join(',')})`;
    case 'vector':
      return `${PACKAGE}VectorType(${print(type.element, true)} , ${type.dimension})`;
    case 'custom':
      return type.className;
    default:
      return PACKAGE + SIMPLE_TO_CLASS[type.kind];
  }
}
