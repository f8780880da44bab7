/**
 * Parent side of the benchmark processes: forks a TypeScript entry under tsx, and starts the
 * embedded server in its own process (bench/server-process.ts).
 */

import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TableSpec } from './bench-table.js';
import type { ServerProcessMessage } from './server-process.js';

/** Forks `bench/<file>` with tsx loaded, an IPC channel, and stdio inherited for stderr. */
export function forkBench(file: string, args: readonly string[], extraExecArgv: readonly string[] = []): ChildProcess {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return fork(path, [...args], {
    execArgv: ['--import', 'tsx', ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Waits for the first message satisfying `accept` (or the child's exit, which rejects). */
export function nextMessage<T>(child: ChildProcess, accept: (m: unknown) => m is T, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      if (!accept(m)) return;
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`child exited (code ${String(code)}, signal ${String(signal)}) before answering`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child gave no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** A running server process. */
export interface ServerProcess {
  host: string;
  port: number;
  loadSeconds: number;
  /** RSS of the server process right after loading, bytes. */
  rssAfterLoad: number;
  /** Asks the server process for its current RSS. */
  rss(): Promise<number>;
  /** Creates and fills more tables; resolves with the seconds it took and the RSS after. */
  load(tables: readonly TableSpec[]): Promise<{ loadSeconds: number; rss: number }>;
  /** Delays every page request of queries containing `query` by `delayMs` (0: no delay, primes cleared). */
  primeDelay(query: string, delayMs: number): Promise<void>;
  stop(): Promise<void>;
}

function isServerMessage(m: unknown): m is ServerProcessMessage {
  return typeof m === 'object' && m !== null && 'type' in m;
}

/** Starts the embedded server in its own process and fills `tables`; resolves once it listens. */
export async function startServerProcess(
  tables: readonly TableSpec[],
  options: { readonly nodes?: number; readonly tokensPerNode?: number } = {},
): Promise<ServerProcess> {
  // The server holds up to a few million pre-encoded rows: give its heap room.
  const child = forkBench(
    './server-process.ts',
    [JSON.stringify(tables), JSON.stringify(options)],
    [
      '--max-old-space-size=8192',
      '--expose-gc',
      ...(process.env.BENCH_SERVER_EXEC_ARGV?.split(' ').filter(Boolean) ?? []),
    ],
  );
  const first = await nextMessage(child, isServerMessage, 600_000).catch((err: unknown) => {
    child.kill();
    throw err;
  });
  if (first.type !== 'ready') {
    child.kill();
    throw new Error(`server process failed: ${first.type === 'error' ? first.message : first.type}`);
  }
  return {
    host: first.host,
    port: first.port,
    loadSeconds: first.loadSeconds,
    rssAfterLoad: first.rss,
    async rss() {
      child.send({ type: 'rss' });
      const m = await nextMessage(
        child,
        (x): x is { type: 'rss'; rss: number } => isServerMessage(x) && x.type === 'rss',
        10_000,
      );
      return m.rss;
    },
    async load(tables) {
      child.send({ type: 'load', tables });
      const m = await nextMessage(
        child,
        (x): x is ServerProcessMessage => isServerMessage(x) && (x.type === 'loaded' || x.type === 'error'),
        600_000,
      );
      if (m.type !== 'loaded')
        throw new Error(
          `server could not load ${tables.map((t) => t.name).join(', ')}: ${m.type === 'error' ? m.message : m.type}`,
        );
      return { loadSeconds: m.loadSeconds, rss: m.rss };
    },
    async primeDelay(query, delayMs) {
      child.send({ type: 'prime', query, delayMs });
      await nextMessage(child, (x): x is ServerProcessMessage => isServerMessage(x) && x.type === 'primed', 10_000);
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill(), 5000).unref();
      });
    },
  };
}
