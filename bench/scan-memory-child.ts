/**
 * One scan memory measurement in a fresh process (so nothing else is in its RSS): argv = host,
 * port, table, concurrency, fetchSize, prefetchPages, and `recycle` for `recyclePages: true`. It scans the whole table with
 * `session.scanTable`, every cell of every row read, samples RSS while it does, notes the largest
 * page's bytes, and sends a {@link ScanMemoryReport} to its parent over IPC.
 */
import { Cluster } from '../src/index.js';
import { runBenchChild } from './child-entry.js';
import { type CqlwireBenchRow, foldCqlwireRow } from './read-rows.js';

export type ScanMemoryReport =
  | {
      type: 'done';
      rows: number;
      seconds: number;
      /** RSS after connecting, right before the scan, bytes. */
      baselineRss: number;
      /** The process's peak RSS (getrusage maxrss), bytes. */
      peakRss: number;
      /** The largest page's bytes (its rows' buffer). */
      maxPageBytes: number;
      /** [milliseconds since the scan started, RSS bytes]. */
      samples: [number, number][];
    }
  | { type: 'error'; message: string };

const SAMPLE_MS = 50;

async function main(): Promise<void> {
  const [host, port, table, concurrency, fetchSize, prefetchPages, recycle] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const cluster = new Cluster({ contactPoints: [`${host}:${port}`], localDataCenter: 'datacenter1' });
  const session = await cluster.connect();
  // the metadata is read once before the baseline, as the scan would read it
  await cluster.metadata.table(table.split('.')[0]!, table.split('.')[1]!);
  const samples: [number, number][] = [];
  const t0 = performance.now();
  const sample = (): void => {
    samples.push([Math.round(performance.now() - t0), process.memoryUsage.rss()]);
  };
  const baselineRss = process.memoryUsage.rss();
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  const scan = await session.scanTable(table, {
    concurrency: Number(concurrency),
    fetchSize: Number(fetchSize),
    prefetchPages: Number(prefetchPages),
    recyclePages: recycle === 'recycle',
  });
  let rows = 0;
  let checksum = 0;
  let maxPageBytes = 0;
  for await (const page of scan.pages()) {
    if (page.rowsPage.buffer.length > maxPageBytes) maxPageBytes = page.rowsPage.buffer.length;
    for (let i = 0; i < page.length; i++) checksum += foldCqlwireRow(page.row(i) as unknown as CqlwireBenchRow);
    rows += page.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  sample();
  clearInterval(timer);
  await cluster.shutdown();
  const report: ScanMemoryReport = {
    type: 'done',
    rows: checksum >= 0 ? rows : -1,
    seconds,
    baselineRss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    maxPageBytes,
    samples,
  };
  await new Promise<void>((resolve) => process.send!(report, () => resolve()));
}

runBenchChild(main);
