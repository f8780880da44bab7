import type { Row, RowsPage } from '../protocol/rows/index.js';

/** One page request, as the stream engine asks for it. */
export interface PageRequest {
  /** Where to continue; undefined for the first page of a query started from the beginning. */
  readonly pagingState: Buffer | undefined;
  /** Rows wanted on this page (the fetch size, or less when `maxPageBytes` adapts it). */
  readonly pageSize: number;
  /** Aborted when the stream is cancelled or this attempt timed out: stop and free the request. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt at this page, 2 for its first retry, and so on. */
  readonly attempt: number;
  /** The per-page timeout the stream applies (ms), so a source can align its own timer. */
  readonly timeoutMs: number | undefined;
  /** The node that failed the previous attempt at this page (`host:port`), when known. */
  readonly failedCoordinator: string | undefined;
  /** 1 for the stream's first page request, 2 for the next, ... (retries keep the number). */
  readonly pageNumber?: number | undefined;
}

/** What a source answers for one page. */
export interface FetchedPage<R extends Row = Row> {
  readonly page: RowsPage<R>;
  /** The server's paging state after this page; undefined when there are no more pages. */
  readonly pagingState?: Buffer | undefined;
  /** The node that answered (`host:port`), when known. */
  readonly coordinator?: string | undefined;
}

/**
 * Where a stream gets its pages from: the session's `fetchPage` in an application, a fake in
 * tests. One call fetches one page; the stream engine owns ordering, prefetch, timeouts, retries
 * and cancellation, so a source only has to honour `signal` (reject promptly once aborted).
 */
export interface PageSource<R extends Row = Row> {
  fetch(request: PageRequest): Promise<FetchedPage<R>>;
  /**
   * @internal True for a source that takes its 'abort' listener off `request.signal` once a
   * request settles (the session's: the connection does). Such a source may be handed the stream's
   * own signal for every attempt without a deadline; any other source gets a fresh signal per
   * attempt, so listeners it leaves behind die with that attempt.
   */
  readonly releasesSignalListeners?: boolean;
}
