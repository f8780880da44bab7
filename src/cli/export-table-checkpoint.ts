/**
 * The checkpoint file of a table export: the scan's own checkpoint (exact to the row) plus what
 * the output holds at that point: its length in bytes and whether the CSV header is written. It
 * is rewritten after each page the output accepted, through a temporary file renamed over the
 * old one, so a kill at any moment leaves either the old or the new checkpoint, never half of one.
 * A resumed export first cuts the output back to the recorded length (rows written after the
 * last checkpoint, before the kill, would otherwise be written twice), then appends.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { ArgumentError } from '../protocol/errors/index.js';
import type { ScanCheckpoint } from '../scan/index.js';
import { readCheckpoint } from '../scan/index.js';

/** The `format` of an export checkpoint file. */
export const EXPORT_CHECKPOINT_FORMAT = 'cqlwire-table-export/1';

/** What an export checkpoint file holds. */
export interface ExportCheckpoint {
  readonly format: typeof EXPORT_CHECKPOINT_FORMAT;
  /** The table as given on the command line, and the columns asked for (null: every column). */
  readonly table: string;
  readonly columns: readonly string[] | null;
  readonly outputFormat: 'csv' | 'ndjson';
  readonly nullText: string | null;
  /** Bytes of the output that belong to the rows (and header) this checkpoint counts. */
  readonly outBytes: number;
  readonly headerWritten: boolean;
  readonly rowsWritten: number;
  /** True once every range was read and the output closed: a resume has nothing left to do. */
  readonly complete: boolean;
  readonly scan: ScanCheckpoint;
}

/** Writes `checkpoint` to `path` atomically (a temporary file in the same directory, renamed). */
export function writeExportCheckpoint(path: string, checkpoint: ExportCheckpoint): void {
  const temporary = `${path}.tmp-${process.pid}-${threadId}`;
  writeFileSync(temporary, `${JSON.stringify(checkpoint)}\n`);
  renameSync(temporary, path);
}

/** Reads a checkpoint file; undefined when there is none. Anything else wrong is an ArgumentError. */
export function readExportCheckpoint(path: string): ExportCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArgumentError(`${path} is not a checkpoint file (not JSON)`);
  }
  const c = value as Partial<Record<keyof ExportCheckpoint, unknown>> | null;
  if (typeof c !== 'object' || c?.format !== EXPORT_CHECKPOINT_FORMAT)
    throw new ArgumentError(`${path} is not a table export checkpoint (format '${EXPORT_CHECKPOINT_FORMAT}')`);
  const bad = (field: string): never => {
    throw new ArgumentError(`${path}: field ${field} is missing or malformed`);
  };
  if (typeof c.table !== 'string') bad('table');
  if (c.columns !== null && (!Array.isArray(c.columns) || c.columns.some((x) => typeof x !== 'string'))) bad('columns');
  if (c.outputFormat !== 'csv' && c.outputFormat !== 'ndjson') bad('outputFormat');
  if (c.nullText !== null && typeof c.nullText !== 'string') bad('nullText');
  for (const f of ['outBytes', 'rowsWritten'] as const) {
    const n = c[f];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) bad(f);
  }
  if (typeof c.headerWritten !== 'boolean') bad('headerWritten');
  if (typeof c.complete !== 'boolean') bad('complete');
  readCheckpoint(c.scan);
  return c as ExportCheckpoint;
}

/**
 * Why `checkpoint` does not fit the export asked for, or undefined when it does: the same table,
 * columns and output format must be asked for again (with --resume added).
 */
export function checkpointMismatch(
  checkpoint: ExportCheckpoint,
  asked: {
    readonly table: string;
    readonly columns: readonly string[] | undefined;
    readonly format: string;
    readonly nullText: string | undefined;
  },
): string | undefined {
  if (checkpoint.table !== asked.table) return `it is of an export of ${checkpoint.table}, not ${asked.table}`;
  const columns = (c: readonly string[] | null | undefined): string =>
    c === null || c === undefined ? '(every column)' : c.join(',');
  if (columns(checkpoint.columns) !== columns(asked.columns))
    return `it is of an export of the columns ${columns(checkpoint.columns)}, not ${columns(asked.columns)}`;
  if (checkpoint.outputFormat !== asked.format)
    return `it is of a ${checkpoint.outputFormat} export, not ${asked.format}`;
  if ((checkpoint.nullText ?? undefined) !== asked.nullText) return 'it is of an export with another --null-text';
  return undefined;
}
