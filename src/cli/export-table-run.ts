/**
 * One table export (or one shard of it) into one output: `session.scanTable()` page by page,
 * each page encoded with the query export's CSV / NDJSON encoders and written as one chunk; the
 * next page is taken only once the output accepted it (backpressure), and only then is the
 * checkpoint file rewritten, so the checkpoint never counts a row the output has not received.
 * Run in the command's own thread, or in each worker thread of `--workers`.
 */
import { createWriteStream, statSync, truncateSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { ScanPage, TableScan } from '../scan/index.js';
import type { Session } from '../session/index.js';
import { CsvEncoder } from './csv-encoder.js';
import {
  checkpointMismatch,
  EXPORT_CHECKPOINT_FORMAT,
  type ExportCheckpoint,
  readExportCheckpoint,
  writeExportCheckpoint,
} from './export-table-checkpoint.js';
import { NdjsonEncoder } from './ndjson-encoder.js';
import { writeChunk } from './output-chunk.js';

/** What one shard export reads and where it writes (plain data: it crosses to worker threads). */
export interface ShardExportSpec {
  readonly table: string;
  readonly columns: readonly string[] | undefined;
  readonly parallel: number | undefined;
  readonly splits: number | undefined;
  readonly shard: { readonly index: number; readonly count: number } | undefined;
  readonly fetchSize: number;
  readonly timeoutMs: number;
  readonly consistency: Consistency;
  readonly format: 'csv' | 'ndjson';
  readonly nullText: string | undefined;
  readonly header: boolean;
  /** A file, or `-` for `stdout`. */
  readonly out: string;
  readonly checkpoint: string | undefined;
  readonly resume: boolean;
}

/** Running totals after each page written. */
export interface ShardProgress {
  /** Rows in the output, those of the run(s) this one resumed included. */
  readonly rowsWritten: number;
  readonly pagesWritten: number;
  readonly rangesDone: number;
  readonly rangesTotal: number;
}

/** How a shard export ended. */
export type ShardExportResult =
  | {
      readonly status: 'done';
      readonly rowsThisRun: number;
      readonly progress: ShardProgress;
      readonly alreadyComplete: boolean;
    }
  | {
      readonly status: 'failed';
      readonly error: unknown;
      readonly rowsThisRun: number;
      readonly progress: ShardProgress;
    }
  /** Refused before any row was written: a mismatching checkpoint, an unknown table or column... */
  | { readonly status: 'refused'; readonly message: string };

/** Where the rows go and what stops the export. */
export interface ShardExportHooks {
  /** Where `--out -` writes. */
  readonly stdout?: Writable;
  readonly signal?: AbortSignal;
  /** Called after each page written and checkpointed. */
  onPage?(progress: ShardProgress): void;
}

/** The session a table export reads through. */
export type TableExportSession = Pick<Session, 'scanTable'>;

interface Encoder {
  rows(source: ScanPage['rowsPage'], from?: number): string;
}

function refused(message: string): ShardExportResult {
  return { status: 'refused', message };
}

function openFile(path: string, append: boolean): Promise<WriteStream> {
  const file = createWriteStream(path, { flags: append ? 'a' : 'w' });
  return new Promise<WriteStream>((resolve, reject) => {
    file.once('ready', () => {
      file.off('error', reject);
      resolve(file);
    });
    file.once('error', reject);
  });
}

function closeFile(out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

/** Exports the table (or the shard) `spec` names; never throws for a failure of the export itself. */
export async function exportShard(
  session: TableExportSession,
  spec: ShardExportSpec,
  hooks: ShardExportHooks = {},
): Promise<ShardExportResult> {
  let previous: ExportCheckpoint | undefined;
  if (spec.checkpoint !== undefined) {
    try {
      previous = readExportCheckpoint(spec.checkpoint);
    } catch (error) {
      return refused(`cannot use the checkpoint: ${(error as Error).message}`);
    }
  }
  if (spec.resume) {
    if (previous === undefined)
      return refused(
        `no checkpoint file ${spec.checkpoint ?? '(none)'}: nothing to resume (leave --resume out to start)`,
      );
    const why = checkpointMismatch(previous, spec);
    if (why !== undefined)
      return refused(
        `the checkpoint ${spec.checkpoint} does not fit this export: ${why}; resume with the same options`,
      );
  } else if (previous !== undefined && !previous.complete) {
    return refused(
      `${spec.checkpoint} holds the checkpoint of an unfinished export of ${previous.table} (${previous.rowsWritten} rows written): add --resume to continue it, or delete the file to start over`,
    );
  }
  const before: ShardProgress = {
    rowsWritten: previous?.rowsWritten ?? 0,
    pagesWritten: previous?.scan.pagesFetched ?? 0,
    rangesDone: 0,
    rangesTotal: 0,
  };
  if (spec.resume && previous?.complete === true)
    return { status: 'done', rowsThisRun: 0, progress: before, alreadyComplete: true };
  const resumeFrom = spec.resume ? previous : undefined;

  let scan: TableScan;
  try {
    scan = await session.scanTable(spec.table, {
      ...(spec.columns !== undefined ? { columns: spec.columns } : {}),
      ...(spec.parallel !== undefined ? { concurrency: spec.parallel } : {}),
      ...(spec.splits !== undefined && resumeFrom === undefined ? { splits: spec.splits } : {}),
      ...(spec.shard !== undefined ? { shard: spec.shard } : {}),
      ...(resumeFrom !== undefined ? { checkpoint: resumeFrom.scan } : {}),
      ...(hooks.signal !== undefined ? { signal: hooks.signal } : {}),
      fetchSize: spec.fetchSize,
      timeoutMs: spec.timeoutMs,
      consistency: spec.consistency,
    });
  } catch (error) {
    if (error instanceof ArgumentError) return refused(error.message.replace(/^scanTable: /, ''));
    return { status: 'failed', error, rowsThisRun: 0, progress: before };
  }

  let out: Writable;
  let outBytes = resumeFrom?.outBytes ?? 0;
  try {
    if (spec.out === '-') {
      out = hooks.stdout ?? process.stdout;
    } else {
      if (resumeFrom !== undefined) {
        // rows written after the last checkpoint (a kill between the two writes) are cut off
        const size = statSync(spec.out, { throwIfNoEntry: false })?.size ?? -1;
        if (size < outBytes) {
          scan.cancel();
          return refused(
            `${spec.out} has ${size < 0 ? 'gone' : `${size} bytes`}, fewer than the ${outBytes} the checkpoint counts: it is not the output this checkpoint belongs to`,
          );
        }
        truncateSync(spec.out, outBytes);
      }
      out = await openFile(spec.out, resumeFrom !== undefined);
    }
  } catch (error) {
    scan.cancel();
    return refused(`could not open ${spec.out}: ${(error as Error).message}`);
  }
  const noteOutputError = (): void => undefined;
  out.on('error', noteOutputError);

  let headerWritten = resumeFrom?.headerWritten ?? false;
  let rowsWritten = before.rowsWritten;
  let pagesWritten = before.pagesWritten;
  let rowsThisRun = 0;
  const save = (complete: boolean): void => {
    if (spec.checkpoint === undefined) return;
    writeExportCheckpoint(spec.checkpoint, {
      format: EXPORT_CHECKPOINT_FORMAT,
      table: spec.table,
      columns: spec.columns ?? null,
      outputFormat: spec.format,
      nullText: spec.nullText ?? null,
      outBytes,
      headerWritten,
      rowsWritten,
      complete,
      scan: scan.checkpoint(),
    });
  };
  const progress = (): ShardProgress => {
    const p = scan.progress;
    return { rowsWritten, pagesWritten, rangesDone: p.rangesDone, rangesTotal: p.rangesTotal };
  };

  let encoder: Encoder | undefined;
  try {
    if (resumeFrom === undefined) save(false);
    for await (const page of scan.pages()) {
      let chunk = '';
      if (encoder === undefined) {
        if (spec.format === 'csv') {
          const csv = new CsvEncoder(page.columns, spec.nullText !== undefined ? { nullText: spec.nullText } : {});
          if (spec.header && !headerWritten) chunk = csv.header();
          encoder = csv;
        } else {
          encoder = new NdjsonEncoder(page.columns);
        }
        headerWritten = true;
      }
      chunk += encoder.rows(page.rowsPage, page.first);
      await writeChunk(out, chunk);
      outBytes += Buffer.byteLength(chunk);
      rowsWritten += page.length;
      rowsThisRun += page.length;
      pagesWritten++;
      save(false);
      hooks.onPage?.(progress());
    }
    if (spec.out !== '-') await closeFile(out);
    save(true);
    return { status: 'done', rowsThisRun, progress: progress(), alreadyComplete: false };
  } catch (error) {
    scan.cancel();
    if (spec.out !== '-') out.end();
    return { status: 'failed', error, rowsThisRun, progress: progress() };
  } finally {
    out.off('error', noteOutputError);
  }
}
