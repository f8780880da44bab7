import { ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';
import type { DataType } from '../../protocol/types/index.js';
import { isSimpleTypeName, simpleType } from '../../protocol/types/index.js';
import type { TypeExpr } from '../cql/index.js';
import type { KeyspaceMetadata } from './metadata.js';

/** Turns a parsed type into a descriptor, resolving UDT names in `keyspace` (CQL allows no other). */
export function resolveType(expr: TypeExpr, keyspace: KeyspaceMetadata): DataType {
  switch (expr.kind) {
    case 'native':
      if (isSimpleTypeName(expr.name)) return simpleType(expr.name);
      throw invalid(`Unknown type ${expr.name}`);
    case 'list':
    case 'set': {
      const element = resolveType(expr.element, keyspace);
      return { kind: expr.kind, element, frozen: expr.frozen };
    }
    case 'map':
      return {
        kind: 'map',
        key: resolveType(expr.key, keyspace),
        value: resolveType(expr.value, keyspace),
        frozen: expr.frozen,
      };
    case 'tuple':
      return { kind: 'tuple', elements: expr.elements.map((e) => resolveType(e, keyspace)) };
    case 'vector':
      if (expr.dimension <= 0) throw invalid(`vectors may only have positive dimensions; given ${expr.dimension}`);
      return { kind: 'vector', element: resolveType(expr.element, keyspace), dimension: expr.dimension };
    case 'custom':
      return { kind: 'custom', className: expr.className };
    case 'udt': {
      if (expr.keyspace !== undefined && expr.keyspace !== keyspace.name) {
        throw invalid(
          `Statement on keyspace ${keyspace.name} cannot refer to a user type in keyspace ${expr.keyspace}; user types can only be used in the keyspace they are defined in`,
        );
      }
      const udt = keyspace.types.get(expr.name);
      if (udt === undefined) throw invalid(`Unknown type ${keyspace.name}.${expr.name}`);
      return expr.frozen ? { ...udt, frozen: true } : udt;
    }
  }
}

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(ErrorCode.INVALID, message);
}
