import type { Row, RowsPage } from '../protocol/rows/index.js';
import type { Page } from './page.js';
import type { PageFeed } from './page-feed.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Keeps an iterator's slow-path `next()` calls in order: one made while an earlier one is still
 * pending waits for it and then runs again, so pages are taken one at a time and in order.
 */
class InOrder<T> {
  private pending: Promise<T> | undefined;

  /** True while a call is pending. */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** `start()` now, or `again()` once the pending call has settled. */
  run(again: () => Promise<T>, start: () => Promise<T>): Promise<T> {
    if (this.pending !== undefined) return this.pending.then(again);
    const pending = start();
    this.pending = pending;
    const clear = (): void => {
      if (this.pending === pending) this.pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }
}

/**
 * The row iterator of a ResultStream. The hot path (a row of the page in hand) is straight-line:
 * one Row object backed by the page's bytes and one resolved promise per row, no closure, no copy.
 * Crossing to the next page goes through the feed (pageCallback, backpressure, errors).
 */
export class RowIterator<R = Row> implements AsyncIterableIterator<R> {
  private rowsPage: RowsPage | undefined;
  private index = 0;
  private finished = false;
  private readonly order = new InOrder<IteratorResult<R>>();
  private readonly again = (): Promise<IteratorResult<R>> => this.next();
  private readonly startPage = (): Promise<IteratorResult<R>> => this.nextPage();

  constructor(
    private readonly feed: PageFeed<R>,
    private readonly release: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<R> {
    return this;
  }

  next(): Promise<IteratorResult<R>> {
    const page = this.rowsPage;
    if (page !== undefined && this.index < page.length && !this.feed.stopped && !this.order.busy) {
      const row = page.row(this.index++) as unknown as R;
      if (this.feed.rowsReceived(this.index, page.length)) this.rowsPage = undefined;
      return Promise.resolve({ done: false, value: row });
    }
    return this.order.run(this.again, this.startPage);
  }

  return(): Promise<IteratorResult<R>> {
    this.stop();
    this.feed.cancel();
    return Promise.resolve(DONE);
  }

  /** Crosses to the next page: its first row, or the end. Overridden by the Readable's iterator. */
  protected async nextPage(): Promise<IteratorResult<R>> {
    if (this.finished) return DONE;
    // rows may be left on a page when the stream was cancelled or aborted: take() reports which
    this.rowsPage = undefined;
    const next = await takeOrStop(this.feed, () => {
      this.stop();
    });
    if (next === null) return DONE;
    // a handed-out page is never empty (the feed skips those): give its first row
    const page = next.rowsPage;
    const row = page.row(0) as unknown as R;
    this.index = 1;
    this.rowsPage = this.feed.rowsReceived(1, page.length) ? undefined : page;
    return { done: false, value: row };
  }

  private stop(): void {
    if (this.finished) return;
    this.finished = true;
    this.rowsPage = undefined;
    this.release();
  }
}

/** The page iterator of a ResultStream (`pages()`): each page is fully delivered when handed out. */
export class PageIterator<R = Row> implements AsyncIterableIterator<Page<R>> {
  private finished = false;
  private readonly order = new InOrder<IteratorResult<Page<R>>>();
  private readonly again = (): Promise<IteratorResult<Page<R>>> => this.next();
  private readonly startPage = (): Promise<IteratorResult<Page<R>>> => this.nextPage();

  constructor(
    private readonly feed: PageFeed<R>,
    private readonly release: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<Page<R>> {
    return this;
  }

  next(): Promise<IteratorResult<Page<R>>> {
    return this.order.run(this.again, this.startPage);
  }

  return(): Promise<IteratorResult<Page<R>>> {
    this.stop();
    this.feed.cancel();
    return Promise.resolve(DONE);
  }

  private async nextPage(): Promise<IteratorResult<Page<R>>> {
    if (this.finished) return DONE;
    const page = await takeOrStop(this.feed, () => {
      this.stop();
    });
    if (page === null) return DONE;
    this.feed.rowsReceived(page.length, page.length); // a page handed out whole is fully delivered
    return { done: false, value: page };
  }

  private stop(): void {
    if (this.finished) return;
    this.finished = true;
    this.release();
  }
}

/**
 * The next page of the feed, or null at the end; the iterator stops (releasing the stream) when
 * the feed ends or fails, and a failure is rethrown to the consumer.
 */
async function takeOrStop<R>(feed: PageFeed<R>, stop: () => void): Promise<Page<R> | null> {
  let page: Page<R> | null;
  try {
    page = await feed.take();
  } catch (error) {
    stop();
    throw error;
  }
  if (page === null) stop();
  return page;
}
