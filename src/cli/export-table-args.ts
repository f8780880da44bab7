/**
 * The command line of `cqlwire export --table ks.t ...`: a whole table read as token ranges in
 * parallel (session.scanTable), with a checkpoint file to resume from. Parsed with `node:util`
 * parseArgs and checked before anything connects; messages never repeat a password.
 */
import { MAX_CONCURRENCY } from '../scan/index.js';
import { CONNECTION_USAGE, type ConnectionArgs, connectionArgs, positiveInt } from './connection-args.js';
import {
  OUTPUT_FLAGS,
  outputFlagsError,
  PAGING_FLAGS,
  pagingArgs,
  parseCommandLine,
  progressArg,
} from './output-args.js';

/** The table-export section of `cqlwire export --help`. */
export const TABLE_EXPORT_USAGE = `Usage: cqlwire export --table KS.TABLE --contact-points h1[,h2...] [options]

Reads the whole table as token ranges in parallel, each from a replica of its range, and writes
every row once (ranges interleaved: rows are not in table order). The checkpoint file is
rewritten (atomically) after each page written, so an interrupted export (Ctrl-C, a failure, a
kill) continues with the same command plus --resume, which appends exactly the missing rows.

${CONNECTION_USAGE}

Table export:
  --table KS.TABLE        the table to export (instead of a <query>)
  --columns A,B           columns to export (default every column, in table order)
  --parallel N            token ranges read at once (default 2 per local node, at most 32)
  --splits N              token ranges to cut the ring into (default: from the size estimates)
  --shard I/N             export only shard I of N (1-based): N runs together export the table
  --workers N             N worker threads, each exporting shard i/N with its own connections into
                          its own part file (OUT.part-0001.csv, ...) and checkpoint
  --checkpoint FILE       the checkpoint file (default OUT.checkpoint.json; none with --out -)
  --resume                continue the export the checkpoint file describes
  --fetch-size N          rows per page (default 5000)
  --timeout-ms MS         timeout of each page request (default 60000)
  --format, --out, --null-text, --no-header, --progress: as for a query export

When --workers helps: decoding and encoding rows takes one core per process. When the export is
decoding-bound (the cluster answers faster than one core turns pages into CSV: the progress line
shows the process near 100% of a core and rows/s no longer grows with --parallel), N workers use
N cores. It does not help when the cluster or the network is the limit (more --parallel helps
there), on a machine with one free core, or when the output disk is the limit.
`;

/** What a table export was asked to do. */
export interface TableExportOptions {
  readonly table: string;
  readonly columns: readonly string[] | undefined;
  readonly connection: ConnectionArgs;
  readonly parallel: number | undefined;
  readonly splits: number | undefined;
  /** 0-based index and count (the command line says 1-based `i/n`). */
  readonly shard: { readonly index: number; readonly count: number } | undefined;
  readonly workers: number | undefined;
  readonly checkpoint: string | undefined;
  readonly resume: boolean;
  readonly fetchSize: number;
  readonly timeoutMs: number;
  readonly format: 'csv' | 'ndjson';
  readonly out: string;
  readonly nullText: string | undefined;
  /** Whether a fresh export writes the CSV header (a resumed one follows its checkpoint). */
  readonly header: boolean;
  readonly progress: boolean | undefined;
}

/** The parsed command line, or why it is not one. */
export type TableExportArgs =
  | { kind: 'run'; options: TableExportOptions }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

const MAX_WORKERS = 64;
const MAX_SPLITS = 1_000_000;

/** True when the arguments ask for a table export (`--table`) rather than a query export. */
export function isTableExport(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--table' || a.startsWith('--table='));
}

/** `i/n`, 1-based on the command line, as a 0-based shard; a string is the usage error. */
function shardArg(text: string): { index: number; count: number } | string {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m === null ? Number.NaN : Number(m[1]);
  const n = m === null ? Number.NaN : Number(m[2]);
  if (!(n >= 1 && n <= MAX_SPLITS && i >= 1 && i <= n))
    return `--shard must be I/N with 1 <= I <= N (e.g. --shard 2/3), got '${text}'`;
  return { index: i - 1, count: n };
}

