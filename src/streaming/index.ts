/** cqlwire streaming: executeStream's ResultStream, its options, and the page-source seam. */

export { type AbortWaiter, type AbortWaitList, waitForAbort } from './abort-fanout.js';
export type { FetchPageOptions, FetchPageResult, PageFetchingSession, SessionStreamOptions } from './execute-stream.js';
export { createResultStream, executeStream, sessionPageSource, startStream } from './execute-stream.js';
export { Page } from './page.js';
export type { FetchedPage, PageRequest, PageSource } from './page-source.js';
export { PageTimeoutError } from './page-timeout-error.js';
export type { IterationOptions, ReadableOptions } from './result-stream.js';
export { ResultStream } from './result-stream.js';
export type { RetryOptions } from './retry.js';
export { DEFAULT_MAX_RETRIES, isRetryableStreamError } from './retry.js';
export type { PageCallback, ResolvedStreamConfig, StreamConfig } from './stream-config.js';
export { DEFAULT_FETCH_SIZE, DEFAULT_PREFETCH_PAGES, resolveStreamConfig } from './stream-config.js';
export type { StreamPosition } from './stream-error.js';
export { StreamError } from './stream-error.js';
export type { StreamingStatement } from './streaming-statement.js';
export { createStreamingStatement, isStreamingStatement } from './streaming-statement.js';
