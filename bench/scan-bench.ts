/**
 * `npm run bench -- scan`: whole-table scans against a 3-node embedded cluster in its own process
 * (SimpleStrategy rf 1, 16 tokens per node), the table of `--scan-rows` rows (default 3,000,000):
 * (a) `scanTable` concurrency 16 vs one `executeStream`, with 10 ms primed on every 1,000-row page
 *     request (a real node's range read over a network): the goal is >= 6x;
 * (b) the same with no delay and 5,000-row pages: the goal is >= 0.9x;
 * (c) peak RSS of a scan, one fresh process per table size, against
 *     concurrency x (1 + prefetch) x page bytes + 48 MiB over the baseline, and flat (within 10%)
 *     from the smallest size to the largest;
 * (d) `cqlwire export --table --parallel 16` vs a query `cqlwire export` with the delay, and
 *     `--workers 2` vs `--workers 1` without.
 */
import type { BenchOptions } from './bench-options.js';
import { KEYSPACE } from './bench-table.js';
import { type CliExportRun, runCliExport } from './scan-cli-bench.js';
import type { ScanMemoryReport } from './scan-memory-child.js';
import { connectScanClient, runScanSpeed, type ScanSpeedResult } from './scan-speed.js';
import { forkBench, nextMessage, type ServerProcess, startServerProcess } from './server-handle.js';

/** Nodes of the scan part's cluster. */
export const SCAN_NODES = 3;
const SCAN_TABLE = 'scan_rows';
const DELAY_MS = 10;
const DELAY_FETCH_SIZE = 1000;
const FETCH_SIZE = 5000;
const CONCURRENCY = 16;
const PREFETCH = 1;
const MIB = 1048576;

/** One memory run: a scan of a table of `rows` rows in a fresh process. */
export interface ScanMemoryRun {
  rows: number;
  /** The scan ran with `recyclePages: true` (page memory reused once the consumer moved past it). */
  recyclePages: boolean;
  seconds: number;
  baselineRss: number;
  peakRss: number;
  maxPageBytes: number;
  /** concurrency x (1 + prefetch) x maxPageBytes + 48 MiB. */
  bound: number;
  withinBound: boolean;
  samples: [number, number][];
}

/** Every figure of the scan part. */
export interface ScanResult {
  rows: number;
  nodes: number;
  loadSeconds: number;
  delayed: ScanSpeedResult;
  undelayed: ScanSpeedResult;
  memory: {
    concurrency: number;
    prefetchPages: number;
    fetchSize: number;
    runs: ScanMemoryRun[];
    /** Peak RSS of the largest table / the smallest, without recyclePages. */
    peakGrowth: number | null;
    /** The same with recyclePages. */
    recycledPeakGrowth: number | null;
  };
  cli: {
    queryExport: CliExportRun;
    parallelExport: CliExportRun;
    parallelVsQuery: number;
    workers1: CliExportRun;
    workers2: CliExportRun;
    workers2VsWorkers1: number;
  };
}

function isReport(m: unknown): m is ScanMemoryReport {
  return typeof m === 'object' && m !== null && 'type' in m;
}

function everyOther<T>(samples: readonly T[], max: number): T[] {
  if (samples.length <= max) return [...samples];
  const step = samples.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(samples[Math.floor(i * step)]!);
  out.push(samples[samples.length - 1]!);
  return out;
}

async function memoryRun(
  server: ServerProcess,
  table: string,
  rows: number,
  recyclePages: boolean,
): Promise<ScanMemoryRun> {
  const child = forkBench('./scan-memory-child.ts', [
    server.host,
    String(server.port),
    `${KEYSPACE}.${table}`,
    String(CONCURRENCY),
    String(FETCH_SIZE),
    String(PREFETCH),
    recyclePages ? 'recycle' : 'keep',
  ]);
  const report = await nextMessage(child, isReport, 900_000);
  await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  if (report.type !== 'done') throw new Error(`scan memory child failed: ${report.message}`);
  if (report.rows !== rows) throw new Error(`scan memory child read ${report.rows} rows, not ${rows}`);
  const bound = CONCURRENCY * (1 + PREFETCH) * report.maxPageBytes + 48 * MIB;
  return {
    rows,
    recyclePages,
    seconds: report.seconds,
    baselineRss: report.baselineRss,
    peakRss: report.peakRss,
    maxPageBytes: report.maxPageBytes,
    bound,
    withinBound: report.peakRss - report.baselineRss <= bound,
    samples: everyOther(report.samples, 400),
  };
}

