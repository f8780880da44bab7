/**
 * `cqlwire shell`: an interactive CQL prompt in the manner of cqlsh. A statement runs when a line
 * ends it with `;` (it may span lines: the prompt becomes `...>`); CONSISTENCY, PAGING, EXPAND,
 * DESCRIBE, HELP and EXIT are handled here (shell-commands.ts). Results print as `cqlwire query`
 * prints a table (statement-output.ts), a page at a time with `---MORE---` when paging. On a
 * terminal the line editor keeps a history, saved to ~/.cqlwire_history (lines that set a
 * password are not saved).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ArgumentError } from '../protocol/errors/index.js';
import { Cluster } from '../session/index.js';
import {
  CONNECTION_FLAGS,
  CONNECTION_USAGE,
  clusterOptionsOf,
  connectFailureText,
  connectionArgs,
  positiveInt,
  redactor,
} from './connection-args.js';
import { splitStatements } from './cql-script.js';
import { writeChunk } from './output-chunk.js';
import { DEFAULT_QUERY_FETCH_SIZE } from './query-args.js';
import { runShellBuiltin, type ShellState } from './shell-commands.js';
import { type OutputSettings, runStatement } from './statement-output.js';

/** The text of `cqlwire shell --help`. */
export const SHELL_USAGE = `Usage: cqlwire shell --contact-points h1[,h2...] [options]

An interactive CQL prompt, like cqlsh: statements end with ';' and may span lines;
CONSISTENCY, PAGING, EXPAND, DESCRIBE KEYSPACES/KEYSPACE/TABLES/TABLE, HELP, EXIT.

${CONNECTION_USAGE}

Shell:
  --fetch-size N          rows per page (default 100; PAGING N changes it)
  --timeout-ms MS         timeout of each request (default 60000)
  --history FILE          where the line history is kept (default ~/.cqlwire_history)
  --no-history            keep no history file
  -h, --help              show this help
`;

/** How the shell talks to the world; the process's terminal in real use, streams in tests. */
export interface ShellIo {
  readonly input: Readable;
  readonly output: Writable;
  /** True when input and output are a terminal: line editing, history, paging on by default. */
  readonly terminal: boolean;
  /** The environment (CQLWIRE_PASSWORD, HOME). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const HISTORY_SIZE = 1000;

function loadHistory(file: string | undefined): string[] {
  if (file === undefined || !existsSync(file)) return [];
  try {
    // the file holds the oldest line first; readline wants the newest first
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .slice(-HISTORY_SIZE)
      .reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string | undefined, history: readonly string[]): void {
  if (file === undefined) return;
  const kept = history.filter((l) => !/password/i.test(l));
  try {
    writeFileSync(file, kept.length === 0 ? '' : `${[...kept].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // a history that cannot be saved is not worth failing the session for
  }
}

/** Runs `cqlwire shell`; resolves with the exit code (0 after EXIT or end of input, 1 no connection, 2 usage). */
export async function runShellCommand(argv: readonly string[], io: ShellIo): Promise<number> {
  const write = (text: string): Promise<void> => writeChunk(io.output, text);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...CONNECTION_FLAGS,
        'fetch-size': { type: 'string' },
        'timeout-ms': { type: 'string' },
        history: { type: 'string' },
        'no-history': { type: 'boolean' },
      },
    });
  } catch (err) {
    await write(
      `cqlwire shell: ${(err as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, '')}\n`,
    );
    return 2;
  }
  const v = parsed.values;
  if (v.help === true) {
    await write(SHELL_USAGE);
    return 0;
  }
  const connection = connectionArgs(v, io.env);
  const fetchSize = positiveInt('--fetch-size', v['fetch-size'], DEFAULT_QUERY_FETCH_SIZE, 0x7fffffff);
  const timeoutMs = positiveInt('--timeout-ms', v['timeout-ms'], 60_000, 0x7fffffff);
  const usage = [connection, fetchSize, timeoutMs].find((x) => typeof x === 'string');
  if (typeof usage === 'string' || typeof connection === 'string') {
    await write(`cqlwire shell: ${String(usage ?? connection)}\nRun 'cqlwire shell --help' for the options.\n`);
    return 2;
  }
  const redact = redactor(connection.password);
  const home = io.env.HOME ?? homedir();
  const historyFile =
    v['no-history'] === true || !io.terminal ? undefined : (v.history ?? join(home, '.cqlwire_history'));

  const cluster = new Cluster(clusterOptionsOf(connection, fetchSize as number));
  let session;
  try {
    session = await cluster.connect(connection.keyspace);
  } catch (error) {
    await cluster.shutdown().catch(() => undefined);
    await write(
      redact(
        `cqlwire shell: ${error instanceof ArgumentError ? `bad option: ${error.message}` : connectFailureText(error, connection.contactPoints)}\n`,
      ),
    );
    return error instanceof ArgumentError ? 2 : 1;
  }
  const settings: OutputSettings = {
    format: 'table',
    fetchSize: fetchSize as number,
    page: io.terminal,
    expand: false,
    consistency: connection.consistency,
    timeoutMs: timeoutMs as number,
  };
  const connected = session;
  const state: ShellState = { settings, keyspace: () => connected.keyspace, metadata: cluster.metadata };

  const rl = createInterface({
    input: io.input,
    output: io.output,
    terminal: io.terminal,
    history: loadHistory(historyFile),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  let history: readonly string[] = [];
  rl.on('history', (h: string[]) => {
    history = h;
  });
  let buffer = '';
  const prompt = (): void => {
    const ks = connected.keyspace;
    rl.setPrompt(buffer === '' ? `cqlwire${ks !== undefined ? `:${ks}` : ''}> ` : '   ...> ');
    rl.prompt();
  };
  // Ctrl-C drops the statement being typed, as in cqlsh, instead of pausing the input
  rl.on('SIGINT', () => {
    buffer = '';
    io.output.write('\n');
    prompt();
  });
  const lines = rl[Symbol.asyncIterator]();
  const statementIo = {
    write,
    warn: (line: string) => {
      io.output.write(`${line}\n`);
    },
    more: async (): Promise<boolean> => {
      io.output.write('---MORE---');
      const next = await lines.next();
      return next.done !== true && next.value.trim().toLowerCase() !== 'q';
    },
  };

  await write(`Connected to ${connection.contactPoints.join(',')} (cqlwire shell). Use HELP for help.\n`);
  prompt();
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done === true) break;
      const line = next.value;
      if (buffer === '') {
        if (line.trim() === '') {
          prompt();
          continue;
        }
        const done = await runShellBuiltin(line, state).catch((error: unknown) => ({
          kind: 'done' as const,
          text: `${(error as Error).message}\n`,
        }));
        if (done.kind === 'exit') break;
        if (done.kind === 'done') {
          await write(done.text);
          prompt();
          continue;
        }
      }
      buffer = buffer === '' ? line : `${buffer}\n${line}`;
      const split = splitStatements(buffer);
      buffer = split.rest;
      for (const statement of split.statements) {
        try {
          await runStatement(connected, statement.text, settings, statementIo);
        } catch (error) {
          await write(redact(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`));
        }
      }
      prompt();
    }
  } finally {
    rl.close();
    saveHistory(historyFile, history);
    await cluster.shutdown().catch(() => undefined);
  }
  return 0;
}
