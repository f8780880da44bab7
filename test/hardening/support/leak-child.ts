// Child process of leak-check.test.ts, run as `node --expose-gc --import tsx leak-child.ts
// <streams> <seed> <contact point>...`. Opens <streams> streams on `leak.big` and stops each at
// a seeded random point (cancel before reading, break, abort mid-page, abort while a page is in
// flight, return from pages(), or read to the end), then measures the heap after GC against a
// warmed-up baseline, looks for abort listeners, timers and stream ids left behind, shuts the
// cluster down and prints one JSON line. It never calls process.exit: the parent checks that it
// exits by itself.
import { getEventListeners } from 'node:events';
import { type Row, StreamError } from '../../../src/index.js';
import { Cluster, type Session } from '../../../src/session/index.js';
import { activeResources, seededRandom, sessionInFlight, sleep } from './introspection.js';

interface IdRow extends Row {
  readonly id: number;
}

const [streamsArg, seedArg, ...contactPoints] = process.argv.slice(2);
const STREAMS = Number(streamsArg);
const random = seededRandom(Number(seedArg));
const CONCURRENCY = 16;
const WARMUP = 300;
const ROWS = 400;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** Several full collections: finalizers and weak callbacks of the previous one run in between. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await sleep(10);
  }
  return process.memoryUsage().heapUsed;
}

const ways = ['cancel-first', 'break', 'abort-mid-page', 'abort-in-flight', 'pages-return', 'to-end'] as const;
type Way = (typeof ways)[number];
const tally: Record<Way, number> = {
  'cancel-first': 0,
  break: 0,
  'abort-mid-page': 0,
  'abort-in-flight': 0,
  'pages-return': 0,
  'to-end': 0,
};
const problems: string[] = [];
let signalsWithListeners = 0;

async function oneStream(session: Session): Promise<void> {
  const way = ways[Math.floor(random() * ways.length)]!;
  const stopAt = Math.floor(random() * ROWS);
  const controller = new AbortController();
  tally[way]++;
  const stream = await session.executeStream<IdRow>('SELECT id FROM leak.big', [], {
    fetchSize: 50,
    signal: controller.signal,
    prefetchPages: 1 + Math.floor(random() * 2),
  });
  let rows = 0;
  try {
    switch (way) {
      case 'cancel-first':
        stream.cancel();
        for await (const _ of stream) rows++;
        break;
      case 'break':
        for await (const _ of stream) if (++rows > stopAt) break;
        break;
      case 'abort-mid-page':
        for await (const _ of stream) if (++rows === stopAt) controller.abort(new Error('enough'));
        break;
      case 'abort-in-flight': {
        setTimeout(() => controller.abort(new Error('late')), Math.floor(random() * 5));
        for await (const _ of stream) rows++;
        break;
      }
      case 'pages-return':
        for await (const page of stream.pages()) {
          rows += page.length;
          if (rows >= stopAt) break;
        }
        break;
      case 'to-end':
        for await (const _ of stream) rows++;
        if (rows !== ROWS) problems.push(`to-end read ${rows} rows, expected ${ROWS}`);
        break;
    }
  } catch (error) {
    const aborted = way === 'abort-mid-page' || way === 'abort-in-flight';
    if (!(aborted && error instanceof StreamError)) problems.push(`${way}: ${String(error)}`);
  }
  stream.cancel(); // twice is harmless (docs/architecture.md "Streaming semantics")
  if (getEventListeners(controller.signal, 'abort').length > 0) signalsWithListeners++;
}

async function run(session: Session, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        await oneStream(session);
      }
    }),
  );
}

const cluster = new Cluster({ contactPoints, requestTimeoutMs: 5_000, heartbeatIntervalMs: 30_000 });
const session = await cluster.connect();
const idleTimers = activeResources().get('Timeout') ?? 0;
await run(session, WARMUP);
const heapBefore = await settledHeap();
await run(session, STREAMS);
// a cancelled request keeps its stream id until its late answer arrives: give those a moment
for (let i = 0; i < 100 && sessionInFlight(session) > 0; i++) await sleep(20);
const inFlight = sessionInFlight(session);
const heapAfter = await settledHeap();
const timers = activeResources().get('Timeout') ?? 0;
await cluster.shutdown();
process.stdout.write(
  `${JSON.stringify({
    streams: STREAMS,
    tally,
    problems: problems.slice(0, 10),
    problemCount: problems.length,
    signalsWithListeners,
    inFlight,
    heapBefore,
    heapAfter,
    timersLeft: timers - idleTimers,
  })}\n`,
);
