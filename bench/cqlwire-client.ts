/**
 * cqlwire as the benchmarks use it, loaded at run time: the session and streaming layers were
 * written while this harness was, so every entry point is looked up and a missing one makes
 * that client "not available yet" instead of a crash.
 */
import type { Readable } from 'node:stream';
import type { WireConfig } from './raw-decode-framing.js';
import type { CqlwireBenchRow, ReadTally } from './read-rows.js';
import { foldCqlwireRow } from './read-rows.js';

/** The shape of the session this harness needs (a subset of the public API in README.md "API tour"). */
interface SessionLike {
  execute(query: string, params?: unknown, options?: Record<string, unknown>): Promise<ResultSetLike>;
  executeStream?: (query: string, params?: unknown, options?: Record<string, unknown>) => Promise<StreamLike>;
  shutdown?: () => Promise<void>;
}
/** The result of `executeStream` (README.md "Streaming"): rows, `pages()`, `toReadable()`. */
interface StreamLike extends AsyncIterable<unknown> {
  pages?: (options?: { recyclePages?: boolean }) => AsyncIterable<Iterable<unknown>>;
  toReadable?: () => Readable;
}
interface ResultSetLike {
  readonly rows: readonly unknown[];
  all(): Promise<unknown[]>;
}
interface ClusterLike {
  readonly protocolVersion?: number;
  connect(keyspace?: string): Promise<SessionLike>;
  shutdown(): Promise<void>;
}
type ClusterCtor = new (options: Record<string, unknown>) => ClusterLike;
type StreamFn = (
  session: unknown,
  query: string,
  params?: unknown,
  options?: Record<string, unknown>,
) => Promise<StreamLike>;

/** A connected cqlwire client, with what it can do today. */
export interface CqlwireClient {
  /** How streaming is reached: `session.executeStream`, or the streaming module's function while the session method is missing. */
  readonly streamVia: 'session.executeStream' | 'streaming.executeStream(session)' | undefined;
  /** `for await (const row of await session.executeStream(query, [], { fetchSize, prepare }))`, every cell read. */
  stream: ((query: string, fetchSize: number) => Promise<ReadTally>) | undefined;
  /** `for await (const page of stream.pages()) for (const row of page)`, every cell read. */
  streamPages: ((query: string, fetchSize: number) => Promise<ReadTally>) | undefined;
  /** The same with `pages({ recyclePages: true })`: each page's memory reused once the loop moved past it. */
  streamPagesRecycled: ((query: string, fetchSize: number) => Promise<ReadTally>) | undefined;
  /**
   * `for await (const row of stream.toReadable())`: the object-mode Readable consumed the way a
   * user reads a Readable in modern Node (its async iterator), every cell read.
   */
  streamReadable: ((query: string, fetchSize: number) => Promise<ReadTally>) | undefined;
  /** The protocol version the connection negotiated (undefined if the cluster does not say). */
  readonly protocolVersion: number | undefined;
  /** `(await session.execute(query, [], { fetchSize, prepare })).all()`, then every cell read. */
  executeAll(query: string, fetchSize: number): Promise<ReadTally>;
  /** One small prepared execute. */
  executeOne(query: string, params: readonly unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** Why cqlwire could not be loaded, or the client. */
export type CqlwireLoad = { ok: true; client: CqlwireClient } | { ok: false; reason: string };

/** The cluster options of a wire configuration: v5 is the default (negotiated), lz4 and v4 are asked for. */
export function cqlwireWireOptions(config: WireConfig): Record<string, unknown> {
  if (config === 'v5-lz4') return { compression: 'lz4' };
  if (config === 'v4') return { protocolVersion: 4 };
  return {};
}

/**
 * Loads cqlwire, connects to `host:port` (one Cluster, in the wire configuration `config`, default
 * v5 uncompressed) and checks which entry points exist.
 */
export async function connectCqlwire(host: string, port: number, config: WireConfig = 'v5'): Promise<CqlwireLoad> {
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
  const cluster = new Cluster({
    contactPoints: [`${host}:${port}`],
    localDataCenter: 'datacenter1',
    ...cqlwireWireOptions(config),
  });
  let session: SessionLike;
  try {
    session = await cluster.connect();
  } catch (err) {
    await cluster.shutdown().catch(() => undefined);
    return { ok: false, reason: `connect failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const method = typeof session.executeStream === 'function' ? session.executeStream.bind(session) : undefined;
  const open: ((q: string, o: Record<string, unknown>) => Promise<StreamLike>) | undefined = method
    ? (q, o) => method(q, [], o)
    : streamingExecute
      ? (q, o) => streamingExecute(session, q, [], o)
      : undefined;
  const client: CqlwireClient = {
    protocolVersion: cluster.protocolVersion,
    streamVia: method ? 'session.executeStream' : streamingExecute ? 'streaming.executeStream(session)' : undefined,
    // each consumer is a loop of its own, so no iteration call site is shared (and made
    // polymorphic) between two ways of reading
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
    streamPages: open ? (query, fetchSize) => readPages(open, query, fetchSize, false) : undefined,
    streamPagesRecycled: open ? (query, fetchSize) => readPages(open, query, fetchSize, true) : undefined,
    streamReadable: open
      ? async (query, fetchSize) => {
          const result = await open(query, { fetchSize, prepare: true });
          if (result.toReadable === undefined) throw new Error('executeStream result has no toReadable()');
          let rows = 0;
          let checksum = 0;
          for await (const row of result.toReadable()) {
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

/** `for await (const page of stream.pages({ recyclePages })) for (const row of page)`, every cell read. */
async function readPages(
  open: (q: string, o: Record<string, unknown>) => Promise<StreamLike>,
  query: string,
  fetchSize: number,
  recyclePages: boolean,
): Promise<ReadTally> {
  const result = await open(query, { fetchSize, prepare: true });
  if (result.pages === undefined) throw new Error('executeStream result has no pages()');
  let rows = 0;
  let checksum = 0;
  for await (const page of result.pages(recyclePages ? { recyclePages: true } : undefined)) {
    for (const row of page) {
      checksum += foldCqlwireRow(row as CqlwireBenchRow);
      rows++;
    }
  }
  return { rows, checksum };
}
