/**
 * Real-time style processing: one stream per sensor partition, all at once over the same
 * connections, each feeding windowed aggregates to an async sink. A slow sink slows only its own
 * stream (each has its own backpressure); an overall deadline cancels everything through one
 * AbortSignal; a failed stream reports where to resume.
 *
 *   npx tsx examples/realtime-processing.ts
 *   CQLWIRE_CONTACT_POINTS=10.0.0.5 npx tsx examples/realtime-processing.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Row } from '../src/index.js';
import { StreamError } from '../src/index.js';
import { exampleCluster, SENSORS } from './support/example-cluster.js';

interface Reading extends Row {
  readonly sensor: string;
  readonly seq: number;
  readonly value: number;
  readonly at: Date;
}

/** Aggregates of one window of readings. */
interface Window {
  readonly sensor: string;
  readonly first: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

const WINDOW = 250;
/** Readings above this raise an alert as they stream by, not after the whole partition is read. */
const ALERT_ABOVE = 39.9;

/** A sink that takes a while per window (a queue, an HTTP call, ...): awaiting it is backpressure. */
async function publish(_window: Window, slow: boolean): Promise<void> {
  if (slow) await sleep(2);
}

const { session, close } = await exampleCluster();
const deadline = AbortSignal.timeout(60_000);
try {
  const select = await session.prepare('SELECT sensor, seq, value, at FROM examples.readings WHERE sensor = ?');
  const started = Date.now();
  const summaries = await Promise.all(
    SENSORS.map(async (sensor, i) => {
      const stream = await session.executeStream<Reading>(select, [sensor], {
        fetchSize: 500,
        prefetchPages: 1,
        signal: deadline,
        timeoutMs: 10_000,
      });
      let windows = 0;
      let alerts = 0;
      let count = 0;
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      let first = 0;
      try {
        for await (const reading of stream) {
          const v = reading.value;
          if (count === 0) first = reading.seq;
          count++;
          sum += v;
          if (v < min) min = v;
          if (v > max) max = v;
          if (v > ALERT_ABOVE) alerts++;
          if (count === WINDOW) {
            // sensor s1's sink is slow: only its stream waits, the others run at full speed
            await publish({ sensor, first, count, min, max, mean: sum / count }, i === 0);
            windows++;
            count = 0;
            sum = 0;
            min = Infinity;
            max = -Infinity;
          }
        }
        if (count > 0) {
          await publish({ sensor, first, count, min, max, mean: sum / count }, i === 0);
          windows++;
        }
      } catch (error) {
        if (error instanceof StreamError) {
          return `${sensor}: failed after ${error.totalRowsFetched} readings (${error.message}); resume from ${error.pagingState?.toString('hex') ?? 'the start'}`;
        }
        throw error;
      }
      return `${sensor}: ${stream.totalRowsFetched} readings, ${stream.pageNumber} pages, ${windows} windows, ${alerts} alerts`;
    }),
  );
  for (const line of summaries) console.log(line);
  console.log(`5 concurrent streams done in ${Date.now() - started} ms`);
} finally {
  await close();
}
