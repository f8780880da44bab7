import type { WireConfig } from './raw-decode-framing.js';
import { WIRE_CONFIGS } from './raw-decode-framing.js';
import type { StreamIsolation } from './stream-bench.js';

/**
 * The harness's command line: `npm run bench [-- <part>...] [--quick] [--rounds N]
 * [--stream-rows N] [--stream-rounds N] [--stream-configs v5,v5-lz4,v4] [--stream-isolation process|shared] [--stream-shapes] [--memory-rows N,N] [--small-calls N] [--serve-rows N] [--serve-compression none|lz4]
 * [--scan-rows N] [--scan-memory-rows N,N]`.
 */

/** The parts of the harness, in the order a full run runs them. */
export const PARTS = ['decode', 'serve', 'stream', 'small', 'memory', 'scan'] as const;
export type Part = (typeof PARTS)[number];

/** Every knob of a run. */
export interface BenchOptions {
  parts: Part[];
  quick: boolean;
  /** Interleaved rounds per measurement (the medians are over these). */
  rounds: number;
  /** Rows each client streams per round in `stream`. */
  streamRows: number;
  /** Interleaved rounds of `stream` (its medians and spreads are over these). */
  streamRounds: number;
  /** Wire configurations of `stream` (cqlwire and raw+decode run in each). */
  streamConfigs: WireConfig[];
  /** Where `stream`'s contestants run: each in a process of its own (default), or all in the harness's. */
  streamIsolation: StreamIsolation;
  /** Whether `stream` also runs the raw+decode bound behind cqlwire's two shapes (v5; off by default). */
  streamShapes: boolean;
  /** Fetch sizes of `stream`. */
  fetchSizes: number[];
  /** Row counts of `memory` (one fresh child process per client and count). */
  memoryRows: number[];
  /** Fetch size of `memory`. */
  memoryFetchSize: number;
  /** Small prepared executes per client per round in `small` (rounds x this = the total). */
  smallCalls: number;
  /** Concurrent executes in flight in `small`. */
  concurrency: number;
  /** Rows the raw client pulls per round in `serve`. */
  serveRows: number;
  /** Page size of `serve`. */
  servePageSize: number;
  /** Compression of the raw client's connection in `serve` (v5 lz4 segments, or none). */
  serveCompression: 'none' | 'lz4';
  /** Rows of the table `scan` reads (scanTable vs executeStream, the CLI exports). */
  scanRows: number;
  /** Table sizes of `scan`'s memory runs (one fresh process each). */
  scanMemoryRows: number[];
}

/** What a command line means: options, a help request, or a usage error. */
export type ParsedBenchArgs =
  | { kind: 'run'; options: BenchOptions }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

export const BENCH_USAGE = `Usage: npm run bench [-- <part>...] [options]

Parts: ${PARTS.join(', ')} (default: all, one embedded server for the run)

Options:
  --quick             small row counts, for a fast check of the harness
  --rounds N          interleaved rounds per measurement (default 5; stream: see --stream-rounds)
  --stream-rows N     rows each client streams per round (default 100000; quick 20000)
  --stream-rounds N   interleaved rounds of the stream part (default 15, or --rounds when given;
                      quick 3)
  --stream-configs L  wire configurations of the stream part, comma-separated from
                      ${WIRE_CONFIGS.join(', ')} (default all three)
  --stream-isolation process|shared
                      each stream contestant in a process of its own (default), or all in
                      the harness's process
  --stream-shapes     also the raw+decode bound behind cqlwire's shapes (a page per await, a
                      for-await iterator), on v5; best with --stream-configs v5
  --memory-rows A,B   row counts of the memory runs (default 1000000,5000000; quick 200000,1000000)
  --small-calls N     small executes per client per round (default 40000 = 200,000 in 5 rounds; quick 5000)
  --serve-rows N      rows the raw client pulls per round (default 1000000; quick 200000)
  --serve-compression none|lz4
                      compression of the serve part's connection (default none)
  --scan-rows N       rows of the scan part's table, 3 nodes (default 3000000; quick 300000)
  --scan-memory-rows A,B
                      table sizes of the scan part's memory runs (default 1000000,5000000;
                      quick 200000,1000000)
  -h, --help          this text
`;

/** A flag's positive integer (`_` separators allowed), or the usage error saying what is wrong. */
export function positiveInt(flag: string, v: string | undefined): number | string {
  if (v === undefined) return `${flag} needs a value`;
  if (!/^[1-9]\d*$/.test(v.replace(/_/g, ''))) return `${flag} must be a positive integer, got '${v}'`;
  return Number(v.replace(/_/g, ''));
}

type NumericKey = 'rounds' | 'streamRows' | 'streamRounds' | 'smallCalls' | 'serveRows' | 'scanRows';

