import { FallthroughRetryPolicy, type RetryPolicy } from '../cluster/index.js';
import type { Consistency } from '../protocol/consistency.js';
import type {
  FetchedPage,
  FetchPageOptions,
  PageFetchingSession,
  PageRequest,
  PageSource,
} from '../streaming/index.js';

/** The page requests of a scan carry an execution profile name besides the stream's options. */
export interface ScanFetchOptions<H> extends FetchPageOptions<H> {
  readonly profile?: string | undefined;
  /** The session's own retries are off: the stream's retry rules decide, and move to the next replica. */
  readonly retryPolicy?: RetryPolicy;
}

/** Every failed attempt goes back to the stream engine, which retries it on the range's next replica. */
const NO_SESSION_RETRY: RetryPolicy = new FallthroughRetryPolicy();

/** What a table scan needs from a session: one page of a statement, sent to a chosen node first. */
export type ScanSession<H> = PageFetchingSession<string, H>;

/** How one range's pages are sent. */
export interface RangeSend<H> {
  readonly query: string;
  readonly values: readonly bigint[];
  readonly consistency: Consistency | undefined;
  readonly profile: string | undefined;
  /** After a failed attempt: the replica to ask next (the scheduler moves the range's load there). */
  failover(current: H | undefined): H | undefined;
}

/**
 * The pages of one token range, for the stream engine: every page is asked of the range's
 * coordinator first (a replica chosen by the scheduler, passed as the session's host hint), so
 * the range stays on one node while it is healthy; after a failed attempt the next replica of the
 * range is asked, from the same paging state (the engine keeps it), so no row is lost or repeated.
 */
export class RangePageSource<H> implements PageSource {
  /** The node the range's requests go to first. */
  host: H | undefined;

  constructor(
    private readonly session: ScanSession<H>,
    private readonly send: RangeSend<H>,
    host: H | undefined,
  ) {
    this.host = host;
  }

  async fetch(request: PageRequest): Promise<FetchedPage> {
    if (request.attempt > 1) this.host = this.send.failover(this.host);
    const options: ScanFetchOptions<H> = {
      pageSize: request.pageSize,
      pagingState: request.pagingState,
      signal: request.signal,
      prepare: true,
      retryPolicy: NO_SESSION_RETRY,
      ...(this.send.consistency !== undefined ? { consistency: this.send.consistency } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      ...(this.host !== undefined ? { hostHint: this.host } : {}),
      ...(this.send.profile !== undefined ? { profile: this.send.profile } : {}),
    };
    const result = await this.session.fetchPage(this.send.query, this.send.values, options);
    return { page: result.page, pagingState: result.pagingState };
  }
}
