/**
 * cqlwire: a Cassandra client for Node.js that speaks the CQL native protocol itself.
 * The client API (Cluster, Session, executeStream) builds on the layers below; until it lands,
 * this entry point exposes the error hierarchy and the consistency levels.
 */
export {
  CqlwireError, ProtocolError, ArgumentError, ServerError, ServerInternalError, ProtocolViolationError,
  OverloadedError, IsBootstrappingError, TruncateError, CdcWriteFailureError, CqlSyntaxError,
  UnauthorizedError, InvalidRequestError, ConfigurationError, UnavailableError, WriteTimeoutError,
  ReadTimeoutError, ReadFailureError, WriteFailureError, FunctionFailureError, CasWriteUnknownError,
  AlreadyExistsError, UnpreparedError,
} from './protocol/errors/index.js';
export { Consistency } from './protocol/consistency.js';
