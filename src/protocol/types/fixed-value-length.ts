import type { DataType } from './data-type.js';

/**
 * The byte length every value of `type` has, or `undefined` when it varies. A vector of a
 * fixed-width type is fixed too (dimension × element). This decides whether a vector's elements
 * are written bare or each behind an [unsigned vint] length (native_protocol_v5.spec §5.25 (vector) and
 * Cassandra's `VectorType` serializers).
 */
export function fixedValueLength(type: DataType): number | undefined {
  switch (type.kind) {
    case 'boolean':
    case 'tinyint':
      return 1;
    case 'smallint':
      return 2;
    case 'int':
    case 'float':
    case 'date':
      return 4;
    case 'bigint':
    case 'counter':
    case 'double':
    case 'timestamp':
    case 'time':
      return 8;
    case 'uuid':
    case 'timeuuid':
      return 16;
    case 'vector': {
      const e = fixedValueLength(type.element);
      return e === undefined ? undefined : e * type.dimension;
    }
    default:
      return undefined;
  }
}
