import type { Consistency } from '../protocol/consistency.js';

/**
 * A node as the diagnostics messages carry it. At run time it is the cluster's `Host` object
 * (address, port, dataCenter, rack, isUp, ...); these are the fields every message guarantees.
 */
export interface DiagnosticsHost {
  readonly address: string;
  readonly port: number;
  /** `address:port` (`[v6]:port` for IPv6). */
  readonly endpoint: string;
}

/** What a request is for: `page` is one page of an `executeStream` or `scanTable`. */
export type RequestKind = 'execute' | 'batch' | 'prepare' | 'page';

/**
 * One request as the `cqlwire:request:*` channels describe it. The same object is passed to every
 * message of the request (create, sent, retry, response or error) and is the context of its
 * tracing channel, so a subscriber may keep state on it (a WeakMap keyed by it, or a span).
 */
export interface RequestDiagnostics {
  readonly kind: RequestKind;
  /** The CQL text (QUERY, PREPARE); for EXECUTE the prepared statement's text when known; for BATCH undefined. */
  readonly query: string | undefined;
  /** The prepared statement id (EXECUTE), undefined otherwise. */
  readonly preparedId: Buffer | undefined;
  /** For BATCH: how many statements it holds; undefined otherwise. */
  readonly batchSize: number | undefined;
  /** The keyspace the request names or the session uses, when known. */
  readonly keyspace: string | undefined;
  /** The consistency level asked for (PREPARE: undefined). */
  readonly consistency: Consistency | undefined;
  /** Stream pages: 1 for the first page requested by the stream, 2 for the next, ... */
  readonly pageNumber: number | undefined;
  /** Stream pages: 1 for the first attempt at this page, 2 for the stream's first retry of it, ... */
  readonly attempt: number | undefined;
  readonly idempotent: boolean;
  /** `performance.now()` when the request was created. */
  readonly startedAt: number;
  /** Tracing channels: the `Response` once answered (set before `asyncStart`). */
  result: unknown;
  /** Tracing channels: the typed error once failed (set before `error`). */
  error: unknown;
}

/** `cqlwire:request:create`: a request is about to be sent (once per request, so once per stream page). */
export interface RequestCreateMessage {
  readonly request: RequestDiagnostics;
}

/** `cqlwire:request:sent`: the request was handed to a connection of `host` (again after each retry). */
export interface RequestSentMessage {
  readonly request: RequestDiagnostics;
  readonly host: DiagnosticsHost;
}

/** `cqlwire:request:response`: the answer arrived. */
export interface RequestResponseMessage {
  readonly request: RequestDiagnostics;
  /** The node that answered. */
  readonly host: DiagnosticsHost;
  /** From create to answer, retries included (milliseconds). */
  readonly latencyMs: number;
  /** Rows in the answer (0 for answers without rows). */
  readonly rows: number;
  /** Size of the RESULT Rows body in bytes (0 for answers without rows). */
  readonly bytes: number;
  /** The server's warnings (empty when none). */
  readonly warnings: readonly string[];
}

/** `cqlwire:request:error`: the request failed for good (after the retries the policy allowed). */
export interface RequestErrorMessage {
  readonly request: RequestDiagnostics;
  /** The typed error the caller gets (`ReadTimeoutError`, `NoHostAvailableError`, ...). */
  readonly error: Error;
  readonly latencyMs: number;
}

/**
 * `cqlwire:request:retry`: a failed attempt is tried again: by the cluster's retry policy (same or
 * next host of the query plan), or for a stream page by the stream's `retry` option (a new
 * request from the same paging state follows, with `attempt` + 1).
 */
export interface RequestRetryMessage {
  /** The failed request (undefined for a stream page retry: the next attempt creates a new one). */
  readonly request: RequestDiagnostics | undefined;
  /** Why: the error of the failed attempt. */
  readonly error: Error;
  /** `address:port` of the node that failed, when known. */
  readonly host: string | undefined;
  /** `address:port` of the node tried next, when known (a stream page's next attempt picks it then). */
  readonly nextHost: string | undefined;
  /** Stream pages: the page retried; undefined otherwise. */
  readonly pageNumber: number | undefined;
  /** The retry's number for this request: 1 for the first retry. */
  readonly retry: number;
}

/** `cqlwire:connection:open`: a connection finished its handshake. */
export interface ConnectionOpenMessage {
  /** `address:port` of the node. */
  readonly endpoint: string;
  readonly protocolVersion: number;
}

/** `cqlwire:connection:close`: a connection closed; `error` is undefined for an orderly `close()`. */
export interface ConnectionCloseMessage {
  readonly endpoint: string;
  readonly error: Error | undefined;
}

/** `cqlwire:host:up`, `:down`, `:added`, `:removed`. */
export interface HostMessage {
  readonly host: DiagnosticsHost;
}
