/**
 * Small-query throughput: prepared `SELECT * ... WHERE id = ?` executes, 256 in flight, cqlwire vs
 * cassandra-driver in interleaved rounds against the same server (goal in bench/README.md "Goals":
 * cqlwire at least 1.5x the driver). The raw client runs the same EXECUTEs as the transport limit.
 */
import type { CqlwireClient } from './cqlwire-client.js';
import type { DriverClient } from './driver-client.js';
import type { RawClient } from './raw-client.js';
import { median } from './stats.js';
import { collectGarbage } from './stream-bench.js';

export const SMALL_CLIENTS = ['cqlwire', 'driver', 'raw'] as const;
export type SmallClientName = (typeof SMALL_CLIENTS)[number];

export interface SmallResult {
  callsPerRound: number;
  totalCallsPerClient: number;
  concurrency: number;
  rounds: Record<SmallClientName, number[]>;
  callsPerSecond: Record<SmallClientName, number | null>;
  ratios: { cqlwireVsDriver: number | null; cqlwireVsRaw: number | null };
  target: number;
  errors: string[];
}

/** Runs `calls` executes of `one(i)` with `concurrency` in flight; returns calls/s. */
export async function runConcurrent(
  calls: number,
  concurrency: number,
  one: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) await one(next++);
  };
  collectGarbage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  return calls / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Interleaved rounds of small executes. `tableRows` bounds the ids asked for. */
export async function runSmallBench(
  c: { cqlwire: CqlwireClient | undefined; driver: DriverClient; raw: RawClient },
  table: string,
  tableRows: number,
  callsPerRound: number,
  concurrency: number,
  rounds: number,
  log: (line: string) => void,
): Promise<SmallResult> {
  const query = `SELECT * FROM ${table} WHERE id = ?`;
  const prepared = await c.raw.prepare(query);
  const idBytes = (i: number): Buffer => {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(i);
    return b;
  };
  // Ids spread over the table (a stride coprime with most sizes) so reads hit every partition.
  const id = (i: number): number => (i * 7919) % tableRows;
  const runs: Record<SmallClientName, ((i: number) => Promise<unknown>) | undefined> = {
    cqlwire: c.cqlwire ? (i) => c.cqlwire!.executeOne(query, [id(i)]) : undefined,
    driver: (i) => c.driver.executeOne(query, [id(i)]),
    raw: (i) => c.raw.execute(prepared, [idBytes(id(i))], 5),
  };
  const errors: string[] = [];
  for (const name of SMALL_CLIENTS) {
    const fn = runs[name];
    if (fn) await runConcurrent(Math.min(callsPerRound, 2000), concurrency, fn); // warm-up
  }
  const samples = Object.fromEntries(SMALL_CLIENTS.map((n) => [n, [] as number[]])) as Record<
    SmallClientName,
    number[]
  >;
  for (let round = 1; round <= rounds; round++) {
    const parts: string[] = [];
    for (const name of SMALL_CLIENTS) {
      const fn = runs[name];
      if (!fn) continue;
      try {
        const rate = await runConcurrent(callsPerRound, concurrency, fn);
        samples[name].push(rate);
        parts.push(`${name} ${Math.round(rate).toLocaleString('en-US')}`);
      } catch (err) {
        errors.push(`${name} round ${round}: ${err instanceof Error ? err.message : String(err)}`);
        parts.push(`${name} failed`);
      }
    }
    log(`  small round ${round}/${rounds}: ${parts.join(', ')} calls/s`);
  }
  const med = Object.fromEntries(
    SMALL_CLIENTS.map((n) => [n, samples[n].length > 0 ? median(samples[n]) : null]),
  ) as Record<SmallClientName, number | null>;
  const r = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);
  return {
    callsPerRound,
    totalCallsPerClient: callsPerRound * rounds,
    concurrency,
    rounds: samples,
    callsPerSecond: med,
    ratios: { cqlwireVsDriver: r(med.cqlwire, med.driver), cqlwireVsRaw: r(med.cqlwire, med.raw) },
    target: 1.5,
    errors,
  };
}
