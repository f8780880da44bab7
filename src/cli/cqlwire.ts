#!/usr/bin/env node
/**
 * The `cqlwire` command. Subcommands register in SUBCOMMANDS; each gets the arguments after
 * its name and returns the exit code (0 ok, 1 failure, 2 usage error).
 */
import { startEmbeddedServer } from '../server/index.js';
import { runServerCommand } from './server.js';

type Subcommand = (argv: readonly string[]) => Promise<number>;

const SUBCOMMANDS: Record<string, { summary: string; run: Subcommand }> = {
  server: {
    summary: 'run the embedded CQL server in the foreground',
    run: (argv) => runServerCommand(argv, {
      start: (options) => startEmbeddedServer(options),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      stopSignal: () => new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }),
    }),
  },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, s]) => `  ${name.padEnd(10)} ${s.summary}`);
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
    process.stderr.write(`cqlwire: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
