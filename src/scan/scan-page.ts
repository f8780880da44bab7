import type { Row, RowColumn, RowsPage } from '../protocol/rows/index.js';

/** A token range of a scan: the tokens t with `start < t <= end`; `end = -2^63` is the end of the ring. */
export interface ScanRange {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * One page of a table scan as `scan.pages()` hands it out: rows of one token range, in token
 * order, backed by the page's bytes (zero-copy). A scan resumed in the middle of a page hands that
 * page from its first row not yet received, so `length` may be less than the server's page.
 */
export class ScanPage<R = Row> implements Iterable<R> {
  /** The token range the rows belong to. */
  readonly range: ScanRange;
  /** The server's page (all its rows, those before `first` included). */
  readonly rowsPage: RowsPage;
  /** The server's paging state after this page within its range; undefined on the range's last page. */
  readonly pagingState: Buffer | undefined;
  /** Index in `rowsPage` of the page's first row (not 0 only on a resumed range's first page). */
  readonly first: number;

  constructor(range: ScanRange, rowsPage: RowsPage, pagingState: Buffer | undefined, first: number) {
    this.range = range;
    this.rowsPage = rowsPage;
    this.pagingState = pagingState;
    this.first = first;
  }

  /** Rows on the page (never 0). */
  get length(): number {
    return this.rowsPage.length - this.first;
  }

  get columns(): readonly RowColumn[] {
    return this.rowsPage.columns;
  }

  /** The row at `index` (0-based, from `first`). */
  row(index: number): R {
    return this.rowsPage.row(this.first + index) as unknown as R;
  }

  /** Every row of the page as an array (made once per call). */
  get rows(): R[] {
    const all = this.rowsPage.rows as unknown as R[];
    return this.first === 0 ? all : all.slice(this.first);
  }

  *[Symbol.iterator](): Iterator<R> {
    const page = this.rowsPage;
    for (let i = this.first; i < page.length; i++) yield page.row(i) as unknown as R;
  }
}
