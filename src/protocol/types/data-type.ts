/**
 * CQL type descriptors: the tree an [option] (native_protocol_v5.spec §4.2.5.2 (Rows)) decodes to. Every
 * layer shares this one shape: the Rows decoder, the value codecs, the embedded server's schema.
 */

/** The [option] ids of the CQL types. */
export const TypeCode = {
  CUSTOM: 0x0000,
  ASCII: 0x0001,
  BIGINT: 0x0002,
  BLOB: 0x0003,
  BOOLEAN: 0x0004,
  COUNTER: 0x0005,
  DECIMAL: 0x0006,
  DOUBLE: 0x0007,
  FLOAT: 0x0008,
  INT: 0x0009,
  /** Legacy text id: still decoded by the server, never sent by it. Decoded as `text`. */
  LEGACY_TEXT: 0x000a,
  TIMESTAMP: 0x000b,
  UUID: 0x000c,
  VARCHAR: 0x000d,
  VARINT: 0x000e,
  TIMEUUID: 0x000f,
  INET: 0x0010,
  DATE: 0x0011,
  TIME: 0x0012,
  SMALLINT: 0x0013,
  TINYINT: 0x0014,
  DURATION: 0x0015,
  LIST: 0x0020,
  MAP: 0x0021,
  SET: 0x0022,
  UDT: 0x0030,
  TUPLE: 0x0031,
} as const;

/** The names of the CQL types that take no parameters. `text` is also `varchar`. */
export type SimpleTypeName =
  | 'ascii'
  | 'bigint'
  | 'blob'
  | 'boolean'
  | 'counter'
  | 'decimal'
  | 'double'
  | 'float'
  | 'int'
  | 'timestamp'
  | 'uuid'
  | 'text'
  | 'varint'
  | 'timeuuid'
  | 'inet'
  | 'date'
  | 'time'
  | 'smallint'
  | 'tinyint'
  | 'duration';

/** A type without parameters. */
export interface SimpleType {
  readonly kind: SimpleTypeName;
}

/** list<element>. */
export interface ListType {
  readonly kind: 'list';
  readonly element: DataType;
  /** Only meaningful in schema (CREATE TABLE); the wire does not say. */
  readonly frozen?: boolean;
}

/** set<element>. */
export interface SetType {
  readonly kind: 'set';
  readonly element: DataType;
  readonly frozen?: boolean;
}

/** map<key, value>. */
export interface MapType {
  readonly kind: 'map';
  readonly key: DataType;
  readonly value: DataType;
  readonly frozen?: boolean;
}

/** tuple<e1, e2, ...>. Always frozen. */
export interface TupleType {
  readonly kind: 'tuple';
  readonly elements: readonly DataType[];
}

/** A user-defined type. */
export interface UdtType {
  readonly kind: 'udt';
  readonly keyspace: string;
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly type: DataType }[];
  readonly frozen?: boolean;
}

/** vector<element, dimension> (Cassandra 5.0), sent on the wire as a custom type. */
export interface VectorType {
  readonly kind: 'vector';
  readonly element: DataType;
  readonly dimension: number;
}

/** A custom type given by its Java class name; its values are opaque bytes. */
export interface CustomType {
  readonly kind: 'custom';
  readonly className: string;
}

/** Any CQL type. */
export type DataType = SimpleType | ListType | SetType | MapType | TupleType | UdtType | VectorType | CustomType;
