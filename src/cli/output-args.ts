/**
 * The paging and output flags the row-writing cqlwire commands share (`export`, `export --table`,
 * `query`, `count`), the checks that go with them, and the one way every command parses its
 * command line: `node:util` parseArgs over `--help`, the connection flags and the command's own.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CONNECTION_FLAGS, positiveInt } from './connection-args.js';

/** The `parseArgs` option table of the paging flags (rows per page, request timeout). */
export const PAGING_FLAGS = {
  'fetch-size': { type: 'string' },
  'timeout-ms': { type: 'string' },
} as const;

/** The `parseArgs` option table of the progress line switch. */
export const PROGRESS_FLAGS = {
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
} as const;

/** The `parseArgs` option table of the file output flags of an export (CSV or NDJSON). */
export const OUTPUT_FLAGS = {
  format: { type: 'string' },
  out: { type: 'string' },
  'null-text': { type: 'string' },
  header: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  ...PROGRESS_FLAGS,
} as const;

type CommandFlags = NonNullable<ParseArgsConfig['options']>;

const COMMON_FLAGS = { help: { type: 'boolean', short: 'h' }, ...CONNECTION_FLAGS } as const;

/** What {@link parseCommandLine} gives: the values of `--help`, the connection flags and `F`, and the positionals. */
export type ParsedCommandLine<F extends CommandFlags> = ReturnType<
  typeof parseArgs<{
    args: string[];
    allowPositionals: true;
    strict: true;
    options: typeof COMMON_FLAGS & F;
  }>
>;

/**
 * Parses `argv` (after the subcommand) with `--help`, the connection flags and `flags`, strictly,
 * positionals allowed. A string is the usage error: parseArgs names the option, never its value
 * (e.g. "Unknown option '--pasword'"); its hint about positionals starting with '-' is cut, since
 * it repeats the argument.
 */
export function parseCommandLine<const F extends CommandFlags>(
  argv: readonly string[],
  flags: F,
): ParsedCommandLine<F> | string {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...COMMON_FLAGS, ...flags },
    });
  } catch (err) {
    return (err as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, '');
  }
}

/** The values `parseArgs` gives for {@link PAGING_FLAGS}. */
export interface PagingFlagValues {
  readonly 'fetch-size'?: string | undefined;
  readonly 'timeout-ms'?: string | undefined;
}

/** `--fetch-size` (default `defaultFetchSize`) and `--timeout-ms` (default 60000) checked; a string is the usage error. */
export function pagingArgs(
  v: PagingFlagValues,
  defaultFetchSize: number,
): { fetchSize: number; timeoutMs: number } | string {
  const fetchSize = positiveInt('--fetch-size', v['fetch-size'], defaultFetchSize, 0x7fffffff);
  if (typeof fetchSize === 'string') return fetchSize;
  const timeoutMs = positiveInt('--timeout-ms', v['timeout-ms'], 60_000, 0x7fffffff);
  if (typeof timeoutMs === 'string') return timeoutMs;
  return { fetchSize, timeoutMs };
}

/** The values `parseArgs` gives for {@link PROGRESS_FLAGS}. */
export interface ProgressFlagValues {
  readonly progress?: boolean | undefined;
  readonly 'no-progress'?: boolean | undefined;
}

/** `--progress` true, `--no-progress` false, neither undefined (when stderr is a terminal). */
export function progressArg(v: ProgressFlagValues): boolean | undefined {
  return v.progress === true ? true : v['no-progress'] === true ? false : undefined;
}

/** The usage error of `--progress` given with `--no-progress`, or undefined. */
export function progressFlagsError(v: ProgressFlagValues): string | undefined {
  return v.progress === true && v['no-progress'] === true
    ? '--progress and --no-progress contradict each other'
    : undefined;
}

/** The values `parseArgs` gives for {@link OUTPUT_FLAGS}. */
export interface OutputFlagValues extends ProgressFlagValues {
  readonly format?: string | undefined;
  readonly out?: string | undefined;
  readonly 'null-text'?: string | undefined;
  readonly header?: boolean | undefined;
  readonly 'no-header'?: boolean | undefined;
}

/** The usage error of contradicting header or progress switches, or of `--null-text` with NDJSON; or undefined. */
export function outputFlagsError(v: OutputFlagValues, format: 'csv' | 'ndjson'): string | undefined {
  if (v.header === true && v['no-header'] === true) return '--header and --no-header contradict each other';
  const progress = progressFlagsError(v);
  if (progress !== undefined) return progress;
  if (format === 'ndjson' && v['null-text'] !== undefined)
    return '--null-text applies to CSV only (NDJSON writes null)';
  return undefined;
}
