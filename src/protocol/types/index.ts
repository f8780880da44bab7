export { MAX_OMITTED_COMPONENTS } from './composite-decoders.js';
export type { UdtResolver } from './cql-type-string.js';
export { parseCqlTypeString, toCqlTypeString } from './cql-type-string.js';
export type {
  CustomType,
  DataType,
  ListType,
  MapType,
  SetType,
  SimpleType,
  SimpleTypeName,
  TupleType,
  UdtType,
  VectorType,
} from './data-type.js';
export { TypeCode } from './data-type.js';
export { fixedValueLength } from './fixed-value-length.js';
export { parseMarshalClassName, toMarshalClassName } from './marshal-class-name.js';
export { isSimpleTypeName, simpleType } from './simple-types.js';
export { readTypeOption, writeTypeOption } from './type-option.js';
export type { DecodeOptions, ValueDecoder } from './value-decoder.js';
export { createValueDecoder, decodeValue } from './value-decoder.js';
export type { EncodeContext } from './value-encoder.js';
export { encodeValue, joinCounted } from './value-encoder.js';
export {
  BigDecimal,
  Duration,
  InetAddress,
  LocalDate,
  LocalTime,
  MAX_DATE_MS,
  OutOfRangeDate,
  TimeUuid,
  Uuid,
} from './values/index.js';
export { encodeVarint, readVarint, varintByteLength, writeVarint } from './varint.js';
