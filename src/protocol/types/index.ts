export { TypeCode } from './data-type.js';
export type {
  DataType, SimpleType, SimpleTypeName, ListType, SetType, MapType, TupleType, UdtType, VectorType, CustomType,
} from './data-type.js';
