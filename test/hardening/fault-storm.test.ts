import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CqlwireError, type Row, StreamError } from '../../src/index.js';
import { type EmbeddedServer, type PrimeRule, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type PreparedStatement, type Session } from '../../src/session/index.js';
import {
  activeResources,
  primeUsesLeft,
  resourcesAbove,
  seededRandom,
  sessionConnections,
  sessionInFlight,
  settleTo,
  sleep,
} from './support/introspection.js';
import { STORM_SCALE, STORM_SEED } from './support/storm-settings.js';

/**
 * docs/security.md "Faults, timeouts and leaks": a fault storm against a 3-node embedded cluster on
 * loopback. 20 streams read a whole table while a steady request load runs; meanwhile nodes are
 * stopped and started and the server is primed with Overloaded, ReadTimeout, Unavailable,
 * ServerError, delays beyond the timeouts, dropped connections and requests that are never
 * answered.
 *
 * Scaled down for a loaded 2-core CI machine: ~4 s of storm at 125 requests/s (the issue asks for
 * 1,000/s). STORM_SCALE=n stretches the storm and the table n times and raises the rate to
 * min(1000, 125·n)/s; the number of primed faults stays the same.
 */

interface IdRow extends Row {
  readonly id: number;
}

const ROWS = 2_000 * STORM_SCALE;
const FETCH_SIZE = 100;
const STREAMS = 20;
const TIMEOUT_MS = 400;
const CONNECT_TIMEOUT_MS = 1_000;
const STORM_MS = 4_000 * STORM_SCALE;
const REQUESTS_PER_SECOND = Math.min(1_000, 125 * STORM_SCALE);
/** Resumes one stream may need; each StreamError costs one. Far above what the primes can cause. */
const MAX_RESUMES = 30;
/**
 * Longest a request may take: one attempt per host (3) plus a retry on the same host, up to 3
 * re-preparations after a restarted node forgot the statement, each bounded by the request
 * timeout, plus opening a connection, plus slack for a loaded machine.
 */
const REQUEST_BOUND_MS = 7 * TIMEOUT_MS + CONNECT_TIMEOUT_MS + 2_000;
const BIG = 'SELECT id FROM storm.big';
const KV = 'SELECT v FROM storm.kv WHERE k = ?';

