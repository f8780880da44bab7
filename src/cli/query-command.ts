/**
 * `cqlwire query "<statement>"` / `cqlwire query -f FILE.cql`: runs CQL statements against a
 * cluster and prints the results as cqlsh does (statement-output.ts), so a user can create a
 * keyspace, load a few rows and look at a table without another tool. Statements run in order;
 * the first failure stops the run (exit 1) with the statement's line in the file.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ClusterOptions } from '../session/index.js';
import { answerNotARun, connectOrExitCode } from './command-run.js';
import { type CliConnection, connectCluster, redactor } from './connection-args.js';
import { type ScriptStatement, splitStatements } from './cql-script.js';
import { writeChunk } from './output-chunk.js';
import { parseQueryArgs, QUERY_USAGE } from './query-args.js';
import { type OutputSettings, runStatement, type StatementSession } from './statement-output.js';

/** How the command talks to the world; `process` in real use, injected streams in tests. */
export interface QueryIo {
  readonly stdout: Writable & { readonly isTTY?: boolean };
  readonly stderr: Writable;
  /** Where `-f -` reads from and the pager reads Enter from. */
  readonly stdin?: Readable & { readonly isTTY?: boolean };
  /** The environment (CQLWIRE_PASSWORD). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads `-f FILE`; default `readFileSync(path, 'utf8')`. */
  readFile?(path: string): string;
  /** Connects; default `new Cluster(options).connect(keyspace)`. */
  connect?(options: ClusterOptions, keyspace: string | undefined): Promise<CliConnection<StatementSession>>;
  /** Asked after each page of a paged table; default: `---MORE---` and a line from stdin ('q' stops). */
  more?(): Promise<boolean>;
}

async function readAll(stream: Readable): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}

/** The statements of `text`: every `;`-terminated one, and a last one without its `;`. */
export function statementsOf(text: string): ScriptStatement[] | { unfinishedAt: number } {
  const split = splitStatements(text);
  if (split.restOpen) return { unfinishedAt: split.restLine };
  return split.rest === '' ? split.statements : [...split.statements, { text: split.rest, line: split.restLine }];
}

/** A pager reading Enter (go on) or `q` (stop) from `input`, prompting on `output`. */
function linePager(input: Readable, output: Writable): { more: () => Promise<boolean>; close: () => void } {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    more: async () => {
      output.write('---MORE---');
      const next = await lines.next();
      return next.done !== true && next.value.trim().toLowerCase() !== 'q';
    },
    close: () => rl.close(),
  };
}

/** Runs `cqlwire query`; resolves with the exit code (0 done, 1 a statement failed, 2 usage error). */
export async function runQueryCommand(argv: readonly string[], io: QueryIo): Promise<number> {
  const args = parseQueryArgs(argv, io.env);
  if (args.kind !== 'run') return answerNotARun(args, 'query', QUERY_USAGE, io);
  const err = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const o = args.options;
  const redact = redactor(o.connection.password);

  let text: string;
  try {
    if (o.file === undefined) text = o.statement!;
    else if (o.file === '-') text = io.stdin === undefined ? '' : await readAll(io.stdin);
    else text = (io.readFile ?? ((path) => readFileSync(path, 'utf8')))(o.file);
  } catch (error) {
    err(`cqlwire query: could not read ${o.file}: ${(error as Error).message}`);
    return 1;
  }
  const statements = statementsOf(text);
  if (!Array.isArray(statements)) {
    err(
      `cqlwire query: line ${statements.unfinishedAt}: the last statement never ends (an open string, quoted name or comment)`,
    );
    return 1;
  }
  if (statements.length === 0) {
    err('cqlwire query: no statement to run');
    return 2;
  }

  const connection = await connectOrExitCode('query', io, connectCluster, o.connection, o.fetchSize, err);
  if (typeof connection === 'number') return connection;

  const paging = o.format === 'table' && (o.page ?? (io.stdin?.isTTY === true && io.stdout.isTTY === true));
  const pager = paging && io.more === undefined && io.stdin !== undefined ? linePager(io.stdin, io.stdout) : undefined;
  const settings: OutputSettings = {
    format: o.format,
    fetchSize: o.fetchSize,
    page: paging,
    expand: o.expand,
    consistency: o.connection.consistency,
    timeoutMs: o.timeoutMs,
  };
  const statementIo = {
    write: (chunk: string) => writeChunk(io.stdout, chunk),
    warn: err,
    more: (): Promise<boolean> =>
      io.more !== undefined ? io.more() : pager !== undefined ? pager.more() : Promise.resolve(true),
  };
  let code = 0;
  try {
    for (const statement of statements) {
      try {
        await runStatement(connection.session, statement.text, settings, statementIo);
      } catch (error) {
        const where = o.file !== undefined || statements.length > 1 ? `line ${statement.line}: ` : '';
        err(redact(`cqlwire query: ${where}${error instanceof Error ? error.message : String(error)}`));
        code = 1;
        break;
      }
    }
  } finally {
    pager?.close();
    await connection.close().catch(() => undefined);
  }
  return code;
}
