/** The scan part's table (stdout) and chart (`scan.svg`): rows/s of each reader and export, and the ratios against their goals. */
import type { ScanResult } from './scan-bench.js';
import { formatMiB, formatRate, formatRatio, formatTable } from './stats.js';
import { barChartSvg } from './svg-chart.js';

const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/** The scan part as text: speeds, ratios with their goals, memory against its bound. */
export function scanTable(s: ScanResult): string {
  const d = s.delayed;
  const u = s.undelayed;
  const speed = formatTable(
    ['scan part (rows/s, every cell read)', 'executeStream', `scanTable c=${d.concurrency}`, 'ratio', 'goal'],
    [
      [
        `${d.delayMsPerPage} ms per ${d.fetchSize}-row page, median of ${d.rounds}`,
        formatRate(d.rowsPerSecond.executeStream),
        formatRate(d.rowsPerSecond.scanTable),
        formatRatio(d.ratio),
        `>= 6x ${verdict(d.ratio >= 6)}`,
      ],
      [
        `no delay, ${u.fetchSize}-row pages, median of ${u.rounds}`,
        formatRate(u.rowsPerSecond.executeStream),
        formatRate(u.rowsPerSecond.scanTable),
        formatRatio(u.ratio),
        `>= 0.9x ${verdict(u.ratio >= 0.9)}`,
      ],
    ],
  );
  const c = s.cli;
  const cli = formatTable(
    ['cqlwire export (CSV to a file)', 'rows/s', 'seconds', 'ratio'],
    [
      [
        `query, ${d.delayMsPerPage} ms/page`,
        formatRate(c.queryExport.rowsPerSecond),
        c.queryExport.seconds.toFixed(1),
        '',
      ],
      [
        `--table --parallel 16, ${d.delayMsPerPage} ms/page`,
        formatRate(c.parallelExport.rowsPerSecond),
        c.parallelExport.seconds.toFixed(1),
        formatRatio(c.parallelVsQuery),
      ],
      [
        '--table --parallel 16 --workers 1, no delay',
        formatRate(c.workers1.rowsPerSecond),
        c.workers1.seconds.toFixed(1),
        '',
      ],
      [
        '--table --parallel 16 --workers 2, no delay',
        formatRate(c.workers2.rowsPerSecond),
        c.workers2.seconds.toFixed(1),
        formatRatio(c.workers2VsWorkers1),
      ],
    ],
  );
  const m = s.memory;
  const memory = formatTable(
    [
      `scan memory (c=${m.concurrency}, prefetch ${m.prefetchPages}, fetch ${m.fetchSize})`,
      'baseline',
      'peak',
      'growth',
      'bound',
      'within',
    ],
    m.runs.map((r) => [
      `${formatRate(r.rows)} rows${r.recyclePages ? ', recyclePages' : ''} (largest page ${formatMiB(r.maxPageBytes)})`,
      formatMiB(r.baselineRss),
      formatMiB(r.peakRss),
      formatMiB(r.peakRss - r.baselineRss),
      formatMiB(r.bound),
      r.withinBound ? 'yes' : 'NO',
    ]),
  );
  const flatLine = (label: string, g: number | null | undefined): string =>
    g === null || g === undefined
      ? ''
      : `peak RSS largest / smallest table${label}: ${formatRatio(g)} (goal: flat, within 10% either way: ${verdict(Math.abs(g - 1) <= 0.1)})\n`;
  const flat = flatLine('', m.peakGrowth) + flatLine(', recyclePages', m.recycledPeakGrowth);
  const mismatch = [...d.mismatches, ...u.mismatches];
  return `${formatRate(s.rows)} rows, ${s.nodes} nodes\n${speed}\n${cli}\n${memory}${flat}${mismatch.length > 0 ? `MISMATCH: ${mismatch.join('; ')}\n` : ''}`;
}

/** Rows/s of each way of reading the table, delayed and not. */
export function scanChart(s: ScanResult, subtitle: string): string {
  const d = s.delayed;
  const u = s.undelayed;
  return barChartSvg({
    title: `Whole-table read of ${formatRate(s.rows)} rows, ${s.nodes} nodes, every cell read (${subtitle})`,
    yLabel: 'rows per second',
    groups: [`${d.delayMsPerPage} ms per page (server-bound)`, 'no delay (client-bound)'],
    series: [
      { name: 'executeStream', values: [d.rowsPerSecond.executeStream, u.rowsPerSecond.executeStream] },
      {
        name: `scanTable concurrency ${d.concurrency}`,
        values: [d.rowsPerSecond.scanTable, u.rowsPerSecond.scanTable],
      },
      { name: 'cqlwire export (query)', values: [s.cli.queryExport.rowsPerSecond, null] },
      {
        name: 'cqlwire export --table --parallel 16 (no delay: --workers 1)',
        values: [s.cli.parallelExport.rowsPerSecond, s.cli.workers1.rowsPerSecond],
      },
      { name: 'cqlwire export --parallel 16 --workers 2', values: [null, s.cli.workers2.rowsPerSecond] },
    ],
  });
}
