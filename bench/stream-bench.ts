/**
 * Streaming rows/s (the stream goal of bench/README.md): cqlwire `for await` over
 * `session.executeStream`, cassandra-driver `client.stream()` and `eachRow` with autoPage, and the
 * raw socket client, all reading the same rows from the same embedded server, in interleaved rounds
 * (A B C D A B C D ...) at each fetch size, after one untimed run of each at each fetch size, with
 * a full GC before every timed run. Every cell of every row is read by the consumer (the raw client
 * only walks the cell lengths: the transport limit).
 */
import type { CqlwireClient } from './cqlwire-client.js';
import type { DriverClient } from './driver-client.js';
import type { RawClient } from './raw-client.js';
import type { ReadTally } from './read-rows.js';
import { median } from './stats.js';

/** The clients of the streaming benchmark, in round order. */
export const STREAM_CLIENTS = ['cqlwire', 'driverStream', 'driverEachRow', 'raw'] as const;
export type StreamClientName = (typeof STREAM_CLIENTS)[number];

export const STREAM_CLIENT_LABELS: Record<StreamClientName, string> = {
  cqlwire: 'cqlwire executeStream (for await)',
  driverStream: 'cassandra-driver client.stream()',
  driverEachRow: 'cassandra-driver eachRow autoPage',
  raw: 'raw socket (cell lengths only)',
};

/** One fetch size's figures: rows/s per round and the median, per client (null: not available). */
export interface StreamFetchSizeResult {
  fetchSize: number;
  rowsPerSecond: Record<StreamClientName, number | null>;
  rounds: Record<StreamClientName, number[]>;
  ratios: { cqlwireVsDriverStream: number | null; cqlwireVsDriverEachRow: number | null; cqlwireVsRaw: number | null };
}

export interface StreamResult {
  rowsPerRound: number;
  rounds: number;
  cqlwireStreamVia: string | null;
  bySize: StreamFetchSizeResult[];
  /** False if some client read a different row count or checksum (each mismatch is listed). */
  consistent: boolean;
  mismatches: string[];
}

/** What the stream benchmark needs connected. */
export interface StreamContestants {
  cqlwire: CqlwireClient | undefined;
  driver: DriverClient;
  raw: RawClient;
}

/** The function that reads the query at one fetch size for each client, or undefined. */
function runners(
  c: StreamContestants,
): Record<StreamClientName, ((q: string, fetchSize: number) => Promise<ReadTally>) | undefined> {
  const stream = c.cqlwire?.stream;
  return {
    cqlwire: stream,
    driverStream: (q, f) => c.driver.stream(q, f),
    driverEachRow: (q, f) => c.driver.eachRow(q, f),
    raw: async (q, f) => {
      const r = await c.raw.countAll(q, f);
      return { rows: r.rows, checksum: Number.NaN };
    },
  };
}

/**
 * A full collection before each timed run when the process was started with --expose-gc (as
 * `npm run bench` does), so no client pays for the garbage the previous one left.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs the interleaved rounds; `log` gets one line per round. */
export async function runStreamBench(
  c: StreamContestants,
  table: string,
  rowsPerRound: number,
  fetchSizes: readonly number[],
  rounds: number,
  log: (line: string) => void,
): Promise<StreamResult> {
  const query = `SELECT * FROM ${table} LIMIT ${rowsPerRound}`;
  const run = runners(c);
  const mismatches: string[] = [];
  let reference: number | undefined;
  // Warm-up (not measured): JIT, statement preparation, connection pools, at every fetch size.
  // The measured query itself is used, so each client's statement and row shape are the ones
  // it is measured with.
  for (const fetchSize of fetchSizes) for (const name of STREAM_CLIENTS) await run[name]?.(query, fetchSize);

  const bySize: StreamFetchSizeResult[] = [];
  for (const fetchSize of fetchSizes) {
    const samples = Object.fromEntries(STREAM_CLIENTS.map((n) => [n, [] as number[]])) as Record<
      StreamClientName,
      number[]
    >;
    for (let round = 1; round <= rounds; round++) {
      const parts: string[] = [];
      for (const name of STREAM_CLIENTS) {
        const fn = run[name];
        if (fn === undefined) continue;
        collectGarbage();
        const t0 = process.hrtime.bigint();
        const tally = await fn(query, fetchSize);
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        if (tally.rows !== rowsPerRound)
          mismatches.push(
            `${name} fetchSize ${fetchSize} round ${round}: ${tally.rows} rows, expected ${rowsPerRound}`,
          );
        if (!Number.isNaN(tally.checksum)) {
          reference ??= tally.checksum;
          if (Math.abs(tally.checksum - reference) > 1e-6 * Math.abs(reference))
            mismatches.push(
              `${name} fetchSize ${fetchSize} round ${round}: checksum ${tally.checksum} != ${reference}`,
            );
        }
        const rate = tally.rows / seconds;
        samples[name].push(rate);
        parts.push(`${name} ${Math.round(rate).toLocaleString('en-US')}`);
      }
      log(`  stream fetchSize ${fetchSize} round ${round}/${rounds}: ${parts.join(', ')} rows/s`);
    }
    const med = Object.fromEntries(
      STREAM_CLIENTS.map((n) => [n, samples[n].length > 0 ? median(samples[n]) : null]),
    ) as Record<StreamClientName, number | null>;
    const r = (a: number | null, b: number | null): number | null =>
      a === null || b === null || b === 0 ? null : a / b;
    bySize.push({
      fetchSize,
      rowsPerSecond: med,
      rounds: samples,
      ratios: {
        cqlwireVsDriverStream: r(med.cqlwire, med.driverStream),
        cqlwireVsDriverEachRow: r(med.cqlwire, med.driverEachRow),
        cqlwireVsRaw: r(med.cqlwire, med.raw),
      },
    });
  }
  return {
    rowsPerRound,
    rounds,
    cqlwireStreamVia: c.cqlwire?.streamVia ?? null,
    bySize,
    consistent: mismatches.length === 0,
    mismatches,
  };
}
