import type { Host, RetryPolicy } from '../cluster/index.js';
import type { SendOptions } from '../connection/index.js';
import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import { checkNowInSeconds } from '../protocol/messages/query-parameters.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { TypeHint } from './bound-params.js';
import {
  checkConsistencyOption,
  checkOptionsObject,
  checkPageSize,
  checkSerialConsistency,
  checkTimeout,
  checkV5Only,
  type ExecuteOptions,
  timestampMicros,
} from './query-options.js';

/** Session-wide defaults the per-request options fall back to. */
export interface RequestDefaults {
  consistency: Consistency;
  serialConsistency: Consistency | undefined;
  fetchSize: number;
  requestTimeoutMs: number;
  retryPolicy: RetryPolicy;
}

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
}

/** Checks every option before anything is sent: a bad one is an `ArgumentError` naming it. */
export function resolveRequestOptions(
  options: (ExecuteOptions & { pageSize?: number; hostHint?: Host }) | undefined,
  defaults: RequestDefaults,
  version: ProtocolVersion,
): RequestOptions {
  checkOptionsObject('options', options);
  const o = options ?? {};
  const consistency = checkConsistencyOption('consistency', o.consistency) ?? defaults.consistency;
  const serialConsistency = checkSerialConsistency(o.serialConsistency) ?? defaults.serialConsistency;
  if (o.keyspace !== undefined && (typeof o.keyspace !== 'string' || o.keyspace.length === 0)) {
    throw new ArgumentError(`keyspace must be a non-empty string, got ${String(o.keyspace)}`);
  }
  if (o.nowInSeconds !== undefined) checkNowInSeconds('nowInSeconds', o.nowInSeconds);
  checkV5Only(version, o.keyspace, o.nowInSeconds);
  const pageSize =
    checkPageSize('pageSize', o.pageSize) ?? checkPageSize('fetchSize', o.fetchSize) ?? defaults.fetchSize;
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
  };
}
