/** The tables printed to stdout, one per part, with medians and ratios. */

import type { MemoryResult } from './memory-bench.js';
import { MEMORY_CLIENT_LABELS } from './memory-bench.js';
import type { ServeResult } from './serve-bench.js';
import type { SmallResult } from './small-query-bench.js';
import { SMALL_CLIENTS } from './small-query-bench.js';
import { formatMiB, formatRate, formatRatio, formatTable, quantile } from './stats.js';
import type { StreamClientKind, StreamResult } from './stream-bench.js';
import { findStreamCell, STREAM_CLIENT_LABELS, streamContestants } from './stream-bench.js';

const NOT_YET = 'cqlwire: not available yet';

/** rows/s in thousands, for the spread column: 1234567 -> "1,235k". */
function thousands(n: number | null): string {
  return n === null ? 'n/a' : `${Math.round(n / 1000).toLocaleString('en-US')}k`;
}

export function streamTable(s: StreamResult): string {
  const sizes = s.fetchSizes;
  const header = [
    'client',
    ...sizes.flatMap((f) => [`${f}: rows/s`, `${f}: min-max`, `${f}: CPU ns/row`, `${f}: faults/1k rows`]),
  ];
  // the bound behind cqlwire's shapes ran (--stream-shapes)
  const shapes = s.cells.some((c) => c.kind === 'rawDecodePages' || c.kind === 'rawDecodeRows');
  const rows = streamContestants(s.configs, shapes).map((x) => [
    `${x.config.padEnd(6)} ${STREAM_CLIENT_LABELS[x.kind]}`,
    ...sizes.flatMap((f) => {
      const c = findStreamCell(s.cells, f, x.config, x.kind);
      if (c === undefined || c.rowsPerSecond === null)
        return [x.kind.startsWith('cqlwire') ? NOT_YET : 'n/a', '', '', ''];
      return [
        formatRate(c.rowsPerSecond),
        `${thousands(c.minRowsPerSecond)}-${thousands(c.maxRowsPerSecond)}`,
        c.cpuNsPerRow === null ? 'n/a' : c.cpuNsPerRow.toFixed(0),
        c.faultsPerKRow === undefined || c.faultsPerKRow === null ? 'n/a' : c.faultsPerKRow.toFixed(1),
      ];
    }),
  ]);
  const ratioRows: string[][] = [];
  const line = (label: string, pick: (r: StreamResult['ratios'][number]) => number | null): void => {
    ratioRows.push([label, ...s.ratios.map((r) => formatRatio(pick(r)))]);
  };
  // a ratio to the bound, with the middle half of its per-round pairs when the run paired them
  const vsBound = (
    label: string,
    config: StreamResult['configs'][number],
    kind: StreamClientKind,
    pick: (r: StreamResult['ratios'][number]) => number | null,
  ): void => {
    ratioRows.push([
      label,
      ...s.ratios.map((r) => {
        const pairs = findStreamCell(s.cells, r.fetchSize, config, kind)?.pairedRatios;
        const spread =
          pairs !== undefined && pairs.length > 1
            ? ` (${quantile(pairs, 0.25).toFixed(2)}-${quantile(pairs, 0.75).toFixed(2)})`
            : '';
        return `${formatRatio(pick(r))}${spread}`;
      }),
    ]);
  };
  for (const config of s.configs) {
    const goal = (g: string): string => (config === 'v5' ? ` (goal >= ${g})` : '');
    if (config === 'v5' && shapes) {
      vsBound(
        'v5 raw+decode handed out a page per await / raw+decode',
        config,
        'rawDecodePages',
        (r) => r.vsRawDecode[config]?.boundPages ?? null,
      );
      vsBound(
        'v5 raw+decode handed out by a for-await iterator / raw+decode',
        config,
        'rawDecodeRows',
        (r) => r.vsRawDecode[config]?.boundRows ?? null,
      );
    }
    vsBound(
      `${config} cqlwire rows / raw+decode${goal('0.90x')}`,
      config,
      'cqlwireRows',
      (r) => r.vsRawDecode[config]?.rows ?? null,
    );
    vsBound(
      `${config} cqlwire pages() / raw+decode${goal('0.95x')}`,
      config,
      'cqlwirePages',
      (r) => r.vsRawDecode[config]?.pages ?? null,
    );
    if (config === 'v5')
      vsBound(
        'v5 cqlwire pages({ recyclePages: true }) / raw+decode',
        config,
        'cqlwirePagesRecycled',
        (r) => r.vsRawDecode[config]?.pagesRecycled ?? null,
      );
    vsBound(
      `${config} cqlwire toReadable() / raw+decode`,
      config,
      'cqlwireReadable',
      (r) => r.vsRawDecode[config]?.readable ?? null,
    );
  }
  line('cqlwire rows v5-lz4 / v5 (goal >= 0.85x)', (r) => r.lz4VsV5);
  line('cqlwire rows v4 / v5 (goal >= 0.85x)', (r) => r.v4VsV5);
  line('cqlwire rows v5 / driver stream() (goal >= 3x)', (r) => r.vsDriverStream);
  line('cqlwire rows v5 / driver eachRow (goal >= 2.5x)', (r) => r.vsDriverEachRow);
  return (
    `stream: ${s.rowsPerRound.toLocaleString('en-US')} rows per client per round, ${s.rounds} interleaved rounds ` +
    `(each starting with another client); rows/s = median, min-max = slowest and fastest round, ` +
    `CPU = the client process's user+system time per row (median), faults = its minor page faults per 1,000 rows (median); ` +
    (s.isolation === 'process' ? 'each client in a process of its own' : 'every client in one process') +
    `${s.cqlwireStreamVia ? ` (cqlwire via ${s.cqlwireStreamVia})` : ''}\n` +
    formatTable(header, rows) +
    '\n' +
    formatTable(['ratio', ...s.ratios.map((r) => `fetchSize ${r.fetchSize}`)], ratioRows) +
    (s.cells.some((c) => c.pairedRatios !== undefined)
      ? '  x / raw+decode: median over the rounds of x over the raw+decode run right beside it (middle half of the rounds in brackets); the others: ratio of medians\n'
      : '  ratio of medians\n') +
    (s.consistent
      ? '  every client read the same rows (counts and cell checksums equal)\n'
      : `  MISMATCH: ${s.mismatches.join('; ')}\n`)
  );
}

