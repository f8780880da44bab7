/**
 * One memory measurement in a fresh process (so no other client's heap is in its RSS):
 * argv = client kind, host, port, query, fetchSize. It connects, samples RSS over time while it
 * reads every row (every cell), and sends a {@link MemoryChildReport} to its parent over IPC.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from '../src/index.js';
import { runBenchChild } from './child-entry.js';
import type { CqlwireBenchRow, ReadTally } from './read-rows.js';

export const MEMORY_CLIENTS = ['cqlwireStream', 'cqlwireStreamRecycled', 'cqlwireExecuteAll', 'driverStream'] as const;
export type MemoryClientName = (typeof MEMORY_CLIENTS)[number];

export type MemoryChildReport =
  | {
      type: 'done';
      rows: number;
      seconds: number;
      /** RSS right before the query, bytes. */
      baselineRss: number;
      /** The process's peak RSS (getrusage maxrss), bytes. */
      peakRss: number;
      /** The highest heapUsed sampled, bytes. */
      peakHeapUsed: number;
      /** [milliseconds since the query started, RSS bytes]. */
      samples: [number, number][];
    }
  | { type: 'unavailable'; reason: string }
  | { type: 'error'; message: string };

const SAMPLE_MS = 50;

async function main(): Promise<void> {
  const [kind, host, portText, query, fetchText] = process.argv.slice(2) as [
    MemoryClientName,
    string,
    string,
    string,
    string,
  ];
  const port = Number(portText);
  const fetchSize = Number(fetchText);
  const send = (r: MemoryChildReport): Promise<void> => new Promise((resolve) => process.send!(r, () => resolve()));

  let run: () => Promise<ReadTally>;
  let close: () => Promise<void>;
  // Each client is imported only in its own process, so no other client's modules are in the RSS.
  if (kind === 'driverStream') {
    const { connectDriver } = await import('./driver-client.js');
    const d = await connectDriver(host, port);
    run = () => d.stream(query, fetchSize);
    close = () => d.close();
  } else if (kind === 'cqlwireStreamRecycled') {
    // the same loop as cqlwireStream, over rows({ recyclePages: true }) (README "Recycled page memory")
    const { Cluster } = await import('../src/index.js');
    const { foldCqlwireRow } = await import('./read-rows.js');
    const cluster = new Cluster({ contactPoints: [`${host}:${port}`], localDataCenter: 'datacenter1' });
    const session = await cluster.connect();
    close = () => cluster.shutdown();
    run = async () => {
      const result = await session.executeStream<CqlwireBenchRow & Row>(query, [], { fetchSize, prepare: true });
      let rows = 0;
      let checksum = 0;
      for await (const row of result.rows({ recyclePages: true })) {
        checksum += foldCqlwireRow(row);
        rows++;
      }
      return { rows, checksum };
    };
  } else {
    const { connectCqlwire } = await import('./cqlwire-client.js');
    const loaded = await connectCqlwire(host, port);
    if (!loaded.ok) {
      await send({ type: 'unavailable', reason: loaded.reason });
      return;
    }
    const c = loaded.client;
    close = () => c.close();
    if (kind === 'cqlwireStream') {
      const stream = c.stream;
      if (stream === undefined) {
        await c.close();
        await send({ type: 'unavailable', reason: 'no executeStream on the session or in src/streaming' });
        return;
      }
      run = () => stream(query, fetchSize);
    } else {
      run = () => c.executeAll(query, fetchSize);
    }
  }

  const samples: [number, number][] = [];
  let peakHeapUsed = 0;
  const t0 = performance.now();
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.heapUsed > peakHeapUsed) peakHeapUsed = m.heapUsed;
    samples.push([Math.round(performance.now() - t0), m.rss]);
  };
  const baselineRss = process.memoryUsage.rss();
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  const tally = await run();
  const seconds = (performance.now() - t0) / 1000;
  sample();
  clearInterval(timer);
  await close();
  await send({
    type: 'done',
    rows: tally.rows,
    seconds,
    baselineRss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    peakHeapUsed,
    samples,
  });
}

// Only as the forked entry point: memory-bench.ts imports MEMORY_CLIENTS from here, and a test
// process importing it (vitest's workers have an IPC channel too) must not run a measurement.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runBenchChild(main);
}
