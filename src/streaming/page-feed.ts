import { ArgumentError, ProtocolError } from '../protocol/errors/index.js';
import type { Row, RowColumn, RowsPage } from '../protocol/rows/index.js';
import { watchAbort } from './abort-fanout.js';
import { fetchWithRetry } from './fetch-with-retry.js';
import { Page } from './page.js';
import { recyclePage, recycleUnseenPage } from './page-recycling.js';
import type { FetchedPage, PageSource } from './page-source.js';
import type { ResolvedStreamConfig } from './stream-config.js';
import type { StreamPosition } from './stream-error.js';
import { StreamError } from './stream-error.js';

const noop = (): void => {
  // nothing to do: stands in where a callback is required but no one listens
};

interface Waiter<R> {
  resolve(page: Page<R> | null | Promise<Page<R> | null>): void;
  reject(error: unknown): void;
}

interface Failure {
  readonly cause: unknown;
  readonly what: string;
}

/**
 * The page engine behind a ResultStream: requests pages one after another along the paging state
 * chain, keeps at most `prefetchPages` fetched pages waiting for the consumer (1 + prefetchPages
 * held in all, counting the page being consumed), skips empty pages, stops after `maxPages`,
 * runs `pageCallback` before handing a page out, adapts the page size to `maxPageBytes`, and turns
 * failures, cancel and abort into what the consumer sees (docs/architecture.md "Streaming semantics").
 *
 * Position: a page is *fully delivered* once the consumer has received all of its rows (at once
 * in page mode, with its last row in row mode). `completeState`/`completeRows`/`completePages`
 * describe the last fully delivered page, which is what a resume needs; `currentOffset` counts the
 * rows of the page in hand already received past it.
 */
export class PageFeed<R = Row> {
  /** Pages handed to the consumer, the one in hand included. */
  pagesHanded = 0;
  completePages = 0;
  completeRows = 0;
  completeState: Buffer | undefined;
  /** The page in hand; undefined once it is fully delivered. */
  current: Page<R> | undefined;
  #currentOffset = 0;
  /** The result columns, known once a page was handed out. */
  columns: readonly RowColumn[] | undefined;
  /** True once cancelled or aborted: the row fast path checks it so no further row leaves. */
  stopped = false;
  /**
   * Set by a consumer that asked for `recyclePages` (before its first page): the page handed out
   * last is recycled when the next one is handed out (see `page-recycling.ts`).
   */
  recycling = false;
  private lastHanded: RowsPage | undefined;

  private readonly source: PageSource;
  private readonly config: ResolvedStreamConfig;
  private readonly controller = new AbortController();
  private readonly queue: FetchedPage[] = [];
  private nextState: Buffer | undefined;
  private pageSize: number;
  private inFlight = false;
  private noMorePages = false;
  private accepted = 0;
  private initialDemand = true;
  private ended = false;
  /** Page requests made so far (the number of the next one, less one): the diagnostics' page number. */
  private pageRequests = 0;
  private failure: Failure | undefined;
  private waiter: Waiter<R> | undefined;
  private unwatchSignal: () => void = noop;

