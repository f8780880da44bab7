import type { Consistency } from '../protocol/consistency.js';
import type { Page, ResultStream, StreamConfig } from '../streaming/index.js';
import { createResultStream, StreamError } from '../streaming/index.js';
import { RangePageSource, type ScanSession } from './range-page-source.js';
import { RangeScheduler, type SchedulerHosts } from './range-scheduler.js';
import { encodeRuns, SCAN_CHECKPOINT_FORMAT, type ScanCheckpoint, type ScanRangePosition } from './scan-checkpoint.js';
import { type ScanStatements, splitQuery } from './scan-statements.js';
import type { TokenSplit } from './token-splits.js';

/** A range of the scan and where it stands. */
export interface RangeState<H> {
  readonly split: TokenSplit<H>;
  /** 0 waiting, 1 in flight, 2 done. */
  status: 0 | 1 | 2;
  /** The paging state the range's next (or current) page is asked with; undefined for its first page. */
  state: Buffer | undefined;
  /** Rows past `state` the consumer already has (a resumed range skips them). */
  received: number;
  stream: ResultStream | undefined;
  pages: AsyncIterator<Page> | undefined;
  source: RangePageSource<H> | undefined;
}

/** A page ready for the consumer, from row `first` on. */
export interface ReadyPage<H> {
  readonly range: RangeState<H>;
  readonly page: Page;
  readonly first: number;
}

/** Iteration options of a range's stream under ScanOptions.recyclePages. */
const RECYCLE = { recyclePages: true } as const;

/** The row iterator's position in the page in hand (read only when a checkpoint is taken). */
export interface RowCursor {
  index: number;
}

/** Everything a scan is made of, once its arguments are checked and its ranges cut. */
export interface ScanSetup<H> {
  readonly session: ScanSession<H>;
  readonly hosts: SchedulerHosts<H>;
  readonly statements: ScanStatements;
  /** This scan's ranges (its shard's), each with its resume position. */
  readonly ranges: RangeState<H>[];
  readonly concurrency: number;
  readonly stream: StreamConfig;
  readonly consistency: Consistency | undefined;
  readonly profile: string | undefined;
  /** Each range's stream recycles a page once the consumer has moved past it (ScanOptions.recyclePages). */
  readonly recyclePages: boolean;
  readonly signal: AbortSignal | undefined;
  /** What the checkpoint identifies the scan by. */
  readonly identity: Pick<ScanCheckpoint, 'table' | 'columns' | 'splits' | 'shard'>;
  /** Rows and pages received by the scans this one resumes. */
  readonly rowsBefore: number;
  readonly pagesBefore: number;
}

interface Waiter<H> {
  resolve(page: ReadyPage<H> | null): void;
  reject(error: unknown): void;
}

/**
 * The engine of a TableScan: keeps `concurrency` ranges in flight, each read by its own
 * ResultStream (prefetch, retries from the last paging state, per-page timeouts), and hands their
 * pages to the one consumer as they come. A range's next page is asked for only once the consumer
 * is done with its previous one, so each range holds at most 1 + prefetchPages pages and a slow
 * consumer slows every range. The position of every range (paging state + rows received past it)
 * is what `checkpoint()` reports.
 */
export class ScanEngine<H> {
  /** True once cancelled or aborted: the row fast path checks it so no further row leaves. */
  stopped = false;
  /** The page in the consumer's hands (row mode), and the row iterator reading it. */
  current: ReadyPage<H> | undefined;
  cursor: RowCursor | undefined;
  rangesDone = 0;
  rowsHanded = 0;
  pagesHanded = 0;

  private readonly setup: ScanSetup<H>;
  private readonly scheduler: RangeScheduler<H, TokenSplit<H>>;
  private readonly ready: ReadyPage<H>[] = [];
  private inFlight = 0;
  private ended = false;
  private failure: { cause: unknown; what: string } | undefined;
  private waiter: Waiter<H> | undefined;
  /** A range whose page the consumer finished: its next page is asked for at the consumer's next request. */
  private owed: RangeState<H> | undefined;
  /** The page in hand was its range's last: that range's slot is free only at the consumer's next request. */
  private slotHeld = false;
  private readonly onAbort = (): void => this.abort();

