/**
 * Runs one statement and prints its result, for `cqlwire query` and `cqlwire shell`: page by page
 * (`fetchSize` rows each) as an aligned table (or expanded, one line per column), CSV or NDJSON.
 * CSV and NDJSON are written page by page in bounded memory. A table is printed per page when
 * paging (the caller is asked whether to go on after each page), else once, after the last page.
 */
import type { Consistency } from '../protocol/consistency.js';
import type { ExecuteOptions, ResultSet } from '../session/index.js';
import { type CellText, cellTextOf } from './cell-text.js';
import { CsvEncoder } from './csv-encoder.js';
import { NdjsonEncoder } from './ndjson-encoder.js';
import { escapeControls, formatExpanded, formatTable, rowCountLine } from './result-table.js';

/** The output formats of `cqlwire query`. */
export const OUTPUT_FORMATS = ['table', 'csv', 'ndjson'] as const;

/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How a statement runs and prints. */
export interface OutputSettings {
  format: OutputFormat;
  /** Rows per page. */
  fetchSize: number;
  /** Table output only: print each page and ask before fetching the next. */
  page: boolean;
  /** Table output only: one line per column (cqlsh `EXPAND ON`). */
  expand: boolean;
  consistency: Consistency;
  timeoutMs: number;
}

/** What the printer needs of a session. */
export interface StatementSession {
  execute(statement: string, params?: null, options?: ExecuteOptions): Promise<ResultSet>;
}

/** Where the printer writes, and how it asks whether to show the next page. */
export interface StatementIo {
  /** Writes output; resolves once it is accepted (so a slow pipe slows the reads). */
  write(text: string): Promise<void>;
  /** Server warnings, one line each. */
  warn(line: string): void;
  /** Asked after each page when paging; false stops the statement. */
  more(): Promise<boolean>;
}

/** What a statement gave back. */
export interface StatementOutcome {
  /** The result kind: 'rows', 'void', 'setKeyspace' or 'schemaChange'. */
  kind: ResultSet['kind'];
  /** Rows printed. */
  rows: number;
}

/** Runs `text` and prints its result as `settings` say. Rejects with the statement's error. */
export async function runStatement(
  session: StatementSession,
  text: string,
  settings: OutputSettings,
  io: StatementIo,
): Promise<StatementOutcome> {
  let pagingState: Buffer | undefined;
  let rows = 0;
  let names: string[] | undefined;
  let cellTexts: CellText[] = [];
  let csv: CsvEncoder | undefined;
  let ndjson: NdjsonEncoder | undefined;
  const collected: string[][] = [];
  const table = settings.format === 'table';
  for (;;) {
    const rs = await session.execute(text, null, {
      fetchSize: settings.fetchSize,
      consistency: settings.consistency,
      timeoutMs: settings.timeoutMs,
      ...(pagingState !== undefined ? { pagingState } : {}),
    });
    for (const warning of rs.info.warnings) io.warn(`Warning: ${warning}`);
    const page = rs.page;
    if (rs.kind !== 'rows' || page === undefined) return { kind: rs.kind, rows };
    if (names === undefined) {
      names = page.columns.map((c) => c.name);
      cellTexts = page.columns.map((c) => cellTextOf(c.type));
      if (settings.format === 'csv') csv = new CsvEncoder(page.columns);
      else if (settings.format === 'ndjson') ndjson = new NdjsonEncoder(page.columns);
      if (csv !== undefined) await io.write(csv.header());
    }
    if (csv !== undefined) await io.write(csv.rows(page));
    else if (ndjson !== undefined) await io.write(ndjson.rows(page));
    else {
      const texts: string[][] = [];
      for (let i = 0; i < page.length; i++) {
        const row: string[] = new Array<string>(cellTexts.length);
        for (let j = 0; j < cellTexts.length; j++) row[j] = escapeControls(cellTexts[j]!(page.cell(i, j)));
        texts.push(row);
      }
      if (settings.page) {
        if (texts.length > 0 || rows === 0) await io.write(block(names, texts, settings.expand, rows + 1));
      } else collected.push(...texts);
    }
    rows += page.length;
    pagingState = rs.pagingState;
    if (pagingState === undefined) break;
    if (table && settings.page && page.length > 0 && !(await io.more())) break;
  }
  if (table) {
    if (!settings.page) await io.write(block(names, collected, settings.expand, 1));
    await io.write(rowCountLine(rows));
  }
  return { kind: 'rows', rows };
}

function block(names: readonly string[], rows: readonly (readonly string[])[], expand: boolean, first: number): string {
  return expand ? formatExpanded(names, rows, first) : formatTable(names, rows);
}