let server: EmbeddedServer;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  server.execute("CREATE KEYSPACE storm WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
  server.execute('CREATE TABLE storm.big (id int PRIMARY KEY, v int)');
  server.execute('CREATE TABLE storm.kv (k int PRIMARY KEY, v int)');
  server.load('storm', 'big', { count: ROWS, generate: (i) => ({ id: i, v: i * 7 }) });
  server.load('storm', 'kv', { count: 100, generate: (i) => ({ k: i, v: i }) });
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

interface StreamOutcome {
  ids: number[];
  resumes: number;
  problems: string[];
}

/** Reads the whole table, resuming from the error's paging state after each StreamError. */
async function readWholeTable(session: Session, random: () => number): Promise<StreamOutcome> {
  const ids: number[] = [];
  const problems: string[] = [];
  let resumes = 0;
  let pagingState: Buffer | undefined;
  for (;;) {
    let rowsThisAttempt = 0;
    try {
      const stream = await session.executeStream<IdRow>(BIG, [], {
        fetchSize: FETCH_SIZE,
        timeoutMs: TIMEOUT_MS,
        retry: { maxRetries: 6, baseDelayMs: 20, maxDelayMs: 200 },
        ...(pagingState !== undefined ? { pagingState } : {}),
      });
      for await (const page of stream.pages()) {
        for (const row of page) {
          ids.push(row.id);
          rowsThisAttempt++;
        }
        // a consumer that works on each page: keeps the streams open through the storm
        await sleep(150 + Math.floor(random() * 150));
      }
      return { ids, resumes, problems };
    } catch (error) {
      if (!(error instanceof StreamError)) {
        problems.push(`iteration threw ${String(error)} (not a StreamError)`);
        return { ids, resumes, problems };
      }
      if (!(error.cause instanceof CqlwireError))
        problems.push(`StreamError cause is not typed: ${String(error.cause)}`);
      // the error's position is exactly what the consumer received (docs/architecture.md "Streaming semantics")
      if (error.totalRowsFetched !== rowsThisAttempt) {
        problems.push(`totalRowsFetched ${error.totalRowsFetched} but the consumer got ${rowsThisAttempt} rows`);
      }
      if (error.pagingState !== undefined) pagingState = error.pagingState;
      else if (ids.length > 0) problems.push('a StreamError after rows were delivered carries no paging state');
      if (++resumes > MAX_RESUMES) {
        problems.push(`gave up after ${resumes} resumes; last cause ${String(error.cause)}`);
        return { ids, resumes, problems };
      }
    }
  }
}

interface RequestOutcome {
  elapsedMs: number;
  error?: unknown;
}

async function timedRequest(session: Session, select: PreparedStatement, k: number): Promise<RequestOutcome> {
  const started = performance.now();
  try {
    await session.execute(select, [k], { idempotent: true, timeoutMs: TIMEOUT_MS });
    return { elapsedMs: performance.now() - started };
  } catch (error) {
    return { elapsedMs: performance.now() - started, error };
  }
}

/** The storm's script: [at ms (before scaling), what to do]. */
function stormScript(): [number, () => Promise<void> | void][] {
  const prime = (rule: PrimeRule) => () => server.prime(rule);
  return [
    [0, prime({ when: { query: BIG, afterPages: 1, times: 4 }, then: { error: { code: 'OVERLOADED' } } })],
    [0, prime({ when: { query: KV, times: 15 }, then: { error: { code: 'OVERLOADED' } } })],
    [500, prime({ when: { query: BIG, afterPages: 2, times: 4 }, then: { error: { code: 'READ_TIMEOUT' } } })],
    [500, prime({ when: { query: KV, times: 10 }, then: { error: { code: 'READ_TIMEOUT' } } })],
    [1_000, () => server.nodes[1]!.stop()],
    [1_300, prime({ when: { query: BIG, afterPages: 2, times: 3 }, then: { error: { code: 'UNAVAILABLE' } } })],
    [1_300, prime({ when: { query: KV, times: 10 }, then: { error: { code: 'UNAVAILABLE' } } })],
    [1_800, () => server.nodes[1]!.start()],
    [2_000, prime({ when: { query: BIG, afterPages: 3, times: 2 }, then: { error: { code: 'SERVER_ERROR' } } })],
    [2_000, prime({ when: { query: KV, times: 10 }, then: { error: { code: 'SERVER_ERROR' } } })],
    [2_300, prime({ when: { query: BIG, afterPages: 3, times: 3 }, then: { delayMs: 3 * TIMEOUT_MS } })],
    [2_300, prime({ when: { query: KV, times: 8 }, then: { delayMs: 3 * TIMEOUT_MS } })],
    [2_600, () => server.nodes[2]!.stop()],
    [2_900, prime({ when: { query: BIG, afterPages: 4, times: 2 }, then: { closeConnection: true } })],
    [2_900, prime({ when: { query: KV, times: 3 }, then: { closeConnection: true } })],
    [3_300, prime({ when: { query: BIG, afterPages: 4, times: 3 }, then: { noResponse: true } })],
    [3_300, prime({ when: { query: KV, times: 6 }, then: { noResponse: true } })],
    [3_600, () => server.nodes[2]!.start()],
  ];
}
/** Requests primed never to be answered: each may keep a stream id until its connection closes. */
const UNANSWERED = 3 + 6;

describe('fault storm on a 3-node embedded cluster', () => {
  it(
    'every stream yields each row exactly once, every request ends typed within its bound, and nothing is left behind',
    async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', onUnhandled);
      const baseline = activeResources();
      const random = seededRandom(STORM_SEED);
      const cluster = new Cluster({
        contactPoints: server.contactPoints,
        requestTimeoutMs: TIMEOUT_MS,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
      });
      try {
        const session = await cluster.connect('storm');
        const select = await session.prepare(KV, { idempotent: true });

        const streams: Promise<StreamOutcome>[] = [];
        for (let i = 0; i < STREAMS; i++) {
          streams.push(sleep(Math.floor(random() * 800)).then(() => readWholeTable(session, random)));
        }

        const requests: Promise<RequestOutcome>[] = [];
        const load = (async () => {
          const started = performance.now();
          const interval = 1_000 / REQUESTS_PER_SECOND;
          for (let n = 0; performance.now() - started < STORM_MS; n++) {
            requests.push(timedRequest(session, select, n % 100));
            const due = started + (n + 1) * interval;
            const wait = due - performance.now();
            if (wait > 0) await sleep(wait);
          }
        })();

        const script = (async () => {
          const started = performance.now();
          for (const [at, step] of stormScript()) {
            const wait = started + at * STORM_SCALE - performance.now();
            if (wait > 0) await sleep(wait);
            await step();
          }
        })();

        await Promise.all([load, script]);
        const streamOutcomes = await Promise.all(streams);
        const requestOutcomes = await Promise.all(requests);
        // the storm really happened: every primed fault was served, to the streams and to the requests
        expect(primeUsesLeft(server).filter((r) => r.remaining > 0)).toEqual([]);
        server.clearPrimes();

        // streams: each id exactly once
        const expected = Array.from({ length: ROWS }, (_, i) => i);
        for (const [i, s] of streamOutcomes.entries()) {
          expect(s.problems, `stream ${i}`).toEqual([]);
          expect(s.ids.length, `stream ${i} row count`).toBe(ROWS);
          expect(
            [...s.ids].sort((a, b) => a - b),
            `stream ${i} id set`,
          ).toEqual(expected);
        }

        // requests: a result or a typed error, within the bound
        expect(requestOutcomes.length).toBeGreaterThanOrEqual(
          Math.floor(((REQUESTS_PER_SECOND * STORM_MS) / 1_000) * 0.5),
        );
        const untyped = requestOutcomes.filter((r) => r.error !== undefined && !(r.error instanceof CqlwireError));
        expect(untyped.map((r) => String(r.error))).toEqual([]);
        const slow = requestOutcomes.filter((r) => r.elapsedMs > REQUEST_BOUND_MS);
        expect(slow.map((r) => `${Math.round(r.elapsedMs)} ms: ${String(r.error)}`)).toEqual([]);
        // the storm really hit the requests: some of them failed (typed) rather than all being retried away
        expect(requestOutcomes.filter((r) => r.error !== undefined).length).toBeGreaterThan(0);

        // the cluster recovered: with the primes gone and every node up, requests succeed again
        await settleTo(() => (cluster.hosts.every((h) => h.isUp) ? [] : ['a host is still down']), 5_000);
        const after = await Promise.all(Array.from({ length: 30 }, (_, k) => timedRequest(session, select, k)));
        expect(after.filter((r) => r.error !== undefined).map((r) => String(r.error))).toEqual([]);

        // stream ids: only the never-answered requests may still hold one on a live connection
        const held = sessionInFlight(session);
        expect(held).toBeLessThanOrEqual(UNANSWERED);
        const connections = sessionConnections(session);
        expect(connections.length).toBeGreaterThan(0);

        await cluster.shutdown();
        expect(connections.filter((c) => !c.isClosed)).toEqual([]);
        expect(sessionInFlight(session)).toBe(0);
        const left = await settleTo(
          () => resourcesAbove(baseline, ['TCPSocketWrap', 'TLSWrap', 'Timeout', 'TTYWrap']),
          5_000,
        );
        expect(left).toEqual([]);
        await sleep(50); // one more turn for a rejection nobody handled
        expect(unhandled.map(String)).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await cluster.shutdown();
      }
    },
    60_000 * STORM_SCALE,
  );
});
