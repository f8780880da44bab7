/**
 * The embedded server's serving speed as the raw socket client sees it (goal in bench/README.md
 * "Goals": at least 5 million rows/s of the benchmark table on this machine). The client walks cell
 * lengths only, so the figure is what the server (and the loopback) can deliver, not what a client
 * decodes.
 */
import type { RawClient } from './raw-client.js';
import type { ServeChildReport } from './serve-child.js';
import { forkBench, nextMessage } from './server-handle.js';
import { median } from './stats.js';
import { collectGarbage } from './stream-bench.js';

export interface ServeResult {
  rowsPerRound: number;
  pageSize: number;
  /** The connection's compression (v5 lz4 segments, or none). */
  compression: 'none' | 'lz4';
  rounds: number[];
  rowsPerSecond: number;
  /** Megabytes of cell values per second (10^6 bytes). */
  cellMegabytesPerSecond: number;
  /** The raw client's own CPU time / wall time (median): well under 1 means the server is the limit. */
  clientCpuShare: number;
  /** The target, for the report. */
  target: number;
}

/** Pulls `rows` rows of `table` per round, `rounds` times (the client connected with `compression`). */
export async function runServeBench(
  raw: RawClient,
  table: string,
  rows: number,
  pageSize: number,
  rounds: number,
  log: (line: string) => void,
  compression: 'none' | 'lz4' = 'none',
): Promise<ServeResult> {
  const query = `SELECT * FROM ${table} LIMIT ${rows}`;
  // Warm-up (not measured): the server's page path and the client's decoder get compiled.
  for (let i = 0; i < 3; i++) await raw.countAll(`SELECT * FROM ${table} LIMIT ${Math.min(rows, 100_000)}`, pageSize);
  const samples: number[] = [];
  const byteRates: number[] = [];
  const cpuShares: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    collectGarbage();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const r = await raw.countAll(query, pageSize);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    cpuShares.push((cpu.user + cpu.system) / 1e6 / seconds);
    if (r.rows !== rows) throw new Error(`serve: read ${r.rows} rows, expected ${rows}`);
    samples.push(r.rows / seconds);
    byteRates.push(r.cellBytes / seconds / 1e6);
    log(
      `  serve round ${round}/${rounds}: ${Math.round(r.rows / seconds).toLocaleString('en-US')} rows/s in ${r.pages} pages`,
    );
  }
  return {
    rowsPerRound: rows,
    pageSize,
    compression,
    rounds: samples,
    rowsPerSecond: median(samples),
    cellMegabytesPerSecond: median(byteRates),
    clientCpuShare: median(cpuShares),
    target: 5_000_000,
  };
}

/**
 * {@link runServeBench} in a process of its own (bench/serve-child.ts, with --expose-gc like the
 * run): the raw client then measures the server and the loopback, not the other clients' heap.
 */
export async function runServeInChild(
  host: string,
  port: number,
  table: string,
  rows: number,
  pageSize: number,
  rounds: number,
  compression: 'none' | 'lz4' = 'none',
): Promise<ServeResult> {
  const child = forkBench(
    './serve-child.ts',
    [host, String(port), table, String(rows), String(pageSize), String(rounds), compression],
    ['--expose-gc'],
  );
  try {
    const report = await nextMessage(child, isServeReport, 600_000);
    if (report.type === 'error') throw new Error(report.message);
    return report.result;
  } finally {
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  }
}

function isServeReport(m: unknown): m is ServeChildReport {
  return typeof m === 'object' && m !== null && 'type' in m;
}
