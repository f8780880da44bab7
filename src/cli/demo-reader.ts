/**
 * One read of the demo, run by demo.ts in a fresh child process so that its memory is its own:
 * `demo-reader.ts <stream|execute> <host:port> <fetchSize>`. It reads the demo query, touches two
 * columns of every row (the same work in both modes), shows a progress line on stderr, and sends
 * a {@link ReaderReport} to its parent over IPC. Peak RSS is sampled (every 10 ms and at every
 * page), not taken from `resourceUsage().maxRSS`: on Linux that high-water mark survives exec and
 * can hold the forked parent's size (here, the server with the whole table).
 */

import type { Row } from '../protocol/rows/index.js';
import type { ResultSet } from '../session/index.js';
import { Cluster } from '../session/index.js';
import { DEMO_QUERY } from './demo-table.js';
import { ProgressLine } from './progress-line.js';

/** Which read: `executeStream` row by row, or `execute` with every page collected in an array. */
export type ReaderMode = 'stream' | 'execute';

/** What a reader reports to the demo. */
export type ReaderReport =
  | {
      ok: true;
      mode: ReaderMode;
      rows: number;
      pages: number;
      seconds: number;
      baselineRss: number;
      peakRss: number;
      checksum: number;
    }
  | { ok: false; mode: ReaderMode; error: string };

function touch(row: Row): number {
  return (row.get('id') as number) + (row.get('name') as string).length;
}

async function read(mode: ReaderMode, contactPoint: string, fetchSize: number): Promise<ReaderReport> {
  const cluster = new Cluster({ contactPoints: [contactPoint] });
  try {
    const session = await cluster.connect();
    const baselineRss = process.memoryUsage.rss();
    // RSS sampled every 10 ms and at every page (the reads yield to the event loop between pages)
    let peakRss = baselineRss;
    const sample = (): void => {
      const r = process.memoryUsage.rss();
      if (r > peakRss) peakRss = r;
    };
    const sampler = setInterval(sample, 10);
    const progress = new ProgressLine(process.stderr, {
      tty: process.stderr.isTTY,
      label: mode === 'stream' ? 'executeStream' : 'execute + collect',
    });
    const t0 = performance.now();
    let rows = 0;
    let pages = 0;
    let checksum = 0;
    if (mode === 'stream') {
      const result = await session.executeStream(DEMO_QUERY, [], {
        fetchSize,
        pageCallback: (pageNumber, totalRows) => {
          sample();
          progress.update(totalRows, pageNumber);
        },
      });
      for await (const row of result) {
        checksum += touch(row);
        rows++;
      }
      pages = result.pageNumber;
    } else {
      // what code without streaming does: fetch every page, keep every row, then process them
      const all: Row[] = [];
      let rs: ResultSet = await session.execute(DEMO_QUERY, [], { fetchSize });
      for (;;) {
        pages++;
        for (const row of rs) all.push(row);
        sample();
        progress.update(all.length, pages);
        if (rs.pagingState === undefined) break;
        rs = await session.execute(DEMO_QUERY, [], { fetchSize, pagingState: rs.pagingState });
      }
      for (const row of all) checksum += touch(row);
      rows = all.length;
    }
    const seconds = (performance.now() - t0) / 1000;
    sample();
    clearInterval(sampler);
    progress.update(rows, pages);
    progress.finish();
    return { ok: true, mode, rows, pages, seconds, baselineRss, peakRss, checksum };
  } finally {
    await cluster.shutdown();
  }
}

const [mode, contactPoint, fetchSize] = process.argv.slice(2);
if (process.send !== undefined && (mode === 'stream' || mode === 'execute') && contactPoint !== undefined) {
  const send = (report: ReaderReport): Promise<void> =>
    new Promise((resolve) => {
      process.send!(report, () => resolve());
    });
  read(mode, contactPoint, Number(fetchSize ?? 5000)).then(
    async (report) => {
      await send(report);
      process.exit(0);
    },
    async (err: unknown) => {
      await send({ ok: false, mode, error: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    },
  );
}
