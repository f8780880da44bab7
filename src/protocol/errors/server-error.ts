import { consistencyName } from '../consistency.js';
import { CqlwireError } from './cqlwire-error.js';
import { ErrorCode, errorCodeName } from './error-code.js';
import type { ErrorDetails, ErrorResponse } from './error-details.js';

/**
 * An ERROR the server sent in answer to a request. `code` is the protocol's error code
 * (e.g. 0x2000 for a syntax error); each code has its own subclass.
 */
export class ServerError extends CqlwireError {
  /** The protocol's error code, e.g. `0x2200` for Invalid. */
  readonly code: number;
  /** The server's own message, unchanged. */
  readonly serverMessage: string;
  /** The address (`host:port`) of the node that answered, when known. */
  coordinator: string | undefined;
  /**
   * The statement the error answered (its CQL text, password literals masked, at most 200
   * characters), when the error came back through a session; also at the end of `message`.
   */
  query: string | undefined;

  constructor(code: number, serverMessage: string, message?: string) {
    super(message ?? `Server error ${errorCodeName(code)} (0x${code.toString(16).padStart(4, '0')}): ${serverMessage}`);
    this.code = code;
    this.serverMessage = serverMessage;
    this.coordinator = undefined;
    this.query = undefined;
  }
}

/** 0x0000: the server hit an internal error. */
export class ServerInternalError extends ServerError {}
/** 0x000A: the server says our bytes broke the protocol. */
export class ProtocolViolationError extends ServerError {}
/** 0x0100: the credentials were refused. */
export class BadCredentialsError extends ServerError {}
/** 0x1001: the coordinator is overloaded. Retryable on another node. */
export class OverloadedError extends ServerError {}
/** 0x1002: the coordinator is bootstrapping. Retryable on another node. */
export class IsBootstrappingError extends ServerError {}
/** 0x1003: a TRUNCATE failed. */
export class TruncateError extends ServerError {}
/** 0x1600: a write to a CDC-enabled table failed. */
export class CdcWriteFailureError extends ServerError {}
/** 0x2000: the CQL text does not parse. */
export class CqlSyntaxError extends ServerError {}
/** 0x2100: the logged-in user lacks a permission. */
export class UnauthorizedError extends ServerError {}
/** 0x2200: the request is valid CQL but invalid (unknown table, wrong types, ...). */
export class InvalidRequestError extends ServerError {}
/** 0x2300: the query conflicts with the schema configuration. */
export class ConfigurationError extends ServerError {}

/** 0x1000: not enough replicas are alive for the consistency level. */
export class UnavailableError extends ServerError {
  readonly consistency: number;
  readonly required: number;
  readonly alive: number;
  constructor(serverMessage: string, d: { consistency: number; required: number; alive: number }) {
    super(
      ErrorCode.UNAVAILABLE,
      serverMessage,
      `Unavailable at ${consistencyName(d.consistency)}: ${d.alive} of ${d.required} required replicas alive (${serverMessage})`,
    );
    this.consistency = d.consistency;
    this.required = d.required;
    this.alive = d.alive;
  }
}

/** 0x1100: a write did not get enough acknowledgements in time. */
export class WriteTimeoutError extends ServerError {
  readonly consistency: number;
  readonly received: number;
  readonly blockFor: number;
  readonly writeType: string;
  readonly contentions: number | undefined;
  constructor(
    serverMessage: string,
    d: { consistency: number; received: number; blockFor: number; writeType: string; contentions?: number },
  ) {
    super(
      ErrorCode.WRITE_TIMEOUT,
      serverMessage,
      `Write timeout at ${consistencyName(d.consistency)} (${d.writeType}): ${d.received} of ${d.blockFor} acknowledgements (${serverMessage})`,
    );
    this.consistency = d.consistency;
    this.received = d.received;
    this.blockFor = d.blockFor;
    this.writeType = d.writeType;
    this.contentions = d.contentions;
  }
}

/** 0x1200: a read did not get enough responses in time. */
export class ReadTimeoutError extends ServerError {
  readonly consistency: number;
  readonly received: number;
  readonly blockFor: number;
  readonly dataPresent: boolean;
  constructor(
    serverMessage: string,
    d: { consistency: number; received: number; blockFor: number; dataPresent: boolean },
  ) {
    super(
      ErrorCode.READ_TIMEOUT,
      serverMessage,
      `Read timeout at ${consistencyName(d.consistency)}: ${d.received} of ${d.blockFor} responses, data ${d.dataPresent ? 'present' : 'absent'} (${serverMessage})`,
    );
    this.consistency = d.consistency;
    this.received = d.received;
    this.blockFor = d.blockFor;
    this.dataPresent = d.dataPresent;
  }
}

/** 0x1300: replicas failed while reading. */
export class ReadFailureError extends ServerError {
  readonly consistency: number;
  readonly received: number;
  readonly blockFor: number;
  readonly failures: number;
  readonly reasons: Map<string, number> | undefined;
  readonly dataPresent: boolean;
  constructor(
    serverMessage: string,
    d: {
      consistency: number;
      received: number;
      blockFor: number;
      failures: number;
      reasons?: Map<string, number>;
      dataPresent: boolean;
    },
  ) {
    super(
      ErrorCode.READ_FAILURE,
      serverMessage,
      `Read failure at ${consistencyName(d.consistency)}: ${d.failures} replica(s) failed, ${d.received} of ${d.blockFor} responded (${serverMessage})`,
    );
    this.consistency = d.consistency;
    this.received = d.received;
    this.blockFor = d.blockFor;
    this.failures = d.failures;
    this.reasons = d.reasons;
    this.dataPresent = d.dataPresent;
  }
}

