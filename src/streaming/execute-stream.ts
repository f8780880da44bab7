import { FallthroughRetryPolicy, RETHROW, RETRY_NEXT, type RetryPolicy } from '../cluster/index.js';
import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { Row, RowsPage } from '../protocol/rows/index.js';
import type { FetchedPage, PageRequest, PageSource } from './page-source.js';
import { claimArgumentFailure, ResultStream } from './result-stream.js';
import type { StreamConfig } from './stream-config.js';
import { type ResolvedStreamConfig, resolveStreamConfig } from './stream-config.js';
import type { StreamingStatement } from './streaming-statement.js';
import { isStreamingStatement } from './streaming-statement.js';
// keeps the hidden classes of the per-stream objects for the life of the process (see there)
import './stream-map-anchors.js';

/** The options the session's `fetchPage` seam takes for one page (a subset of its PageRequestOptions). */
export interface FetchPageOptions<H = unknown> {
  readonly pageSize: number;
  readonly pagingState: Buffer | undefined;
  readonly consistency?: Consistency | undefined;
  readonly serialConsistency?: Consistency | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal: AbortSignal;
  /** The coordinator of the previous page: tried first, so a stream stays on one node while it is healthy. */
  readonly hostHint?: H | undefined;
  /** Prepare CQL text first (cached by the session). */
  readonly prepare?: boolean | undefined;
  /**
   * How this attempt walks the session's query plan, in place of the cluster's retry policy: the
   * stream's `retry` option owns page retries (see {@link pageAttemptPolicy}).
   */
  readonly retryPolicy?: RetryPolicy | undefined;
  /** Which page of the stream this is and the stream's attempt at it (diagnostics and metrics). */
  readonly page?: { readonly pageNumber: number; readonly attempt: number } | undefined;
}

/** What the session answers for one page. `coordinator` is the session's host object. */
export interface FetchPageResult<H = unknown> {
  readonly page: RowsPage;
  readonly pagingState?: Buffer | undefined;
  readonly coordinator?: H;
}

/** The one thing the streaming engine needs from a Session: fetch one page of a statement. */
export interface PageFetchingSession<S, H = unknown> {
  fetchPage(statement: S, params: unknown, options: FetchPageOptions<H>): Promise<FetchPageResult<H>>;
}

/** Options of a stream started on a session: the StreamConfig plus how to send the statement. */
export interface SessionStreamOptions extends StreamConfig {
  /** Prepare CQL text first (cached; typed parameters, token-aware routing). Default false. */
  readonly prepare?: boolean;
}

/**
 * Starts streaming `query` through `session.fetchPage`: resolves once the first page request is
 * under way, without waiting for its answer. Rejects only for bad arguments (ArgumentError): the
 * options here, and what the session finds wrong with the statement and its parameters before
 * sending (it checks them without I/O, so they surface within one turn of the event loop; a
 * statement the session must prepare first reports them through the stream). Everything that goes
 * wrong later reaches the consumer as a StreamError.
 */
export async function executeStream<R = Row, S = string, H = unknown>(
  session: PageFetchingSession<S, H>,
  query: S | StreamingStatement<S>,
  params?: unknown,
  options?: SessionStreamOptions,
): Promise<ResultStream<R>> {
  const stream = startStream<R, S, H>(session, query, params, options);
  await new Promise<void>((resolve) => setImmediate(resolve));
  const mistake = claimArgumentFailure(stream);
  if (mistake !== undefined) throw mistake;
  return stream;
}

