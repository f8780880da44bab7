import { ArgumentError } from '../protocol/errors/index.js';
import { BatchType } from '../protocol/messages/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { Params } from './bound-params.js';
import type { OptionsResolver } from './options-resolver.js';
import type { PreparedStatement } from './prepared-statement.js';
import type { BatchOptions } from './query-options.js';
import { type RequestOptions, resolveRequestOptions } from './request-options.js';

/** One statement of a batch: CQL text, a prepared statement, or either with its parameters. */
export type BatchEntry = string | PreparedStatement | { query: string | PreparedStatement; params?: Params | null };

export type { BatchKind, BatchOptions } from './query-options.js';

/** Batch options checked and defaulted: the request options a BATCH carries, and its type. */
export interface ResolvedBatchOptions
  extends Pick<
    RequestOptions,
    | 'prepare'
    | 'consistency'
    | 'serialConsistency'
    | 'timestamp'
    | 'keyspace'
    | 'nowInSeconds'
    | 'idempotent'
    | 'retryPolicy'
    | 'send'
    | 'loadBalancing'
    | 'speculativeExecution'
    | 'profile'
  > {
  type: BatchType;
}

/** The BATCH type number of a kind; an `ArgumentError` for anything else. */
export function batchTypeOf(kind: unknown): BatchType {
  switch (kind ?? 'logged') {
    case 'logged':
      return BatchType.LOGGED;
    case 'unlogged':
      return BatchType.UNLOGGED;
    case 'counter':
      return BatchType.COUNTER;
    default:
      throw new ArgumentError(`Batch type must be 'logged', 'unlogged' or 'counter', got ${JSON.stringify(kind)}`);
  }
}

/** Checks a batch's options like `execute`'s (the same resolver: request > profile > cluster). */
export function resolveBatchOptions(
  options: BatchOptions | undefined,
  resolver: OptionsResolver,
  version: ProtocolVersion,
): ResolvedBatchOptions {
  const o = resolveRequestOptions('batch', options, resolver, version);
  return {
    type: batchTypeOf(options?.type),
    prepare: o.prepare,
    consistency: o.consistency,
    serialConsistency: o.serialConsistency,
    timestamp: o.timestamp,
    keyspace: o.keyspace,
    nowInSeconds: o.nowInSeconds,
    idempotent: o.idempotent,
    retryPolicy: o.retryPolicy,
    send: o.send,
    loadBalancing: o.loadBalancing,
    speculativeExecution: o.speculativeExecution,
    profile: o.profile,
  };
}
