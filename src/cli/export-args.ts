/**
 * The command line of `cqlwire export`: parsed with `node:util` parseArgs, then
 * checked. Messages never repeat a positional argument or an option's value, so a password typed
 * in the wrong place is not echoed back.
 */
import { CONNECTION_USAGE, type ConnectionArgs, connectionArgs } from './connection-args.js';
import {
  OUTPUT_FLAGS,
  outputFlagsError,
  PAGING_FLAGS,
  pagingArgs,
  parseCommandLine,
  progressArg,
} from './output-args.js';

/** The text of `cqlwire export --help`. */
export const EXPORT_USAGE = `Usage: cqlwire export <query> --contact-points h1[,h2...] [options]

Streams the rows of <query> page by page to CSV or NDJSON, in bounded memory.

${CONNECTION_USAGE}

Reading:
  --fetch-size N          rows per page (default 5000)
  --resume-from HEX       continue from a paging state printed by a failed export
  --timeout-ms MS         timeout of each page request (default 60000)

Output:
  --format csv|ndjson     default csv (RFC 4180, CRLF, header row)
  --out FILE|-            default - (stdout)
  --null-text TEXT        CSV spelling of null (default: empty unquoted field; "" is the empty string)
  --no-header             CSV without the header row (the default when resuming)
  --header                CSV with the header row even when resuming
  --progress / --no-progress  progress line on stderr (default: when stderr is a terminal)
  -h, --help              show this help

Exit codes: 0 done, 1 failed (the paging state to resume from is printed), 2 usage error.

A whole table in parallel token ranges, resumable from a checkpoint file (--parallel, --shard,
--workers, --checkpoint, --resume): see 'cqlwire export --table KS.TABLE --help'.
`;

/** What `cqlwire export` was asked to do. */
export interface ExportOptions {
  readonly query: string;
  readonly connection: ConnectionArgs;
  readonly fetchSize: number;
  readonly timeoutMs: number;
  readonly resumeFrom: Buffer | undefined;
  readonly format: 'csv' | 'ndjson';
  readonly out: string;
  readonly nullText: string | undefined;
  readonly header: boolean;
  readonly progress: boolean | undefined;
}

/** The parsed command line, or why it is not one. */
export type ExportArgs =
  | { kind: 'run'; options: ExportOptions }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

const DEFAULT_FETCH_SIZE = 5000;

/** Parses `cqlwire export` arguments (after the subcommand); `env` supplies CQLWIRE_PASSWORD. */
export function parseExportArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ExportArgs {
  const parsed = parseCommandLine(argv, { ...PAGING_FLAGS, 'resume-from': { type: 'string' }, ...OUTPUT_FLAGS });
  if (typeof parsed === 'string') return { kind: 'usage-error', message: parsed };
  const v = parsed.values;
  if (v.help === true) return { kind: 'help' };
  if (parsed.positionals.length !== 1) {
    return {
      kind: 'usage-error',
      message: `expected exactly one <query> argument, got ${parsed.positionals.length} (quote the query)`,
    };
  }
  const query = parsed.positionals[0]!;
  if (query.trim() === '') return { kind: 'usage-error', message: 'the query is empty' };
  const connection = connectionArgs(v, env);
  if (typeof connection === 'string') return { kind: 'usage-error', message: connection };
  const paging = pagingArgs(v, DEFAULT_FETCH_SIZE);
  if (typeof paging === 'string') return { kind: 'usage-error', message: paging };
  const format = v.format ?? 'csv';
  if (format !== 'csv' && format !== 'ndjson')
    return { kind: 'usage-error', message: `--format must be csv or ndjson, got '${format}'` };
  let resumeFrom: Buffer | undefined;
  if (v['resume-from'] !== undefined) {
    const hex = v['resume-from'].replace(/^0x/i, '');
    if (hex === '' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
      return {
        kind: 'usage-error',
        message: '--resume-from must be the hexadecimal paging state printed by a failed export',
      };
    }
    resumeFrom = Buffer.from(hex, 'hex');
  }
  const outputError = outputFlagsError(v, format);
  if (outputError !== undefined) return { kind: 'usage-error', message: outputError };
  return {
    kind: 'run',
    options: {
      query,
      connection,
      ...paging,
      resumeFrom,
      format,
      out: v.out ?? '-',
      nullText: v['null-text'],
      header: v.header === true ? true : v['no-header'] === true ? false : resumeFrom === undefined,
      progress: progressArg(v),
    },
  };
}
