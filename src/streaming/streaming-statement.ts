import { ArgumentError } from '../protocol/errors/index.js';
import type { StreamConfig } from './stream-config.js';
import { resolveStreamConfig } from './stream-config.js';

const STREAMING_STATEMENT = Symbol.for('cqlwire.streamingStatement');

/**
 * A query bundled with its stream options (the seed's `create_streaming_statement`): pass it to
 * `executeStream` in place of the query; options given to that call override the statement's.
 */
export interface StreamingStatement<Q = string> {
  /** CQL text or a prepared statement. */
  readonly query: Q;
  readonly options: Readonly<StreamConfig>;
  readonly [STREAMING_STATEMENT]: true;
}

/** Makes a StreamingStatement; its options are checked now (ArgumentError), not at execution. */
export function createStreamingStatement<Q = string>(query: Q, options: StreamConfig = {}): StreamingStatement<Q> {
  if (typeof query === 'string') {
    if (query.trim() === '') throw new ArgumentError('createStreamingStatement needs a query: got an empty string');
  } else if (typeof query !== 'object' || query === null) {
    throw new ArgumentError(
      `createStreamingStatement needs CQL text or a prepared statement, got ${query === null ? 'null' : typeof query}`,
    );
  }
  resolveStreamConfig(options);
  return Object.freeze({ query, options: Object.freeze({ ...options }), [STREAMING_STATEMENT]: true as const });
}

/** True for what {@link createStreamingStatement} returns. */
export function isStreamingStatement(value: unknown): value is StreamingStatement<unknown> {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[STREAMING_STATEMENT] === true
  );
}