/** Runs the whole scan part with a server process of its own. */
export async function runScanBench(o: BenchOptions, log: (line: string) => void): Promise<ScanResult> {
  const rows = o.scanRows;
  log(
    `scan: starting a ${SCAN_NODES}-node embedded server in its own process, loading ${rows.toLocaleString('en-US')} rows ...`,
  );
  const server = await startServerProcess([{ name: SCAN_TABLE, rows }], { nodes: SCAN_NODES, tokensPerNode: 16 });
  log(`  loaded in ${server.loadSeconds.toFixed(1)} s, server RSS ${(server.rssAfterLoad / MIB).toFixed(0)} MiB`);
  const table = `${KEYSPACE}.${SCAN_TABLE}`;
  const contactPoint = `${server.host}:${server.port}`;
  try {
    const client = await connectScanClient(server.host, server.port, table);
    let delayed: ScanSpeedResult;
    let undelayed: ScanSpeedResult;
    try {
      undelayed = await runScanSpeed(
        client,
        { delayMsPerPage: 0, fetchSize: FETCH_SIZE, concurrency: CONCURRENCY, rounds: o.rounds, expectedRows: rows },
        log,
      );
      await server.primeDelay(`FROM ${table}`, DELAY_MS);
      delayed = await runScanSpeed(
        client,
        {
          delayMsPerPage: DELAY_MS,
          fetchSize: DELAY_FETCH_SIZE,
          concurrency: CONCURRENCY,
          rounds: Math.min(3, o.rounds),
          expectedRows: rows,
        },
        log,
      );
    } finally {
      await client.close();
    }
    // (d) with the delay still primed: the query export against the parallel one
    const fetch = ['--fetch-size', String(DELAY_FETCH_SIZE)];
    log('  scan cli: cqlwire export (query), 10 ms/page ...');
    const queryExport = await runCliExport(
      'cqlwire export (query)',
      [`SELECT * FROM ${table}`, ...fetch],
      contactPoint,
      rows,
    );
    log(`    ${Math.round(queryExport.rowsPerSecond).toLocaleString('en-US')} rows/s`);
    const tableArgs = ['--table', table, '--parallel', String(CONCURRENCY)];
    log('  scan cli: cqlwire export --table --parallel 16, 10 ms/page ...');
    const parallelExport = await runCliExport(
      'cqlwire export --parallel 16',
      [...tableArgs, ...fetch],
      contactPoint,
      rows,
    );
    log(`    ${Math.round(parallelExport.rowsPerSecond).toLocaleString('en-US')} rows/s`);
    await server.primeDelay('', 0);
    const workers: CliExportRun[] = [];
    for (const n of [1, 2]) {
      log(`  scan cli: cqlwire export --table --parallel 16 --workers ${n}, no delay ...`);
      const run = await runCliExport(
        `cqlwire export --parallel 16 --workers ${n}`,
        [...tableArgs, '--workers', String(n), '--fetch-size', String(FETCH_SIZE)],
        contactPoint,
        rows,
      );
      log(`    ${Math.round(run.rowsPerSecond).toLocaleString('en-US')} rows/s`);
      workers.push(run);
    }
    // (c) the memory runs' tables are loaded last: a server holding more rows spends more time in GC
    const memoryRuns: ScanMemoryRun[] = [];
    for (const n of o.scanMemoryRows) {
      const name = `scan_memory_${n}`;
      log(`  scan memory: loading ${n.toLocaleString('en-US')} rows ...`);
      await server.load([{ name, rows: n }]);
      for (const recyclePages of [false, true]) {
        const run = await memoryRun(server, name, n, recyclePages);
        log(
          `  scan memory ${n.toLocaleString('en-US')} rows${recyclePages ? ', recyclePages' : ''}: peak RSS ${(run.peakRss / MIB).toFixed(1)} MiB (baseline ${(run.baselineRss / MIB).toFixed(1)}, bound +${(run.bound / MIB).toFixed(1)}), ${run.seconds.toFixed(1)} s`,
        );
        memoryRuns.push(run);
      }
    }
    const growth = (recycled: boolean): number | null => {
      const runs = memoryRuns.filter((r) => r.recyclePages === recycled);
      const lo = runs[0];
      const hi = runs[runs.length - 1];
      return lo !== undefined && hi !== undefined && lo !== hi ? hi.peakRss / lo.peakRss : null;
    };
    return {
      rows,
      nodes: SCAN_NODES,
      loadSeconds: server.loadSeconds,
      delayed,
      undelayed,
      memory: {
        concurrency: CONCURRENCY,
        prefetchPages: PREFETCH,
        fetchSize: FETCH_SIZE,
        runs: memoryRuns,
        peakGrowth: growth(false),
        recycledPeakGrowth: growth(true),
      },
      cli: {
        queryExport,
        parallelExport,
        parallelVsQuery: parallelExport.rowsPerSecond / queryExport.rowsPerSecond,
        workers1: workers[0]!,
        workers2: workers[1]!,
        workers2VsWorkers1: workers[1]!.rowsPerSecond / workers[0]!.rowsPerSecond,
      },
    };
  } finally {
    await server.stop();
  }
}
