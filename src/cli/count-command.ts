/**
 * `cqlwire count KS.TABLE [--by range|host]`: counts a table's rows the way DSBulk's `count` does,
 * by a whole-table scan (session.scanTable) that reads the primary key columns only (partition and
 * clustering columns: the least a row can be read with), with the export's progress line.
 * `--by range` prints each token range's count; `--by host` each node's, a row counted on every
 * replica of its range (so the figures add up to rows x replication factor, as DSBulk's do).
 */
import type { Writable } from 'node:stream';
import type { Host, TableMetadata, TokenRange } from '../cluster/index.js';
import { ArgumentError } from '../protocol/errors/index.js';
import { MAX_CONCURRENCY, type ScanRange, tableName } from '../scan/index.js';
import type { ClusterOptions, Session } from '../session/index.js';
import { Cluster } from '../session/index.js';
import { answerNotARun, connectOrExitCode } from './command-run.js';
import { CONNECTION_USAGE, connectionArgs, positiveInt, redactor } from './connection-args.js';
import { failureCause } from './export-table-command.js';
import {
  PAGING_FLAGS,
  PROGRESS_FLAGS,
  pagingArgs,
  parseCommandLine,
  progressArg,
  progressFlagsError,
} from './output-args.js';
import { groupDigits, ProgressLine } from './progress-line.js';

/** The text of `cqlwire count --help`. */
export const COUNT_USAGE = `Usage: cqlwire count KS.TABLE --contact-points h1[,h2...] [options]

Counts the rows of a table by reading its primary key columns only, as token ranges in parallel
(each from a replica of its range). Prints the count on stdout.

${CONNECTION_USAGE}

Counting:
  --by range|host         also print the count of each token range holding rows (start
                          exclusive, end inclusive), or of each node (a row counts on every
                          replica of its range, so the nodes' counts add up to rows x RF)
  --parallel N            token ranges read at once (default 2 per local node, at most 32)
  --fetch-size N          rows per page (default 5000)
  --timeout-ms MS         timeout of each page request (default 60000)
  --progress / --no-progress  progress line on stderr (default: when stderr is a terminal)
  -h, --help              show this help

Exit codes: 0 counted, 1 failed, 2 usage error.
`;

/** What the count reads through: a session and the cluster's metadata (the table's key, the ring). */
export interface CountConnection {
  readonly session: Pick<Session, 'scanTable'>;
  readonly metadata: {
    table(keyspace: string, name: string): Promise<TableMetadata | undefined>;
    tokenRanges(keyspace?: string): readonly TokenRange[];
  };
  close(): Promise<void>;
}

/** How the command talks to the world. */
export interface CountIo {
  readonly stdout: Writable;
  readonly stderr: Writable & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  connect?(options: ClusterOptions, keyspace: string | undefined): Promise<CountConnection>;
}

async function connectForCount(options: ClusterOptions, keyspace: string | undefined): Promise<CountConnection> {
  const cluster = new Cluster(options);
  try {
    const session = await cluster.connect(keyspace);
    return { session, metadata: cluster.metadata, close: () => cluster.shutdown() };
  } catch (error) {
    await cluster.shutdown().catch(() => undefined);
    throw error;
  }
}

const MIN_TOKEN = -(2n ** 63n);

/** True when ring range `r` holds `token` (a range ending at -2^63 runs to the end of the ring). */
function holds(r: TokenRange, token: bigint): boolean {
  if (r.start === r.end) return true;
  if (r.end === MIN_TOKEN) return token > r.start;
  return r.start < r.end ? token > r.start && token <= r.end : token > r.start || token <= r.end;
}

/** The ring range a scan range lies in (each scan range lies in one). */
function ringRangeOf(ring: readonly TokenRange[], range: ScanRange): TokenRange | undefined {
  const last = range.end === MIN_TOKEN ? 2n ** 63n - 1n : range.end;
  return ring.find((r) => holds(r, last));
}

type CountArgs =
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string }
  | {
      kind: 'run';
      table: string;
      by: 'range' | 'host' | undefined;
      parallel: number | undefined;
      fetchSize: number;
      timeoutMs: number;
      progress: boolean | undefined;
      connection: Exclude<ReturnType<typeof connectionArgs>, string>;
    };

function parseCountArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CountArgs {
  const parsed = parseCommandLine(argv, {
    by: { type: 'string' },
    parallel: { type: 'string' },
    ...PAGING_FLAGS,
    ...PROGRESS_FLAGS,
  });
  if (typeof parsed === 'string') return { kind: 'usage-error', message: parsed };
  const v = parsed.values;
  if (v.help === true) return { kind: 'help' };
  const usage = (message: string): CountArgs => ({ kind: 'usage-error', message });
  if (parsed.positionals.length !== 1)
    return usage(`expected exactly one KS.TABLE argument, got ${parsed.positionals.length}`);
  const table = parsed.positionals[0]!.trim();
  try {
    tableName(table, v.keyspace);
  } catch (error) {
    return usage((error as Error).message.replace(/^scanTable: /, ''));
  }
  if (v.by !== undefined && v.by !== 'range' && v.by !== 'host')
    return usage(`--by must be range or host, got '${v.by}'`);
  const connection = connectionArgs(v, env);
  if (typeof connection === 'string') return usage(connection);
  const parallel = v.parallel === undefined ? undefined : positiveInt('--parallel', v.parallel, 0, MAX_CONCURRENCY);
  if (typeof parallel === 'string') return usage(parallel);
  const paging = pagingArgs(v, 5000);
  if (typeof paging === 'string') return usage(paging);
  const progressError = progressFlagsError(v);
  if (progressError !== undefined) return usage(progressError);
  return {
    kind: 'run',
    table,
    by: v.by,
    parallel,
    ...paging,
    progress: progressArg(v),
    connection,
  };
}

