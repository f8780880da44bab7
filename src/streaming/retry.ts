import { NoHostAvailableError } from '../cluster/index.js';
import {
  ConnectionClosedError,
  ConnectionError,
  ExponentialBackoff,
  RequestTimeoutError,
} from '../connection/index.js';
import {
  ArgumentError,
  IsBootstrappingError,
  OverloadedError,
  ReadTimeoutError,
  UnavailableError,
} from '../protocol/errors/index.js';

/**
 * How a stream retries a failed page request: the only retry of a page (the cluster's retry
 * policy is not used for streams). One attempt walks the query plan, moving to the next host at
 * once after an error `shouldRetry` accepts; a failed attempt is followed, after the backoff, by
 * another from the same paging state (README "Who retries what", docs/resilience.md).
 */
export interface RetryOptions {
  /** Attempts per page after the first; default 3. The count starts over on every page. */
  readonly maxRetries?: number;
  /** Delay before the first retry in ms; default 100. Doubles for each further retry. */
  readonly baseDelayMs?: number;
  /** Upper bound of the delay in ms; default 2000. */
  readonly maxDelayMs?: number;
  /**
   * Decides whether an error is worth another host (within an attempt) or another attempt (for
   * the attempt's final error, `NoHostAvailableError` when every host failed); default
   * {@link isRetryableStreamError}. `attempt` is the attempt that failed (1 = the first).
   */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
}

/** {@link RetryOptions} with the defaults applied and every value checked. */
export interface ResolvedRetry {
  readonly maxRetries: number;
  /** The wait before retry n is `backoff.delayMs(n)`. */
  readonly backoff: ExponentialBackoff;
  readonly shouldRetry: (error: unknown, attempt: number) => boolean;
}

export const DEFAULT_MAX_RETRIES = 3;
const RETRY_BACKOFF_DEFAULTS = { baseDelayMs: 100, maxDelayMs: 2000 };
const NO_BACKOFF = new ExponentialBackoff({ baseDelayMs: 0, maxDelayMs: 0 });

/**
 * The errors after which asking again for the same page, with the same paging state, on the same
 * or another node can succeed: the connection or node went away, the request timed out, or the
 * coordinator said Overloaded, IsBootstrapping, ReadTimeout or Unavailable (another coordinator
 * may see other replicas). A page read is idempotent, so a retry never duplicates a row: the
 * paging state pins where the page starts. `NoHostAvailableError` (every node was tried) is
 * retried too, after the backoff, since nodes come back.
 */
export function isRetryableStreamError(error: unknown): boolean {
  if (
    error instanceof ConnectionClosedError ||
    error instanceof ConnectionError ||
    error instanceof RequestTimeoutError
  )
    return true;
  if (error instanceof OverloadedError || error instanceof IsBootstrappingError) return true;
  if (error instanceof ReadTimeoutError || error instanceof UnavailableError) return true;
  if (error instanceof NoHostAvailableError) return true;
  return false;
}

export function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetry {
  if (options === false) return { maxRetries: 0, backoff: NO_BACKOFF, shouldRetry: isRetryableStreamError };
  const o = options ?? {};
  if (typeof o !== 'object' || o === null)
    throw new ArgumentError(`retry must be an object or false, got ${String(o)}`);
  const maxRetries = o.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 100) {
    throw new ArgumentError(`retry.maxRetries must be an integer from 0 to 100, got ${String(o.maxRetries)}`);
  }
  const backoff = new ExponentialBackoff(o, RETRY_BACKOFF_DEFAULTS, 'retry');
  if (o.shouldRetry !== undefined && typeof o.shouldRetry !== 'function') {
    throw new ArgumentError(`retry.shouldRetry must be a function, got ${typeof o.shouldRetry}`);
  }
  return { maxRetries, backoff, shouldRetry: o.shouldRetry ?? isRetryableStreamError };
}