/** The synchronous core of {@link executeStream}; throws ArgumentError. */
export function startStream<R = Row, S = string, H = unknown>(
  session: PageFetchingSession<S, H>,
  query: S | StreamingStatement<S>,
  params?: unknown,
  options?: SessionStreamOptions,
): ResultStream<R> {
  let statement: S;
  let merged: SessionStreamOptions | undefined = options;
  if (isStreamingStatement(query)) {
    statement = query.query;
    merged = { ...query.options, ...(options ?? {}) };
  } else {
    statement = query;
  }
  if (typeof statement === 'string' && statement.trim() === '')
    throw new ArgumentError('executeStream needs a query: got an empty string');
  if (statement === undefined || statement === null)
    throw new ArgumentError('executeStream needs CQL text, a prepared statement or a streaming statement');
  if (params !== undefined && params !== null && typeof params !== 'object') {
    throw new ArgumentError(`executeStream params must be an array or an object of named values, got ${typeof params}`);
  }
  let prepare: boolean | undefined;
  let streamOptions: StreamConfig | undefined = merged;
  if (merged !== undefined && merged !== null && typeof merged === 'object' && 'prepare' in merged) {
    const { prepare: p, ...rest } = merged;
    if (p !== undefined && typeof p !== 'boolean')
      throw new ArgumentError(`prepare must be a boolean, got ${typeof p}`);
    prepare = p;
    streamOptions = rest;
  }
  const config = resolveStreamConfig(streamOptions);
  return new ResultStream<R>(
    sessionPageSource(session, statement, params, {
      consistency: config.consistency,
      serialConsistency: config.serialConsistency,
      prepare,
      retry: config.retry,
    }),
    config,
  );
}

/**
 * Adapts the session's fetchPage seam to the engine's PageSource. Each page asks the previous
 * page's coordinator first (hostHint), so a healthy stream stays on one node; after a failed
 * attempt the hint is dropped when that node is the one that failed, and the session's query plan
 * picks the next host.
 */
export function sessionPageSource<S, H>(
  session: PageFetchingSession<S, H>,
  statement: S,
  params: unknown,
  send: {
    consistency: Consistency | undefined;
    serialConsistency: Consistency | undefined;
    prepare: boolean | undefined;
    /** The stream's retry rule: it, not the cluster's retry policy, decides about a failed page (default: none). */
    retry?: ResolvedStreamConfig['retry'];
  },
): PageSource {
  let lastCoordinator: H | undefined;
  return {
    // the connection takes its 'abort' listener off the signal when a request settles
    releasesSignalListeners: true,
    async fetch(request: PageRequest): Promise<FetchedPage> {
      let hostHint = lastCoordinator;
      if (
        request.attempt > 1 &&
        (request.failedCoordinator === undefined || request.failedCoordinator === endpointOf(hostHint))
      )
        hostHint = undefined;
      const options: FetchPageOptions<H> = {
        pageSize: request.pageSize,
        pagingState: request.pagingState,
        signal: request.signal,
        ...(send.consistency !== undefined ? { consistency: send.consistency } : {}),
        ...(send.serialConsistency !== undefined ? { serialConsistency: send.serialConsistency } : {}),
        ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
        ...(hostHint !== undefined ? { hostHint } : {}),
        ...(send.prepare !== undefined ? { prepare: send.prepare } : {}),
        retryPolicy: pageAttemptPolicy(send.retry, request.attempt),
        ...(request.pageNumber !== undefined
          ? { page: { pageNumber: request.pageNumber, attempt: request.attempt } }
          : {}),
      };
      const result = await session.fetchPage(statement, params, options);
      lastCoordinator = result.coordinator;
      return { page: result.page, pagingState: result.pagingState, coordinator: endpointOf(result.coordinator) };
    },
  };
}

/**
 * Who retries a stream's page: the stream alone, by its `retry` option; the cluster's
 * `retryPolicy` is not consulted for page requests (a page would otherwise be retried by both, the
 * policy's retries multiplied by the stream's). One attempt at a page asks the hosts of the query
 * plan in turn, moving to the next at once when a host fails with an error `shouldRetry` accepts
 * (a page read is idempotent: its paging state pins where it starts); the attempt fails when a
 * host fails with any other error, or when every host failed (`NoHostAvailableError`). Then the
 * stream waits its backoff and makes the next attempt, up to `maxRetries`. With `retry: false`
 * an attempt asks one host once.
 */
export function pageAttemptPolicy(retry: ResolvedStreamConfig['retry'] | undefined, attempt: number): RetryPolicy {
  if (retry === undefined || retry.maxRetries === 0) return ONE_HOST_ONCE;
  const shouldRetry = retry.shouldRetry;
  return {
    onError: ({ error }) => (shouldRetry(error, attempt) ? RETRY_NEXT : RETHROW),
  };
}

const ONE_HOST_ONCE: RetryPolicy = new FallthroughRetryPolicy();

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