export function smallTable(s: SmallResult): string {
  const labels = {
    cqlwire: 'cqlwire session.execute (prepared)',
    driver: 'cassandra-driver execute (prepared)',
    raw: 'raw socket EXECUTE',
  } as const;
  const rows = SMALL_CLIENTS.map((c) => [
    labels[c],
    s.callsPerSecond[c] === null ? (c === 'cqlwire' ? NOT_YET : 'n/a') : formatRate(s.callsPerSecond[c]),
  ]);
  return (
    `small: ${s.totalCallsPerClient.toLocaleString('en-US')} prepared executes per client (${s.rounds.driver.length} interleaved rounds of ${s.callsPerRound.toLocaleString('en-US')}), concurrency ${s.concurrency}\n` +
    formatTable(
      ['client', 'calls/s (median)'],
      [
        ...rows,
        [`cqlwire / driver (target >= ${s.target}x)`, formatRatio(s.ratios.cqlwireVsDriver)],
        ['cqlwire / raw socket', formatRatio(s.ratios.cqlwireVsRaw)],
      ],
    ) +
    (s.errors.length > 0 ? `  errors: ${s.errors.join('; ')}\n` : '')
  );
}

export function memoryTable(m: MemoryResult): string {
  const counts = [...new Set(m.runs.map((r) => r.rows))];
  const clients = [...new Set(m.runs.map((r) => r.client))];
  const short = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  const header = [
    'client',
    ...counts.map((n) => `peak RSS ${short(n)}`),
    ...counts.map((n) => `growth ${short(n)}`),
    ...counts.map((n) => `rows/s ${short(n)}`),
  ];
  const rows = clients.map((c) => {
    const cell = (n: number, f: 'rss' | 'growth' | 'rate'): string => {
      const r = m.runs.find((x) => x.client === c && x.rows === n);
      if (r === undefined) return '';
      if (r.status === 'unavailable') return NOT_YET;
      if (r.status === 'error') return 'failed';
      if (f === 'rss') return formatMiB(r.peakRss!);
      if (f === 'growth') return formatMiB(r.peakRss! - r.baselineRss!);
      return formatRate(r.rowsPerSecond!);
    };
    return [
      MEMORY_CLIENT_LABELS[c],
      ...counts.map((n) => cell(n, 'rss')),
      ...counts.map((n) => cell(n, 'growth')),
      ...counts.map((n) => cell(n, 'rate')),
    ];
  });
  return (
    `memory: fetchSize ${m.fetchSize}, one fresh process per measurement (server in its own process)\n` +
    formatTable(header, rows) +
    '  growth = peak RSS minus the RSS just before the query (after connecting)\n' +
    `  cqlwire streaming peak RSS, largest / smallest run: ${formatRatio(m.streamingPeakGrowth)} (target <= 1.10x)\n`
  );
}

export function serveTable(s: ServeResult): string {
  return (
    `serve: raw socket client pulling ${s.rowsPerRound.toLocaleString('en-US')} rows per round, page size ${s.pageSize}${s.compression === 'lz4' ? ', lz4' : ''}, median of ${s.rounds.length}\n` +
    formatTable(
      ['figure', 'value'],
      [
        ['rows/s', formatRate(s.rowsPerSecond)],
        ['cell MB/s', s.cellMegabytesPerSecond.toFixed(1)],
        ['raw client CPU / wall time (low = server-bound)', `${(s.clientCpuShare * 100).toFixed(0)}%`],
        [`share of the ${formatRate(s.target)} rows/s target`, `${((s.rowsPerSecond / s.target) * 100).toFixed(1)}%`],
      ],
    )
  );
}
