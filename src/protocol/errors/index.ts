export { CqlwireError, ProtocolError, ArgumentError } from './cqlwire-error.js';
export { ErrorCode, errorCodeName, resolveErrorCode } from './error-code.js';
export type { ErrorCodeName } from './error-code.js';
export type { ErrorDetails, ErrorResponse } from './error-details.js';
export {
  ServerError, ServerInternalError, ProtocolViolationError, BadCredentialsError, OverloadedError,
  IsBootstrappingError, TruncateError, CdcWriteFailureError, CqlSyntaxError, UnauthorizedError,
  InvalidRequestError, ConfigurationError, UnavailableError, WriteTimeoutError, ReadTimeoutError,
  ReadFailureError, WriteFailureError, FunctionFailureError, CasWriteUnknownError,
  AlreadyExistsError, UnpreparedError, createServerError,
} from './server-error.js';
