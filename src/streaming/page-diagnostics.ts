import { channels } from '../diagnostics/index.js';

/**
 * A stream retries page `pageNumber` after `error` on `host` (`address:port`, when known): published
 * on `cqlwire:request:retry` when someone listens. The next attempt is a new request, announced on
 * `cqlwire:request:create` with `attempt` + 1; the cluster's metrics count the retry there.
 */
export function pageRetried(
  error: unknown,
  host: string | undefined,
  pageNumber: number | undefined,
  attempt: number,
): void {
  if (!channels.requestRetry.hasSubscribers) return;
  channels.requestRetry.publish({
    request: undefined,
    error: error instanceof Error ? error : new Error(String(error)),
    host,
    nextHost: undefined,
    pageNumber,
    retry: attempt,
  });
}
