import type { Host, LoadBalancingPolicy, RetryPolicy } from '../cluster/index.js';
import type { SendOptions } from '../connection/index.js';
import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import { checkNowInSeconds } from '../protocol/messages/query-parameters.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { TypeHint } from './bound-params.js';
import type { ResolvedSpeculativeExecution } from './execution-profile.js';
import { checkOptionKeys, EXECUTE_DEFAULT_FETCH_SIZE, type OptionsResolver } from './options-resolver.js';
import {
  checkConsistencyOption,
  checkPageSize,
  checkSerialConsistency,
  checkTimeout,
  checkV5Only,
  type ExecuteOptions,
  type PageRequestOptions,
  type PrepareOptions,
  timestampMicros,
} from './query-options.js';

/** Execute options checked, defaulted and split into what the wire needs. */
export interface RequestOptions {
  prepare: boolean;
  consistency: Consistency;
  serialConsistency: Consistency | undefined;
  timestamp: bigint | undefined;
  keyspace: string | undefined;
  nowInSeconds: number | undefined;
  pageSize: number;
  pagingState: Buffer | undefined;
  idempotent: boolean | undefined;
  routingKey: Buffer | undefined;
  routingKeyspace: string | undefined;
  hints: readonly TypeHint[] | Readonly<Record<string, TypeHint>> | undefined;
  retryPolicy: RetryPolicy;
  hostHint: Host | undefined;
  send: SendOptions;
  /** The hosts to try: the profile's policy, or the cluster's. */
  loadBalancing: LoadBalancingPolicy;
  /**
   * Speculative execution for this request (the profile's, else the cluster's): `{ delayMs,
   * maxExtra }`, or undefined when off. Applies only when the request is idempotent.
   */
  speculativeExecution: ResolvedSpeculativeExecution | undefined;
  /** The profile the request named, if any. */
  profile: string | undefined;
}

/**
 * Checks every option before anything is sent (a bad one, or one `kind` does not know, is an
 * `ArgumentError` naming it) and fills in the rest: the request's own option, else its profile's,
 * else the cluster's (see `OptionsResolver`).
 */
export function resolveRequestOptions(
  kind: 'execute' | 'fetchPage' | 'batch',
  options: (ExecuteOptions & PageRequestOptions) | undefined,
  resolver: OptionsResolver,
  version: ProtocolVersion,
): RequestOptions {
  checkOptionKeys(kind, options);
  const o = options ?? {};
  const defaults = resolver.profile(o.profile);
  const consistency = checkConsistencyOption('consistency', o.consistency) ?? defaults.consistency;
  const serialConsistency = checkSerialConsistency(o.serialConsistency) ?? defaults.serialConsistency;
  if (o.keyspace !== undefined && (typeof o.keyspace !== 'string' || o.keyspace.length === 0)) {
    throw new ArgumentError(`keyspace must be a non-empty string, got ${String(o.keyspace)}`);
  }
  if (o.nowInSeconds !== undefined) checkNowInSeconds('nowInSeconds', o.nowInSeconds);
  checkV5Only(version, o.keyspace, o.nowInSeconds);
  const pageSize =
    checkPageSize('pageSize', o.pageSize) ??
    checkPageSize('fetchSize', o.fetchSize) ??
    defaults.fetchSize ??
    EXECUTE_DEFAULT_FETCH_SIZE;
  if (o.pagingState !== undefined && !Buffer.isBuffer(o.pagingState))
    throw new ArgumentError(`pagingState must be a Buffer from an earlier result, got ${typeof o.pagingState}`);
  if (o.routingKey !== undefined && !Buffer.isBuffer(o.routingKey))
    throw new ArgumentError(`routingKey must be a Buffer (the serialised partition key), got ${typeof o.routingKey}`);
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal))
    throw new ArgumentError('signal must be an AbortSignal');
  const send: SendOptions = { timeoutMs: checkTimeout(o.timeoutMs) ?? defaults.requestTimeoutMs };
  if (o.tracing === true) send.tracing = true;
  if (o.customPayload !== undefined) {
    if (!(o.customPayload instanceof Map)) throw new ArgumentError('customPayload must be a Map of string to Buffer');
    send.customPayload = o.customPayload;
  }
  if (o.signal !== undefined) send.signal = o.signal;
  return {
    prepare: o.prepare === true,
    consistency,
    serialConsistency,
    timestamp: timestampMicros(o.timestamp),
    keyspace: o.keyspace,
    nowInSeconds: o.nowInSeconds,
    pageSize,
    pagingState: o.pagingState,
    idempotent: o.idempotent,
    routingKey: o.routingKey,
    routingKeyspace: o.routingKeyspace,
    hints: o.hints,
    retryPolicy: o.retryPolicy ?? defaults.retryPolicy,
    hostHint: o.hostHint,
    send,
    loadBalancing: defaults.loadBalancing,
    // a stream's pages are never speculated (README "Tail latency: speculative execution")
    speculativeExecution: kind === 'fetchPage' ? undefined : defaults.speculativeExecution,
    profile: defaults.name,
  };
}

/** `prepare()`'s options checked, with the timeout, retry and routing of its profile or the cluster. */
export interface ResolvedPrepareOptions {
  keyspace: string | undefined;
  idempotent: boolean;
  timeoutMs: number;
  retryPolicy: RetryPolicy;
  loadBalancing: LoadBalancingPolicy;
  speculativeExecution: ResolvedSpeculativeExecution | undefined;
}

/** Checks `prepare()`'s options like every other call's (unknown keys, unknown profile, bad values). */
export function resolvePrepareOptions(
  options: PrepareOptions | undefined,
  resolver: OptionsResolver,
): ResolvedPrepareOptions {
  checkOptionKeys('prepare', options);
  const o = options ?? {};
  const defaults = resolver.profile(o.profile);
  if (o.keyspace !== undefined && (typeof o.keyspace !== 'string' || o.keyspace.length === 0))
    throw new ArgumentError(`keyspace must be a non-empty string, got ${String(o.keyspace)}`);
  if (o.idempotent !== undefined && typeof o.idempotent !== 'boolean')
    throw new ArgumentError(`idempotent must be a boolean, got ${typeof o.idempotent}`);
  return {
    keyspace: o.keyspace,
    idempotent: o.idempotent === true,
    timeoutMs: checkTimeout(o.timeoutMs) ?? defaults.requestTimeoutMs,
    retryPolicy: defaults.retryPolicy,
    loadBalancing: defaults.loadBalancing,
    speculativeExecution: defaults.speculativeExecution,
  };
}
