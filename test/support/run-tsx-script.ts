import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** What a child TypeScript script did: its exit code, everything it printed, how long it ran. */
export interface ScriptRun {
  code: number | null;
  out: string;
  ms: number;
}

/**
 * Runs a TypeScript script in a fresh Node process (through tsx) from the project root and waits
 * for it to exit by itself; it is killed after `killAfterMs`, so a process kept alive by a leaked
 * timer or socket shows up as a long run and a null code instead of hanging the suite.
 * `nodeFlags` go to node before the script (e.g. `--disallow-code-generation-from-strings`).
 */
export function runTsxScript(
  script: string,
  args: readonly string[],
  killAfterMs = 15_000,
  nodeFlags: readonly string[] = [],
): Promise<ScriptRun> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const started = Date.now();
  return new Promise<ScriptRun>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, out, ms: Date.now() - started });
    });
  });
}
