/**
 * `cqlwire export <query> ...`: streams a query's rows page by page to CSV or
 * NDJSON. Each page is encoded straight from its cells and written as one chunk; the next page
 * is asked for only once that chunk is accepted by the output (write callback, and 'drain' when
 * the output's buffer is full), so a slow disk or pipe slows the reads instead of filling memory.
 *
 * Resuming: the paging state printed on failure is the one after the last page whose chunk the
 * output accepted, so `--resume-from` continues exactly after the last row written (the resumed
 * CSV has no header by default, so the parts concatenate to the full export).
 */
import { createWriteStream, WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import {
  ConfigurationError,
  CqlSyntaxError,
  InvalidRequestError,
  UnauthorizedError,
} from '../protocol/errors/index.js';
import type { ClusterOptions, Session } from '../session/index.js';
import type { Page } from '../streaming/index.js';
import { StreamError } from '../streaming/index.js';
import { answerNotARun, connectOrExitCode } from './command-run.js';
import { type CliConnection, connectCluster, redactor } from './connection-args.js';
import type { CellSource } from './csv-encoder.js';
import { CsvEncoder } from './csv-encoder.js';
import { EXPORT_USAGE, parseExportArgs } from './export-args.js';
import { isTableExport } from './export-table-args.js';
import { NdjsonEncoder } from './ndjson-encoder.js';
import { writeChunk } from './output-chunk.js';
import { groupDigits, ProgressLine } from './progress-line.js';

/** A connected session and how to close it (the real cluster, or a stand-in in tests). */
export type ExportConnection = CliConnection<Pick<Session, 'executeStream'>>;

/** How the command talks to the world; `process` in real use, injected streams in tests. */
export interface ExportIo {
  /** Where `--out -` goes. */
  readonly stdout: Writable;
  /** Messages and the progress line; `isTTY` turns the progress line on by default. */
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /** The environment (CQLWIRE_PASSWORD). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborting it (e.g. on SIGINT) stops the export like a failure: the resume point is printed. */
  readonly signal?: AbortSignal;
  /** Opens `--out FILE`; default a file write stream (truncating). */
  openOut?(path: string): Writable;
  /** Connects; default `new Cluster(options).connect(keyspace)`. */
  connect?(options: ClusterOptions, keyspace: string | undefined): Promise<ExportConnection>;
}

function endOutput(out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

/** Errors in the statement itself: running the same export again would fail the same way. */
function isStatementError(error: unknown): boolean {
  return (
    error instanceof CqlSyntaxError ||
    error instanceof InvalidRequestError ||
    error instanceof UnauthorizedError ||
    error instanceof ConfigurationError
  );
}

interface Encoder {
  rows(source: CellSource): string;
}

/** Runs `cqlwire export`; resolves with the exit code (0 done, 1 failure, 2 usage error). */
export async function runExportCommand(argv: readonly string[], io: ExportIo): Promise<number> {
  if (isTableExport(argv))
    return (await import('./export-table-command.js')).runTableExportCommand(argv, {
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env,
      ...(io.signal !== undefined ? { signal: io.signal } : {}),
    });
  const args = parseExportArgs(argv, io.env);
  if (args.kind !== 'run') return answerNotARun(args, 'export', EXPORT_USAGE, io);
  const err = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const o = args.options;
  const redact = redactor(o.connection.password);
  const fail = (what: string, error: unknown): void => {
    err(redact(`cqlwire export: ${what}: ${error instanceof Error ? error.message : String(error)}`));
  };

  // a bad contact point or option is the caller's mistake (usage); anything else a failure
  const connection = await connectOrExitCode('export', io, connectCluster, o.connection, o.fetchSize, err);
  if (typeof connection === 'number') return connection;

  let out: Writable;
  const toStdout = o.out === '-';
  try {
    out = toStdout ? io.stdout : (io.openOut ?? ((path) => createWriteStream(path)))(o.out);
    // a file that cannot be opened (no such directory, no permission) fails here, before any read
    if (out instanceof WriteStream && out.pending) {
      const file = out;
      await new Promise<void>((resolve, reject) => {
        file.once('ready', () => {
          file.off('error', reject);
          resolve();
        });
        file.once('error', reject);
      });
    }
  } catch (error) {
    await connection.close().catch(() => undefined);
    fail(`could not open ${o.out}`, error);
    return 1;
  }
  // an output error surfaces through writeChunk/endOutput; until then nothing may go unhandled
  const noteOutputError = (): void => undefined;
  out.on('error', noteOutputError);

  const showProgress = o.progress ?? io.stderr.isTTY === true;
  const progress = showProgress
    ? new ProgressLine(io.stderr, { tty: io.stderr.isTTY === true, label: 'export' })
    : undefined;
  const started = performance.now();
  let rowsWritten = 0;
  let pagesWritten = 0;
  // where to continue from: after the last page the output accepted (the start state before any)
  let resumeState = o.resumeFrom;
  let encoder: Encoder | undefined;
  let code = 0;
  try {
    const result = await connection.session.executeStream(o.query, [], {
      fetchSize: o.fetchSize,
      consistency: o.connection.consistency,
      timeoutMs: o.timeoutMs,
      prefetchPages: 1,
      ...(o.resumeFrom !== undefined ? { pagingState: o.resumeFrom } : {}),
      ...(io.signal !== undefined ? { signal: io.signal } : {}),
    });
    const pages = result.pages();
    for (;;) {
      const next: IteratorResult<Page> = await pages.next();
      if (next.done === true) break;
      const page = next.value;
      let chunk = '';
      if (encoder === undefined) {
        if (o.format === 'csv') {
          const csv = new CsvEncoder(page.columns, o.nullText !== undefined ? { nullText: o.nullText } : {});
          if (o.header) chunk = csv.header();
          encoder = csv;
        } else {
          encoder = new NdjsonEncoder(page.columns);
        }
      }
      chunk += encoder.rows(page.rowsPage);
      await writeChunk(out, chunk);
      rowsWritten += page.length;
      pagesWritten++;
      resumeState = page.pagingState;
      progress?.update(rowsWritten, pagesWritten);
    }
    if (!toStdout) await endOutput(out);
  } catch (error) {
    code = 1;
    progress?.clear();
    const cause = error instanceof StreamError ? error.cause : error;
    fail(`failed after ${groupDigits(rowsWritten)} rows written`, cause);
    if (resumeState !== undefined) {
      err(`resume from the row after the last one written with: --resume-from ${resumeState.toString('hex')}`);
    } else if (rowsWritten === 0) {
      // a statement the server refused fails again as it is: no advice to repeat it
      err(isStatementError(cause) ? 'no row was written' : 'no row was written; run the same export again');
    }
    if (!toStdout) out.end();
  } finally {
    await connection.close().catch(() => undefined);
  }
  if (code === 0) {
    progress?.finish();
    const seconds = (performance.now() - started) / 1000;
    const target = toStdout ? 'stdout' : o.out;
    err(
      `exported ${groupDigits(rowsWritten)} rows in ${groupDigits(pagesWritten)} pages to ${target} in ${seconds.toFixed(1)} s (${groupDigits(seconds > 0 ? rowsWritten / seconds : 0)} rows/s)`,
    );
  }
  out.off('error', noteOutputError);
  return code;
}