/** Parses `cqlwire export --table ...` arguments (after the subcommand); `env` supplies CQLWIRE_PASSWORD. */
export function parseTableExportArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): TableExportArgs {
  const parsed = parseCommandLine(argv, {
    table: { type: 'string' },
    columns: { type: 'string' },
    parallel: { type: 'string' },
    splits: { type: 'string' },
    shard: { type: 'string' },
    workers: { type: 'string' },
    checkpoint: { type: 'string' },
    resume: { type: 'boolean' },
    ...PAGING_FLAGS,
    ...OUTPUT_FLAGS,
  });
  if (typeof parsed === 'string') return { kind: 'usage-error', message: parsed };
  const v = parsed.values;
  if (v.help === true) return { kind: 'help' };
  const usage = (message: string): TableExportArgs => ({ kind: 'usage-error', message });
  if (parsed.positionals.length > 0)
    return usage('--table exports a whole table: give no <query> with it (use a query export for a query)');
  const table = (v.table ?? '').trim();
  if (!/^(?:"(?:[^"]|"")+"|[^".\s]+)\.(?:"(?:[^"]|"")+"|[^".\s]+)$/.test(table))
    return usage(`--table must name a table as KEYSPACE.TABLE, got '${v.table ?? ''}'`);
  let columns: string[] | undefined;
  if (v.columns !== undefined) {
    columns = v.columns.split(',').map((c) => c.trim());
    if (columns.some((c) => c === '')) return usage('--columns must be a comma-separated list of column names');
    if (new Set(columns).size !== columns.length) return usage('--columns names a column twice');
  }
  const connection = connectionArgs(v, env);
  if (typeof connection === 'string') return usage(connection);
  const number = (flag: string, text: string | undefined, max: number): number | undefined | string =>
    text === undefined ? undefined : positiveInt(flag, text, 0, max);
  const parallel = number('--parallel', v.parallel, MAX_CONCURRENCY);
  if (typeof parallel === 'string') return usage(parallel);
  const splits = number('--splits', v.splits, MAX_SPLITS);
  if (typeof splits === 'string') return usage(splits);
  const workers = number('--workers', v.workers, MAX_WORKERS);
  if (typeof workers === 'string') return usage(workers);
  const shard = v.shard === undefined ? undefined : shardArg(v.shard);
  if (typeof shard === 'string') return usage(shard);
  if (shard !== undefined && workers !== undefined)
    return usage('--shard and --workers cannot be combined (each worker exports a shard of its own)');
  const paging = pagingArgs(v, 5000);
  if (typeof paging === 'string') return usage(paging);
  const format = v.format ?? 'csv';
  if (format !== 'csv' && format !== 'ndjson') return usage(`--format must be csv or ndjson, got '${format}'`);
  const out = v.out ?? '-';
  if (out === '-' && workers !== undefined)
    return usage('--workers writes one part file per worker: give --out FILE (the parts are FILE.part-0001...)');
  if (out === '-' && v.resume === true && v.checkpoint === undefined)
    return usage('--resume needs --checkpoint FILE (with --out -, there is no default checkpoint file)');
  const outputError = outputFlagsError(v, format);
  if (outputError !== undefined) return usage(outputError);
  if (v.checkpoint?.trim() === '') return usage('--checkpoint needs a file name');
  return {
    kind: 'run',
    options: {
      table,
      columns,
      connection,
      parallel,
      splits,
      shard,
      workers,
      checkpoint: v.checkpoint ?? (out === '-' ? undefined : `${out}.checkpoint.json`),
      resume: v.resume === true,
      ...paging,
      format,
      out,
      nullText: v['null-text'],
      header: v['no-header'] !== true,
      progress: progressArg(v),
    },
  };
}

/** `out.csv`, worker 0 -> `out.part-0001.csv`; a name with no extension gets the suffix at its end. */
export function partFileName(path: string, index: number): string {
  const part = `part-${String(index + 1).padStart(4, '0')}`;
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 ? `${path.slice(0, dot)}.${part}${path.slice(dot)}` : `${path}.${part}`;
}