/** 0x1500: replicas failed while writing. */
export class WriteFailureError extends ServerError {
  readonly consistency: number;
  readonly received: number;
  readonly blockFor: number;
  readonly failures: number;
  readonly reasons: Map<string, number> | undefined;
  readonly writeType: string;
  constructor(
    serverMessage: string,
    d: {
      consistency: number;
      received: number;
      blockFor: number;
      failures: number;
      reasons?: Map<string, number>;
      writeType: string;
    },
  ) {
    super(
      ErrorCode.WRITE_FAILURE,
      serverMessage,
      `Write failure at ${consistencyName(d.consistency)} (${d.writeType}): ${d.failures} replica(s) failed, ${d.received} of ${d.blockFor} acknowledged (${serverMessage})`,
    );
    this.consistency = d.consistency;
    this.received = d.received;
    this.blockFor = d.blockFor;
    this.failures = d.failures;
    this.reasons = d.reasons;
    this.writeType = d.writeType;
  }
}

/** 0x1400: a user-defined function threw. */
export class FunctionFailureError extends ServerError {
  readonly keyspace: string;
  readonly functionName: string;
  readonly argTypes: readonly string[];
  constructor(serverMessage: string, d: { keyspace: string; functionName: string; argTypes: string[] }) {
    super(
      ErrorCode.FUNCTION_FAILURE,
      serverMessage,
      `Function ${d.keyspace}.${d.functionName}(${d.argTypes.join(', ')}) failed: ${serverMessage}`,
    );
    this.keyspace = d.keyspace;
    this.functionName = d.functionName;
    this.argTypes = d.argTypes;
  }
}

/** 0x1700 (v5): the outcome of a lightweight transaction is unknown. */
export class CasWriteUnknownError extends ServerError {
  readonly consistency: number;
  readonly received: number;
  readonly blockFor: number;
  constructor(serverMessage: string, d: { consistency: number; received: number; blockFor: number }) {
    super(
      ErrorCode.CAS_WRITE_UNKNOWN,
      serverMessage,
      `CAS write outcome unknown at ${consistencyName(d.consistency)}: ${d.received} of ${d.blockFor} (${serverMessage})`,
    );
    this.consistency = d.consistency;
    this.received = d.received;
    this.blockFor = d.blockFor;
  }
}

/** 0x2400: the keyspace or table being created already exists. */
export class AlreadyExistsError extends ServerError {
  readonly keyspace: string;
  /** Empty when it is the keyspace that exists. */
  readonly table: string;
  constructor(serverMessage: string, d: { keyspace: string; table: string }) {
    super(ErrorCode.ALREADY_EXISTS, serverMessage);
    this.keyspace = d.keyspace;
    this.table = d.table;
  }
}

/** 0x2500: the node does not know this prepared statement id; re-prepare and retry. */
export class UnpreparedError extends ServerError {
  readonly preparedId: Buffer;
  constructor(serverMessage: string, d: { preparedId: Buffer }) {
    super(
      ErrorCode.UNPREPARED,
      serverMessage,
      `Unprepared statement 0x${d.preparedId.toString('hex')}: ${serverMessage}`,
    );
    this.preparedId = d.preparedId;
  }
}

const simpleClasses = new Map<number, new (code: number, serverMessage: string) => ServerError>([
  [ErrorCode.SERVER_ERROR, ServerInternalError],
  [ErrorCode.PROTOCOL_ERROR, ProtocolViolationError],
  [ErrorCode.BAD_CREDENTIALS, BadCredentialsError],
  [ErrorCode.OVERLOADED, OverloadedError],
  [ErrorCode.IS_BOOTSTRAPPING, IsBootstrappingError],
  [ErrorCode.TRUNCATE_ERROR, TruncateError],
  [ErrorCode.CDC_WRITE_FAILURE, CdcWriteFailureError],
  [ErrorCode.SYNTAX_ERROR, CqlSyntaxError],
  [ErrorCode.UNAUTHORIZED, UnauthorizedError],
  [ErrorCode.INVALID, InvalidRequestError],
  [ErrorCode.CONFIG_ERROR, ConfigurationError],
]);

function fromDetails(message: string, d: ErrorDetails): ServerError {
  switch (d.code) {
    case ErrorCode.UNAVAILABLE:
      return new UnavailableError(message, d);
    case ErrorCode.WRITE_TIMEOUT:
      return new WriteTimeoutError(message, d);
    case ErrorCode.READ_TIMEOUT:
      return new ReadTimeoutError(message, d);
    case ErrorCode.READ_FAILURE:
      return new ReadFailureError(message, d);
    case ErrorCode.WRITE_FAILURE:
      return new WriteFailureError(message, d);
    case ErrorCode.FUNCTION_FAILURE:
      return new FunctionFailureError(message, d);
    case ErrorCode.CAS_WRITE_UNKNOWN:
      return new CasWriteUnknownError(message, d);
    case ErrorCode.ALREADY_EXISTS:
      return new AlreadyExistsError(message, d);
    case ErrorCode.UNPREPARED:
      return new UnpreparedError(message, d);
  }
}

/** Turns a decoded ERROR message into the typed error for its code. Unknown codes give a plain `ServerError`. */
export function createServerError(response: ErrorResponse): ServerError {
  if (response.details !== undefined) return fromDetails(response.message, response.details);
  const SimpleClass = simpleClasses.get(response.code);
  return SimpleClass
    ? new SimpleClass(response.code, response.message)
    : new ServerError(response.code, response.message);
}
