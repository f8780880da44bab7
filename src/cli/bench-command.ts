/**
 * `cqlwire bench`: runs the benchmark harness (`bench/run.ts`, the same as `npm run bench`) in a
 * child process, passing the arguments through. The harness lives in the repository, not in the
 * package, so an installed package says where to find it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HARNESS = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));

/** What `cqlwire bench` says when the harness is missing (its own `--help` comes from the harness). */
export const BENCH_COMMAND_USAGE = `Usage: cqlwire bench [part...] [options]

Runs the benchmark harness of a cqlwire clone (same as 'npm run bench -- ...'):
cqlwire vs cassandra-driver vs a raw-socket client against one embedded server.
'cqlwire bench --help' prints the harness's own options (parts, --quick, rounds, sizes).
`;

/** True in a clone of the repository, where the harness is; false in an installed package. */
export function benchHarnessPresent(): boolean {
  return existsSync(HARNESS);
}

/** Runs the harness with `argv`; resolves with its exit code (2 when it is not there). */
export function runBenchCommand(argv: readonly string[]): Promise<number> {
  if (!benchHarnessPresent()) {
    process.stderr.write(
      `${BENCH_COMMAND_USAGE}\ncqlwire bench: the harness is not here (${HARNESS}); run it from a clone of the repository.\n`,
    );
    return Promise.resolve(2);
  }
  // under tsx the loader flags are in execArgv; a compiled cqlwire needs tsx for the .ts harness
  const loader = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'];
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...loader, HARNESS, ...argv], { stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`cqlwire bench: could not start the harness: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal !== null ? 1 : 0)));
  });
}
