import { ArgumentError } from '../protocol/errors/index.js';
import type { Row, RowsPage } from '../protocol/rows/index.js';
import type { ScanCheckpoint } from './scan-checkpoint.js';
import type { ReadyPage, RowCursor, ScanEngine } from './scan-engine.js';
import { ScanPage } from './scan-page.js';

/** How far a scan has got. */
export interface ScanProgress {
  /** Token ranges this scan reads (its shard's share of the split list). */
  readonly rangesTotal: number;
  /** Ranges read to their end (including those done before the checkpoint it resumed from). */
  readonly rangesDone: number;
  /** Rows handed to the consumer (including those before the checkpoint it resumed from). */
  readonly rowsFetched: number;
  /** Pages handed to the consumer, the one being read included (likewise). */
  readonly pagesFetched: number;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The result of `session.scanTable()`: every row of a table, read as token ranges in parallel
 * from their replicas. Iterate rows (`for await (const row of scan)`) or pages (`scan.pages()`),
 * one consumer at a time. Rows of one range come in token order; ranges interleave in no promised
 * order. Leaving a `for await` early, `cancel()` and the `signal` stop it. A range that fails
 * past its retries ends the iteration with a `StreamError` whose `checkpoint` resumes the scan.
 */
export class TableScan<R = Row> implements AsyncIterable<R> {
  /** @internal */
  readonly engine: ScanEngine<unknown>;
  private claimed = false;

  /** @internal Made by `session.scanTable()`. */
  constructor(engine: ScanEngine<unknown>) {
    this.engine = engine;
  }

  /** Ranges, rows and pages so far; cheap to read at any time. */
  get progress(): ScanProgress {
    const e = this.engine;
    return {
      rangesTotal: e.rangesTotal,
      rangesDone: e.rangesDone,
      rowsFetched: e.rowsFetched,
      pagesFetched: e.pagesFetched,
    };
  }

  /**
   * Where the consumer stands, exact to the row, as plain JSON: pass it as `checkpoint` to a new
   * `scanTable()` of the same table, columns and split to get exactly the rows not yet received.
   */
  checkpoint(): ScanCheckpoint {
    return this.engine.checkpoint();
  }

  /** Stops the scan at once: requests in flight are dropped, a waiting `next()` ends. Idempotent. */
  cancel(): void {
    this.engine.cancel();
  }

  /** `await using scan = await session.scanTable(...)` cancels it on scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    this.engine.cancel();
    return Promise.resolve();
  }

  /** Iterates rows. Throws `ArgumentError` at once if the scan already has a consumer. */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    this.claim('iterate its rows');
    return new ScanRowIterator<R>(this.engine);
  }

  /** Iterates pages, each with the token range it belongs to. Throws `ArgumentError` if the scan already has a consumer. */
  pages(): AsyncIterableIterator<ScanPage<R>> {
    this.claim('iterate its pages');
    return new ScanPageIterator<R>(this.engine);
  }

  private claim(what: string): void {
    if (this.claimed)
      throw new ArgumentError(
        `This scan already has a consumer; a scan is read once, by one consumer (tried to ${what})`,
      );
    this.claimed = true;
  }
}

/**
 * What the row and the page iterator of a scan share: the next page is taken one call at a time,
 * in order, and an error or the end of the scan finishes the iteration.
 */
abstract class ScanIterator<T> {
  protected pending: Promise<IteratorResult<T>> | undefined;
  protected finished = false;

  constructor(protected readonly engine: ScanEngine<unknown>) {}

  abstract next(): Promise<IteratorResult<T>>;

  /** What the next page starts with (DONE at the end). */
  protected abstract nextPage(): Promise<IteratorResult<T>>;

  /** {@link nextPage}, one call at a time: a call made while one is pending waits for it, then goes through `next()`. */
  protected oneAtATime(): Promise<IteratorResult<T>> {
    const pending = this.pending;
    if (pending !== undefined) return pending.then(() => this.next());
    const started = this.nextPage();
    this.pending = started;
    const clear = (): void => {
      if (this.pending === started) this.pending = undefined;
    };
    started.then(clear, clear);
    return started;
  }

  /** The next ready page, or null once finished; a failure or the end finishes the iterator. */
  protected async take(): Promise<ReadyPage<unknown> | null> {
    if (this.finished) return null;
    let item: ReadyPage<unknown> | null;
    try {
      item = await this.engine.take();
    } catch (error) {
      this.finished = true;
      throw error;
    }
    if (item === null) this.finished = true;
    return item;
  }
}

/**
 * The row iterator of a scan. Its hot path is the one of executeStream's: a row of the page in
 * hand, one Row object backed by the page's bytes and one resolved promise, no closure, no copy;
 * ranges only meet at page boundaries.
 */
class ScanRowIterator<R> extends ScanIterator<R> implements AsyncIterator<R>, RowCursor {
  index = 0;
  private rowsPage: RowsPage | undefined;
  private item: ReadyPage<unknown> | undefined;

  constructor(engine: ScanEngine<unknown>) {
    super(engine);
    engine.cursor = this;
  }

  next(): Promise<IteratorResult<R>> {
    const page = this.rowsPage;
    if (page !== undefined && this.index < page.length && !this.engine.stopped && this.pending === undefined) {
      const row = page.row(this.index++) as unknown as R;
      if (this.index === page.length) this.completePage();
      return Promise.resolve({ done: false, value: row });
    }
    return this.oneAtATime();
  }

  return(): Promise<IteratorResult<R>> {
    this.finished = true;
    this.rowsPage = undefined;
    this.engine.cancel();
    return Promise.resolve(DONE);
  }

  private completePage(): void {
    const item = this.item!;
    this.item = undefined;
    this.rowsPage = undefined;
    this.engine.complete(item);
  }

  protected async nextPage(): Promise<IteratorResult<R>> {
    if (this.finished) return DONE;
    this.rowsPage = undefined;
    const item = await this.take();
    if (item === null) return DONE;
    const page = item.page.rowsPage;
    this.item = item;
    this.index = item.first;
    const row = page.row(this.index++) as unknown as R;
    if (this.index === page.length) this.completePage();
    else this.rowsPage = page;
    return { done: false, value: row };
  }
}

/** The page iterator of a scan: a page counts as received once handed out. */
class ScanPageIterator<R> extends ScanIterator<ScanPage<R>> implements AsyncIterableIterator<ScanPage<R>> {
  [Symbol.asyncIterator](): AsyncIterableIterator<ScanPage<R>> {
    return this;
  }

  next(): Promise<IteratorResult<ScanPage<R>>> {
    return this.oneAtATime();
  }

  return(): Promise<IteratorResult<ScanPage<R>>> {
    this.finished = true;
    this.engine.cancel();
    return Promise.resolve(DONE);
  }

  protected async nextPage(): Promise<IteratorResult<ScanPage<R>>> {
    const item = await this.take();
    if (item === null) return DONE;
    const { split } = item.range;
    const page = new ScanPage<R>(
      { start: split.start, end: split.end },
      item.page.rowsPage,
      item.page.pagingState,
      item.first,
    );
    this.engine.complete(item);
    return { done: false, value: page };
  }
}
