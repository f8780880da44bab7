import { Readable } from 'node:stream';
import { ArgumentError } from '../protocol/errors/index.js';
import type { Row } from '../protocol/rows/index.js';
import type { Page } from './page.js';
import type { PageFeed } from './page-feed.js';
import { RowIterator } from './stream-iterators.js';

const ignoreError = (): void => {
  // the iterator rethrows the error to its consumer; this listener only keeps the 'error' event
  // from being unhandled, as Node's own Readable iterator does with its listener
};

/** The error Node's Readable iterator throws when the stream is destroyed before its end. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * The object-mode `Readable` of `ResultStream.toReadable()`. Pulled by `read()`, `pipe()` or
 * 'data' listeners, it buffers up to `highWaterMark` rows and takes the next page from the feed
 * only when that buffer has room, so a slow pipe is backpressure on the server.
 *
 * `for await` over it goes around that buffer: when nothing else has read from it yet, its async
 * iterator hands the rows straight from the stream's pages, as `for await` over the stream itself
 * does, instead of Node's generic Readable iterator (a `read()` and a `push()` of the Readable's
 * machinery plus an async-generator step for every row, 400 ns or more per row: README
 * "Benchmarks"). The behaviour is Node's: leaving the loop early destroys the Readable
 * (cancelling the stream), a stream failure destroys it with the `StreamError` and the loop
 * throws it, a `destroy()` during the loop makes the loop throw (the destroy error, else
 * `ERR_STREAM_PREMATURE_CLOSE`), and the end emits 'end' then 'close'. While such a loop runs,
 * `read()` and 'data' get no rows and a second `for await` throws an `ArgumentError`: the stream
 * has one consumer. A Readable already read from (or paused, resumed, piped) is iterated by
 * Node's generic iterator, which first hands the rows already buffered.
 */
export class RowReadable<R = Row> extends Readable {
  readonly #feed: PageFeed<R>;
  /** The page `read()` is handing rows from, and the index of its next row. */
  #page: Page<R> | undefined;
  #index = 0;
  /** True while a `take()` for `read()` is pending. */
  #taking = false;
  /**
   * A `for await` taking the rows from the pages directly: none yet, one running (`_read` then
   * hands out nothing), or one that has ended, failed or been left.
   */
  #direct: 'none' | 'running' | 'over' = 'none';
  /** Why the Readable was destroyed during that iteration: what the loop throws. */
  #destroyedWith: Error | undefined;

  constructor(feed: PageFeed<R>, highWaterMark: number) {
    super({ objectMode: true, highWaterMark });
    this.#feed = feed;
  }

  override _read(): void {
    if (this.#taking || this.#direct !== 'none') return;
    const feed = this.#feed;
    // hand out rows of the page in hand until the Readable's buffer is full
    let page = this.#page;
    while (page !== undefined && this.#index < page.length) {
      const more = this.push(page.row(this.#index++));
      if (feed.rowsReceived(this.#index, page.length)) {
        page = undefined;
        this.#page = undefined;
      }
      if (!more) return;
    }
    if (feed.stopped) {
      this.push(null);
      return;
    }
    this.#taking = true;
    feed.take().then(
      (next) => {
        this.#taking = false;
        if (next === null) {
          this.push(null);
          return;
        }
        this.#page = next;
        this.#index = 0;
        this._read();
      },
      (error: unknown) => {
        this.#taking = false;
        this.destroy(error as Error);
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#direct === 'running') this.#destroyedWith = error ?? prematureClose();
    this.#feed.cancel();
    callback(error);
  }

  override [Symbol.asyncIterator](): AsyncIterableIterator<R> {
    if (this.#direct === 'running') {
      throw new ArgumentError(
        'This Readable is already being read by a for await loop; a stream is read once, by one consumer at a time',
      );
    }
    const untouched =
      this.#direct === 'none' &&
      !this.#taking &&
      this.#page === undefined &&
      this.readableFlowing === null &&
      this.readableLength === 0 &&
      !this.readableDidRead &&
      !this.destroyed;
    if (!untouched) return super[Symbol.asyncIterator]() as AsyncIterableIterator<R>;
    this.#direct = 'running';
    this.on('error', ignoreError);
    return new ReadableRowIterator<R>(this.#feed, this);
  }

  /** @internal The direct iteration reached the end: the error to throw, or undefined after ending the Readable. */
  iterationEnded(): Error | undefined {
    if (this.#direct === 'over') return this.#destroyedWith;
    this.#direct = 'over';
    if (this.#destroyedWith !== undefined) return this.#destroyedWith;
    this.push(null);
    this.read(0); // with its buffer empty, an ended Readable emits 'end' (then 'close') on this
    return undefined;
  }

  /** @internal The direct iteration failed with `error` (already thrown to the loop). */
  iterationFailed(error: unknown): void {
    if (this.#direct === 'over') return;
    this.#direct = 'over';
    this.destroy(error as Error);
  }

  /** @internal The loop was left early (`break`, `return`, a throw). */
  iterationLeft(): void {
    if (this.#direct === 'over') return;
    this.#direct = 'over';
    this.destroy();
  }
}

/**
 * The row iterator of a {@link RowReadable} iterated directly: the stream's own row iterator (the
 * same per-row path), which tells the Readable how the iteration ended.
 */
export class ReadableRowIterator<R = Row> extends RowIterator<R> {
  readonly #readable: RowReadable<R>;

  constructor(feed: PageFeed<R>, readable: RowReadable<R>) {
    super(feed, () => {
      // the stream stays claimed by its Readable
    });
    this.#readable = readable;
  }

  override return(): Promise<IteratorResult<R>> {
    const done = super.return();
    this.#readable.iterationLeft();
    return done;
  }

  protected override async nextPage(): Promise<IteratorResult<R>> {
    let result: IteratorResult<R>;
    try {
      result = await super.nextPage();
    } catch (error) {
      this.#readable.iterationFailed(error);
      throw error;
    }
    if (result.done === true) {
      const error = this.#readable.iterationEnded();
      if (error !== undefined) throw error;
    }
    return result;
  }
}
