/**
 * One contestant of the stream part in a process of its own (`--stream-isolation process`, the
 * default): argv = client kind, wire configuration, host, port. It imports and connects only its
 * own client, says `ready` (or `unavailable`), then answers each `run` message with one measured
 * run: a full GC and a short pause first, then rows/s and this process's CPU time per row over the
 * run. So no client's heap, garbage, JIT state or GC timing is in another client's figures.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchChild } from './child-entry.js';
import type { WireConfig } from './raw-decode-framing.js';
import type { ReadTally } from './read-rows.js';
import { measureRun, type StreamClientKind, type StreamRunFigures } from './stream-bench.js';

/** What the parent sends: one run to measure, or the end. */
export type StreamChildRequest = { type: 'run'; query: string; fetchSize: number } | { type: 'close' };

/** What the child sends back. */
export type StreamChildReport =
  | { type: 'ready' }
  | { type: 'unavailable'; reason: string }
  | ({ type: 'ran' } & StreamRunFigures)
  | { type: 'error'; message: string };

type Runner = (query: string, fetchSize: number) => Promise<ReadTally>;

/** Connects the one client `kind` in `config`; its runner and how to close it, or why it is not available. */
async function connectContestant(
  kind: StreamClientKind,
  config: WireConfig,
  host: string,
  port: number,
): Promise<{ run: Runner; close: () => Promise<void> } | { unavailable: string }> {
  switch (kind) {
    case 'rawDecode': {
      const { RawDecodeClient } = await import('./raw-decode-client.js');
      const client = await RawDecodeClient.connect(host, port, config);
      const close = (): Promise<void> => {
        client.close();
        return Promise.resolve();
      };
      return { run: (q, f) => client.stream(q, f), close };
    }
    case 'rawDecodePages':
    case 'rawDecodeRows': {
      const { RawDecodeClient } = await import('./raw-decode-client.js');
      const { foldHandedPages, foldHandedRows } = await import('./raw-decode-handoff.js');
      const client = await RawDecodeClient.connect(host, port, config);
      const fold = kind === 'rawDecodePages' ? foldHandedPages : foldHandedRows;
      const close = (): Promise<void> => {
        client.close();
        return Promise.resolve();
      };
      return { run: (q, f) => fold(client, q, f), close };
    }
    case 'driverStream':
    case 'driverEachRow': {
      const { connectDriver } = await import('./driver-client.js');
      const driver = await connectDriver(host, port);
      return {
        run: kind === 'driverStream' ? (q, f) => driver.stream(q, f) : (q, f) => driver.eachRow(q, f),
        close: () => driver.close(),
      };
    }
    case 'rawLengths': {
      const { RawClient } = await import('./raw-client.js');
      const raw = await RawClient.connect({ host, port });
      return {
        run: async (q, f) => ({ rows: (await raw.countAll(q, f)).rows, checksum: Number.NaN }),
        close: () => {
          raw.close();
          return Promise.resolve();
        },
      };
    }
    default: {
      const { connectCqlwire } = await import('./cqlwire-client.js');
      const loaded = await connectCqlwire(host, port, config);
      if (!loaded.ok) return { unavailable: loaded.reason };
      const c = loaded.client;
      const run = {
        cqlwireRows: c.stream,
        cqlwirePages: c.streamPages,
        cqlwirePagesRecycled: c.streamPagesRecycled,
        cqlwireReadable: c.streamReadable,
      }[kind];
      if (run === undefined) {
        await c.close();
        return { unavailable: `cqlwire has no entry point for ${kind}` };
      }
      return { run, close: () => c.close() };
    }
  }
}

async function main(): Promise<void> {
  const [kind, config, host, portText] = process.argv.slice(2) as [StreamClientKind, WireConfig, string, string];
  const send = (r: StreamChildReport): Promise<void> => new Promise((done) => process.send!(r, () => done()));
  const connected = await connectContestant(kind, config, host, Number(portText));
  if ('unavailable' in connected) {
    await send({ type: 'unavailable', reason: connected.unavailable });
    return;
  }
  await send({ type: 'ready' });
  // one request at a time: the parent waits for each answer before it sends the next
  await new Promise<void>((done, fail) => {
    process.on('message', (m: StreamChildRequest) => {
      if (m.type === 'close') {
        connected.close().then(done, fail);
        return;
      }
      measureRun(connected.run, m.query, m.fetchSize).then((figures) => send({ type: 'ran', ...figures }), fail);
    });
  });
}

// Only as the forked entry point (a test importing the types must not start a client).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runBenchChild(main);
}
