import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { Row, RowsPage } from '../protocol/rows/index.js';
import type { FetchedPage, PageRequest, PageSource } from './page-source.js';
import { ResultStream } from './result-stream.js';
import type { StreamConfig } from './stream-config.js';
import { resolveStreamConfig } from './stream-config.js';
import { isStreamingStatement } from './streaming-statement.js';
import type { StreamingStatement } from './streaming-statement.js';

/** The options the session's `fetchPage` seam takes for one page. */
export interface FetchPageOptions {
  readonly pageSize: number;
  readonly pagingState: Buffer | undefined;
  readonly consistency: Consistency | undefined;
  readonly serialConsistency: Consistency | undefined;
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal;
  /** `host:port` of the node that failed the previous attempt at this page: prefer another. */
  readonly avoidHost: string | undefined;
}

/** What the session answers for one page. `coordinator` is `host:port` or a host object. */
export interface FetchPageResult {
  readonly page: RowsPage;
  readonly pagingState?: Buffer | undefined;
  readonly coordinator?: unknown;
}

/** The one thing the streaming engine needs from a Session: fetch one page of a statement. */
export interface PageFetchingSession<S> {
  fetchPage(statement: S, params: unknown, options: FetchPageOptions): Promise<FetchPageResult>;
}

/**
 * Starts streaming `query` through `session.fetchPage`: returns once the first page request has
 * been sent, without waiting for its answer. Rejects only for bad arguments (ArgumentError);
 * everything that goes wrong later reaches the consumer as a StreamError.
 */
export async function executeStream<R = Row, S = string>(
  session: PageFetchingSession<S>,
  query: S | StreamingStatement<S>,
  params?: unknown,
  options?: StreamConfig,
): Promise<ResultStream<R>> {
  return startStream<R, S>(session, query, params, options);
}

/** The synchronous core of {@link executeStream}; throws ArgumentError. */
export function startStream<R = Row, S = string>(
  session: PageFetchingSession<S>,
  query: S | StreamingStatement<S>,
  params?: unknown,
  options?: StreamConfig,
): ResultStream<R> {
  let statement: S;
  let merged: StreamConfig | undefined = options;
  if (isStreamingStatement(query)) {
    statement = query.query as S;
    merged = { ...query.options, ...(options ?? {}) };
  } else {
    statement = query;
  }
  if (typeof statement === 'string' && statement.trim() === '') throw new ArgumentError('executeStream needs a query: got an empty string');
  if (statement === undefined || statement === null) throw new ArgumentError('executeStream needs CQL text, a prepared statement or a streaming statement');
  if (params !== undefined && params !== null && typeof params !== 'object') {
    throw new ArgumentError(`executeStream params must be an array or an object of named values, got ${typeof params}`);
  }
  const config = resolveStreamConfig(merged);
  return new ResultStream<R>(sessionPageSource(session, statement, params, config.consistency, config.serialConsistency), config);
}

/** Adapts the session's fetchPage seam to the engine's PageSource. */
export function sessionPageSource<S>(
  session: PageFetchingSession<S>,
  statement: S,
  params: unknown,
  consistency: Consistency | undefined,
  serialConsistency: Consistency | undefined,
): PageSource {
  return {
    async fetch(request: PageRequest): Promise<FetchedPage> {
      const result = await session.fetchPage(statement, params, {
        pageSize: request.pageSize,
        pagingState: request.pagingState,
        consistency,
        serialConsistency,
        timeoutMs: request.timeoutMs,
        signal: request.signal,
        avoidHost: request.failedCoordinator,
      });
      return { page: result.page as RowsPage<Row>, pagingState: result.pagingState, coordinator: endpointOf(result.coordinator) };
    },
  };
}

function endpointOf(coordinator: unknown): string | undefined {
  if (typeof coordinator === 'string') return coordinator;
  if (typeof coordinator === 'object' && coordinator !== null) {
    const c = coordinator as { address?: unknown; port?: unknown; endpoint?: unknown };
    if (typeof c.endpoint === 'string') return c.endpoint;
    if (typeof c.address === 'string' && typeof c.port === 'number') return `${c.address}:${c.port}`;
  }
  return undefined;
}

/** A ResultStream over any PageSource (tests, custom sources); throws ArgumentError for bad options. */
export function createResultStream<R = Row>(source: PageSource, options?: StreamConfig): ResultStream<R> {
  return new ResultStream<R>(source, resolveStreamConfig(options));
}
