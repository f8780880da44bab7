import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NoHostAvailableError } from '../../src/cluster/index.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import type { Row } from '../../src/protocol/rows/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import type { ResultStream, SessionStreamOptions, StreamingStatement } from '../../src/streaming/index.js';
import { createStreamingStatement, StreamError } from '../../src/streaming/index.js';
import { range, settle } from './support/fake-source.js';

interface BigRow extends Row {
  readonly id: number;
  readonly payload: string;
}
interface TsRow extends Row {
  readonly day: string;
  readonly seq: number;
  readonly v: number;
}

const ROWS = 2000;
const BIG = 'SELECT id, payload FROM streams.big';
let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

/** `session.executeStream`, which delegates to src/streaming over the session's fetchPage seam. */
function stream<R extends Row>(
  query: string | StreamingStatement,
  params?: unknown[],
  options?: SessionStreamOptions,
): Promise<ResultStream<R>> {
  return session.executeStream<R>(query, params, options);
}

async function ids(s: AsyncIterable<BigRow>): Promise<number[]> {
  const out: number[] = [];
  for await (const row of s) out.push(row.id);
  return out;
}

/** Page requests the server received for `query`, in order. */
function pageRequests(
  query: string,
): { node: number; pageSize: number | undefined; pagingState: string | undefined }[] {
  return server.activityLog
    .filter((e) => (e.opcode === 'QUERY' || e.opcode === 'EXECUTE') && e.query === query)
    .map((e) => ({ node: e.node, pageSize: e.pageSize, pagingState: e.pagingState?.toString('hex') }));
}

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  cluster = new Cluster({
    contactPoints: server.contactPoints,
    requestTimeoutMs: 2_000,
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  session = await cluster.connect();
  await session.execute(
    "CREATE KEYSPACE streams WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}",
  );
  await session.execute('CREATE TABLE streams.big (id int PRIMARY KEY, payload text)');
  await session.execute('CREATE TABLE streams.ts (day text, seq int, v int, PRIMARY KEY (day, seq))');
  server.load('streams', 'big', { count: ROWS, generate: (i) => ({ id: i, payload: `row-${i}` }) });
  server.load('streams', 'ts', {
    count: 5 * 300,
    generate: (i) => ({ day: `d${i % 5}`, seq: Math.floor(i / 5), v: i }),
  });
}, 30_000);

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

beforeEach(() => {
  server.clearPrimes();
  server.clearActivityLog();
});