  constructor(setup: ScanSetup<H>) {
    this.setup = setup;
    const ranges = setup.ranges;
    for (const r of ranges) if (r.status === 2) this.rangesDone++;
    this.scheduler = new RangeScheduler<H, TokenSplit<H>>(
      ranges.map((r) => r.split),
      (p) => ranges[p]!.status === 0,
      setup.hosts,
      setup.concurrency,
    );
    const signal = setup.signal;
    if (signal?.aborted === true) {
      this.abort();
      return;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.fill();
  }

  get rangesTotal(): number {
    return this.setup.ranges.length;
  }

  /** Rows handed to the consumer, by this scan and those it resumes. */
  get rowsFetched(): number {
    const current = this.current;
    const partial = current === undefined ? 0 : (this.cursor?.index ?? current.first) - current.first;
    return this.setup.rowsBefore + this.rowsHanded + partial;
  }

  get pagesFetched(): number {
    return this.setup.pagesBefore + this.pagesHanded + (this.current === undefined ? 0 : 1);
  }

  /** The next page for the consumer (it becomes `current`), null at the end; rejects with StreamError. */
  take(): Promise<ReadyPage<H> | null> {
    if (this.ended) return Promise.resolve(null);
    if (this.failure !== undefined) return Promise.reject(this.deliverFailure());
    this.settleOwed();
    const next = this.ready.shift();
    if (next !== undefined) {
      this.handOut(next);
      return Promise.resolve(next);
    }
    if (this.rangesDone === this.setup.ranges.length) {
      this.finish();
      return Promise.resolve(null);
    }
    return new Promise<ReadyPage<H> | null>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /**
   * The consumer has every row of `item`: its range moves past the page (or is done). The range's
   * next page, or the next range, is asked for only when the consumer asks for its next page: the
   * page in hand is one of the 1 + prefetchPages its range may hold.
   */
  complete(item: ReadyPage<H>): void {
    if (this.current === item) this.current = undefined;
    const range = item.range;
    this.rowsHanded += item.page.length - item.first;
    this.pagesHanded++;
    range.state = item.page.pagingState;
    range.received = 0;
    if (range.state === undefined) {
      // its slot stays taken by the page in hand until the consumer asks for the next one
      this.rangeDone(range, false);
      this.slotHeld = true;
    } else this.owed = range;
  }

  /** Stops everything; the consumer sees the end. Idempotent. */
  cancel(): void {
    if (this.ended) return;
    this.stopped = true;
    this.ready.length = 0;
    this.stopRanges();
    this.finish();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(null);
  }

  /** The exact resume point: what the consumer has received, range by range. */
  checkpoint(): ScanCheckpoint {
    const done: number[] = [];
    const inProgress: ScanRangePosition[] = [];
    const current = this.current;
    for (const r of this.setup.ranges) {
      if (r.status === 2) {
        done.push(r.split.index);
        continue;
      }
      const rows = current?.range === r ? (this.cursor?.index ?? current.first) : r.received;
      if (r.state === undefined && rows === 0) continue;
      inProgress.push({ range: r.split.index, pagingState: r.state?.toString('hex') ?? null, rows });
    }
    done.sort((a, b) => a - b);
    inProgress.sort((a, b) => a.range - b.range);
    return {
      format: SCAN_CHECKPOINT_FORMAT,
      ...this.setup.identity,
      done: encodeRuns(done),
      inProgress,
      rowsFetched: this.rowsFetched,
      pagesFetched: this.pagesFetched,
    };
  }

  /** Makes `item` the page in hand, its rows counted from `first`. */
  private handOut(item: ReadyPage<H>): void {
    this.current = item;
    if (this.cursor !== undefined) this.cursor.index = item.first;
  }

  /** Starts ranges while there are free slots and ranges a node can take. */
  private fill(): void {
    while (
      !this.ended &&
      this.failure === undefined &&
      this.inFlight + (this.slotHeld ? 1 : 0) < this.setup.concurrency
    ) {
      const next = this.scheduler.next();
      if (next === undefined) return;
      this.activate(this.setup.ranges[next.position]!, next.host);
    }
  }

  private activate(range: RangeState<H>, host: H | undefined): void {
    const setup = this.setup;
    const { query, values } = splitQuery(setup.statements, range.split);
    const source = new RangePageSource<H>(
      setup.session,
      {
        query,
        values,
        consistency: setup.consistency,
        profile: setup.profile,
        failover: (current) => this.scheduler.failover(range.split, current),
      },
      host,
    );
    range.status = 1;
    range.source = source;
    this.inFlight++;
    const stream = createResultStream(
      source,
      range.state === undefined ? setup.stream : { ...setup.stream, pagingState: range.state },
    );
    range.stream = stream;
    // a range's next page is asked for only once the consumer has finished the page in hand
    // (complete, then settleOwed), so recycling the range's previous page then is safe
    range.pages = stream.pages(this.setup.recyclePages ? RECYCLE : undefined);
    this.pull(range);
  }

  private pull(range: RangeState<H>): void {
    range.pages!.next().then(
      (result) => this.onPage(range, result),
      (error: unknown) => this.onRangeError(range, error),
    );
  }

  private onPage(range: RangeState<H>, result: IteratorResult<Page>): void {
    if (this.ended || this.failure !== undefined || range.status !== 1) return;
    if (result.done === true) {
      this.rangeDone(range);
      return;
    }
    const page = result.value;
    if (range.received >= page.length) {
      // received before the resume: skip the whole page
      range.received -= page.length;
      range.state = page.pagingState;
      if (range.state === undefined) this.rangeDone(range);
      else this.pull(range);
      return;
    }
    const item: ReadyPage<H> = { range, page, first: range.received };
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      this.handOut(item);
      waiter.resolve(item);
    } else {
      this.ready.push(item);
    }
  }

  private onRangeError(range: RangeState<H>, error: unknown): void {
    if (this.ended || this.failure !== undefined) return;
    const { start, end } = range.split;
    const cause = error instanceof StreamError ? error.cause : error;
    this.fail(cause, `Scan of ${this.setup.identity.table} failed reading token range (${start}, ${end}]`);
  }

  /** What `complete` left for the consumer's next request: the range's next page, and free slots filled. */
  private settleOwed(): void {
    const owed = this.owed;
    this.owed = undefined;
    this.slotHeld = false;
    if (owed?.status === 1) this.pull(owed);
    this.fill();
  }

  private rangeDone(range: RangeState<H>, startNext = true): void {
    if (range.status === 2) return;
    const wasInFlight = range.status === 1;
    range.status = 2;
    range.state = undefined;
    range.received = 0;
    this.rangesDone++;
    if (wasInFlight) {
      this.inFlight--;
      range.stream?.cancel();
      this.scheduler.release(range.source?.host);
    }
    range.stream = undefined;
    range.pages = undefined;
    range.source = undefined;
    if (!startNext) return;
    this.fill();
    if (this.rangesDone === this.setup.ranges.length && this.ready.length === 0 && this.waiter !== undefined) {
      const waiter = this.waiter;
      this.waiter = undefined;
      this.finish();
      waiter.resolve(null);
    }
  }

  private abort(): void {
    if (this.ended || this.failure !== undefined) return;
    this.stopped = true;
    this.fail(this.setup.signal?.reason, `Scan of ${this.setup.identity.table} aborted by its signal`);
  }

  /** Records the failure, stops every range; a waiting consumer gets it now, any other at its next page. */
  private fail(cause: unknown, what: string): void {
    this.failure = { cause, what };
    this.ready.length = 0;
    this.stopRanges();
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.reject(this.deliverFailure());
    }
  }

  private deliverFailure(): StreamError {
    const failure = this.failure!;
    const checkpoint = this.checkpoint();
    this.finish();
    return new StreamError(
      failure.what,
      failure.cause,
      { totalRowsFetched: this.rowsFetched, pageNumber: this.pagesFetched, pagingState: undefined },
      checkpoint,
    );
  }

  private stopRanges(): void {
    for (const r of this.setup.ranges) {
      if (r.status !== 1) continue;
      r.stream?.cancel();
      this.scheduler.release(r.source?.host);
    }
  }

  private finish(): void {
    this.ended = true;
    this.setup.signal?.removeEventListener('abort', this.onAbort);
  }
}