  constructor(source: PageSource, config: ResolvedStreamConfig) {
    this.source = source;
    this.config = config;
    this.completeState = config.pagingState;
    this.nextState = config.pagingState;
    this.pageSize = config.fetchSize;
    const signal = config.signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.abort();
        return;
      }
      this.unwatchSignal = watchAbort(signal, () => this.abort());
    }
    // the first page is requested at once, whatever prefetchPages says: it is what executeStream asked for
    this.pump();
  }

  /** How many rows of the page in hand the consumer received; 0 at a page boundary. */
  get currentOffset(): number {
    return this.#currentOffset;
  }

  /**
   * The consumer received the first `count` of the `pageLength` rows of the page in hand: the
   * one place a consumer (row iterator, page iterator, Readable) moves the position. With the
   * page's last row the page is fully delivered and the resume position moves past it; returns
   * true then, so the consumer lets go of the page.
   */
  rowsReceived(count: number, pageLength: number): boolean {
    this.#currentOffset = count;
    if (count < pageLength) return false;
    this.completeCurrent();
    return true;
  }

  /** The page size the next request will use (differs from fetchSize under maxPageBytes). */
  get nextPageSize(): number {
    return this.pageSize;
  }

  /** Where a resume would start: the last fully delivered page. */
  position(): StreamPosition {
    return { totalRowsFetched: this.completeRows, pageNumber: this.completePages, pagingState: this.completeState };
  }

  /**
   * The next page for the consumer, null at the end (or after cancel); rejects with StreamError.
   * The caller must have finished the page in hand (single consumer, one take at a time).
   */
  take(): Promise<Page<R> | null> {
    if (this.ended) return Promise.resolve(null);
    const queued = this.queue.shift();
    if (queued !== undefined) return this.handOut(queued);
    if (this.failure !== undefined) return Promise.reject(this.deliverFailure());
    if (this.noMorePages && !this.inFlight) {
      this.endOfStream();
      return Promise.resolve(null);
    }
    return new Promise<Page<R> | null>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.pump();
    });
  }

  /**
   * The caller's mistake found by the source before anything reached the consumer (a wrong
   * parameter count, a value of the wrong type): handed back, so that `executeStream` rejects with
   * it rather than returning a stream that can only fail (executeStream rejects only for bad
   * arguments: docs/architecture.md "Streaming semantics"). The stream is then finished.
   */
  claimArgumentFailure(): ArgumentError | undefined {
    const failure = this.failure;
    if (failure === undefined || this.ended || this.pagesHanded > 0 || !(failure.cause instanceof ArgumentError))
      return undefined;
    this.finish();
    return failure.cause;
  }

  /** Marks the page in hand fully delivered: the resume position moves past it. */
  completeCurrent(): void {
    const page = this.current;
    if (page === undefined) return;
    this.current = undefined;
    this.#currentOffset = 0;
    this.completePages = page.pageNumber;
    this.completeRows += page.length;
    this.completeState = page.pagingState;
  }

  /** Stops everything; the consumer sees the end. Idempotent. */
  cancel(): void {
    if (this.ended) return;
    this.stopped = true;
    this.dropQueue();
    this.finish();
    this.controller.abort(new Error('stream cancelled'));
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(null);
  }

  /** The stream's AbortSignal fired: stop fetching and fail the consumer with its reason. */
  private abort(): void {
    if (this.ended || this.failure !== undefined) return;
    this.stopped = true;
    this.dropQueue();
    const reason: unknown = this.config.signal?.reason;
    this.fail(reason, 'Stream aborted by its signal');
  }

  /** Forgets the fetched pages nobody saw; when recycling, their memory is reused. */
  private dropQueue(): void {
    if (this.recycling) for (const fetched of this.queue) recycleUnseenPage(fetched.page);
    this.queue.length = 0;
  }

  /** Records a failure and stops fetching; a waiting consumer gets it now, any other at its next page. */
  private fail(cause: unknown, what: string): void {
    this.failure = { cause, what };
    this.controller.abort(cause);
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.reject(this.deliverFailure());
    }
  }

  private deliverFailure(): StreamError {
    const failure = this.failure!;
    this.finish();
    return new StreamError(failure.what, failure.cause, this.position());
  }

  /**
   * The consumer reached the end. When the server said there is nothing more (rather than
   * maxPages stopping the stream), the resume position is "nothing left": no paging state, even if
   * the last page handed out carried one (Cassandra may only find out on the next, empty page).
   */
  private endOfStream(): void {
    this.completeCurrent();
    if (this.nextState === undefined) this.completeState = undefined;
    this.finish();
  }

  private finish(): void {
    this.ended = true;
    this.unwatchSignal();
    this.unwatchSignal = noop;
  }

  /** Runs the page callback (awaited), then makes the page the one in hand. */
  private async handOut(fetched: FetchedPage): Promise<Page<R> | null> {
    this.completeCurrent();
    // only the consumer's take() leads here: it is done with the page handed out before, whose
    // memory (when recycling) the next page can be decoded into. The last page of a stream is never
    // recycled, so its rows stay valid after the end, a break or a failure.
    const done = this.lastHanded;
    if (done !== undefined) {
      this.lastHanded = undefined;
      if (this.recycling) recyclePage(done);
    }
    this.pump();
    const pageNumber = this.pagesHanded + 1;
    // recycling: the paging state is a view of the page's memory, which will be reused; the stream
    // keeps it past the page (Page.pagingState, the resume position), so it keeps a copy
    const state =
      this.recycling && fetched.pagingState !== undefined ? Buffer.from(fetched.pagingState) : fetched.pagingState;
    const page = new Page<R>(fetched.page, pageNumber, state);
    const callback = this.config.pageCallback;
    if (callback !== undefined) {
      try {
        await callback(pageNumber, this.completeRows + page.length);
      } catch (error) {
        if (!this.ended && this.failure === undefined) {
          this.stopped = true;
          this.queue.length = 0;
          this.failure = { cause: error, what: `pageCallback threw on page ${pageNumber}` };
          this.controller.abort(error);
        }
      }
      if (this.ended) return null;
      if (this.failure !== undefined && this.stopped) throw this.deliverFailure();
    }
    this.pagesHanded = pageNumber;
    this.columns = page.columns;
    this.current = page;
    this.lastHanded = fetched.page;
    this.#currentOffset = 0;
    return page;
  }

  /** Starts the next page request when one is wanted and allowed. */
  private pump(): void {
    if (this.inFlight || this.ended || this.failure !== undefined || this.noMorePages) return;
    const demanded = this.waiter !== undefined || this.initialDemand;
    if (this.queue.length >= this.config.prefetchPages && !(demanded && this.queue.length === 0)) return;
    this.initialDemand = false;
    this.startFetch();
  }

  private startFetch(): void {
    this.inFlight = true;
    const requestState = this.nextState;
    fetchWithRetry(
      this.source,
      {
        pagingState: requestState,
        pageSize: this.pageSize,
        timeoutMs: this.config.timeoutMs,
        retry: this.config.retry,
        pageNumber: ++this.pageRequests,
      },
      this.controller.signal,
    ).then(
      (fetched) => this.onPage(fetched, requestState),
      (error: unknown) => this.onFetchError(error),
    );
  }

  private onPage(fetched: FetchedPage, requestState: Buffer | undefined): void {
    this.inFlight = false;
    // cancelled or failed meanwhile: the late page is dropped, never delivered
    if (this.ended || this.failure !== undefined) {
      if (this.recycling && fetched.page.length > 0) recycleUnseenPage(fetched.page);
      return;
    }
    const state = fetched.pagingState;
    if (fetched.page.length === 0) {
      if (state === undefined) {
        this.noMorePages = true;
        this.nextState = undefined;
        const waiter = this.waiter;
        if (waiter !== undefined && this.queue.length === 0) {
          this.waiter = undefined;
          this.endOfStream();
          waiter.resolve(null);
        }
        return;
      }
      if (requestState !== undefined && state.equals(requestState)) {
        this.fail(
          new ProtocolError(
            'The server answered an empty page with the very paging state it was sent: the stream could never advance',
          ),
          'Stream failed',
        );
        return;
      }
      // an empty page with a paging state is not the end (Cassandra sends them, e.g. past
      // tombstones): skip it under the same demand that asked for it
      this.nextState = state;
      this.startFetch();
      return;
    }
    this.accepted++;
    this.nextState = state;
    if (state === undefined || this.accepted >= this.config.maxPages) this.noMorePages = true;
    this.adaptPageSize(fetched.page);
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve(this.handOut(fetched));
    } else {
      this.queue.push(fetched);
      this.pump();
    }
  }

  private onFetchError(error: unknown): void {
    this.inFlight = false;
    if (this.ended || this.failure !== undefined) return;
    this.fail(error, 'Stream failed');
  }

  /**
   * maxPageBytes: the page's buffer is what it keeps alive, so bytes per row = buffer size / rows.
   * The next request asks for as many rows as fit the budget (at least 1, at most fetchSize),
   * shrinking at once and growing at most twofold per page so one page of small rows does not
   * swing the size back before large rows come again.
   */
  private adaptPageSize(page: RowsPage): void {
    const budget = this.config.maxPageBytes;
    if (budget === undefined) return;
    const bytesPerRow = page.buffer.length / page.length;
    const fit = Math.max(1, Math.floor(budget / bytesPerRow));
    this.pageSize = Math.min(this.config.fetchSize, fit, this.pageSize * 2);
  }
}
