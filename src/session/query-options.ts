import type { Host, RetryPolicy } from '../cluster/index.js';
import { checkMilliseconds } from '../connection/index.js';
import { type Consistency, consistencyName, isConsistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { CustomPayload } from '../protocol/messages/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { SessionStreamOptions } from '../streaming/index.js';
import type { TypeHint } from './bound-params.js';

/** Options of one `execute()` (and of each page request of a stream). */
export interface ExecuteOptions {
  /** Prepare the text first (cached) and execute the prepared statement: typed parameters, token-aware routing. */
  prepare?: boolean;
  consistency?: Consistency;
  /** For conditional statements: SERIAL or LOCAL_SERIAL. */
  serialConsistency?: Consistency;
  /** Default timestamp: microseconds since the epoch (bigint) or a Date. */
  timestamp?: bigint | Date;
  /** v5 only: the keyspace for this statement, instead of the session's. */
  keyspace?: string;
  /** v5 only: the "now" the server uses for TTLs and function calls, in seconds since the epoch. */
  nowInSeconds?: number;
  /** Ask the server to trace the request; the id comes back on `result.info.tracingId`. */
  tracing?: boolean;
  /** A custom payload (v4+) sent with the request. */
  customPayload?: CustomPayload;
  /** Rows per page. Default: the profile's or the cluster's `fetchSize`, else 5,000. */
  fetchSize?: number;
  /** Continue from this paging state (from an earlier result). */
  pagingState?: Buffer;
  /** Per-attempt timeout. Default: the profile's `timeoutMs` or the cluster's `requestTimeoutMs`. */
  timeoutMs?: number;
  /** May the statement be applied twice without harm? Lets the retry policy retry timeouts. Default false (a prepared statement's own flag otherwise). */
  idempotent?: boolean;
  /** The serialised partition key, for token-aware routing of unprepared queries. */
  routingKey?: Buffer;
  /** With `routingKey`: the keyspace of the table (default: the statement's or the session's keyspace). */
  routingKeyspace?: string;
  /** Types of the parameters of an unprepared query (positional array or by name); others are inferred. */
  hints?: readonly TypeHint[] | Readonly<Record<string, TypeHint>>;
  /** Aborting it cancels the request. */
  signal?: AbortSignal;
  /** Replaces the cluster's (or the profile's) retry policy for this request. */
  retryPolicy?: RetryPolicy;
  /** The name of one of the cluster's `profiles`: its options apply where this request gives none. */
  profile?: string;
}

/** The batch kinds of native_protocol_v5.spec §4.1.7 (BATCH). */
export type BatchKind = 'logged' | 'unlogged' | 'counter';

/** Options of `session.batch()`. */
export interface BatchOptions
  extends Pick<
    ExecuteOptions,
    | 'prepare'
    | 'consistency'
    | 'serialConsistency'
    | 'timestamp'
    | 'keyspace'
    | 'nowInSeconds'
    | 'tracing'
    | 'customPayload'
    | 'timeoutMs'
    | 'idempotent'
    | 'signal'
    | 'retryPolicy'
    | 'profile'
  > {
  /** Default 'logged'. */
  type?: BatchKind;
}

/** Options of `session.prepare()`. */
export interface PrepareOptions {
  /** v5: prepare in this keyspace instead of the session's. */
  keyspace?: string;
  /** Marks the statement idempotent (the retry policy may then retry timeouts). */
  idempotent?: boolean;
  /** Per-attempt timeout of the PREPARE. Default: the profile's or the cluster's. */
  timeoutMs?: number;
  /** The name of one of the cluster's `profiles` (its timeout, retry and load-balancing policies). */
  profile?: string;
}

/** Options of `session.executeStream()`: the stream's options, `prepare`, and an execution profile. */
export interface ExecuteStreamOptions extends SessionStreamOptions {
  /**
   * The name of one of the cluster's `profiles`: its consistency, fetch size, timeout and load
   * balancing apply where the call (or the streaming statement) gives none. A stream's pages are
   * retried by its `retry` option, never by a retry policy, a profile's included.
   */
  readonly profile?: string;
}

/** Options of one page request through `session.fetchPage()` (the seam the streaming layer uses). */
export interface PageRequestOptions {
  pageSize?: number;
  pagingState?: Buffer;
  consistency?: Consistency;
  serialConsistency?: Consistency;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Try this host first (e.g. the coordinator of the previous page), then the usual plan. */
  hostHint?: Host;
  /** Prepare CQL text first (cached), as `execute(..., { prepare: true })`. Default false. */
  prepare?: boolean;
  idempotent?: boolean;
  keyspace?: string;
  hints?: ExecuteOptions['hints'];
  retryPolicy?: RetryPolicy;
  tracing?: boolean;
  /** The name of one of the cluster's `profiles`. */
  profile?: string;
  /** Which page of a stream this request is and the stream's attempt at it (diagnostics and metrics). */
  page?: { readonly pageNumber: number; readonly attempt: number } | undefined;
}

/** A consistency option checked: an `ArgumentError` names the bad value. */
export function checkConsistencyOption(name: string, value: unknown): Consistency | undefined {
  if (value === undefined) return undefined;
  if (!isConsistency(value)) {
    throw new ArgumentError(
      `${name}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not a consistency level; use Consistency.ONE, Consistency.LOCAL_QUORUM, ... (numbers 0..10)`,
    );
  }
  return value;
}

/** A serial consistency must be SERIAL or LOCAL_SERIAL. */
export function checkSerialConsistency(value: unknown): Consistency | undefined {
  const cl = checkConsistencyOption('serialConsistency', value);
  if (cl !== undefined && cl !== 0x0008 && cl !== 0x0009) {
    throw new ArgumentError(
      `serialConsistency must be Consistency.SERIAL or Consistency.LOCAL_SERIAL, got ${consistencyName(cl)}`,
    );
  }
  return cl;
}

/** Microseconds since the epoch from a bigint or a Date. */
export function timestampMicros(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return BigInt(value.getTime()) * 1000n;
  throw new ArgumentError(
    `timestamp must be a bigint of microseconds since the epoch or a valid Date, got ${String(value)}`,
  );
}

export function checkPageSize(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 0x7fffffff) {
    throw new ArgumentError(`${name} must be a positive integer (rows per page), got ${String(value)}`);
  }
  return value;
}

/** A per-request `timeoutMs` (0: no timeout). */
export function checkTimeout(value: unknown): number | undefined {
  return value === undefined ? undefined : checkMilliseconds('timeoutMs', value);
}

/** The v5-only options refused early on v4, with the version in the message. */
export function checkV5Only(
  version: ProtocolVersion,
  keyspace: string | undefined,
  nowInSeconds: number | undefined,
): void {
  if (version >= 5) return;
  if (keyspace !== undefined)
    throw new ArgumentError(`A per-query keyspace ('${keyspace}') needs protocol v5; this cluster speaks v${version}`);
  if (nowInSeconds !== undefined)
    throw new ArgumentError(`nowInSeconds (${nowInSeconds}) needs protocol v5; this cluster speaks v${version}`);
}

/** Rejects anything that is not an options object. */
export function checkOptionsObject(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new ArgumentError(
      `${name} must be an options object, got ${Array.isArray(value) ? 'an array' : String(value)}`,
    );
  }
}
