/** Every CQL message body, both directions: plain data types and their encoders/decoders. */
// Opcode is exported by src/protocol/envelope, its one home.

export type { CustomPayload, RequestPrefix, ResponsePrefix } from './body-prefix.js';
export { readRequestPrefix, readResponsePrefix, writeRequestPrefix, writeResponsePrefix } from './body-prefix.js';
export { readErrorBody, writeErrorBody } from './error-body.js';
export { decodePlainToken, encodePlainToken } from './plain-token.js';
export type { PreparedMetadata } from './prepared-metadata.js';
export { readPreparedMetadata, writePreparedMetadata } from './prepared-metadata.js';
export type { BoundValue, QueryParameters } from './query-parameters.js';
export { QueryFlag, queryFlags, readQueryParameters, writeQueryParameters } from './query-parameters.js';
export { decodeRequestBody, encodeRequestBody, writeRequestBody } from './request-codec.js';
export type {
  AuthResponseRequest,
  BatchRequest,
  BatchStatement,
  ExecuteRequest,
  OptionsRequest,
  PrepareRequest,
  QueryRequest,
  RegisterRequest,
  RequestMessage,
  StartupRequest,
} from './request-message.js';
export { BatchType } from './request-message.js';
export {
  decodeResponseBody,
  encodeResponseBody,
  encodeResponseBodyParts,
  writeResponseBody,
} from './response-codec.js';
export type {
  AuthChallengeMessage,
  AuthenticateMessage,
  AuthSuccessMessage,
  EncodableRowsResult,
  ErrorMessage,
  EventMessage,
  OutgoingResponseMessage,
  PreparedResult,
  ReadyMessage,
  ResponseMessage,
  ResultMessage,
  RowsResult,
  SchemaChangeEvent,
  SchemaChangeResult,
  SetKeyspaceResult,
  StatusChangeEvent,
  SupportedMessage,
  TopologyChangeEvent,
  VoidResult,
} from './response-message.js';
export { ResultKind } from './response-message.js';
export type { ColumnSpec, RowsMetadata } from './rows-metadata.js';
export { RowsFlag, readRowsMetadata, rowsMetadataFlags, writeRowsMetadata } from './rows-metadata.js';
export type { SchemaChange } from './schema-change.js';
