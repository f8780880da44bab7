/**
 * Peak RSS while reading N rows (the memory goal of bench/README.md): cqlwire streaming (plain
 * `for await`, and over `rows({ recyclePages: true })`), cqlwire execute-all (every page collected
 * before the rows are read) and cassandra-driver `client.stream()`, each measurement in a fresh
 * child process against the server's own process.
 * Streaming must stay flat: the largest run's peak within 10% of the smallest run's.
 */
import type { MemoryChildReport, MemoryClientName } from './memory-child.js';
import { MEMORY_CLIENTS } from './memory-child.js';
import { forkBench, nextMessage } from './server-handle.js';

export const MEMORY_CLIENT_LABELS: Record<MemoryClientName, string> = {
  cqlwireStream: 'cqlwire executeStream',
  cqlwireStreamRecycled: 'cqlwire executeStream, rows({ recyclePages })',
  cqlwireExecuteAll: 'cqlwire execute + all()',
  driverStream: 'cassandra-driver client.stream()',
};

/** One client at one row count. */
export interface MemoryRun {
  client: MemoryClientName;
  rows: number;
  status: 'ok' | 'unavailable' | 'error';
  detail?: string;
  seconds?: number;
  rowsPerSecond?: number;
  baselineRss?: number;
  peakRss?: number;
  peakHeapUsed?: number;
  /** Subsampled [ms, RSS bytes] for the chart. */
  samples?: [number, number][];
}

export interface MemoryResult {
  fetchSize: number;
  runs: MemoryRun[];
  /** cqlwire streaming: peak RSS at the largest count / at the smallest (the goal: <= 1.10). */
  streamingPeakGrowth: number | null;
}

/** Keeps at most `max` samples, evenly spaced, always with the last one (the chart needs no more). */
export function thinSamples(samples: readonly [number, number][], max: number): [number, number][] {
  if (samples.length <= max) return samples.map((s) => [s[0], s[1]]);
  const out: [number, number][] = [];
  const step = (samples.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) {
    const s = samples[Math.round(i * step)]!;
    out.push([s[0], s[1]]);
  }
  return out;
}

function isReport(m: unknown): m is MemoryChildReport {
  return typeof m === 'object' && m !== null && 'type' in m;
}

/** Runs every client at every row count, one child process each. */
export async function runMemoryBench(
  host: string,
  port: number,
  table: string,
  rowCounts: readonly number[],
  fetchSize: number,
  log: (line: string) => void,
): Promise<MemoryResult> {
  const runs: MemoryRun[] = [];
  for (const rows of rowCounts) {
    for (const client of MEMORY_CLIENTS) {
      const query = `SELECT * FROM ${table} LIMIT ${rows}`;
      // execute-all holds every row: give it heap enough to finish rather than die at V8's default limit.
      const child = forkBench(
        './memory-child.ts',
        [client, host, String(port), query, String(fetchSize)],
        ['--max-old-space-size=12288'],
      );
      let report: MemoryChildReport;
      try {
        report = await nextMessage(child, isReport, 900_000);
      } catch (err) {
        report = { type: 'error', message: err instanceof Error ? err.message : String(err) };
      }
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
      if (report.type === 'done') {
        runs.push({
          client,
          rows,
          status: report.rows === rows ? 'ok' : 'error',
          ...(report.rows === rows ? {} : { detail: `read ${report.rows} rows` }),
          seconds: report.seconds,
          rowsPerSecond: report.rows / report.seconds,
          baselineRss: report.baselineRss,
          peakRss: report.peakRss,
          peakHeapUsed: report.peakHeapUsed,
          samples: thinSamples(report.samples, 400),
        });
        log(
          `  memory ${client} ${rows.toLocaleString('en-US')} rows: peak RSS ${(report.peakRss / 1048576).toFixed(1)} MiB, ${report.seconds.toFixed(1)} s`,
        );
      } else {
        const detail = report.type === 'unavailable' ? report.reason : report.message;
        runs.push({ client, rows, status: report.type === 'unavailable' ? 'unavailable' : 'error', detail });
        log(
          `  memory ${client} ${rows.toLocaleString('en-US')} rows: ${report.type === 'unavailable' ? 'cqlwire: not available yet' : 'failed'} (${detail.split('\n')[0]})`,
        );
      }
    }
  }
  const streaming = runs.filter((r) => r.client === 'cqlwireStream' && r.status === 'ok');
  const lo = streaming.find((r) => r.rows === Math.min(...rowCounts));
  const hi = streaming.find((r) => r.rows === Math.max(...rowCounts));
  const streamingPeakGrowth = lo && hi && lo !== hi ? hi.peakRss! / lo.peakRss! : null;
  return { fetchSize, runs, streamingPeakGrowth };
}
