import type { TableMetadata } from '../cluster/index.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { Row } from '../protocol/rows/index.js';
import { estimateWeights, type RangeEstimate } from './estimate-weights.js';
import type { ScanSession } from './range-page-source.js';
import type { SchedulerHosts } from './range-scheduler.js';
import { decodeCuts, decodeRuns, encodeCuts, readCheckpoint, type ScanCheckpoint } from './scan-checkpoint.js';
import { type RangeState, ScanEngine } from './scan-engine.js';
import { checkScanOptions, DEFAULT_CONCURRENCY_LIMIT, type ScanOptions } from './scan-options.js';
import { scanStatements } from './scan-statements.js';
import { TableScan } from './table-scan.js';
import { cutPieces, planSplits, type RingPiece, type RingRange, ringPieces, type SplitPlan } from './token-splits.js';

/** What `scanTable` reads the table, the ring and the estimates from (the cluster's metadata). */
export interface ScanMetadata<H> {
  table(keyspace: string, name: string): Promise<TableMetadata | undefined>;
  tokenRanges(keyspace: string): readonly RingRange<H>[];
  sizeEstimates(keyspace: string, table: string): Promise<readonly RangeEstimate[]>;
}

/** Everything `scanTable` needs from the session it runs on. */
export interface ScanContext<H> {
  readonly session: ScanSession<H>;
  readonly metadata: ScanMetadata<H>;
  readonly hosts: SchedulerHosts<H>;
  /** Every known node (the default concurrency counts the local ones that are up). */
  readonly allHosts: readonly H[];
  /** The session's keyspace, for a table named without one. */
  readonly keyspace: string | undefined;
}

/** Estimated bytes per split the default split count aims at. */
const TARGET_SPLIT_BYTES = 64 * 1024 * 1024;
/** The default split count never goes beyond this (an explicit `splits` may). */
const MAX_DEFAULT_SPLITS = 65_536;
/** With `shard`, the default split count: 4 x the largest default concurrency, whatever this process's. */
const SHARD_DEFAULT_SPLITS = 4 * DEFAULT_CONCURRENCY_LIMIT;

/**
 * Starts a whole-table scan (see TableScan). Rejects with ArgumentError for bad arguments (an
 * unknown table or column, a bad option, a checkpoint of another scan) before anything is read;
 * when the schema cannot be read at all, with the error that prevented it.
 */
export async function startTableScan<R = Row, H = unknown>(
  ctx: ScanContext<H>,
  table: string,
  options?: ScanOptions,
): Promise<TableScan<R>> {
  const o = checkScanOptions(options);
  const checkpoint = o.checkpoint === undefined ? undefined : readCheckpoint(o.checkpoint);
  const [keyspace, name] = tableName(table, ctx.keyspace);
  const meta = (await ctx.metadata.table(keyspace, name)) ?? (await ctx.metadata.table(keyspace, name.toLowerCase()));
  if (meta === undefined) throw new ArgumentError(`scanTable: no table or view ${keyspace}.${name} in the schema`);
  const qualified = `${meta.keyspace}.${meta.name}`;
  const columns = o.columns ?? meta.columns.map((c) => c.name);
  for (const c of columns) {
    if (meta.column(c) === undefined)
      throw new ArgumentError(
        `scanTable: ${qualified} has no column "${c}"; its columns: ${meta.columns.map((x) => x.name).join(', ')}`,
      );
  }
  const pieces = ringPieces(ctx.metadata.tokenRanges(meta.keyspace));
  const concurrency = o.concurrency ?? defaultConcurrency(ctx);

  let plan: SplitPlan<H>;
  let requested: number;
  let shard = o.shard ?? { index: 0, count: 1 };
  if (checkpoint !== undefined) {
    checkFits(checkpoint, qualified, columns, o.splits, o.shard);
    requested = checkpoint.splits.requested;
    shard = checkpoint.shard;
    plan = replan(pieces, checkpoint);
  } else {
    let weights: number[] | undefined;
    let totalBytes = 0;
    if (o.shard === undefined) {
      // estimates differ by node and over time: a shard's ranges must not depend on them
      let estimates: readonly RangeEstimate[] = [];
      try {
        estimates = await ctx.metadata.sizeEstimates(meta.keyspace, meta.name);
      } catch {
        // none to be had: split by token span
      }
      const estimated = estimateWeights(pieces, estimates);
      weights = estimated?.weights;
      totalBytes = estimated?.totalBytes ?? 0;
    }
    requested =
      o.splits ??
      (o.shard !== undefined
        ? SHARD_DEFAULT_SPLITS
        : Math.min(MAX_DEFAULT_SPLITS, Math.max(4 * concurrency, Math.ceil(totalBytes / TARGET_SPLIT_BYTES))));
    plan = planSplits(pieces, requested, weights);
  }

  const done = new Set(checkpoint === undefined ? [] : decodeRuns(checkpoint.done, plan.splits.length));
  const positions = new Map((checkpoint?.inProgress ?? []).map((p) => [p.range, p]));
  const ranges: RangeState<H>[] = [];
  for (const split of plan.splits) {
    if (split.index % shard.count !== shard.index) {
      if (done.has(split.index) || positions.has(split.index))
        throw new ArgumentError(`checkpoint: range ${split.index} is not in shard ${shard.index}/${shard.count}`);
      continue;
    }
    const at = positions.get(split.index);
    ranges.push({
      split,
      status: done.has(split.index) ? 2 : 0,
      state: at === undefined || at.pagingState === null ? undefined : Buffer.from(at.pagingState, 'hex'),
      received: at?.rows ?? 0,
      stream: undefined,
      pages: undefined,
      source: undefined,
    });
  }
  const engine = new ScanEngine<H>({
    session: ctx.session,
    hosts: ctx.hosts,
    statements: scanStatements(
      meta.keyspace,
      meta.name,
      sameColumns(columns, meta.columns) ? undefined : columns,
      meta.partitionKey.map((c) => c.name),
    ),
    ranges,
    concurrency,
    stream: o.stream,
    consistency: o.consistency,
    profile: o.profile,
    recyclePages: o.recyclePages,
    signal: o.signal,
    identity: {
      table: qualified,
      columns: [...columns],
      splits: { requested, count: plan.splits.length, cuts: encodeCuts(plan.cuts), hash: plan.hash },
      shard: { index: shard.index, count: shard.count },
    },
    rowsBefore: checkpoint?.rowsFetched ?? 0,
    pagesBefore: checkpoint?.pagesFetched ?? 0,
  });
  return new TableScan<R>(engine);
}

