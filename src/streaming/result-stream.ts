import type { Readable } from 'node:stream';
import { ArgumentError } from '../protocol/errors/index.js';
import type { Row, RowColumn } from '../protocol/rows/index.js';
import type { Page } from './page.js';
import { PageFeed } from './page-feed.js';
import type { PageSource } from './page-source.js';
import { RowReadable } from './row-readable.js';
import type { ResolvedStreamConfig } from './stream-config.js';
import { PageIterator, RowIterator } from './stream-iterators.js';

let claimArgumentFailureOf: (stream: ResultStream<unknown>) => ArgumentError | undefined;

/**
 * @internal The caller's mistake the stream's source found before any page reached the consumer
 * (see `PageFeed.claimArgumentFailure`); `executeStream` rejects with it. A function of this
 * module, not a member, so the stream's feed stays private.
 */
export function claimArgumentFailure(stream: ResultStream<unknown>): ArgumentError | undefined {
  return claimArgumentFailureOf(stream);
}

/** Options of {@link ResultStream.rows} and {@link ResultStream.pages}. */
export interface IterationOptions {
  /**
   * Reuse the memory of a page once the consumer has moved past it, instead of leaving it to the
   * garbage collector: the memory for rows then stays at about 1 + prefetchPages pages however
   * long the stream (README "Memory"). The page handed out before is recycled when the next page
   * is handed out (with its first row, in `rows()`); from then on its rows, the `RowsPage`, and
   * any blob Buffer read from it are invalid: a row read then throws an `ArgumentError`, a blob
   * read earlier silently shows a later page's bytes. Keep what you need while the page is
   * current: decoded values (`row.name`, `row.toObject()`), `Buffer.from(blob)`. The last page is
   * never recycled (its rows stay valid after the end, a `break` or a failure), nor are
   * `Page.pagingState` and the stream's `pagingState`. Default false: every row stays valid as
   * long as it is referenced.
   */
  readonly recyclePages?: boolean;
}

/** Options of {@link ResultStream.toReadable}. */
export interface ReadableOptions {
  /**
   * Rows the Readable buffers for `read()`, `pipe()` and 'data' before it stops pulling pages;
   * default 16 (Node's object-mode default). A `for await` over the Readable buffers none: it
   * takes the rows from the pages as it goes.
   */
  readonly highWaterMark?: number;
}

/**
 * The result of `executeStream`: an async iterable of rows, fetched page by page as the consumer
 * goes (docs/architecture.md "Streaming semantics"). One consumer at a time: `for await` over the stream,
 * `pages()`, or `toReadable()`. Leaving a `for await` early (`break`, `return`, a throw) cancels
 * the stream, as do `cancel()` and `await using`.
 *
 * Resuming: `pagingState` is the paging state after the last page whose rows were all received
 * (in row mode a page counts once its last row was handed out). A consumer that stops at a page
 * boundary resumes exactly after its last row by passing `pagingState` to a new stream. One that
 * stops mid-page has received `rowsPastPagingState` rows beyond that state: the resumed stream
 * hands those again first, so skip that many (page boundaries may differ, the row order does not).
 */
export class ResultStream<R = Row> implements AsyncIterable<R> {
  readonly #feed: PageFeed<R>;
  private claimed = false;

  static {
    claimArgumentFailureOf = (stream) => stream.#feed.claimArgumentFailure();
  }

  /** Starts fetching at once. Made by `executeStream()` and `createResultStream()`. */
  constructor(source: PageSource, config: ResolvedStreamConfig) {
    this.#feed = new PageFeed<R>(source, config);
  }

  /** Pages handed out so far (the page being read included); empty pages are never counted. */
  get pageNumber(): number {
    return this.#feed.pagesHanded;
  }

  /** Rows handed to the consumer so far. */
  get totalRowsFetched(): number {
    return this.#feed.completeRows + this.#feed.currentOffset;
  }

  /**
   * The paging state after the last fully delivered page: pass it as `pagingState` to continue.
   * Before any page is delivered it is the state the stream started from; after the last page of
   * the result it is undefined (nothing is left).
   */
  get pagingState(): Buffer | undefined {
    return this.#feed.completeState;
  }

  /** Rows received from the page in hand, i.e. past `pagingState`; 0 at a page boundary. */
  get rowsPastPagingState(): number {
    return this.#feed.currentOffset;
  }

  /** The result columns, once the first page has been handed out. */
  get columns(): readonly RowColumn[] | undefined {
    return this.#feed.columns;
  }

  /**
   * Stops the stream at once: the in-flight page request is aborted (its stream id freed, its late
   * answer dropped), held pages are released, and a waiting `next()` resolves as done. Idempotent.
   */
  cancel(): void {
    this.#feed.cancel();
  }

  /** `await using result = await session.executeStream(...)` cancels it on scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    this.#feed.cancel();
    return Promise.resolve();
  }

  /** Iterates rows. Throws `ArgumentError` at once if the stream already has a consumer. */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    this.claim('iterate its rows');
    return new RowIterator<R>(this.#feed, () => {
      this.claimed = false;
    });
  }

  /**
   * Iterates rows, as `for await (const row of stream)` does; `{ recyclePages: true }` reuses the
   * memory of pages already read (see {@link IterationOptions}). Throws `ArgumentError` if the
   * stream already has a consumer.
   */
  rows(options?: IterationOptions): AsyncIterableIterator<R> {
    const recycle = recyclePagesOf(options);
    this.claim('iterate its rows');
    this.#feed.recycling = recycle;
    return new RowIterator<R>(this.#feed, () => {
      this.claimed = false;
    });
  }

  /**
   * Iterates pages, from the current position; `{ recyclePages: true }` reuses the memory of
   * pages already read (see {@link IterationOptions}). Throws `ArgumentError` if the stream
   * already has a consumer.
   */
  pages(options?: IterationOptions): AsyncIterableIterator<Page<R>> {
    const recycle = recyclePagesOf(options);
    this.claim('iterate its pages');
    this.#feed.recycling = recycle;
    return new PageIterator<R>(this.#feed, () => {
      this.claimed = false;
    });
  }

  /**
   * An object-mode `Readable` of the rows: it pulls pages only while its buffer is under
   * `highWaterMark` rows, so a slow pipe is backpressure on the server. `destroy()` cancels the
   * stream; a stream failure destroys the Readable with the `StreamError`. `for await` over the
   * Readable (before anything else read from it) takes the rows straight from the pages, at the
   * cost of `for await` over the stream, with the behaviour of Node's Readable iterator.
   */
  toReadable(options: ReadableOptions = {}): Readable {
    const highWaterMark = options.highWaterMark ?? 16;
    if (!Number.isInteger(highWaterMark) || highWaterMark < 1) {
      throw new ArgumentError(`highWaterMark must be a positive integer, got ${String(options.highWaterMark)}`);
    }
    this.claim('make a Readable of it');
    return new RowReadable<R>(this.#feed, highWaterMark);
  }

  private claim(what: string): void {
    if (this.claimed) {
      throw new ArgumentError(
        `This stream already has a consumer; a stream is read once, by one consumer at a time (tried to ${what})`,
      );
    }
    this.claimed = true;
  }
}

function recyclePagesOf(options: IterationOptions | undefined): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null)
    throw new ArgumentError(`Iteration options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (key !== 'recyclePages')
      throw new ArgumentError(`Unknown iteration option "${key}"; known options: recyclePages`);
  }
  const recycle = options.recyclePages ?? false;
  if (typeof recycle !== 'boolean')
    throw new ArgumentError(`recyclePages must be true or false, got ${String(recycle)}`);
  return recycle;
}
