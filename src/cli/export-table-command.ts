/**
 * `cqlwire export --table ks.t ...`: the whole table through `session.scanTable()`, in this
 * thread (export-table-run.ts) or in `--workers` threads (export-workers.ts), with one progress
 * line (rows, pages, ranges done/total, rows/s, RSS) and, when it stops early (Ctrl-C, a failure),
 * the command that continues it.
 */
import type { Writable } from 'node:stream';
import type { ClusterOptions } from '../session/index.js';
import { StreamError } from '../streaming/index.js';
import { answerNotARun, connectOrExitCode } from './command-run.js';
import { type CliConnection, connectCluster, redactor } from './connection-args.js';
import {
  parseTableExportArgs,
  partFileName,
  TABLE_EXPORT_USAGE,
  type TableExportOptions,
} from './export-table-args.js';
import { exportShard, type ShardExportSpec, type ShardProgress, type TableExportSession } from './export-table-run.js';
import { type ExportWorkerResult, runExportWorkers } from './export-workers.js';
import { groupDigits, ProgressLine } from './progress-line.js';

/** How the command talks to the world; `process` in real use, injected streams in tests. */
export interface TableExportIo {
  readonly stdout: Writable;
  readonly stderr: Writable & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborting it (SIGINT) stops the export; the checkpoint stays at the last page written. */
  readonly signal?: AbortSignal;
  /** Connects (this thread only; workers connect themselves); default a new Cluster. */
  connect?(options: ClusterOptions, keyspace: string | undefined): Promise<CliConnection<TableExportSession>>;
}

/** The cause to show of a failed export (a StreamError's cause: the error the range ended with). */
export function failureCause(error: unknown): string {
  const cause = error instanceof StreamError && error.cause !== undefined ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function specOf(
  o: TableExportOptions,
  out: string,
  checkpoint: string | undefined,
  shard: ShardExportSpec['shard'],
): ShardExportSpec {
  return {
    table: o.table,
    columns: o.columns,
    parallel: o.parallel,
    splits: o.splits,
    shard,
    fetchSize: o.fetchSize,
    timeoutMs: o.timeoutMs,
    consistency: o.connection.consistency,
    format: o.format,
    nullText: o.nullText,
    header: o.header,
    out,
    checkpoint,
    resume: o.resume,
  };
}

/** Runs `cqlwire export --table ...`; resolves with the exit code (0 done, 1 failed or stopped, 2 usage). */
export async function runTableExportCommand(argv: readonly string[], io: TableExportIo): Promise<number> {
  const args = parseTableExportArgs(argv, io.env);
  if (args.kind !== 'run') return answerNotARun(args, 'export', TABLE_EXPORT_USAGE, io);
  const err = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const o = args.options;
  const redact = redactor(o.connection.password);
  const progress =
    (o.progress ?? io.stderr.isTTY === true)
      ? new ProgressLine(io.stderr, { tty: io.stderr.isTTY === true, label: 'export' })
      : undefined;
  const show = (p: ShardProgress): void =>
    progress?.update(p.rowsWritten, p.pagesWritten, { done: p.rangesDone, total: p.rangesTotal });
  const started = performance.now();

  let results: ExportWorkerResult[];
  let checkpoints: string[];
  if (o.workers !== undefined) {
    const n = o.workers;
    checkpoints = [];
    const tasks = [];
    for (let k = 0; k < n; k++) {
      const checkpoint = o.checkpoint === undefined ? undefined : partFileName(o.checkpoint, k);
      if (checkpoint !== undefined) checkpoints.push(checkpoint);
      tasks.push({
        spec: specOf(o, partFileName(o.out, k), checkpoint, { index: k, count: n }),
        connection: o.connection,
      });
    }
    results = await runExportWorkers(tasks, show, io.signal);
  } else {
    checkpoints = o.checkpoint === undefined ? [] : [o.checkpoint];
    const connection = await connectOrExitCode('export', io, connectCluster, o.connection, o.fetchSize, err);
    if (typeof connection === 'number') return connection;
    try {
      const r = await exportShard(connection.session, specOf(o, o.out, o.checkpoint, o.shard), {
        stdout: io.stdout,
        ...(io.signal !== undefined ? { signal: io.signal } : {}),
        onPage: show,
      });
      results = [r.status === 'failed' ? { ...r, message: failureCause(r.error) } : r];
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
  return report(o, results, checkpoints, { err, redact, progress, seconds: (performance.now() - started) / 1000 });
}

function report(
  o: TableExportOptions,
  results: readonly ExportWorkerResult[],
  checkpoints: readonly string[],
  how: {
    err: (line: string) => void;
    redact: (text: string) => string;
    progress: ProgressLine | undefined;
    seconds: number;
  },
): number {
  const { err, redact } = how;
  const refused = results.find((r) => r.status === 'refused');
  const failed = results.filter((r) => r.status === 'failed');
  let rows = 0;
  let rowsThisRun = 0;
  for (const r of results) {
    if (r.status === 'refused') continue;
    rows += r.progress.rowsWritten;
    rowsThisRun += r.rowsThisRun;
  }
  if (refused === undefined && failed.length === 0) {
    how.progress?.finish();
    const target =
      o.out === '-'
        ? 'stdout'
        : o.workers !== undefined
          ? `${o.workers} part files ${partFileName(o.out, 0)}...`
          : o.out;
    const rate = how.seconds > 0 ? rowsThisRun / how.seconds : 0;
    const already = results.every((r) => r.status === 'done' && r.alreadyComplete);
    err(
      already
        ? `cqlwire export: the export in the checkpoint is already complete (${groupDigits(rows)} rows); nothing to do`
        : `exported ${groupDigits(rows)} rows of ${o.table}${o.resume ? ` (${groupDigits(rowsThisRun)} in this run)` : ''} to ${target} in ${how.seconds.toFixed(1)} s (${groupDigits(rate)} rows/s)`,
    );
    return 0;
  }
  how.progress?.clear();
  if (refused?.status === 'refused') {
    err(redact(`cqlwire export: ${refused.message}`));
    if (failed.length === 0 && results.every((r) => r.status === 'refused' || r.rowsThisRun === 0)) return 2;
  }
  for (const f of failed) {
    if (f.status !== 'failed') continue;
    const stopped = f.message.includes('interrupted');
    err(
      redact(
        `cqlwire export: ${stopped ? 'stopped' : 'failed'} after ${groupDigits(f.progress.rowsWritten)} rows written: ${f.message}`,
      ),
    );
  }
  if (checkpoints.length > 0) {
    err(
      `the checkpoint${checkpoints.length > 1 ? 's' : ''} (${checkpoints.length > 1 ? `${checkpoints[0]}...` : checkpoints[0]}) hold${checkpoints.length > 1 ? '' : 's'} the position after the last row written; continue with the same command and --resume`,
    );
  } else {
    err('no checkpoint file was given (--checkpoint FILE): the export cannot be resumed, run it again');
  }
  return 1;
}
