import { checkMilliseconds } from '../connection/index.js';
import type { Consistency } from '../protocol/consistency.js';
import { consistencyName, isConsistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { ResolvedRetry, RetryOptions } from './retry.js';
import { resolveRetry } from './retry.js';

/**
 * Called once per page, in order, when the page is handed to the consumer, with the page's number
 * (from 1) and the running total of rows including this page. A returned promise is awaited
 * before the page's rows are handed out; a throw (or rejection) ends the stream with that error.
 */
export type PageCallback = (pageNumber: number, totalRows: number) => void | Promise<void>;

/** The options of `executeStream` and `createStreamingStatement` (README.md "Configuration options"). */
export interface StreamConfig {
  /** Rows per page request; default 1000. */
  readonly fetchSize?: number;
  /** Stop after handing out this many (non-empty) pages; default unlimited. */
  readonly maxPages?: number;
  readonly pageCallback?: PageCallback;
  /** Timeout of each page request in ms, re-armed for every page and every retry; default none. */
  readonly timeoutMs?: number;
  /** Cancels the stream: the pending `next()` rejects with a `StreamError` whose cause is `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Start from here (a paging state from an earlier stream or `StreamError`). */
  readonly pagingState?: Buffer;
  /** Pages fetched ahead of the consumer; default 1, 0 = only when the consumer asks. */
  readonly prefetchPages?: number;
  /** Byte budget per page: the page size adapts to the measured bytes per row to stay under it. */
  readonly maxPageBytes?: number;
  readonly consistency?: Consistency;
  readonly serialConsistency?: Consistency;
  /**
   * Retries of a failed page request, the only ones a page gets (the cluster's retry policy is
   * not used for streams); `false` for none: one host, once. Default: 3 retries with backoff.
   */
  readonly retry?: RetryOptions | false;
}

/** A StreamConfig with its defaults applied and every value checked. */
export interface ResolvedStreamConfig {
  readonly fetchSize: number;
  readonly maxPages: number;
  readonly pageCallback: PageCallback | undefined;
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly pagingState: Buffer | undefined;
  readonly prefetchPages: number;
  readonly maxPageBytes: number | undefined;
  readonly consistency: Consistency | undefined;
  readonly serialConsistency: Consistency | undefined;
  readonly retry: ResolvedRetry;
}

export const DEFAULT_FETCH_SIZE = 1000;
export const DEFAULT_PREFETCH_PAGES = 1;
/** The protocol's page size is an [int] (native_protocol_v5.spec §4.1.4 (QUERY)); keep well inside it. */
const MAX_FETCH_SIZE = 0x7fffffff;

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'fetchSize',
  'maxPages',
  'pageCallback',
  'timeoutMs',
  'signal',
  'pagingState',
  'prefetchPages',
  'maxPageBytes',
  'consistency',
  'serialConsistency',
  'retry',
]);

/** Applies the defaults and checks every field; a bad value is an `ArgumentError` naming it. */
export function resolveStreamConfig(config: StreamConfig | undefined): ResolvedStreamConfig {
  const c: StreamConfig = config ?? {};
  if (typeof c !== 'object' || c === null)
    throw new ArgumentError(`Stream options must be an object, got ${String(c)}`);
  for (const key of Object.keys(c)) {
    if (!KNOWN_KEYS.has(key))
      throw new ArgumentError(`Unknown stream option "${key}"; known options: ${[...KNOWN_KEYS].join(', ')}`);
  }
  const fetchSize = positiveInt('fetchSize', c.fetchSize, DEFAULT_FETCH_SIZE, MAX_FETCH_SIZE);
  const maxPages = positiveInt('maxPages', c.maxPages, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER);
  const maxPageBytes =
    c.maxPageBytes === undefined ? undefined : positiveInt('maxPageBytes', c.maxPageBytes, 0, Number.MAX_SAFE_INTEGER);
  const prefetchPages = c.prefetchPages ?? DEFAULT_PREFETCH_PAGES;
  if (!Number.isInteger(prefetchPages) || prefetchPages < 0 || prefetchPages > 1000) {
    throw new ArgumentError(`prefetchPages must be an integer from 0 to 1000, got ${String(c.prefetchPages)}`);
  }
  const timeoutMs = c.timeoutMs === undefined ? undefined : checkMilliseconds('timeoutMs', c.timeoutMs, 1);
  if (c.pageCallback !== undefined && typeof c.pageCallback !== 'function') {
    throw new ArgumentError(`pageCallback must be a function, got ${typeof c.pageCallback}`);
  }
  if (c.signal !== undefined && !(c.signal instanceof AbortSignal)) {
    throw new ArgumentError('signal must be an AbortSignal');
  }
  if (c.pagingState !== undefined && !Buffer.isBuffer(c.pagingState)) {
    throw new ArgumentError(
      `pagingState must be a Buffer (from an earlier stream's pagingState), got ${typeof c.pagingState}`,
    );
  }
  checkConsistency('consistency', c.consistency);
  checkConsistency('serialConsistency', c.serialConsistency);
  return {
    fetchSize,
    maxPages,
    pageCallback: c.pageCallback,
    timeoutMs,
    signal: c.signal,
    pagingState: c.pagingState,
    prefetchPages,
    maxPageBytes,
    consistency: c.consistency,
    serialConsistency: c.serialConsistency,
    retry: resolveRetry(c.retry),
  };
}

function positiveInt(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ArgumentError(`${name} must be a positive integer (at most ${max}), got ${String(value)}`);
  }
  return value;
}

function checkConsistency(name: string, value: unknown): void {
  if (value === undefined) return;
  if (!isConsistency(value)) {
    const shown = typeof value === 'number' ? consistencyName(value) : String(value);
    throw new ArgumentError(`${name} must be one of the Consistency levels, got ${shown}`);
  }
}
