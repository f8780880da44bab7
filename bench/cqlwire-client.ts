/**
 * cqlwire as the benchmarks use it, loaded at run time: the session and streaming layers were
 * written while this harness was, so every entry point is looked up and a missing one makes
 * that client "not available yet" instead of a crash.
 */
import type { CqlwireBenchRow, ReadTally } from './read-rows.js';
import { foldCqlwireRow } from './read-rows.js';

/** The shape of the session this harness needs (a subset of the public API in README.md "API tour"). */
interface SessionLike {
  execute(query: string, params?: unknown, options?: Record<string, unknown>): Promise<ResultSetLike>;
  executeStream?: (
    query: string,
    params?: unknown,
    options?: Record<string, unknown>,
  ) => Promise<AsyncIterable<unknown>>;
  shutdown?: () => Promise<void>;
}
interface ResultSetLike {
  readonly rows: readonly unknown[];
  all(): Promise<unknown[]>;
}
interface ClusterLike {
  connect(keyspace?: string): Promise<SessionLike>;
  shutdown(): Promise<void>;
}
type ClusterCtor = new (options: Record<string, unknown>) => ClusterLike;
type StreamFn = (
  session: unknown,
  query: string,
  params?: unknown,
  options?: Record<string, unknown>,
) => Promise<AsyncIterable<unknown>>;

/** A connected cqlwire client, with what it can do today. */
export interface CqlwireClient {
  /** How streaming is reached: `session.executeStream`, or the streaming module's function while the session method is missing. */
  readonly streamVia: 'session.executeStream' | 'streaming.executeStream(session)' | undefined;
  /** `for await (const row of await session.executeStream(query, [], { fetchSize, prepare }))`, every cell read. */
  stream: ((query: string, fetchSize: number) => Promise<ReadTally>) | undefined;
  /** `(await session.execute(query, [], { fetchSize, prepare })).all()`, then every cell read. */
  executeAll(query: string, fetchSize: number): Promise<ReadTally>;
  /** One small prepared execute. */
  executeOne(query: string, params: readonly unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** Why cqlwire could not be loaded, or the client. */
export type CqlwireLoad = { ok: true; client: CqlwireClient } | { ok: false; reason: string };

/** Loads cqlwire, connects to `host:port` and checks which entry points exist. */
export async function connectCqlwire(host: string, port: number): Promise<CqlwireLoad> {
  let Cluster: ClusterCtor | undefined;
  let streamingExecute: StreamFn | undefined;
  try {
    const mod = (await import('../src/index.js')) as unknown as { Cluster?: ClusterCtor };
    Cluster = mod.Cluster;
  } catch (err) {
    return { ok: false, reason: `cannot load src/index.ts: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof Cluster !== 'function') return { ok: false, reason: 'src/index.ts exports no Cluster' };
  try {
    const streaming = (await import('../src/streaming/index.js')) as unknown as { executeStream?: StreamFn };
    streamingExecute = streaming.executeStream;
  } catch {
    streamingExecute = undefined;
  }
  const cluster = new Cluster({ contactPoints: [`${host}:${port}`], localDataCenter: 'datacenter1' });
  let session: SessionLike;
  try {
    session = await cluster.connect();
  } catch (err) {
    await cluster.shutdown().catch(() => undefined);
    return { ok: false, reason: `connect failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const method = typeof session.executeStream === 'function' ? session.executeStream.bind(session) : undefined;
  const open: ((q: string, o: Record<string, unknown>) => Promise<AsyncIterable<unknown>>) | undefined = method
    ? (q, o) => method(q, [], o)
    : streamingExecute
      ? (q, o) => streamingExecute(session, q, [], o)
      : undefined;
  const client: CqlwireClient = {
    streamVia: method ? 'session.executeStream' : streamingExecute ? 'streaming.executeStream(session)' : undefined,
    stream: open
      ? async (query, fetchSize) => {
          const result = await open(query, { fetchSize, prepare: true });
          let rows = 0;
          let checksum = 0;
          for await (const row of result) {
            checksum += foldCqlwireRow(row as CqlwireBenchRow);
            rows++;
          }
          return { rows, checksum };
        }
      : undefined,
    async executeAll(query, fetchSize) {
      const rs = await session.execute(query, [], { fetchSize, prepare: true });
      const all = await rs.all();
      let checksum = 0;
      for (let i = 0; i < all.length; i++) checksum += foldCqlwireRow(all[i] as CqlwireBenchRow);
      return { rows: all.length, checksum };
    },
    async executeOne(query, params) {
      const rs = await session.execute(query, params, { prepare: true });
      return rs.rows.length;
    },
    async close() {
      await cluster.shutdown();
    },
  };
  return { ok: true, client };
}
