/**
 * What every client's consumer does with a row: read every cell and fold it into a checksum, so
 * that no engine can skip the decoding and so that the clients can be checked against each other
 * (they read the same rows in the same token order, so their checksums are equal).
 */

/** Rows read and the checksum of their cells. */
export interface ReadTally {
  rows: number;
  checksum: number;
}

/** The cells of a benchmark row as cqlwire hands them out. */
export interface CqlwireBenchRow {
  readonly id: number;
  readonly name: string;
  readonly counter: bigint;
  readonly score: number;
  readonly created_at: Date;
}

/** The same row as cassandra-driver hands it out (bigint as a `Long`). */
export interface DriverBenchRow {
  readonly id: number;
  readonly name: string;
  readonly counter: { readonly low: number };
  readonly score: number;
  readonly created_at: Date;
}

/** Reads every cell of a cqlwire row; returns its contribution to the checksum. */
export function foldCqlwireRow(row: CqlwireBenchRow): number {
  return row.id + row.name.length + Number(row.counter & 0xffn) + row.score + (row.created_at.getTime() & 0xff);
}

/** Reads every cell of a cassandra-driver row; the same contribution as {@link foldCqlwireRow}. */
export function foldDriverRow(row: DriverBenchRow): number {
  return row.id + row.name.length + (row.counter.low & 0xff) + row.score + (row.created_at.getTime() & 0xff);
}
