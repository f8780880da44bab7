import { ArgumentError } from '../protocol/errors/index.js';
import type { StreamCheckpoint } from '../streaming/stream-error.js';

/** The `format` of a {@link ScanCheckpoint}; a checkpoint of another format is refused. */
export const SCAN_CHECKPOINT_FORMAT = 'cqlwire-scan/1';

/** Where one range in progress stood: what its rows so far were read from, and how many were received. */
export interface ScanRangePosition {
  /** The range's index in the scan's split list. */
  readonly range: number;
  /** The paging state the range's current page was asked with (hex); null for its first page. */
  readonly pagingState: string | null;
  /** Rows past `pagingState` the consumer has received (a resumed scan skips them). */
  readonly rows: number;
}

/**
 * A table scan's resume point (`scan.checkpoint()`, or `.checkpoint` of the `StreamError` that
 * ended a scan): plain JSON, exact to the row. `session.scanTable(table, { checkpoint })` yields
 * exactly the rows this scan had not handed out: the ranges not done, and of each range in
 * progress, the rows after the last one received. It only fits the same table, column list and
 * split list (and shard); anything else is refused with an `ArgumentError`.
 */
export interface ScanCheckpoint extends StreamCheckpoint {
  readonly format: typeof SCAN_CHECKPOINT_FORMAT;
  /** `keyspace.table`, names as stored. */
  readonly table: string;
  readonly columns: readonly string[];
  /** The split list: how it was cut, and a digest of its boundaries. */
  readonly splits: {
    /** The `splits` asked for (given, or the default then). */
    readonly requested: number;
    /** Ranges in the whole list (every shard). */
    readonly count: number;
    /** Splits per ring range, run-length coded (`"3*16,4"`: 16 ring ranges cut in 3, then one in 4). */
    readonly cuts: string;
    readonly hash: string;
  };
  readonly shard: { readonly index: number; readonly count: number };
  /** Indexes of the ranges done, as runs (`"0-5,7,9-12"`). */
  readonly done: string;
  readonly inProgress: readonly ScanRangePosition[];
  /** Rows and pages received so far, by this scan and those it resumed. */
  readonly rowsFetched: number;
  readonly pagesFetched: number;
}

/** `[0, 1, 2, 5]` -> `"0-2,5"` (sorted, distinct input). */
export function encodeRuns(indexes: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indexes.length; ) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j]! + 1) j++;
    parts.push(i === j ? String(indexes[i]) : `${indexes[i]}-${indexes[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** `"0-2,5"` -> `[0, 1, 2, 5]`, every index below `limit`; ArgumentError when malformed. */
export function decodeRuns(text: string, limit: number): number[] {
  const out: number[] = [];
  if (text === '') return out;
  let last = -1;
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = m === null ? Number.NaN : Number(m[1]);
    const to = m === null ? Number.NaN : m[2] === undefined ? from : Number(m[2]);
    if (!(from > last && to >= from && to < limit))
      throw new ArgumentError(`checkpoint.done: "${part}" is not an increasing run of range indexes below ${limit}`);
    for (let i = from; i <= to; i++) out.push(i);
    last = to;
  }
  return out;
}

/** Split counts per ring piece, run-length coded: `[3, 3, 4]` -> `"3*2,4"`. */
export function encodeCuts(cuts: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < cuts.length; ) {
    let j = i;
    while (j + 1 < cuts.length && cuts[j + 1] === cuts[i]) j++;
    parts.push(j === i ? String(cuts[i]) : `${cuts[i]}*${j - i + 1}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The inverse of {@link encodeCuts}; ArgumentError when malformed. */
export function decodeCuts(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^([1-9]\d*)(?:\*([1-9]\d*))?$/.exec(part);
    if (m === null) throw new ArgumentError(`checkpoint.splits.cuts: "${part}" is not a count or count*times`);
    const times = m[2] === undefined ? 1 : Number(m[2]);
    if (out.length + times > 10_000_000) throw new ArgumentError('checkpoint.splits.cuts: too many ring ranges');
    for (let i = 0; i < times; i++) out.push(Number(m[1]));
  }
  return out;
}

/**
 * Checks the shape of a checkpoint given by the caller (typically parsed from JSON) and returns it
 * typed; every malformed field is an ArgumentError naming it. Whether it fits the scan is checked
 * by the scan.
 */
export function readCheckpoint(value: unknown): ScanCheckpoint {
  const c = value as Partial<Record<keyof ScanCheckpoint, unknown>> | null;
  if (typeof c !== 'object' || c === null || Array.isArray(c))
    throw new ArgumentError(`checkpoint must be a ScanCheckpoint object (from scan.checkpoint()), got ${String(c)}`);
  if (c.format !== SCAN_CHECKPOINT_FORMAT)
    throw new ArgumentError(
      `checkpoint.format must be '${SCAN_CHECKPOINT_FORMAT}' (a checkpoint of this version's table scan), got ${JSON.stringify(c.format)}`,
    );
  const text = (name: string, v: unknown): string => {
    if (typeof v !== 'string') throw new ArgumentError(`checkpoint.${name} must be a string, got ${typeof v}`);
    return v;
  };
  const count = (name: string, v: unknown, min: number): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
      throw new ArgumentError(`checkpoint.${name} must be an integer >= ${min}, got ${String(v)}`);
    return v;
  };
  text('table', c.table);
  if (!Array.isArray(c.columns) || c.columns.length === 0 || c.columns.some((x) => typeof x !== 'string'))
    throw new ArgumentError('checkpoint.columns must be a non-empty array of column names');
  const splits = c.splits as Record<string, unknown> | null | undefined;
  if (typeof splits !== 'object' || splits === null) throw new ArgumentError('checkpoint.splits must be an object');
  count('splits.requested', splits.requested, 1);
  const total = count('splits.count', splits.count, 1);
  text('splits.cuts', splits.cuts);
  text('splits.hash', splits.hash);
  const shard = c.shard as Record<string, unknown> | null | undefined;
  if (typeof shard !== 'object' || shard === null) throw new ArgumentError('checkpoint.shard must be an object');
  const shardCount = count('shard.count', shard.count, 1);
  const shardIndex = count('shard.index', shard.index, 0);
  if (shardIndex >= shardCount) throw new ArgumentError(`checkpoint.shard.index must be below shard.count`);
  decodeRuns(text('done', c.done), total);
  if (!Array.isArray(c.inProgress)) throw new ArgumentError('checkpoint.inProgress must be an array');
  for (const p of c.inProgress as unknown[]) {
    const r = p as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null) throw new ArgumentError('checkpoint.inProgress entries must be objects');
    const range = count('inProgress[].range', r.range, 0);
    if (range >= total) throw new ArgumentError(`checkpoint.inProgress: range ${range} is not below ${total}`);
    if (r.pagingState !== null && (typeof r.pagingState !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(r.pagingState)))
      throw new ArgumentError('checkpoint.inProgress[].pagingState must be null or a hex string');
    count('inProgress[].rows', r.rows, 0);
  }
  count('rowsFetched', c.rowsFetched, 0);
  count('pagesFetched', c.pagesFetched, 0);
  return c as unknown as ScanCheckpoint;
}
