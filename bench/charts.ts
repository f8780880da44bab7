/**
 * The two charts of the report, from the results: `memory.svg` (RSS over time of the largest
 * memory run, one line per client) and `throughput.svg` (streaming rows/s by client and fetch size).
 */
import { writeFileSync } from 'node:fs';
import type { MemoryResult } from './memory-bench.js';
import { MEMORY_CLIENT_LABELS } from './memory-bench.js';
import type { LegacyStreamResult } from './results-file.js';
import type { StreamResult } from './stream-bench.js';
import { cellRate, STREAM_CLIENT_KINDS, STREAM_CLIENT_LABELS } from './stream-bench.js';
import type { LineSeries } from './svg-chart.js';
import { barChartSvg, lineChartSvg } from './svg-chart.js';

/** RSS (MiB) over time (s) for each client at the largest row count that produced samples; undefined if none did. */
export function memoryChart(m: MemoryResult, subtitle: string): string | undefined {
  const ok = m.runs.filter((r) => r.status === 'ok' && r.samples !== undefined);
  if (ok.length === 0) return undefined;
  const rows = Math.max(...ok.map((r) => r.rows));
  const series: LineSeries[] = ok
    .filter((r) => r.rows === rows)
    .map((r) => ({
      name: MEMORY_CLIENT_LABELS[r.client],
      points: r.samples!.map(([ms, rss]) => [ms / 1000, rss / 1048576] as const),
    }));
  return lineChartSvg({
    title: `RSS while reading ${rows.toLocaleString('en-US')} rows, fetchSize ${m.fetchSize} (${subtitle})`,
    xLabel: 'seconds since the query started',
    yLabel: 'RSS (MiB)',
    series,
  });
}

/**
 * Rows/s medians, one group per wire configuration and fetch size, one bar per kind of client
 * (the driver's under v4, the lengths-only client under v5); undefined if there are none.
 */
export function throughputChart(s: StreamResult, subtitle: string): string | undefined {
  if (s.cells.length === 0) return undefined;
  const groups = s.fetchSizes.flatMap((f) => s.configs.map((config) => ({ f, config })));
  return barChartSvg({
    title: `Streaming rows/s, every cell read, median of ${s.rounds} rounds (${subtitle})`,
    yLabel: 'rows per second',
    groups: groups.map((g) => `${g.config}, fetchSize ${g.f}`),
    series: STREAM_CLIENT_KINDS.map((kind) => ({
      name: STREAM_CLIENT_LABELS[kind],
      values: groups.map((g) => cellRate(s.cells, g.f, g.config, kind)),
    })).filter((x) => x.values.some((v) => v !== null)),
    width: 1100,
  });
}

/** Writes whichever charts the results allow; returns the paths written. */
export function writeCharts(
  dir: string,
  memory: MemoryResult | undefined,
  stream: StreamResult | LegacyStreamResult | undefined,
  subtitle: string,
): string[] {
  const written: string[] = [];
  const mem = memory ? memoryChart(memory, subtitle) : undefined;
  if (mem) {
    writeFileSync(`${dir}/memory.svg`, mem);
    written.push(`${dir}/memory.svg`);
  }
  // a stream part from before the matrix (no format) keeps the chart it drew then
  const thr = stream?.format === 2 ? throughputChart(stream, subtitle) : undefined;
  if (thr) {
    writeFileSync(`${dir}/throughput.svg`, thr);
    written.push(`${dir}/throughput.svg`);
  }
  return written;
}
