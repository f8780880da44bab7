/** Every CQL message body, both directions: plain data types and their encoders/decoders. */
// Opcode is exported by src/protocol/envelope, its one home.
export type { BoundValue, QueryParameters } from './query-parameters.js';
export { QueryFlag, queryFlags, readQueryParameters, writeQueryParameters } from './query-parameters.js';
export type {
  RequestMessage, StartupRequest, OptionsRequest, QueryRequest, PrepareRequest, ExecuteRequest,
  BatchRequest, BatchStatement, RegisterRequest, AuthResponseRequest,
} from './request-message.js';
export { BatchType } from './request-message.js';
export type {
  ResponseMessage, OutgoingResponseMessage, ErrorMessage, ReadyMessage, AuthenticateMessage,
  SupportedMessage, ResultMessage, VoidResult, RowsResult, EncodableRowsResult, SetKeyspaceResult,
  PreparedResult, SchemaChangeResult, EventMessage, TopologyChangeEvent, StatusChangeEvent,
  SchemaChangeEvent, AuthChallengeMessage, AuthSuccessMessage,
} from './response-message.js';
export { ResultKind } from './response-message.js';
export type { ColumnSpec, RowsMetadata } from './rows-metadata.js';
export { RowsFlag, rowsMetadataFlags, readRowsMetadata, writeRowsMetadata } from './rows-metadata.js';
export type { PreparedMetadata } from './prepared-metadata.js';
export { readPreparedMetadata, writePreparedMetadata } from './prepared-metadata.js';
export type { SchemaChange } from './schema-change.js';
export type { CustomPayload, ResponsePrefix, RequestPrefix } from './body-prefix.js';
export { readResponsePrefix, writeResponsePrefix, readRequestPrefix, writeRequestPrefix } from './body-prefix.js';
export { readErrorBody, writeErrorBody } from './error-body.js';
export { encodeRequestBody, decodeRequestBody, writeRequestBody } from './request-codec.js';
export { encodeResponseBody, encodeResponseBodyParts, decodeResponseBody, writeResponseBody } from './response-codec.js';
export { encodePlainToken, decodePlainToken } from './plain-token.js';