/** True when `columns` are every column of the table, in table order. */
function sameColumns(columns: readonly string[], all: readonly { readonly name: string }[]): boolean {
  return columns.length === all.length && columns.every((c, i) => c === all[i]!.name);
}

/** 2 per local node up, at least 1, at most 32. */
function defaultConcurrency<H>(ctx: ScanContext<H>): number {
  let local = 0;
  for (const h of ctx.allHosts) if (ctx.hosts.isUp(h) && ctx.hosts.isLocal(h)) local++;
  return Math.min(DEFAULT_CONCURRENCY_LIMIT, Math.max(1, 2 * local));
}

/** `ks.table`, `"Ks"."Table"` or `table` (in the session's keyspace) -> [keyspace, table]. */
export function tableName(table: string, sessionKeyspace: string | undefined): [string, string] {
  if (typeof table !== 'string' || table === '')
    throw new ArgumentError(`scanTable needs a table name ('keyspace.table'), got ${String(table)}`);
  const parts = /^(?:("(?:[^"]|"")+"|[^".]+)\.)?("(?:[^"]|"")+"|[^".]+)$/.exec(table);
  if (parts === null) throw new ArgumentError(`scanTable: "${table}" is not a table name ('keyspace.table')`);
  const unquote = (p: string): string => (p.startsWith('"') ? p.slice(1, -1).replaceAll('""', '"') : p);
  const keyspace = parts[1] === undefined ? sessionKeyspace : unquote(parts[1]);
  if (keyspace === undefined)
    throw new ArgumentError(`scanTable: "${table}" names no keyspace and the session has none; write 'keyspace.table'`);
  return [keyspace, unquote(parts[2]!)];
}

/** A checkpoint must come from a scan of this table, these columns and this split (and shard). */
function checkFits(
  checkpoint: ScanCheckpoint,
  table: string,
  columns: readonly string[],
  splits: number | undefined,
  shard: { index: number; count: number } | undefined,
): void {
  if (checkpoint.table !== table)
    throw new ArgumentError(`checkpoint is of a scan of ${checkpoint.table}, not of ${table}`);
  if (checkpoint.columns.length !== columns.length || checkpoint.columns.some((c, i) => c !== columns[i]))
    throw new ArgumentError(
      `checkpoint is of a scan of columns [${checkpoint.columns.join(', ')}], not [${columns.join(', ')}]`,
    );
  if (splits !== undefined && splits !== checkpoint.splits.requested)
    throw new ArgumentError(
      `checkpoint is of a scan cut into ${checkpoint.splits.requested} splits, not ${splits}; leave splits out to resume`,
    );
  if (shard !== undefined && (shard.index !== checkpoint.shard.index || shard.count !== checkpoint.shard.count))
    throw new ArgumentError(
      `checkpoint is of shard ${checkpoint.shard.index}/${checkpoint.shard.count}, not ${shard.index}/${shard.count}`,
    );
}

/** The checkpoint's split list cut again from the ring; refused when the ring no longer gives the same list. */
function replan<H>(pieces: readonly RingPiece<H>[], checkpoint: ScanCheckpoint): SplitPlan<H> {
  const cuts = decodeCuts(checkpoint.splits.cuts);
  const fits = cuts.length === pieces.length && cuts.every((k, i) => BigInt(k) <= pieces[i]!.hi - pieces[i]!.lo);
  const plan = fits ? cutPieces(pieces, cuts) : undefined;
  if (plan?.hash !== checkpoint.splits.hash || plan.splits.length !== checkpoint.splits.count)
    throw new ArgumentError(
      `checkpoint is of another split list (hash ${checkpoint.splits.hash}, ${checkpoint.splits.count} ranges): the token ring changed since it was taken, or it is not from this cluster`,
    );
  return plan;
}
