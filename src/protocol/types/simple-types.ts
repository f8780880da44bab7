import type { SimpleType, SimpleTypeName } from './data-type.js';

/**
 * One shared, frozen descriptor per simple type, so decoding metadata allocates nothing for the
 * common columns and descriptors can be compared by identity in hot code if one wants to.
 */
const SIMPLE: Readonly<Record<SimpleTypeName, SimpleType>> = Object.freeze({
  ascii: Object.freeze({ kind: 'ascii' }),
  bigint: Object.freeze({ kind: 'bigint' }),
  blob: Object.freeze({ kind: 'blob' }),
  boolean: Object.freeze({ kind: 'boolean' }),
  counter: Object.freeze({ kind: 'counter' }),
  decimal: Object.freeze({ kind: 'decimal' }),
  double: Object.freeze({ kind: 'double' }),
  float: Object.freeze({ kind: 'float' }),
  int: Object.freeze({ kind: 'int' }),
  timestamp: Object.freeze({ kind: 'timestamp' }),
  uuid: Object.freeze({ kind: 'uuid' }),
  text: Object.freeze({ kind: 'text' }),
  varint: Object.freeze({ kind: 'varint' }),
  timeuuid: Object.freeze({ kind: 'timeuuid' }),
  inet: Object.freeze({ kind: 'inet' }),
  date: Object.freeze({ kind: 'date' }),
  time: Object.freeze({ kind: 'time' }),
  smallint: Object.freeze({ kind: 'smallint' }),
  tinyint: Object.freeze({ kind: 'tinyint' }),
  duration: Object.freeze({ kind: 'duration' }),
} satisfies Record<SimpleTypeName, SimpleType>);

/** The shared descriptor of a simple type. */
export function simpleType(name: SimpleTypeName): SimpleType {
  return SIMPLE[name];
}

/** True for the names of the simple types. */
export function isSimpleTypeName(name: string): name is SimpleTypeName {
  return Object.prototype.hasOwnProperty.call(SIMPLE, name);
}
