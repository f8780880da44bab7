/**
 * `bench/results/latest.json`: the date, the machine and every figure of the last run. A run of
 * one part replaces that part's figures and keeps the others (each part carries its own date).
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { DecodeResult } from './decode-bench.js';
import type { MemoryResult } from './memory-bench.js';
import type { ScanResult } from './scan-bench.js';
import type { ServeResult } from './serve-bench.js';
import type { SmallResult } from './small-query-bench.js';
import type { StreamResult } from './stream-bench.js';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  node: string;
  os: string;
  /** 1, 5 and 15 minute load averages when the run started: the machine is shared. */
  loadAverage: number[];
  /** The same when the run ended. */
  loadAverageEnd?: number[];
}

/**
 * The stream part as runs before the configuration matrix wrote it (no `format`: one
 * configuration, rows/s per client per fetch size). Still read from latest.json, never charted or
 * re-printed.
 */
export interface LegacyStreamResult {
  format?: undefined;
  rowsPerRound: number;
  rounds: number;
  bySize: { fetchSize: number; rowsPerSecond: Record<string, number | null> }[];
}

/** A part's figures with the date they were taken. */
export type Dated<T> = T & { date: string };

/** The run's one server: the speed parts' table, then the memory part's, loaded after them. */
export interface ServerInfo {
  speedTableRows: number;
  speedTableLoadSeconds: number;
  memoryTableRows: number;
  memoryTableLoadSeconds: number | null;
  /** Server RSS after its last load, bytes. */
  rssAfterLoad: number;
}

export interface BenchResults {
  date: string;
  machine: MachineInfo;
  quick: boolean;
  server?: Dated<ServerInfo>;
  decode?: Dated<DecodeResult>;
  serve?: Dated<ServeResult>;
  /** The matrix (`format: 2`), or the single-configuration table of an older run, kept as it was. */
  stream?: Dated<StreamResult> | Dated<LegacyStreamResult>;
  small?: Dated<SmallResult>;
  memory?: Dated<MemoryResult>;
  scan?: Dated<ScanResult>;
  /** Parts that could not run, and why. */
  skipped: Record<string, string>;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryBytes: totalmem(),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** The previous results, or undefined if there are none (or they do not parse). */
export function readResults(path: string): BenchResults | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  } catch {
    return undefined;
  }
}

/** Merges `fresh` over `previous`: fresh parts replace old ones; the top-level date and machine are the fresh run's. */
export function mergeResults(previous: BenchResults | undefined, fresh: BenchResults): BenchResults {
  if (previous === undefined) return fresh;
  const merged: BenchResults = { ...previous, ...fresh, skipped: { ...fresh.skipped } };
  for (const [k, v] of Object.entries(previous.skipped ?? {})) {
    const part = k as keyof BenchResults;
    if (fresh[part] === undefined && !(k in merged.skipped) && previous[part] === undefined) merged.skipped[k] = v;
  }
  return merged;
}

/** Writes `results` as pretty JSON into `dir/latest.json`. */
export function writeResults(dir: string, results: BenchResults): string {
  mkdirSync(dir, { recursive: true });
  const path = `${dir}/latest.json`;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
