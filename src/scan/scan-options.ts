import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { RetryOptions, StreamConfig } from '../streaming/index.js';
import { resolveStreamConfig } from '../streaming/index.js';
import type { StreamCheckpoint } from '../streaming/stream-error.js';

/** Options of `session.scanTable()`; every field is optional and checked before anything is sent. */
export interface ScanOptions {
  /** Columns to read, by their stored names; default every column, in table order. */
  readonly columns?: readonly string[];
  /** Range requests in flight at once; default 2 per up node of the local data center, at most 32. */
  readonly concurrency?: number;
  /**
   * How many token ranges to cut the ring into: at least one per range of the ring (each split
   * lies in one ring range, so it has one replica set). Default: at least 4 x `concurrency`, more
   * when the size estimates say the table is large. Give the same number to every shard.
   */
  readonly splits?: number;
  /** Rows per page, per range; default 1000, as executeStream. */
  readonly fetchSize?: number;
  /** Pages fetched ahead per range in flight; default 1, as executeStream. */
  readonly prefetchPages?: number;
  readonly consistency?: Consistency;
  /** Timeout of each page request in ms (each attempt); default none. */
  readonly timeoutMs?: number;
  /** Aborting it ends the scan with a `StreamError` carrying a checkpoint. */
  readonly signal?: AbortSignal;
  /** Retries of a failed page, on another replica of its range; default 3 with backoff, `false` for none. */
  readonly retry?: RetryOptions | false;
  /** Resume: a `ScanCheckpoint` from `scan.checkpoint()` or from the `StreamError` that ended a scan. */
  readonly checkpoint?: StreamCheckpoint;
  /** Read only every `count`-th range, starting at `index` (0-based): N processes share one scan. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** An execution profile name, sent with every page request for sessions whose cluster has profiles. */
  readonly profile?: string;
  /**
   * Reuse the memory of a page once the consumer has moved past it (asked for the next page), as
   * `result.rows({ recyclePages: true })` does for one stream: memory stays near
   * `concurrency x (1 + prefetchPages)` pages instead of waiting for the garbage collector. A row
   * or page read after the scan moved past its page throws an `ArgumentError`; copy blobs you keep
   * (`Buffer.from`). Default false.
   */
  readonly recyclePages?: boolean;
}

/** The most ranges in flight at once. */
export const MAX_CONCURRENCY = 256;
/** The default concurrency never goes beyond this. */
export const DEFAULT_CONCURRENCY_LIMIT = 32;
/** The most splits a scan may ask for. */
export const MAX_SPLITS = 1_000_000;

/** ScanOptions checked, before the table and ring are known. */
export interface CheckedScanOptions {
  readonly columns: readonly string[] | undefined;
  readonly concurrency: number | undefined;
  readonly splits: number | undefined;
  /** What each range's ResultStream is made with. */
  readonly stream: StreamConfig;
  readonly prefetchPages: number;
  readonly consistency: Consistency | undefined;
  readonly signal: AbortSignal | undefined;
  readonly checkpoint: StreamCheckpoint | undefined;
  readonly shard: { readonly index: number; readonly count: number } | undefined;
  readonly profile: string | undefined;
  readonly recyclePages: boolean;
}

const KNOWN: ReadonlySet<string> = new Set([
  'columns',
  'concurrency',
  'splits',
  'fetchSize',
  'prefetchPages',
  'consistency',
  'timeoutMs',
  'signal',
  'retry',
  'checkpoint',
  'shard',
  'profile',
  'recyclePages',
]);

function integer(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new ArgumentError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  return value;
}

/** Checks every option; a bad one is an ArgumentError naming it. */
export function checkScanOptions(options: ScanOptions | undefined): CheckedScanOptions {
  const o: ScanOptions = options ?? {};
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new ArgumentError(`scanTable options must be an object, got ${Array.isArray(o) ? 'an array' : String(o)}`);
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key))
      throw new ArgumentError(`Unknown scanTable option "${key}"; known options: ${[...KNOWN].join(', ')}`);
  }
  let columns: readonly string[] | undefined;
  if (o.columns !== undefined) {
    const given: unknown = o.columns;
    if (!Array.isArray(given) || given.length === 0 || given.some((c) => typeof c !== 'string' || c === ''))
      throw new ArgumentError('columns must be a non-empty array of column names');
    if (new Set(given).size !== given.length)
      throw new ArgumentError(`columns names a column twice: ${JSON.stringify(given)}`);
    columns = [...(given as string[])];
  }
  const concurrency = integer('concurrency', o.concurrency, 1, MAX_CONCURRENCY);
  const splits = integer('splits', o.splits, 1, MAX_SPLITS);
  let shard: CheckedScanOptions['shard'];
  if (o.shard !== undefined) {
    const s: unknown = o.shard;
    if (typeof s !== 'object' || s === null)
      throw new ArgumentError(`shard must be { index, count }, got ${String(s)}`);
    const count = integer('shard.count', (s as { count?: unknown }).count, 1, MAX_SPLITS);
    const index = integer('shard.index', (s as { index?: unknown }).index, 0, MAX_SPLITS);
    if (count === undefined || index === undefined || index >= count)
      throw new ArgumentError(`shard must be { index, count } with 0 <= index < count, got ${JSON.stringify(s)}`);
    shard = { index, count };
  }
  if (o.profile !== undefined && (typeof o.profile !== 'string' || o.profile === ''))
    throw new ArgumentError(`profile must be a non-empty string, got ${String(o.profile)}`);
  if (o.recyclePages !== undefined && typeof o.recyclePages !== 'boolean')
    throw new ArgumentError(`recyclePages must be true or false, got ${String(o.recyclePages)}`);
  if (o.checkpoint !== undefined && (typeof o.checkpoint !== 'object' || o.checkpoint === null))
    throw new ArgumentError(`checkpoint must be a ScanCheckpoint object, got ${String(o.checkpoint)}`);
  const stream: StreamConfig = {
    ...(o.fetchSize !== undefined ? { fetchSize: o.fetchSize } : {}),
    ...(o.prefetchPages !== undefined ? { prefetchPages: o.prefetchPages } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.retry !== undefined ? { retry: o.retry } : {}),
    ...(o.consistency !== undefined ? { consistency: o.consistency } : {}),
    ...(o.signal !== undefined ? { signal: o.signal } : {}),
  };
  // the stream engine's own checks, with its messages (fetchSize, prefetchPages, timeoutMs, retry, ...)
  const resolved = resolveStreamConfig(stream);
  const { signal: _signal, consistency: _consistency, ...perRange } = stream;
  return {
    columns,
    concurrency,
    splits,
    stream: perRange,
    prefetchPages: resolved.prefetchPages,
    consistency: resolved.consistency,
    signal: resolved.signal,
    checkpoint: o.checkpoint,
    shard,
    profile: o.profile,
    recyclePages: o.recyclePages ?? false,
  };
}
