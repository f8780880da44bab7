/**
 * A node child process counted by valgrind's callgrind, for the instruction-count benchmarks
 * (instruction-count.ts, speculative-instructions.ts).
 */
import { spawn } from 'node:child_process';

/** How a child ended: its exit code, its output, and the instructions callgrind counted. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Callgrind's "Collected" (every thread of the child); undefined when not counted. */
  instructions: number | undefined;
}

/**
 * Runs `node <nodeArgs>`; when `counted`, under `valgrind --tool=callgrind` with node's
 * `--single-threaded` (V8's compiler and GC helper work then runs on the main thread, counted all
 * the same, in an order that does not depend on thread scheduling). Killed after `timeoutMs`.
 */
export async function runNodeChild(
  nodeArgs: readonly string[],
  counted: boolean,
  timeoutMs: number,
): Promise<ChildRun> {
  const proc = counted
    ? spawn(
        'valgrind',
        ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', ...nodeArgs],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
    : spawn(process.execPath, [...nodeArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  const collected = counted ? /Collected : (\d+)/.exec(stderr) : null;
  return { code, stdout, stderr, instructions: collected === null ? undefined : Number(collected[1]) };
}