/** Runs `cqlwire count`; resolves with the exit code (0 counted, 1 failed, 2 usage error). */
export async function runCountCommand(argv: readonly string[], io: CountIo): Promise<number> {
  const args = parseCountArgs(argv, io.env);
  if (args.kind !== 'run') return answerNotARun(args, 'count', COUNT_USAGE, io);
  const err = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const redact = redactor(args.connection.password);
  const connection = await connectOrExitCode('count', io, connectForCount, args.connection, args.fetchSize, err);
  if (typeof connection === 'number') return connection;
  const progress =
    (args.progress ?? io.stderr.isTTY === true)
      ? new ProgressLine(io.stderr, { tty: io.stderr.isTTY === true, label: 'count' })
      : undefined;
  const started = performance.now();
  let rows = 0;
  try {
    const [keyspace, name] = tableName(args.table, args.connection.keyspace);
    // an unquoted name is case-insensitive in CQL: looked up as given, then in lower case (as scanTable does)
    const meta =
      (await connection.metadata.table(keyspace, name)) ??
      (await connection.metadata.table(keyspace, name.toLowerCase()));
    if (meta === undefined) {
      err(`cqlwire count: no table ${keyspace}.${name} in the schema`);
      return 2;
    }
    const keyColumns = [...meta.partitionKey, ...meta.clusteringKey].map((c) => c.name);
    const scan = await connection.session.scanTable(args.table, {
      columns: keyColumns,
      fetchSize: args.fetchSize,
      timeoutMs: args.timeoutMs,
      consistency: args.connection.consistency,
      ...(args.parallel !== undefined ? { concurrency: args.parallel } : {}),
      ...(io.signal !== undefined ? { signal: io.signal } : {}),
    });
    const byRange = new Map<string, { range: ScanRange; rows: number }>();
    let pages = 0;
    for await (const page of scan.pages()) {
      rows += page.length;
      pages++;
      if (args.by !== undefined) {
        const key = `${page.range.start}:${page.range.end}`;
        const entry = byRange.get(key);
        if (entry === undefined) byRange.set(key, { range: page.range, rows: page.length });
        else entry.rows += page.length;
      }
      if (progress !== undefined) {
        const p = scan.progress;
        progress.update(rows, pages, { done: p.rangesDone, total: p.rangesTotal });
      }
    }
    progress?.finish();
    if (args.by === 'range') io.stdout.write(rangeLines(byRange));
    else if (args.by === 'host') io.stdout.write(hostLines(byRange, connection.metadata.tokenRanges(keyspace)));
    io.stdout.write(`${rows}\n`);
    const seconds = (performance.now() - started) / 1000;
    err(
      `counted ${groupDigits(rows)} rows of ${meta.keyspace}.${meta.name} in ${seconds.toFixed(1)} s (${groupDigits(seconds > 0 ? rows / seconds : 0)} rows/s)`,
    );
    return 0;
  } catch (error) {
    progress?.clear();
    if (error instanceof ArgumentError) {
      err(redact(`cqlwire count: ${error.message.replace(/^scanTable: /, '')}`));
      return 2;
    }
    err(redact(`cqlwire count: failed after ${groupDigits(rows)} rows: ${failureCause(error)}`));
    return 1;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

type RangeCounts = ReadonlyMap<string, { readonly range: ScanRange; readonly rows: number }>;

/** `start<TAB>end<TAB>rows` per range that holds rows, in token order. */
function rangeLines(byRange: RangeCounts): string {
  const ranges = [...byRange.values()].sort((a, b) =>
    a.range.start < b.range.start ? -1 : a.range.start > b.range.start ? 1 : 0,
  );
  let text = 'range_start\trange_end\trows\n';
  for (const { range, rows } of ranges) text += `${range.start}\t${range.end}\t${rows}\n`;
  return text;
}

/** `host<TAB>rows` per node, by address. */
function hostLines(byRange: RangeCounts, ring: readonly TokenRange[]): string {
  const byHost = new Map<string, number>();
  for (const { range, rows: n } of byRange.values()) {
    const replicas: readonly Host[] = ringRangeOf(ring, range)?.replicas ?? [];
    for (const h of replicas) byHost.set(h.endpoint, (byHost.get(h.endpoint) ?? 0) + n);
  }
  let text = 'host\trows\n';
  for (const [host, n] of [...byHost].sort((a, b) => (a[0] < b[0] ? -1 : 1))) text += `${host}\t${n}\n`;
  return text;
}
