// Client side: the errors of the driver's connection layer (server-reported errors are in src/protocol/errors).
import { CqlwireError } from '../protocol/errors/index.js';

/** `host:port`, with brackets around an IPv6 address so the port stays readable. */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A connection could not be opened: refused, unreachable, the connect timeout passed, TLS failed,
 * or no protocol version both sides speak. Trying again later (or another host) may succeed.
 */
export class ConnectionError extends CqlwireError {
  /** The node's address as given to the connection. */
  readonly host: string;
  readonly port: number;
  /** Always true: another attempt, or another host, may work. */
  readonly retryable = true;

  constructor(host: string, port: number, message: string, options?: { cause?: unknown }) {
    super(`${formatEndpoint(host, port)}: ${message}`, options);
    this.host = host;
    this.port = port;
  }
}

/**
 * The connection a request was on closed before its answer came: `close()` was called, the peer
 * went away, a heartbeat went unanswered, or the peer sent bytes that broke the protocol. The
 * server may or may not have executed the request, so only idempotent work should be retried.
 */
export class ConnectionClosedError extends CqlwireError {
  readonly host: string;
  readonly port: number;
  /** Always true: the request itself was not refused, its connection went away. */
  readonly retryable = true;

  constructor(host: string, port: number, reason: string, options?: { cause?: unknown }) {
    super(`Connection to ${formatEndpoint(host, port)} closed: ${reason}`, options);
    this.host = host;
    this.port = port;
  }
}

/**
 * No answer came within the request's timeout. The request was not cancelled on the server (the
 * protocol has no way to do that): it may still run.
 */
export class RequestTimeoutError extends CqlwireError {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;

  constructor(host: string, port: number, timeoutMs: number, what: string) {
    super(`${what} to ${formatEndpoint(host, port)} got no answer within ${timeoutMs} ms`);
    this.host = host;
    this.port = port;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The server refused the login (ERROR 0x0100), or asked for authentication that was not
 * configured. The message carries the server's words and the authenticator's name, never a
 * password: the credentials are not reachable from this object.
 */
export class AuthenticationError extends CqlwireError {
  readonly host: string;
  readonly port: number;
  /** The server-side authenticator class, e.g. `org.apache.cassandra.auth.PasswordAuthenticator`. */
  readonly authenticator: string | undefined;
  /** The server's own message, when it sent one. */
  readonly serverMessage: string | undefined;

  constructor(
    host: string,
    port: number,
    message: string,
    details: { authenticator?: string; serverMessage?: string; cause?: unknown } = {},
  ) {
    super(
      `Authentication with ${formatEndpoint(host, port)} failed: ${message}`,
      details.cause !== undefined ? { cause: details.cause } : undefined,
    );
    this.host = host;
    this.port = port;
    this.authenticator = details.authenticator;
    this.serverMessage = details.serverMessage;
  }
}

/**
 * The caller cancelled the request (its `AbortSignal` fired). As with a timeout, the server may
 * still run it; the connection ignores the answer when it comes.
 */
export class RequestCancelledError extends CqlwireError {
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number, reason?: unknown) {
    super(
      `Request to ${formatEndpoint(host, port)} was cancelled`,
      reason !== undefined ? { cause: reason } : undefined,
    );
    this.host = host;
    this.port = port;
  }
}
