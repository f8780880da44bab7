/**
 * The raw+decode bound behind the two shapes cqlwire hands rows out in, to tell what the shape
 * costs from what cqlwire's own code costs: the same hand-written framing and row decoding as
 * raw+decode, but each page's rows are copied out of the framing buffer into memory of their own
 * and given to a consumer that
 * - awaits one page at a time and folds its rows in a plain loop (the shape of `pages()`), or
 * - reads one row per `next()` of a hand-written async iterator under `for await`, decoding the
 *   row when it is asked for (the shape of `for await` over `executeStream`).
 *
 * Pages are asked for as cqlwire's default `prefetchPages: 1` does: the next page's request goes
 * out when a page is handed to the consumer, so one page is on its way while one is read.
 */
import type { RawDecodeClient } from './raw-decode-client.js';
import { type DecodedBenchRow, decodeBenchRow, foldBenchRows, type RowCursor } from './raw-decode-rows.js';
import { type CqlwireBenchRow, foldCqlwireRow, type ReadTally } from './read-rows.js';

/** One page's rows in memory of their own: `count` rows from offset 0. */
interface HandedPage {
  rows: Buffer;
  count: number;
}

/**
 * Pages handed out by the client's data events, taken one at a time by an awaiting consumer;
 * taking a page asks for the next one (`onTake`).
 */
class PageQueue {
  private readonly pages: HandedPage[] = [];
  private taken = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly onTake: () => void) {}

  readonly push = (rows: Buffer, count: number): void => {
    this.pages.push({ rows, count });
    this.notify();
  };

  /** No page will come any more; with `error`, the stream failed. */
  end(error?: Error): void {
    this.ended = true;
    this.failure = error;
    this.notify();
  }

  /** The next page, or undefined after the last; rejects once the stream failed. */
  async next(): Promise<HandedPage | undefined> {
    while (this.taken === this.pages.length) {
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const page = this.pages[this.taken]!;
    // a taken page is let go at once: the queue must not keep every page of the stream
    this.pages[this.taken++] = EMPTY_PAGE;
    this.onTake();
    return page;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

const EMPTY_PAGE: HandedPage = { rows: Buffer.alloc(0), count: 0 };

/** Streams `query` through `client` into a queue; `consume` reads the queue; both must finish. */
async function handOff(
  client: RawDecodeClient,
  query: string,
  fetchSize: number,
  consume: (queue: PageQueue) => Promise<ReadTally>,
): Promise<ReadTally> {
  const queue = new PageQueue(() => client.requestNextPage());
  const streamed = client.streamInto(query, fetchSize, queue.push).then(
    (tally) => {
      queue.end();
      return tally;
    },
    (err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      queue.end(error);
      throw error;
    },
  );
  // the consumer's error is the stream's when the stream failed: wait for both, report the first
  const [consumed, sent] = await Promise.allSettled([consume(queue), streamed]);
  if (sent.status === 'rejected') throw sent.reason;
  if (consumed.status === 'rejected') throw consumed.reason;
  if (consumed.value.rows !== sent.value.rows)
    throw new Error(`the consumer read ${consumed.value.rows} rows of ${sent.value.rows} handed out`);
  return consumed.value;
}

/** raw+decode in the shape of `pages()`: one await per page, then the bound's own loop over its rows. */
export function foldHandedPages(client: RawDecodeClient, query: string, fetchSize: number): Promise<ReadTally> {
  return handOff(client, query, fetchSize, async (queue) => {
    let rows = 0;
    let checksum = 0;
    for (let page = await queue.next(); page !== undefined; page = await queue.next()) {
      checksum += foldBenchRows(page.rows, 0, page.rows.length, page.count);
      rows += page.count;
    }
    return { rows, checksum };
  });
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A hand-written async iterator over the queue's rows: a row is decoded when `next()` asks for it
 * and handed out in an already resolved promise; only the first row of a page waits for the page.
 * `for await` calls `next()` one call at a time, which is all this supports.
 */
class HandedRowIterator implements AsyncIterableIterator<DecodedBenchRow> {
  private page: HandedPage = EMPTY_PAGE;
  /** The next row of `page` to hand out. */
  private row = 0;
  private readonly cursor: RowCursor = { offset: 0 };

  constructor(private readonly queue: PageQueue) {}

  next(): Promise<IteratorResult<DecodedBenchRow>> {
    if (this.row < this.page.count) return Promise.resolve({ done: false, value: this.decodeNext() });
    return this.nextPage();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async nextPage(): Promise<IteratorResult<DecodedBenchRow>> {
    for (let page = await this.queue.next(); page !== undefined; page = await this.queue.next()) {
      if (page.count === 0) continue;
      this.page = page;
      this.row = 0;
      this.cursor.offset = 0;
      return { done: false, value: this.decodeNext() };
    }
    return DONE;
  }

  private decodeNext(): DecodedBenchRow {
    return decodeBenchRow(this.page.rows, this.cursor, this.page.rows.length, this.row++);
  }
}

/** raw+decode in the shape of `for await` over rows: a hand-written async iterator, one row per `next()`. */
export function foldHandedRows(client: RawDecodeClient, query: string, fetchSize: number): Promise<ReadTally> {
  return handOff(client, query, fetchSize, async (queue) => {
    let rows = 0;
    let checksum = 0;
    for await (const row of new HandedRowIterator(queue)) {
      checksum += foldCqlwireRow(row as CqlwireBenchRow);
      rows++;
    }
    return { rows, checksum };
  });
}