/** Polls until `cond` holds (the server is another part of this process: bounded, never a fixed sleep alone). */
async function waitFor(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every id exactly once: sorted they are 0..ROWS-1, and there are ROWS of them. */
function expectEveryRowOnce(got: number[]): void {
  expect(got.length).toBe(ROWS);
  expect([...got].sort((a, b) => a - b)).toEqual(range(0, ROWS));
}

describe('executeStream against the embedded 3-node server', () => {
  it('streams a table page by page: every row once, one request per page', async () => {
    const result = await stream<BigRow>(BIG, undefined, { fetchSize: 100 });
    const got: number[] = [];
    for await (const row of result) {
      expect(row.payload).toBe(`row-${row.id}`);
      got.push(row.id);
    }
    expectEveryRowOnce(got);
    expect(result.pageNumber).toBe(20);
    expect(result.totalRowsFetched).toBe(ROWS);
    expect(result.pagingState).toBeUndefined();
    const requests = pageRequests(BIG);
    // 20 full pages; the 20th still carries a paging state, so a 21st request finds the end
    expect(requests.length).toBe(21);
    expect(new Set(requests.map((r) => r.pageSize))).toEqual(new Set([100]));
    expect(requests[0]!.pagingState).toBeUndefined();
  });

  it('a long stream leaves no abort listener behind on the signal its pages share (no MaxListeners warning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      // 2000 rows in pages of 50: 40 page requests on the one signal of the stream
      expect((await ids(await stream<BigRow>(BIG, [], { fetchSize: 50 }))).length).toBe(ROWS);
      await settle();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('a prepared statement with parameters streams one partition in clustering order', async () => {
    const stmt = await session.prepare('SELECT day, seq, v FROM streams.ts WHERE day = ?');
    const result = await session.executeStream<TsRow>(stmt, ['d3'], { fetchSize: 64 });
    const seqs: number[] = [];
    for await (const row of result) {
      expect(row.day).toBe('d3');
      expect(row.v).toBe(row.seq * 5 + 3);
      seqs.push(row.seq);
    }
    expect(seqs).toEqual(range(0, 300));
  });

  it('pages() reports pageNumber and totalRowsFetched; pageCallback gets them in order', async () => {
    const calls: [number, number][] = [];
    const result = await stream<BigRow>(BIG, undefined, {
      fetchSize: 500,
      pageCallback: (n, total) => {
        calls.push([n, total]);
      },
    });
    const seen: [number, number, number][] = [];
    for await (const page of result.pages()) seen.push([page.pageNumber, page.length, result.totalRowsFetched]);
    expect(seen).toEqual([
      [1, 500, 500],
      [2, 500, 1000],
      [3, 500, 1500],
      [4, 500, 2000],
    ]);
    expect(calls).toEqual([
      [1, 500],
      [2, 1000],
      [3, 1500],
      [4, 2000],
    ]);
  });

  it('maxPages yields exactly N pages of fetchSize rows and the server sees no further request', async () => {
    const result = await stream<BigRow>(BIG, undefined, { fetchSize: 100, maxPages: 3 });
    expect((await ids(result)).length).toBe(300);
    await settle(10);
    expect(pageRequests(BIG).length).toBe(3);
    // and the stream can be resumed exactly where it stopped
    const rest = await stream<BigRow>(BIG, undefined, { fetchSize: 300, pagingState: result.pagingState! });
    expect((await ids(rest)).length).toBe(ROWS - 300);
  });

  it('createStreamingStatement carries fetchSize and consistency', async () => {
    const statement: StreamingStatement = createStreamingStatement(BIG, { fetchSize: 400 });
    const result = await stream<BigRow>(statement);
    expectEveryRowOnce(await ids(result));
    expect(result.pageNumber).toBe(5);
    expect(new Set(pageRequests(BIG).map((r) => r.pageSize))).toEqual(new Set([400]));
  });

  it('a consumer that stops reading: the server sees 1 + prefetchPages page requests and no more', async () => {
    const result = await stream<BigRow>(BIG, undefined, { fetchSize: 100, prefetchPages: 2 });
    const it = result[Symbol.asyncIterator]();
    await it.next();
    await waitFor(() => pageRequests(BIG).length >= 3, 'the two prefetches');
    await new Promise((r) => setTimeout(r, 150));
    expect(pageRequests(BIG).length).toBe(3);
    await it.return!();
  });

  it('cancel with a page in flight ends at once, the late answer is dropped, the connection stays usable', async () => {
    server.prime({ when: { query: BIG, afterPages: 1, times: 1 }, then: { delayMs: 300 } });
    const result = await stream<BigRow>(BIG, undefined, { fetchSize: 100, prefetchPages: 0 });
    const it = result[Symbol.asyncIterator]();
    for (let i = 0; i < 100; i++) await it.next();
    const waiting = it.next();
    await waitFor(() => pageRequests(BIG).length === 2, 'page 2 to reach the server'); // held there 300 ms
    const started = Date.now();
    result.cancel();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(Date.now() - started).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 350)); // the delayed answer arrives and is ignored
    expect(result.totalRowsFetched).toBe(100);
    const rs = await session.execute('SELECT id FROM streams.big WHERE id = 7');
    expect(rs.first()?.get('id')).toBe(7);
  });

  it('an aborted signal rejects with StreamError carrying the position', async () => {
    const controller = new AbortController();
    const result = await stream<BigRow>(BIG, undefined, {
      fetchSize: 100,
      signal: controller.signal,
      pageCallback: (n) => {
        if (n === 2) controller.abort();
      },
    });
    const error = (await ids(result).then(
      () => undefined,
      (e: unknown) => e,
    )) as StreamError;
    expect(error).toBeInstanceOf(StreamError);
    expect([error.pageNumber, error.totalRowsFetched]).toEqual([1, 100]);
  });

  it('a node stopped after page 3 of 20: the stream completes on another node, every row exactly once', async () => {
    let stopped = -1;
    let stoppedAt = 0;
    const result = await stream<BigRow>(BIG, undefined, {
      fetchSize: 100,
      retry: { baseDelayMs: 20 },
      pageCallback: async (n) => {
        if (n !== 3) return;
        stopped = pageRequests(BIG)[2]!.node; // the coordinator of page 3
        await server.nodes[stopped]!.stop();
        stoppedAt = Date.now();
      },
    });
    try {
      expectEveryRowOnce(await ids(result));
      expect(result.pageNumber).toBe(20);
      // every page request made after the stop went to the other nodes
      const after = server.activityLog.filter((e) => e.query === BIG && e.at > stoppedAt);
      expect(after.length).toBeGreaterThan(10);
      expect(after.filter((e) => e.node === stopped)).toEqual([]);
    } finally {
      if (stopped >= 0) await server.nodes[stopped]!.start();
    }
  });

  it('a primed OVERLOADED mid-stream is retried with the same paging state: every row exactly once', async () => {
    server.prime({ when: { query: BIG, afterPages: 3, times: 1 }, then: { error: { code: 'OVERLOADED' } } });
    const result = await stream<BigRow>(BIG, undefined, { fetchSize: 100, retry: { baseDelayMs: 10 } });
    expectEveryRowOnce(await ids(result));
    const requests = pageRequests(BIG);
    expect(requests.length).toBe(22);
    expect(requests[4]!.pagingState).toBe(requests[3]!.pagingState); // page 4 asked twice, same state
  });

  it('a node that keeps answering OVERLOADED from page 4 on: the stream moves to another node and completes', async () => {
    let node = -1;
    const result = await stream<BigRow>(BIG, undefined, {
      fetchSize: 100,
      prefetchPages: 0, // page 4 is asked for only after the prime is in place
      retry: { baseDelayMs: 10 },
      pageCallback: (n) => {
        if (n !== 3) return;
        node = pageRequests(BIG)[2]!.node; // the coordinator of pages 1-3 (the stream stays on it)
        server.prime({ when: { query: BIG, node, afterPages: 3 }, then: { error: { code: 'OVERLOADED' } } });
      },
    });
    expectEveryRowOnce(await ids(result));
    const requests = pageRequests(BIG);
    expect(requests.slice(0, 3).map((r) => r.node)).toEqual([node, node, node]);
    // page 4 tried once on that node (refused), then every later page elsewhere
    expect(requests[3]!.node).toBe(node);
    expect(requests.slice(4).filter((r) => r.node === node)).toEqual([]);
    expect(requests[4]!.pagingState).toBe(requests[3]!.pagingState);
    expect(requests.length).toBe(22);
  });

  it('a dropped connection mid-stream is retried: every row exactly once', async () => {
    server.prime({ when: { query: BIG, afterPages: 3, times: 1 }, then: { closeConnection: true } });
    const result = await stream<BigRow>(BIG, undefined, { fetchSize: 100, retry: { baseDelayMs: 10 } });
    expectEveryRowOnce(await ids(result));
    const requests = pageRequests(BIG);
    expect(requests[4]!.pagingState).toBe(requests[3]!.pagingState);
  });

  it('when retries run out: StreamError with the last good paging state, and a resume completes the set', async () => {
    server.prime({ when: { query: BIG, afterPages: 5 }, then: { error: { code: 'OVERLOADED' } } });
    const result = await stream<BigRow>(BIG, undefined, { fetchSize: 100, retry: { maxRetries: 1, baseDelayMs: 5 } });
    const got: number[] = [];
    const error = (await (async () => {
      for await (const row of result) got.push(row.id);
    })().then(
      () => undefined,
      (e: unknown) => e,
    )) as StreamError;
    expect(error).toBeInstanceOf(StreamError);
    expect(error.cause).toBeInstanceOf(NoHostAvailableError);
    expect([error.pageNumber, error.totalRowsFetched, got.length]).toEqual([5, 500, 500]);
    server.clearPrimes();
    const rest = await stream<BigRow>(BIG, undefined, { fetchSize: 100, pagingState: error.pagingState! });
    expectEveryRowOnce([...got, ...(await ids(rest))]);
  });

  it('a bad parameter for a prepared statement rejects executeStream with ArgumentError; nothing is sent', async () => {
    const stmt = await session.prepare('SELECT day, seq, v FROM streams.ts WHERE day = ?');
    server.clearActivityLog();
    await expect(session.executeStream(stmt, ['d1', 'extra'])).rejects.toBeInstanceOf(ArgumentError);
    await expect(session.executeStream(stmt, [42])).rejects.toBeInstanceOf(ArgumentError);
    await expect(session.executeStream(BIG, [], { fetchSize: 0 })).rejects.toThrow(
      'fetchSize must be a positive integer',
    );
    expect(server.activityLog.filter((e) => e.opcode === 'EXECUTE' || e.opcode === 'QUERY')).toEqual([]);
  });

  it('concurrent streams over 5 partitions each get their own rows, with their own backpressure', async () => {
    const stmt = await session.prepare('SELECT day, seq, v FROM streams.ts WHERE day = ?');
    const days = ['d0', 'd1', 'd2', 'd3', 'd4'];
    const streams = await Promise.all(days.map((d) => session.executeStream<TsRow>(stmt, [d], { fetchSize: 32 })));
    // d4's consumer stalls after one row: the others must still finish
    const stalled = streams[4]![Symbol.asyncIterator]() as AsyncIterator<TsRow, undefined>;
    expect((await stalled.next()).value?.day).toBe('d4');
    const results = await Promise.all(
      streams.slice(0, 4).map(async (s) => {
        const seqs: number[] = [];
        const daysSeen = new Set<string>();
        for await (const row of s) {
          seqs.push(row.seq);
          daysSeen.add(row.day);
        }
        return [[...daysSeen], seqs.length, seqs[seqs.length - 1]];
      }),
    );
    expect(results).toEqual([
      [['d0'], 300, 299],
      [['d1'], 300, 299],
      [['d2'], 300, 299],
      [['d3'], 300, 299],
    ]);
    await stalled.return!();
  });
});
