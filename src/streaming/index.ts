/** cqlwire streaming: executeStream's ResultStream, its options, and the page-source seam. */
export { ResultStream } from './result-stream.js';
export type { ReadableOptions } from './result-stream.js';
export { Page } from './page.js';
export { StreamError } from './stream-error.js';
export type { StreamPosition } from './stream-error.js';
export { PageTimeoutError } from './page-timeout-error.js';
export { resolveStreamConfig, DEFAULT_FETCH_SIZE, DEFAULT_PREFETCH_PAGES } from './stream-config.js';
export type { StreamConfig, ResolvedStreamConfig, PageCallback } from './stream-config.js';
export { isRetryableStreamError, DEFAULT_MAX_RETRIES } from './retry.js';
export type { RetryOptions } from './retry.js';
export { createStreamingStatement, isStreamingStatement } from './streaming-statement.js';
export type { StreamingStatement } from './streaming-statement.js';
export type { PageSource, PageRequest, FetchedPage } from './page-source.js';
export { executeStream, startStream, sessionPageSource, createResultStream } from './execute-stream.js';
export type { PageFetchingSession, FetchPageOptions, FetchPageResult, SessionStreamOptions } from './execute-stream.js';
