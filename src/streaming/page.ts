import type { Row, RowColumn, RowsPage } from '../protocol/rows/index.js';

/**
 * One page of a stream as `pages()` hands it out: the zero-copy `RowsPage` the rows live in plus
 * the page's number. Array-like and iterable; rows decode their cells from the page's buffer when
 * read, so a page (and its buffer) stays alive while any of its rows is referenced.
 */
export class Page<R = Row> implements Iterable<R> {
  /** 1 for the first page handed to the consumer; empty pages are never counted. */
  readonly pageNumber: number;
  /** The server's paging state after this page; undefined on the last page. */
  readonly pagingState: Buffer | undefined;
  /** The decoded page itself. */
  readonly rowsPage: RowsPage;

  constructor(rowsPage: RowsPage, pageNumber: number, pagingState: Buffer | undefined) {
    this.rowsPage = rowsPage;
    this.pageNumber = pageNumber;
    this.pagingState = pagingState;
  }

  /** Number of rows on the page (never 0: empty pages are skipped). */
  get length(): number {
    return this.rowsPage.length;
  }

  get columns(): readonly RowColumn[] {
    return this.rowsPage.columns;
  }

  /** The row at `index` (0-based). */
  row(index: number): R {
    return this.rowsPage.row(index) as unknown as R;
  }

  /** Every row of the page as an array (made once per page). */
  get rows(): R[] {
    return this.rowsPage.rows as unknown as R[];
  }

  [Symbol.iterator](): Iterator<R> {
    return this.rowsPage[Symbol.iterator]() as unknown as Iterator<R>;
  }
}
