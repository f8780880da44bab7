import type { Row } from '../protocol/rows/index.js';
import { pageRetried } from './page-diagnostics.js';
import type { FetchedPage, PageRequest, PageSource } from './page-source.js';
import { PageTimeoutError } from './page-timeout-error.js';
import type { ResolvedRetry } from './retry.js';

/** What one page fetch needs besides the source. */
export interface PageFetchPlan {
  readonly pagingState: Buffer | undefined;
  readonly pageSize: number;
  readonly timeoutMs: number | undefined;
  readonly retry: ResolvedRetry;
  /** The page's number in its stream (1 for the first page requested), for diagnostics. */
  readonly pageNumber?: number | undefined;
}

/**
 * Fetches one page: with a per-attempt timeout each attempt has its own AbortController (aborted by
 * the stream's signal and by the timeout, so the source frees its stream id; without one, a
 * source that says it releases its listeners gets the stream's signal), and retryable failures are tried
 * again after a backoff with the *same* paging state — which is what makes a retry neither skip nor
 * repeat rows (docs/architecture.md "Streaming semantics"). Rejects with the last error, or with
 * the stream signal's reason once it is aborted (the caller ignores that one).
 */
export async function fetchWithRetry<R extends Row>(
  source: PageSource<R>,
  plan: PageFetchPlan,
  streamSignal: AbortSignal,
): Promise<FetchedPage<R>> {
  let failedCoordinator: string | undefined;
  for (let attempt = 1; ; attempt++) {
    if (streamSignal.aborted) throw streamSignal.reason;
    try {
      return await attemptOnce(source, plan, attempt, failedCoordinator, streamSignal);
    } catch (error) {
      if (streamSignal.aborted) throw streamSignal.reason;
      if (attempt > plan.retry.maxRetries || !plan.retry.shouldRetry(error, attempt)) throw error;
      failedCoordinator = coordinatorOf(error) ?? failedCoordinator;
      pageRetried(error, failedCoordinator, plan.pageNumber, attempt);
      await sleep(plan.retry.backoff.delayMs(attempt), streamSignal);
    }
  }
}

function attemptOnce<R extends Row>(
  source: PageSource<R>,
  plan: PageFetchPlan,
  attempt: number,
  failedCoordinator: string | undefined,
  streamSignal: AbortSignal,
): Promise<FetchedPage<R>> {
  if (plan.timeoutMs === undefined && source.releasesSignalListeners === true) {
    // No deadline of its own (the default) and a source that cleans up after each request (the
    // session's): only the stream can stop this attempt, so the source gets the stream's signal
    // itself, with no AbortController and no 'abort' listener per page (Node's EventTarget costs
    // microseconds a page). The stream engine never waits for an attempt once it was cancelled or
    // failed (a late answer is dropped), so a source slow to honour the signal holds up nothing.
    // Other sources keep a signal per attempt: one that leaves a listener on each request's
    // signal would otherwise pile them up on the stream's over a long stream.
    try {
      return source.fetch(pageRequest(plan, attempt, failedCoordinator, streamSignal));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise<FetchedPage<R>>((resolve, reject) => {
    const controller = new AbortController();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      streamSignal.removeEventListener('abort', onAbort);
      return true;
    };
    function onAbort(): void {
      if (!finish()) return;
      controller.abort(streamSignal.reason);
      reject(streamSignal.reason);
    }
    streamSignal.addEventListener('abort', onAbort);
    if (plan.timeoutMs !== undefined) {
      const timeoutMs = plan.timeoutMs;
      timer = setTimeout(() => {
        if (!finish()) return;
        const error = new PageTimeoutError(timeoutMs, attempt);
        // aborting tells the source to drop the request and free its stream id; a late answer is ignored
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
    let pending: Promise<FetchedPage<R>>;
    try {
      pending = source.fetch(pageRequest(plan, attempt, failedCoordinator, controller.signal));
    } catch (error) {
      if (finish()) reject(error);
      return;
    }
    pending.then(
      (fetched) => {
        if (finish()) resolve(fetched);
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
  });
}

/** What the source is asked for in one attempt (one fixed shape). */
function pageRequest(
  plan: PageFetchPlan,
  attempt: number,
  failedCoordinator: string | undefined,
  signal: AbortSignal,
): PageRequest {
  return {
    pagingState: plan.pagingState,
    pageSize: plan.pageSize,
    signal,
    attempt,
    timeoutMs: plan.timeoutMs,
    failedCoordinator,
    pageNumber: plan.pageNumber,
  };
}

/** `host:port` of the node an error came from, when the error says (ServerError.coordinator, connection errors). */
function coordinatorOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { coordinator?: unknown; host?: unknown; port?: unknown };
  if (typeof e.coordinator === 'string') return e.coordinator;
  if (typeof e.host === 'string' && e.host !== '' && typeof e.port === 'number') return `${e.host}:${e.port}`;
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