/** Parses the arguments after `bench/run.ts`. */
export function parseBenchArgs(argv: readonly string[]): ParsedBenchArgs {
  const parts: Part[] = [];
  let quick = false;
  const set: Partial<Record<NumericKey, number>> = {};
  let streamConfigs: WireConfig[] | undefined;
  let memoryRows: number[] | undefined;
  let scanMemoryRows: number[] | undefined;
  let serveCompression: 'none' | 'lz4' = 'none';
  let streamIsolation: StreamIsolation = 'process';
  let streamShapes = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    const num = (key: NumericKey): string | undefined => {
      const n = positiveInt(flag, value());
      if (typeof n === 'string') return n;
      set[key] = n;
      return undefined;
    };
    let err: string | undefined;
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--quick':
        quick = true;
        break;
      case '--rounds':
        err = num('rounds');
        break;
      case '--stream-rows':
        err = num('streamRows');
        break;
      case '--stream-rounds':
        err = num('streamRounds');
        break;
      case '--stream-configs': {
        const v = value();
        const list = (v ?? '').split(',');
        const bad = list.find((x) => !(WIRE_CONFIGS as readonly string[]).includes(x));
        if (v === undefined || v === '') err = `${flag} needs a value`;
        else if (bad !== undefined) err = `${flag}: unknown configuration '${bad}' (known: ${WIRE_CONFIGS.join(', ')})`;
        else streamConfigs = WIRE_CONFIGS.filter((c) => list.includes(c));
        break;
      }
      case '--stream-isolation': {
        const v = value();
        if (v === 'process' || v === 'shared') streamIsolation = v;
        else err = `--stream-isolation must be process or shared, got '${v ?? ''}'`;
        break;
      }
      case '--stream-shapes':
        streamShapes = true;
        break;
      case '--small-calls':
        err = num('smallCalls');
        break;
      case '--serve-rows':
        err = num('serveRows');
        break;
      case '--scan-rows':
        err = num('scanRows');
        break;
      case '--serve-compression': {
        const v = value();
        if (v === 'none' || v === 'lz4') serveCompression = v;
        else err = `--serve-compression must be none or lz4, got '${v ?? ''}'`;
        break;
      }
      case '--memory-rows':
      case '--scan-memory-rows': {
        const v = value();
        const list = (v ?? '').split(',').map((s) => positiveInt(flag, s));
        const bad = list.find((x) => typeof x === 'string');
        if (v === undefined || bad !== undefined) err = typeof bad === 'string' ? bad : `${flag} needs a value`;
        else if (flag === '--memory-rows') memoryRows = list as number[];
        else scanMemoryRows = list as number[];
        break;
      }
      default:
        if (arg.startsWith('-')) err = `unknown option '${arg}'`;
        else if ((PARTS as readonly string[]).includes(arg)) {
          if (!parts.includes(arg as Part)) parts.push(arg as Part);
        } else err = `unknown benchmark '${arg}' (known: ${PARTS.join(', ')})`;
    }
    if (err !== undefined) return { kind: 'usage-error', message: err };
  }
  return {
    kind: 'run',
    options: {
      parts: parts.length > 0 ? PARTS.filter((p) => parts.includes(p)) : [...PARTS],
      quick,
      rounds: set.rounds ?? 5,
      streamRows: set.streamRows ?? (quick ? 20_000 : 100_000),
      streamRounds: set.streamRounds ?? set.rounds ?? (quick ? 3 : 15),
      streamConfigs: streamConfigs ?? [...WIRE_CONFIGS],
      streamIsolation,
      streamShapes,
      fetchSizes: [1000, 5000],
      memoryRows: memoryRows ?? (quick ? [200_000, 1_000_000] : [1_000_000, 5_000_000]),
      memoryFetchSize: 5000,
      smallCalls: set.smallCalls ?? (quick ? 5000 : 40_000),
      concurrency: 256,
      serveRows: set.serveRows ?? (quick ? 200_000 : 1_000_000),
      servePageSize: 5000,
      serveCompression,
      scanRows: set.scanRows ?? (quick ? 300_000 : 3_000_000),
      scanMemoryRows: scanMemoryRows ?? (quick ? [200_000, 1_000_000] : [1_000_000, 5_000_000]),
    },
  };
}

/**
 * Rows of the table the speed parts (serve, stream, small) read: the most any of them reads, or 0
 * when none runs. The memory part reads its own, larger table, loaded into the same server after
 * the speed parts (a server holding millions of rows spends its time in GC: see run.ts).
 */
export function speedTableRowsFor(o: BenchOptions): number {
  let n = 0;
  if (o.parts.includes('stream')) n = Math.max(n, o.streamRows);
  if (o.parts.includes('small')) n = Math.max(n, 10_000);
  if (o.parts.includes('serve')) n = Math.max(n, o.serveRows);
  return n;
}

/** Rows of the memory part's table: its largest count, or 0 when it does not run. */
export function memoryTableRowsFor(o: BenchOptions): number {
  return o.parts.includes('memory') ? Math.max(...o.memoryRows) : 0;
}
