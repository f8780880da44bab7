import type { ErrorResponse } from '../../protocol/errors/index.js';
import {
  AlreadyExistsError,
  CqlwireError,
  ErrorCode,
  ProtocolError,
  ServerError,
  UnpreparedError,
} from '../../protocol/errors/index.js';
import type { ProtocolVersion } from '../../protocol/protocol-version.js';

/**
 * The ERROR to send for something thrown while serving a request: a ServerError keeps its code,
 * message and the details a driver reads; bad request bytes (ProtocolError) are 0x000A with
 * the decoder's message, as Cassandra answers a ProtocolException; anything else is 0x0000.
 */
export function errorResponseFor(err: unknown): ErrorResponse {
  if (err instanceof AlreadyExistsError) {
    return {
      code: err.code,
      message: err.serverMessage,
      details: { code: ErrorCode.ALREADY_EXISTS, keyspace: err.keyspace, table: err.table },
    };
  }
  if (err instanceof UnpreparedError) {
    return {
      code: err.code,
      message: err.serverMessage,
      details: { code: ErrorCode.UNPREPARED, preparedId: err.preparedId },
    };
  }
  if (err instanceof ServerError) {
    const withDetails = err as ServerError & { details?: ErrorResponse['details'] };
    return withDetails.details?.code === err.code
      ? { code: err.code, message: err.serverMessage, details: withDetails.details }
      : { code: err.code, message: err.serverMessage };
  }
  if (err instanceof ProtocolError) return { code: ErrorCode.PROTOCOL_ERROR, message: err.message };
  if (err instanceof CqlwireError) return { code: ErrorCode.INVALID, message: err.message };
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { code: ErrorCode.SERVER_ERROR, message: `java.lang.RuntimeException: ${message}` };
}

/**
 * Error codes newer than the connection's version, converted as Cassandra's
 * `ErrorMessage.getBackwardsCompatibleException` does: before v4 the failure codes become timeouts
 * (or Invalid), before v5 CAS_WRITE_UNKNOWN becomes a CAS write timeout.
 */
export function downgradeError(e: ErrorResponse, version: ProtocolVersion): ErrorResponse {
  const d = e.details;
  if (version < 4) {
    if (d?.code === ErrorCode.READ_FAILURE) {
      return {
        code: ErrorCode.READ_TIMEOUT,
        message: e.message,
        details: {
          code: ErrorCode.READ_TIMEOUT,
          consistency: d.consistency,
          received: d.received,
          blockFor: d.blockFor,
          dataPresent: d.dataPresent,
        },
      };
    }
    if (d?.code === ErrorCode.WRITE_FAILURE) return writeTimeout(e.message, d, d.writeType);
    if (e.code === ErrorCode.FUNCTION_FAILURE || e.code === ErrorCode.CDC_WRITE_FAILURE) {
      return { code: ErrorCode.INVALID, message: e.message };
    }
  }
  if (version < 5 && d?.code === ErrorCode.CAS_WRITE_UNKNOWN) return writeTimeout(e.message, d, 'CAS');
  return e;
}

type WriteTimeoutDetails = Extract<NonNullable<ErrorResponse['details']>, { code: typeof ErrorCode.WRITE_TIMEOUT }>;

/** A WRITE_TIMEOUT with the consistency and replica counts of `d`, for a write of `writeType`. */
function writeTimeout(
  message: string,
  d: Pick<WriteTimeoutDetails, 'consistency' | 'received' | 'blockFor'>,
  writeType: WriteTimeoutDetails['writeType'],
): ErrorResponse {
  return {
    code: ErrorCode.WRITE_TIMEOUT,
    message,
    details: {
      code: ErrorCode.WRITE_TIMEOUT,
      consistency: d.consistency,
      received: d.received,
      blockFor: d.blockFor,
      writeType,
    },
  };
}
