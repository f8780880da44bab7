#!/usr/bin/env node
/**
 * The `cqlwire` command. Subcommands register in SUBCOMMANDS; each gets the arguments after
 * its name and returns the exit code (0 ok, 1 failure, 2 usage error).
 */
import { benchHarnessPresent } from './bench-command.js';
import { runServerCommand } from './server.js';

type Subcommand = (argv: readonly string[]) => Promise<number>;

/** The process streams and environment, and a signal aborted by Ctrl-C. */
interface StoppableIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
}

/** Runs a command that Ctrl-C stops like a failure (the signal it is given is aborted on SIGINT). */
async function runStoppedBySigint(run: (io: StoppableIo) => Promise<number>): Promise<number> {
  const abort = new AbortController();
  const onSigint = (): void => abort.abort(new Error('interrupted (SIGINT)'));
  process.once('SIGINT', onSigint);
  try {
    return await run({ stdout: process.stdout, stderr: process.stderr, env: process.env, signal: abort.signal });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const SUBCOMMANDS: Record<string, { summary: string; run: Subcommand; listed?: () => boolean }> = {
  query: {
    summary: 'run CQL statements (or a .cql file) and print the results like cqlsh',
    run: async (argv) =>
      (await import('./query-command.js')).runQueryCommand(argv, {
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
        env: process.env,
      }),
  },
  shell: {
    summary: 'an interactive CQL prompt like cqlsh (DESCRIBE, CONSISTENCY, PAGING, EXPAND)',
    run: async (argv) =>
      (await import('./shell-command.js')).runShellCommand(argv, {
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY && process.stdout.isTTY,
        env: process.env,
      }),
  },
  server: {
    summary: 'run the embedded CQL server in the foreground',
    run: (argv) =>
      runServerCommand(argv, {
        // loaded lazily: `cqlwire export` against a real cluster never loads the server
        start: async (options) => (await import('../server/index.js')).startEmbeddedServer(options),
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        stopSignal: () =>
          new Promise<string>((resolve) => {
            process.once('SIGINT', () => resolve('SIGINT'));
            process.once('SIGTERM', () => resolve('SIGTERM'));
          }),
      }),
  },
  export: {
    summary: "stream a query's rows, or a whole table in parallel (--table), to CSV or NDJSON (resumable)",
    run: async (argv) => {
      const { runExportCommand } = await import('./export-command.js');
      // Ctrl-C stops the export like a failure: the paging state to resume from is printed
      return runStoppedBySigint((io) => runExportCommand(argv, io));
    },
  },
  count: {
    summary: 'count the rows of a table by scanning its key columns in parallel token ranges',
    run: async (argv) => {
      const { runCountCommand } = await import('./count-command.js');
      return runStoppedBySigint((io) => runCountCommand(argv, io));
    },
  },
  demo: {
    summary: 'stream a 2,000,000-row table from the embedded server; execute vs executeStream',
    run: async (argv) => (await import('./demo.js')).runDemoCommand(argv),
  },
  bench: {
    summary: 'run the benchmark harness (cqlwire vs cassandra-driver vs raw socket; a clone of the repository only)',
    run: async (argv) => (await import('./bench-command.js')).runBenchCommand(argv),
    // the harness is not in the npm package: listed only where it can run
    listed: benchHarnessPresent,
  },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS)
    .filter(([, s]) => s.listed?.() ?? true)
    .map(([name, s]) => `  ${name.padEnd(10)} ${s.summary}`);
  return `Usage: cqlwire <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'cqlwire <command> --help' for a command's options.`;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const sub = SUBCOMMANDS[name];
  if (sub === undefined) {
    process.stderr.write(`cqlwire: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  return sub.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cqlwire: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
