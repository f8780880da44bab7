/**
 * The two charts of the report, from the results: `memory.svg` (RSS over time of the largest
 * memory run, one line per client) and `throughput.svg` (streaming rows/s by client and fetch size).
 */
import { writeFileSync } from 'node:fs';
import type { MemoryResult } from './memory-bench.js';
import { MEMORY_CLIENT_LABELS } from './memory-bench.js';
import type { StreamResult } from './stream-bench.js';
import { STREAM_CLIENT_LABELS, STREAM_CLIENTS } from './stream-bench.js';
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

/** Rows/s medians, grouped by fetch size, one bar per client; undefined if there are none. */
export function throughputChart(s: StreamResult, subtitle: string): string | undefined {
  if (s.bySize.length === 0) return undefined;
  return barChartSvg({
    title: `Streaming rows/s, every cell read, median of ${s.rounds} rounds (${subtitle})`,
    yLabel: 'rows per second',
    groups: s.bySize.map((b) => `fetchSize ${b.fetchSize}`),
    series: STREAM_CLIENTS.map((c) => ({
      name: STREAM_CLIENT_LABELS[c],
      values: s.bySize.map((b) => b.rowsPerSecond[c]),
    })),
  });
}

/** Writes whichever charts the results allow; returns the paths written. */
export function writeCharts(
  dir: string,
  memory: MemoryResult | undefined,
  stream: StreamResult | undefined,
  subtitle: string,
): string[] {
  const written: string[] = [];
  const mem = memory ? memoryChart(memory, subtitle) : undefined;
  if (mem) {
    writeFileSync(`${dir}/memory.svg`, mem);
    written.push(`${dir}/memory.svg`);
  }
  const thr = stream ? throughputChart(stream, subtitle) : undefined;
  if (thr) {
    writeFileSync(`${dir}/throughput.svg`, thr);
    written.push(`${dir}/throughput.svg`);
  }
  return written;
}
