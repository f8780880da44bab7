/**
 * The command line of `npm run bench:instructions` (bench/instruction-count.ts): which clients, in
 * which wire configuration, at which fetch size, the two row counts whose difference is
 * measured, and how many times each measurement is repeated.
 */

import { positiveInt } from './bench-options.js';
import type { WireConfig } from './raw-decode-framing.js';
import { WIRE_CONFIGS } from './raw-decode-framing.js';

/** The clients the instruction count can run: raw+decode and cqlwire's three consumers. */
export const INSTRUCTION_CLIENTS = ['rawDecode', 'rows', 'pages', 'readable'] as const;
/** One of {@link INSTRUCTION_CLIENTS}. */
export type InstructionClient = (typeof INSTRUCTION_CLIENTS)[number];

/** Every knob of an instruction count. */
export interface InstructionOptions {
  clients: InstructionClient[];
  config: WireConfig;
  fetchSize: number;
  /** The smaller and the larger row count (R1 < R2). */
  rows: [number, number];
  /** Times each client's measurement is taken (to see that it repeats). */
  repeat: number;
  /**
   * Streams per child, each after a full GC: above 1, what a GC between streams costs the next
   * one (e.g. code deoptimized when a hidden class it was specialised on is collected) is counted.
   */
  streams: number;
}

/** What a command line means. */
export type ParsedInstructionArgs =
  | { kind: 'run'; options: InstructionOptions }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

export const INSTRUCTION_USAGE = `Usage: npm run bench:instructions [-- options]

Instructions per streamed row, counted by valgrind (callgrind) in a child process that streams
R1 rows, then one that streams R2 rows: (I(R2) - I(R1)) / (R2 - R1). The embedded server runs in
a process of its own, not under valgrind.

Options:
  --clients L      comma-separated from ${INSTRUCTION_CLIENTS.join(', ')} (default rawDecode,rows,pages)
  --config C       wire configuration: ${WIRE_CONFIGS.join(', ')} (default v5)
  --fetch-size N   rows per page (default 5000)
  --rows R1,R2     the two row counts, R1 < R2 (default 20000,220000)
  --repeat N       measurements per client (default 2)
  --streams N      streams per child, each after a full GC (default 1); the rows per stream are
                   R1 or R2, and the figure is divided by N
  -h, --help       this text
`;

/** Parses the arguments after `bench/instruction-count.ts`. */
export function parseInstructionArgs(argv: readonly string[]): ParsedInstructionArgs {
  const o: InstructionOptions = {
    clients: ['rawDecode', 'rows', 'pages'],
    config: 'v5',
    fetchSize: 5000,
    rows: [20_000, 220_000],
    repeat: 2,
    streams: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    let err: string | undefined;
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--clients': {
        const list = (value() ?? '').split(',');
        const bad = list.find((c) => !(INSTRUCTION_CLIENTS as readonly string[]).includes(c));
        if (bad !== undefined) err = `--clients: unknown client '${bad}' (known: ${INSTRUCTION_CLIENTS.join(', ')})`;
        else o.clients = list as InstructionClient[];
        break;
      }
      case '--config': {
        const v = value();
        if ((WIRE_CONFIGS as readonly (string | undefined)[]).includes(v)) o.config = v as WireConfig;
        else err = `--config must be one of ${WIRE_CONFIGS.join(', ')}, got '${v ?? ''}'`;
        break;
      }
      case '--fetch-size':
      case '--repeat':
      case '--streams': {
        const n = positiveInt(flag, value());
        if (typeof n === 'string') err = n;
        else if (flag === '--repeat') o.repeat = n;
        else if (flag === '--streams') o.streams = n;
        else o.fetchSize = n;
        break;
      }
      case '--rows': {
        const parts = (value() ?? '').split(',').map((s) => positiveInt(flag, s));
        const bad = parts.find((p) => typeof p === 'string');
        if (bad !== undefined) err = bad;
        else if (parts.length !== 2 || (parts[0] as number) >= (parts[1] as number))
          err = '--rows needs two counts R1,R2 with R1 < R2';
        else o.rows = [parts[0] as number, parts[1] as number];
        break;
      }
      default:
        err = `unknown option '${arg}'`;
    }
    if (err !== undefined) return { kind: 'usage-error', message: err };
  }
  return { kind: 'run', options: o };
}
