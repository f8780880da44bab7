export { ArgumentError, CqlwireError, ProtocolError } from './cqlwire-error.js';
export type { ErrorCodeName } from './error-code.js';
export { ErrorCode, errorCodeName, resolveErrorCode } from './error-code.js';
export type { ErrorDetails, ErrorResponse } from './error-details.js';
export {
  AlreadyExistsError,
  BadCredentialsError,
  CasWriteUnknownError,
  CdcWriteFailureError,
  ConfigurationError,
  CqlSyntaxError,
  createServerError,
  FunctionFailureError,
  InvalidRequestError,
  IsBootstrappingError,
  OverloadedError,
  ProtocolViolationError,
  ReadFailureError,
  ReadTimeoutError,
  ServerError,
  ServerInternalError,
  TruncateError,
  UnauthorizedError,
  UnavailableError,
  UnpreparedError,
  WriteFailureError,
  WriteTimeoutError,
} from './server-error.js';
