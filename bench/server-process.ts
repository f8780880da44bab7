/**
 * The embedded server in its own process (so that it neither shares the client's event loop nor
 * its RSS). Started by `startServerProcess`; argv[2] is the JSON list of tables to create and
 * fill, argv[3] (optional) the JSON server options (`{ nodes, tokensPerNode }`). It answers `{ type: 'ready', ... }`
 * over IPC, then `{ type: 'rss' }`, `{ type: 'load', tables }` and `{ type: 'prime', query,
 * delayMs }` (a service time on every page request of a matching query; delayMs 0 clears the
 * primes) requests, and exits when the parent disconnects.
 */
import { startEmbeddedServer } from '../src/server/index.js';
import type { TableSpec } from './bench-table.js';
import { benchRow, CREATE_KEYSPACE_CQL, createTableCql, KEYSPACE } from './bench-table.js';

/** The messages this process sends to its parent. */
export type ServerProcessMessage =
  | { type: 'ready'; host: string; port: number; loadSeconds: number; rss: number }
  | { type: 'rss'; rss: number }
  | { type: 'loaded'; loadSeconds: number; rss: number }
  | { type: 'primed' }
  | { type: 'error'; message: string };

async function main(): Promise<void> {
  const tables = JSON.parse(process.argv[2] ?? '[]') as TableSpec[];
  const options = JSON.parse(process.argv[3] ?? '{}') as { nodes?: number; tokensPerNode?: number };
  const server = await startEmbeddedServer({ port: 0, ...options });
  server.execute(CREATE_KEYSPACE_CQL);
  const load = (specs: readonly TableSpec[]): number => {
    const t0 = performance.now();
    for (const t of specs) {
      server.execute(createTableCql(t.name));
      server.load(KEYSPACE, t.name, { count: t.rows, generate: benchRow });
    }
    // Collect the load's garbage now (the process runs with --expose-gc): otherwise the first
    // major GC over millions of row Buffers lands in the middle of a measurement and stalls a
    // request for seconds (seen: a first page answered after more than 12 s).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    return (performance.now() - t0) / 1000;
  };
  const loadSeconds = load(tables);
  // Every request is logged; a benchmark sends millions, so the log is emptied as it goes.
  const logTimer = setInterval(() => server.clearActivityLog(), 500);
  const send = (m: ServerProcessMessage): void => {
    process.send?.(m);
  };
  process.on('message', (m: { type?: string; tables?: TableSpec[]; query?: string; delayMs?: number }) => {
    if (m.type === 'rss') send({ type: 'rss', rss: process.memoryUsage.rss() });
    if (m.type === 'prime') {
      server.clearPrimes();
      if ((m.delayMs ?? 0) > 0) server.prime({ when: { query: m.query ?? '' }, then: { delayMs: m.delayMs! } });
      send({ type: 'primed' });
    }
    if (m.type === 'load') {
      try {
        const seconds = load(m.tables ?? []);
        send({ type: 'loaded', loadSeconds: seconds, rss: process.memoryUsage.rss() });
      } catch (err) {
        send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    }
  });
  process.on('disconnect', () => {
    clearInterval(logTimer);
    void server.stop().finally(() => process.exit(0));
  });
  send({
    type: 'ready',
    host: server.nodes[0]!.address,
    port: server.port,
    loadSeconds,
    rss: process.memoryUsage.rss(),
  });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
