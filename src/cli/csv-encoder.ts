/**
 * CSV for `cqlwire export` (RFC 4180, README "The command line"): a header row, CRLF
 * line ends, a field quoted when it holds a comma, a double quote, CR or LF (its quotes
 * doubled). A null cell is an empty unquoted field and an empty string is `""`, so the two stay
 * distinct; `nullText` replaces the null spelling.
 */
import type { RowColumn } from '../protocol/rows/index.js';
import type { TextOf } from '../protocol/types/value-json.js';
import { textOf } from '../protocol/types/value-json.js';

/** Where the encoder reads cells from: a `RowsPage` (or anything shaped like one). */
export interface CellSource {
  readonly length: number;
  cell(row: number, column: number): unknown;
}

/** Options of {@link CsvEncoder}. */
export interface CsvOptions {
  /** How a null cell is written; default the empty unquoted field. */
  readonly nullText?: string;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field: quoted when RFC 4180 §2.6 requires it (comma, quote, CR, LF), with embedded quotes
 * doubled (§2.7). An empty string is quoted too, because the empty unquoted field means null.
 */
export function csvField(text: string): string {
  if (text === '') return '""';
  if (!NEEDS_QUOTES.test(text)) return text;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Encodes rows of one result shape to CSV lines; the per-column formatters are made once. */
export class CsvEncoder {
  private readonly texts: readonly TextOf[];
  private readonly nullField: string;

  constructor(
    readonly columns: readonly RowColumn[],
    options: CsvOptions = {},
  ) {
    this.texts = columns.map((c) => textOf(c.type));
    // a null spelling that itself needs quoting is quoted, so it cannot break the row apart
    this.nullField = options.nullText === undefined || options.nullText === '' ? '' : csvField(options.nullText);
  }

  /** The header row: the column names, CRLF-terminated. */
  header(): string {
    return `${this.columns.map((c) => csvField(c.name)).join(',')}\r\n`;
  }

  /** One row from its decoded values, in column order, CRLF-terminated. */
  values(values: readonly unknown[]): string {
    let line = '';
    for (let j = 0; j < this.texts.length; j++) {
      if (j > 0) line += ',';
      line += this.field(j, values[j]);
    }
    return `${line}\r\n`;
  }

  /** Rows `from` to `to` (exclusive) of a page, straight from its cells (no Row objects). */
  rows(source: CellSource, from = 0, to = source.length): string {
    const n = this.texts.length;
    let out = '';
    for (let i = from; i < to; i++) {
      for (let j = 0; j < n; j++) {
        if (j > 0) out += ',';
        out += this.field(j, source.cell(i, j));
      }
      out += '\r\n';
    }
    return out;
  }

  private field(j: number, value: unknown): string {
    if (value === null || value === undefined) return this.nullField;
    return csvField(this.texts[j]!(value));
  }
}
