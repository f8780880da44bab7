export { TypeCode } from './data-type.js';
export type {
  DataType, SimpleType, SimpleTypeName, ListType, SetType, MapType, TupleType, UdtType, VectorType, CustomType,
} from './data-type.js';
export { simpleType, isSimpleTypeName } from './simple-types.js';
export { parseMarshalClassName, toMarshalClassName } from './marshal-class-name.js';
export { readTypeOption, writeTypeOption } from './type-option.js';
export { toCqlTypeString, parseCqlTypeString } from './cql-type-string.js';
export type { UdtResolver } from './cql-type-string.js';
export { LocalDate, LocalTime, Duration, BigDecimal, InetAddress, Uuid, TimeUuid } from './values/index.js';
export { encodeValue, joinCounted } from './value-encoder.js';
export type { EncodeContext } from './value-encoder.js';
export { MAX_OMITTED_COMPONENTS } from './composite-decoders.js';
export { createValueDecoder, decodeValue } from './value-decoder.js';
export type { ValueDecoder, DecodeOptions } from './value-decoder.js';
export { fixedValueLength } from './fixed-value-length.js';
export { encodeVarint, readVarint, varintByteLength, writeVarint } from './varint.js';
