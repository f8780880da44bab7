import type { Host } from '../cluster/index.js';
import { anchorMap } from '../protocol/map-anchors.js';
import type { ColumnSpec, CustomPayload, SchemaChange } from '../protocol/messages/index.js';
import type { Row, RowsPage } from '../protocol/rows/index.js';
import type { Uuid } from '../protocol/types/index.js';

/** How a request went: who answered and what the server said besides the result. */
export interface ExecutionInfo {
  /** The node that coordinated the request. */
  readonly coordinator: Host;
  /** Every host tried, in order (the last one answered). */
  readonly triedHosts: readonly Host[];
  /** Warnings the server attached (v4+), e.g. a large batch or too many tombstones. */
  readonly warnings: readonly string[];
  /** The tracing session id, when tracing was asked for. */
  readonly tracingId: Uuid | undefined;
  /** The server's custom payload, if any. */
  readonly customPayload: CustomPayload | undefined;
}

/** The kind of RESULT the server answered with. */
export type ResultKind = 'rows' | 'void' | 'setKeyspace' | 'schemaChange';

/** Fetches the page after `pagingState` of the same statement. */
export type NextPageFetcher = (pagingState: Buffer) => Promise<ResultSet>;

const NO_ROWS: Row[] = [];

/**
 * The answer to `session.execute()`: one page of rows (backed by the zero-copy `RowsPage`: a row
 * decodes its cells from the page's bytes when read), the columns, the paging state to continue
 * from, and `info` about the request. Iterating it yields this page's rows; `all()` also fetches
 * the remaining pages. `R` types the rows (`session.execute<User>(...)`, as `executeStream<R>()`):
 * it is the caller's word for what the columns hold, not checked against them.
 */
export class ResultSet<R = Row> implements Iterable<R> {
  readonly kind: ResultKind;
  readonly info: ExecutionInfo;
  /** The result columns ([] for results without rows). */
  readonly columns: readonly ColumnSpec[];
  /** Where the next page starts; undefined on the last page. */
  readonly pagingState: Buffer | undefined;
  /** The page of rows (undefined for results without rows). */
  readonly page: RowsPage | undefined;
  /** For `kind === 'schemaChange'`: what changed. */
  readonly schemaChange: SchemaChange | undefined;
  /** For `kind === 'setKeyspace'`: the keyspace now in use. */
  readonly keyspace: string | undefined;
  private readonly fetchNext: NextPageFetcher | undefined;

  constructor(init: {
    kind: ResultKind;
    info: ExecutionInfo;
    columns?: readonly ColumnSpec[];
    page?: RowsPage;
    schemaChange?: SchemaChange;
    keyspace?: string;
    fetchNext?: NextPageFetcher;
  }) {
    this.kind = init.kind;
    this.info = init.info;
    this.columns = init.columns ?? [];
    this.page = init.page;
    this.pagingState = init.page?.pagingState;
    this.schemaChange = init.schemaChange;
    this.keyspace = init.keyspace;
    this.fetchNext = init.fetchNext;
  }

  /** This page's rows (made once, on first access). */
  get rows(): R[] {
    return (this.page === undefined ? NO_ROWS : this.page.rows) as unknown as R[];
  }

  /** Number of rows on this page. */
  get rowLength(): number {
    return this.page?.length ?? 0;
  }

  /** The first row of this page, or null. */
  first(): R | null {
    return this.page !== undefined && this.page.length > 0 ? (this.page.row(0) as unknown as R) : null;
  }

  /** True when more pages follow this one. */
  get hasMorePages(): boolean {
    return this.pagingState !== undefined;
  }

  /**
   * Every row: this page's and, page by page, all the following ones. Holds them all in memory;
   * for large results use `session.executeStream()`.
   */
  async all(): Promise<R[]> {
    const out = this.rows.slice();
    let state = this.pagingState;
    while (state !== undefined && this.fetchNext !== undefined) {
      const next = await this.fetchNext(state);
      for (const row of next) out.push(row as unknown as R);
      state = next.pagingState;
    }
    return out;
  }

  /**
   * For a conditional statement (lightweight transaction, `IF ...`): whether it was applied, from
   * the `[applied]` column. Results without that column (ordinary statements) count as applied.
   */
  wasApplied(): boolean {
    const page = this.page;
    if (page === undefined || page.length === 0) return true;
    const j = page.columnIndex('[applied]');
    if (j < 0) return true;
    return page.cell(0, j) === true;
  }

  [Symbol.iterator](): Iterator<R> {
    const rows: Iterator<Row> = this.page === undefined ? NO_ROWS[Symbol.iterator]() : this.page[Symbol.iterator]();
    return rows as unknown as Iterator<R>;
  }
}

/** This class's map kept through full collections (protocol/map-anchors.ts). */
anchorMap(
  new ResultSet({
    kind: 'void',
    info: {
      coordinator: undefined as unknown as Host,
      triedHosts: [],
      warnings: [],
      tracingId: undefined,
      customPayload: undefined,
    },
  }),
);
