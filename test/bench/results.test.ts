import { describe, expect, it } from 'vitest';
import { memoryChart, throughputChart } from '../../bench/charts.js';
import type { MemoryResult } from '../../bench/memory-bench.js';
import { streamTable } from '../../bench/report.js';
import type { BenchResults } from '../../bench/results-file.js';
import { mergeResults } from '../../bench/results-file.js';
import type { StreamCell, StreamResult } from '../../bench/stream-bench.js';
import { streamContestants, streamRatios } from '../../bench/stream-bench.js';

const machine = { cpuModel: 'cpu', cores: 2, memoryBytes: 1, node: 'v20', os: 'linux', loadAverage: [1, 1, 1] };

describe('latest.json merging', () => {
  it('a run of one part replaces that part, keeps the others, and takes the new date and machine', () => {
    const old: BenchResults = {
      date: 'old',
      machine: { ...machine, cores: 4 },
      quick: false,
      decode: { cqlwireRowsPerSec: 1, handWrittenRowsPerSec: 2, ratio: 0.5, checksumsMatch: true, date: 'old' },
      skipped: { small: 'no server' },
    };
    const fresh: BenchResults = {
      date: 'new',
      machine,
      quick: true,
      decode: { cqlwireRowsPerSec: 3, handWrittenRowsPerSec: 4, ratio: 0.75, checksumsMatch: true, date: 'new' },
      skipped: {},
    };
    const merged = mergeResults(old, fresh);
    expect(merged.date).toBe('new');
    expect(merged.machine.cores).toBe(2);
    expect(merged.decode?.ratio).toBe(0.75);
    expect(merged.skipped).toEqual({ small: 'no server' });
    expect(mergeResults(undefined, fresh)).toBe(fresh);
  });
});

describe('charts from results', () => {
  it('memory.svg draws the largest row count only, one line per client that ran', () => {
    const m: MemoryResult = {
      fetchSize: 5000,
      streamingPeakGrowth: 1.01,
      runs: [
        { client: 'cqlwireStream', rows: 10, status: 'ok', peakRss: 1, baselineRss: 1, samples: [[0, 1048576]] },
        {
          client: 'cqlwireStream',
          rows: 20,
          status: 'ok',
          peakRss: 1,
          baselineRss: 1,
          samples: [
            [0, 1048576],
            [2000, 2097152],
          ],
        },
        { client: 'cqlwireExecuteAll', rows: 20, status: 'unavailable', detail: 'not yet' },
        {
          client: 'driverStream',
          rows: 20,
          status: 'ok',
          peakRss: 1,
          baselineRss: 1,
          samples: [
            [0, 1048576],
            [4000, 3145728],
          ],
        },
      ],
    };
    const svg = memoryChart(m, 'test machine')!;
    expect([...svg.matchAll(/data-series="([^"]*)"/g)].map((x) => x[1])).toEqual([
      'cqlwire executeStream',
      'cassandra-driver client.stream()',
    ]);
    expect(svg).toContain('>RSS while reading 20 rows, fetchSize 5000 (test machine)</text>');
    expect(memoryChart({ ...m, runs: [] }, 'x')).toBeUndefined();
  });

  it('throughput.svg has a group per configuration and fetch size and no bar for a client that did not run', () => {
    const cell = (
      kind: StreamCell['kind'],
      config: StreamCell['config'],
      fetchSize: number,
      rate: number | null,
    ): StreamCell => ({
      kind,
      config,
      fetchSize,
      rowsPerSecond: rate,
      minRowsPerSecond: rate,
      maxRowsPerSecond: rate,
      cpuNsPerRow: rate === null ? null : 100,
      rounds: [],
      cpuNsPerRowRounds: [],
    });
    const cells = [1000, 5000].flatMap((f) => [
      cell('rawDecode', 'v5', f, 300),
      cell('cqlwireRows', 'v5', f, null),
      cell('rawDecode', 'v4', f, 250),
      cell('driverStream', 'v4', f, 100),
      cell('rawLengths', 'v5', f, 900),
    ]);
    const s: StreamResult = {
      format: 2,
      rowsPerRound: 10,
      rounds: 5,
      configs: ['v5', 'v4'],
      fetchSizes: [1000, 5000],
      cqlwireStreamVia: null,
      cells,
      ratios: [],
      consistent: true,
      mismatches: [],
    };
    const svg = throughputChart(s, 'm')!;
    const bars = [...svg.matchAll(/<rect data-series="([^"]*)" data-group="([^"]*)"/g)].map((x) => `${x[1]}@${x[2]}`);
    expect(bars).toEqual(
      [1000, 5000].flatMap((f) => [
        `raw+decode (hand-written, every cell)@v5, fetchSize ${f}`,
        `raw socket (cell lengths only)@v5, fetchSize ${f}`,
        `raw+decode (hand-written, every cell)@v4, fetchSize ${f}`,
        `cassandra-driver client.stream()@v4, fetchSize ${f}`,
      ]),
    );
    expect(throughputChart({ ...s, cells: [] }, 'm')).toBeUndefined();
  });
});

