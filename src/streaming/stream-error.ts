import { CqlwireError } from '../protocol/errors/index.js';

/** Where a stream stood when it failed: enough to resume it by hand. */
export interface StreamPosition {
  /** Rows of every page fully delivered to the consumer. */
  readonly totalRowsFetched: number;
  /** Number of pages fully delivered to the consumer. */
  readonly pageNumber: number;
  /**
   * The paging state after the last fully delivered page: `executeStream(..., { pagingState })`
   * continues with the first row the consumer has not received in full pages. Undefined when no
   * page was delivered and the stream started from the beginning.
   */
  readonly pagingState: Buffer | undefined;
}

/**
 * A JSON resume point of a read made of several page chains: a table scan's `ScanCheckpoint`,
 * which `session.scanTable(table, { checkpoint })` continues from. Only its format is known here;
 * the scan reads and checks the rest.
 */
export interface StreamCheckpoint {
  readonly format: string;
}

/**
 * The only error a stream's iteration throws (docs/architecture.md "Streaming semantics"). `cause`
 * is the typed error that ended it: a `ServerError` subclass, `RequestTimeoutError`, a connection
 * error, what a `pageCallback` threw, or the `AbortSignal`'s reason. The position fields describe
 * the last *fully delivered* page, so resuming from `pagingState` neither loses nor repeats a row
 * of a page that was handed out whole.
 */
export class StreamError extends CqlwireError implements StreamPosition {
  readonly totalRowsFetched: number;
  readonly pageNumber: number;
  readonly pagingState: Buffer | undefined;
  /** Set by a table scan: where a new scan resumes so that it yields exactly the rows not yet received. */
  readonly checkpoint: StreamCheckpoint | undefined;
  override readonly cause: unknown;

  constructor(message: string, cause: unknown, position: StreamPosition, checkpoint?: StreamCheckpoint) {
    super(
      `${message} after ${position.pageNumber} page(s) and ${position.totalRowsFetched} row(s): ${describe(cause)}`,
      { cause },
    );
    this.cause = cause;
    this.totalRowsFetched = position.totalRowsFetched;
    this.pageNumber = position.pageNumber;
    this.pagingState = position.pagingState;
    this.checkpoint = checkpoint;
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
