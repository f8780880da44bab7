/**
 * The scan part's speed measurements, in this process against the 3-node server process: one
 * `executeStream` of the whole table vs `session.scanTable` at concurrency 16, every cell of every
 * row read (read-rows.ts), in interleaved rounds (stream, scan, stream, scan, ...) after one
 * untimed run of each, with a full GC before every timed run; once with a service time primed on
 * every page request and once without.
 */
import { Cluster, type Row } from '../src/index.js';
import { type CqlwireBenchRow, foldCqlwireRow, type ReadTally } from './read-rows.js';
import { median } from './stats.js';

/** The two ways of reading the table. */
export const SCAN_READERS = ['executeStream', 'scanTable'] as const;
export type ScanReaderName = (typeof SCAN_READERS)[number];

/** One setting's figures (delayed or not). */
export interface ScanSpeedResult {
  /** Service time primed on every page request, ms (0: none). */
  delayMsPerPage: number;
  fetchSize: number;
  concurrency: number;
  rounds: number;
  /** Rows/s per round, and the medians. */
  roundsRowsPerSecond: Record<ScanReaderName, number[]>;
  rowsPerSecond: Record<ScanReaderName, number>;
  /** scanTable median / executeStream median. */
  ratio: number;
  /** False if the two read different row counts or checksums (each mismatch listed). */
  consistent: boolean;
  mismatches: string[];
}

/** A connected client for the speed runs. */
export interface ScanSpeedClient {
  read(reader: ScanReaderName, fetchSize: number, concurrency: number): Promise<ReadTally>;
  close(): Promise<void>;
}

/** Connects one cqlwire Cluster to the server process; `table` is `keyspace.table`. */
export async function connectScanClient(host: string, port: number, table: string): Promise<ScanSpeedClient> {
  const cluster = new Cluster({ contactPoints: [`${host}:${port}`], localDataCenter: 'datacenter1' });
  const session = await cluster.connect();
  return {
    async read(reader, fetchSize, concurrency) {
      let rows = 0;
      let checksum = 0;
      const source: AsyncIterable<Row> =
        reader === 'executeStream'
          ? await session.executeStream(`SELECT * FROM ${table}`, [], { fetchSize, prefetchPages: 1 })
          : await session.scanTable(table, { concurrency, fetchSize, prefetchPages: 1 });
      for await (const row of source) {
        checksum += foldCqlwireRow(row as unknown as CqlwireBenchRow);
        rows++;
      }
      return { rows, checksum };
    },
    close: () => cluster.shutdown(),
  };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * Reads the table with both readers, `rounds` times each, interleaved. The two sums of a float
 * column come in different orders, so checksums are compared to 1e-9 relative.
 */
export async function runScanSpeed(
  client: ScanSpeedClient,
  settings: { delayMsPerPage: number; fetchSize: number; concurrency: number; rounds: number; expectedRows: number },
  log: (line: string) => void,
): Promise<ScanSpeedResult> {
  const { fetchSize, concurrency, rounds } = settings;
  const perRound: Record<ScanReaderName, number[]> = { executeStream: [], scanTable: [] };
  const mismatches: string[] = [];
  let reference: ReadTally | undefined;
  const check = (reader: ScanReaderName, t: ReadTally): void => {
    if (t.rows !== settings.expectedRows)
      mismatches.push(`${reader} read ${t.rows} rows, not ${settings.expectedRows}`);
    reference ??= t;
    if (Math.abs(t.checksum - reference.checksum) > Math.abs(reference.checksum) * 1e-9)
      mismatches.push(`${reader} checksum ${t.checksum} != ${reference.checksum}`);
  };
  // no warm-up run under a primed delay: a delayed executeStream of the table takes most of a minute
  if (settings.delayMsPerPage === 0)
    for (const reader of SCAN_READERS) check(reader, await client.read(reader, fetchSize, concurrency));
  for (let round = 1; round <= rounds; round++) {
    for (const reader of SCAN_READERS) {
      gc();
      const t0 = performance.now();
      const tally = await client.read(reader, fetchSize, concurrency);
      const seconds = (performance.now() - t0) / 1000;
      check(reader, tally);
      perRound[reader].push(tally.rows / seconds);
      log(
        `  scan ${settings.delayMsPerPage > 0 ? `${settings.delayMsPerPage} ms/page` : 'no delay'} round ${round} ${reader}: ${Math.round(tally.rows / seconds).toLocaleString('en-US')} rows/s (${seconds.toFixed(1)} s)`,
      );
    }
  }
  const rowsPerSecond = { executeStream: median(perRound.executeStream), scanTable: median(perRound.scanTable) };
  return {
    delayMsPerPage: settings.delayMsPerPage,
    fetchSize,
    concurrency,
    rounds,
    roundsRowsPerSecond: perRound,
    rowsPerSecond,
    ratio: rowsPerSecond.scanTable / rowsPerSecond.executeStream,
    consistent: mismatches.length === 0,
    mismatches,
  };
}
