/**
 * The command line of `cqlwire query`: one statement, or a file of statements (`-f`), against a
 * cluster, printed as cqlsh prints it. The connection flags and the password rules are those of
 * every cqlwire command (connection-args.ts).
 */
import { CONNECTION_USAGE, type ConnectionArgs, connectionArgs } from './connection-args.js';
import { PAGING_FLAGS, pagingArgs, parseCommandLine } from './output-args.js';
import { OUTPUT_FORMATS, type OutputFormat } from './statement-output.js';

/** The text of `cqlwire query --help`. */
export const QUERY_USAGE = `Usage: cqlwire query "<statement>" --contact-points h1[,h2...] [options]
       cqlwire query -f FILE.cql --contact-points h1[,h2...] [options]

Runs one CQL statement, or every ';'-separated statement of a file (- for stdin), and
prints the results as cqlsh does: an aligned table with a row count, or CSV / NDJSON.
A ';' inside a string, a quoted name or a comment does not end a statement.

${CONNECTION_USAGE}

Output:
  -f, --file FILE         read the statements from FILE ('-' = stdin) instead of the argument
  --format table|csv|ndjson   default table
  --fetch-size N          rows per page (default 100)
  --page / --no-page      pause for Enter after each page of a table (default: when
                            stdin and stdout are terminals)
  --expand                a table with one line per column (cqlsh EXPAND ON)
  --timeout-ms MS         timeout of each request (default 60000)
  -h, --help              show this help

A failing statement stops the run. Exit codes: 0 done, 1 a statement failed, 2 usage error.
`;

/** What `cqlwire query` was asked to do. */
export interface QueryOptions {
  /** The statement text given as the argument, or undefined with `file`. */
  readonly statement: string | undefined;
  /** The file to read statements from ('-' = stdin), or undefined with `statement`. */
  readonly file: string | undefined;
  readonly connection: ConnectionArgs;
  readonly format: OutputFormat;
  readonly fetchSize: number;
  /** undefined: page when stdin and stdout are terminals. */
  readonly page: boolean | undefined;
  readonly expand: boolean;
  readonly timeoutMs: number;
}

/** The parsed command line, or why it is not one. */
export type QueryArgs =
  | { kind: 'run'; options: QueryOptions }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

/** Default rows per page: cqlsh's PAGING default. */
export const DEFAULT_QUERY_FETCH_SIZE = 100;

/** Parses `cqlwire query` arguments (after the subcommand); `env` supplies CQLWIRE_PASSWORD. */
export function parseQueryArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): QueryArgs {
  const parsed = parseCommandLine(argv, {
    file: { type: 'string', short: 'f' },
    format: { type: 'string' },
    ...PAGING_FLAGS,
    page: { type: 'boolean' },
    'no-page': { type: 'boolean' },
    expand: { type: 'boolean' },
  });
  if (typeof parsed === 'string') return { kind: 'usage-error', message: parsed };
  const v = parsed.values;
  if (v.help === true) return { kind: 'help' };
  const file = v.file;
  if (file === undefined && parsed.positionals.length !== 1) {
    return {
      kind: 'usage-error',
      message: `expected one "<statement>" argument or -f FILE, got ${parsed.positionals.length} arguments (quote the statement)`,
    };
  }
  if (file !== undefined && parsed.positionals.length > 0)
    return { kind: 'usage-error', message: 'give the statements either as the argument or with -f FILE, not both' };
  const statement = file === undefined ? parsed.positionals[0]! : undefined;
  if (statement?.trim() === '') return { kind: 'usage-error', message: 'the statement is empty' };
  const connection = connectionArgs(v, env);
  if (typeof connection === 'string') return { kind: 'usage-error', message: connection };
  const format = v.format ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format))
    return { kind: 'usage-error', message: `--format must be ${OUTPUT_FORMATS.join(', ')}, got '${format}'` };
  const paging = pagingArgs(v, DEFAULT_QUERY_FETCH_SIZE);
  if (typeof paging === 'string') return { kind: 'usage-error', message: paging };
  if (v.page === true && v['no-page'] === true)
    return { kind: 'usage-error', message: '--page and --no-page contradict each other' };
  return {
    kind: 'run',
    options: {
      statement,
      file,
      connection,
      format: format as OutputFormat,
      fetchSize: paging.fetchSize,
      page: v.page === true ? true : v['no-page'] === true ? false : undefined,
      expand: v.expand === true,
      timeoutMs: paging.timeoutMs,
    },
  };
}
