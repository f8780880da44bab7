import { ConnectionClosedError, ConnectionError, RequestTimeoutError } from '../connection/index.js';
import {
  IsBootstrappingError,
  OverloadedError,
  ReadTimeoutError,
  ServerInternalError,
  UnavailableError,
  WriteTimeoutError,
} from '../protocol/errors/index.js';

/** What to do after a failed attempt. */
export type RetryDecision =
  /** Send the same request to the same host again. */
  | { readonly action: 'retry-same' }
  /** Try the next host of the query plan. */
  | { readonly action: 'retry-next' }
  /** Give up: the caller gets this error. */
  | { readonly action: 'rethrow' };

/** Everything a retry policy may look at. */
export interface RetryContext {
  /** The attempt's error (a ServerError subclass, RequestTimeoutError, ConnectionClosedError, ...). */
  readonly error: Error;
  /** Retries already made for this request (0 on the first failure). */
  readonly retries: number;
  /** Whether the statement may be applied twice without harm (the statement's `idempotent` flag). */
  readonly idempotent: boolean;
}

/** Decides whether a failed request is tried again; pluggable through the cluster options. */
export interface RetryPolicy {
  onError(context: RetryContext): RetryDecision;
}

export const RETRY_SAME: RetryDecision = Object.freeze({ action: 'retry-same' });
export const RETRY_NEXT: RetryDecision = Object.freeze({ action: 'retry-next' });
export const RETHROW: RetryDecision = Object.freeze({ action: 'rethrow' });

/**
 * The usual Cassandra driver rules:
 * - read timeout: once, on the same host, when enough replicas answered but the data did not
 *   come back (the coordinator timed out waiting for the data replica);
 * - unavailable: once, on the next host (its view of the ring may differ);
 * - overloaded, bootstrapping, or no connection could be opened: the next host (nothing ran);
 * - write timeout: once on the same host, and only for idempotent statements;
 * - connection lost mid-request, client-side timeout, server internal error: the next host, and
 *   only for idempotent statements (the first host may have applied it);
 * - anything else (syntax, invalid, unauthorized, ...): never.
 */
export class DefaultRetryPolicy implements RetryPolicy {
  onError({ error, retries, idempotent }: RetryContext): RetryDecision {
    if (error instanceof ReadTimeoutError) {
      return retries === 0 && error.received >= error.blockFor && !error.dataPresent ? RETRY_SAME : RETHROW;
    }
    if (error instanceof UnavailableError) return retries === 0 ? RETRY_NEXT : RETHROW;
    if (error instanceof OverloadedError || error instanceof IsBootstrappingError || error instanceof ConnectionError)
      return RETRY_NEXT;
    if (error instanceof WriteTimeoutError) return idempotent && retries === 0 ? RETRY_SAME : RETHROW;
    if (
      error instanceof ConnectionClosedError ||
      error instanceof RequestTimeoutError ||
      error instanceof ServerInternalError
    ) {
      return idempotent ? RETRY_NEXT : RETHROW;
    }
    return RETHROW;
  }
}

/** Never retries (useful in tests and for callers that retry themselves). */
export class FallthroughRetryPolicy implements RetryPolicy {
  onError(): RetryDecision {
    return RETHROW;
  }
}