describe('the stream part contestants', () => {
  it('v5 gets the recycled-pages consumer beside pages() and the bound behind the consumers shapes, the other wires do not; their ratios to the bound are reported', () => {
    const list = streamContestants(['v5', 'v4'], true).map((x) => `${x.config} ${x.kind}`);
    // opt-in: the default matrix is the one earlier results were measured with
    expect(
      streamContestants(['v5', 'v4']).filter((x) => x.kind === 'rawDecodePages' || x.kind === 'rawDecodeRows'),
    ).toEqual([]);
    expect(list.slice(0, 7)).toEqual([
      'v5 rawDecode',
      'v5 rawDecodePages',
      'v5 rawDecodeRows',
      'v5 cqlwireRows',
      'v5 cqlwirePages',
      'v5 cqlwirePagesRecycled',
      'v5 cqlwireReadable',
    ]);
    expect(list.filter((x) => x.endsWith('cqlwirePagesRecycled'))).toEqual(['v5 cqlwirePagesRecycled']);
    expect(list.filter((x) => x.startsWith('v4 rawDecode'))).toEqual(['v4 rawDecode']);
    const cell = (kind: StreamCell['kind'], rowsPerSecond: number): StreamCell =>
      ({ kind, config: 'v5', fetchSize: 5000, rowsPerSecond }) as StreamCell;
    const r = streamRatios(
      [
        cell('rawDecode', 200),
        cell('cqlwirePagesRecycled', 180),
        cell('rawDecodePages', 160),
        cell('rawDecodeRows', 100),
      ],
      5000,
      ['v5'],
    );
    expect(r.vsRawDecode.v5?.pagesRecycled).toBeCloseTo(0.9, 10);
    expect(r.vsRawDecode.v5?.boundPages).toBeCloseTo(0.8, 10);
    expect(r.vsRawDecode.v5?.boundRows).toBeCloseTo(0.5, 10);
  });

  it('the table shows the bound behind cqlwire shapes only when the run had them', () => {
    const cell = (kind: StreamCell['kind']): StreamCell => ({
      kind,
      config: 'v5',
      fetchSize: 1000,
      rowsPerSecond: 100,
      minRowsPerSecond: 90,
      maxRowsPerSecond: 110,
      cpuNsPerRow: 500,
      faultsPerKRow: 0,
      rounds: [100],
      cpuNsPerRowRounds: [500],
    });
    const result = (cells: StreamCell[]): StreamResult => ({
      format: 2,
      rowsPerRound: 10,
      rounds: 1,
      configs: ['v5'],
      fetchSizes: [1000],
      cqlwireStreamVia: null,
      cells,
      ratios: [streamRatios(cells, 1000, ['v5'])],
      consistent: true,
      mismatches: [],
    });
    const plain = streamTable(result([cell('rawDecode'), cell('cqlwirePages')]));
    expect(plain).not.toContain('handed out');
    const withShapes = streamTable(result([cell('rawDecode'), cell('rawDecodePages'), cell('rawDecodeRows')]));
    expect(withShapes).toContain('raw+decode handed out a page per await / raw+decode');
    expect(withShapes).toContain('raw+decode handed out by a for-await iterator / raw+decode');
  });

  it('a ratio to the bound is the median of the paired rounds when the run paired them, not the ratio of the medians', () => {
    const cells: StreamCell[] = [
      { kind: 'rawDecode', config: 'v5', fetchSize: 1000, rowsPerSecond: 300 } as StreamCell,
      {
        kind: 'cqlwirePages',
        config: 'v5',
        fetchSize: 1000,
        rowsPerSecond: 150,
        pairedRatios: [0.8, 0.9, 0.85],
      } as StreamCell,
      {
        kind: 'cqlwireRows',
        config: 'v5',
        fetchSize: 1000,
        rowsPerSecond: 240,
        pairedRatios: [] as number[],
      } as StreamCell,
    ];
    const r = streamRatios(cells, 1000, ['v5']);
    expect(r.vsRawDecode.v5?.pages).toBeCloseTo(0.85, 10);
    // no pairs (an older result): the ratio of the medians
    expect(r.vsRawDecode.v5?.rows).toBeCloseTo(0.8, 10);
    expect(r.vsRawDecode.v5?.readable).toBeNull();
  });
});
