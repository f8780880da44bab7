/**
 * The steps every cqlwire command that talks to a cluster takes the same way: answering `--help`
 * or a usage error, and connecting (a bad option is a usage error, anything else a failure, the
 * password never shown).
 */
import type { Writable } from 'node:stream';
import { ArgumentError } from '../protocol/errors/index.js';
import type { ClusterOptions } from '../session/index.js';
import { type ConnectionArgs, clusterOptionsOf, connectFailureText, redactor } from './connection-args.js';

/** A parsed command line that is not a run: `--help`, or why the arguments are wrong. */
export type NotARun = { readonly kind: 'help' } | { readonly kind: 'usage-error'; readonly message: string };

/**
 * Answers `--help` (`helpText` on stdout, exit code 0) or a usage error (the message and where to
 * find the options on stderr, exit code 2) for `cqlwire <command>`.
 */
export function answerNotARun(
  args: NotARun,
  command: string,
  helpText: string,
  io: { readonly stdout: Writable; readonly stderr: Writable },
): number {
  if (args.kind === 'help') {
    io.stdout.write(helpText);
    return 0;
  }
  io.stderr.write(`cqlwire ${command}: ${args.message}\n`);
  io.stderr.write(`Run 'cqlwire ${command} --help' for the options.\n`);
  return 2;
}

/**
 * Connects with `io.connect`, or `connectDefault` when the command's io has none (the options built
 * from the checked connection flags); when that fails, writes why through `err` and gives the exit
 * code instead: 2 for a bad option (ArgumentError), 1 for anything else.
 */
export async function connectOrExitCode<C extends object>(
  command: string,
  io: { connect?(options: ClusterOptions, keyspace: string | undefined): Promise<C> },
  connectDefault: (options: ClusterOptions, keyspace: string | undefined) => Promise<C>,
  c: ConnectionArgs,
  fetchSize: number,
  err: (line: string) => void,
): Promise<C | number> {
  try {
    const options = clusterOptionsOf(c, fetchSize);
    return await (io.connect !== undefined ? io.connect(options, c.keyspace) : connectDefault(options, c.keyspace));
  } catch (error) {
    const redact = redactor(c.password);
    if (error instanceof ArgumentError) {
      err(redact(`cqlwire ${command}: bad option: ${error.message}`));
      return 2;
    }
    err(redact(`cqlwire ${command}: ${connectFailureText(error, c.contactPoints)}`));
    return 1;
  }
}
