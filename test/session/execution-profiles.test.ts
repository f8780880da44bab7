import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClusterView,
  FallthroughRetryPolicy,
  type Host,
  type LoadBalancingPolicy,
  NoHostAvailableError,
  type RetryPolicy,
} from '../../src/cluster/index.js';
import { RequestTimeoutError } from '../../src/connection/index.js';
import { Consistency } from '../../src/protocol/consistency.js';
import { ArgumentError, UnavailableError } from '../../src/protocol/errors/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { createStreamingStatement, StreamError } from '../../src/streaming/index.js';

/** Sends every request to the second node (127.0.0.2), to see a profile's policy at work. */
class SecondNodeOnly implements LoadBalancingPolicy {
  private view: ClusterView | undefined;
  initialised = 0;
  init(view: ClusterView): void {
    this.view = view;
    this.initialised++;
  }
  newQueryPlan(): Host[] {
    return (this.view?.hosts ?? []).filter((h) => h.address === '127.0.0.2');
  }
}

/** Gives up at once, counting the errors it was asked about. */
class CountingFallthrough implements RetryPolicy {
  calls = 0;
  onError(): { action: 'rethrow' } {
    this.calls++;
    return { action: 'rethrow' };
  }
}

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;
const secondNode = new SecondNodeOnly();
const analyticsRetry = new CountingFallthrough();

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  cluster = new Cluster({
    contactPoints: server.contactPoints,
    fetchSize: 7,
    consistency: Consistency.ONE,
    retryPolicy: new FallthroughRetryPolicy(),
    profiles: {
      analytics: {
        consistency: Consistency.QUORUM,
        fetchSize: 3,
        timeoutMs: 150,
        loadBalancing: secondNode,
        retryPolicy: analyticsRetry,
      },
      fast: { speculativeExecution: { delayMs: 40 } },
    },
  });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE p WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE p.t (id int PRIMARY KEY, v int)');
  await session.execute('CREATE TABLE p.probe (id int PRIMARY KEY, v int)');
  await session.execute('CREATE TABLE p.slow (id int PRIMARY KEY, v int)');
  await session.execute('CREATE TABLE p.b (id int PRIMARY KEY, v int)');
  for (let i = 0; i < 10; i++)
    await session.execute('INSERT INTO p.t (id, v) VALUES (?, ?)', [i, i], { prepare: true });
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

beforeEach(() => server.clearActivityLog());
afterEach(() => server.clearPrimes());

/** The page sizes the nodes were asked for, by requests whose text contains `text`. */
function pageSizes(text: string): (number | undefined)[] {
  return server.activityLog
    .filter((e) => e.opcode !== 'PREPARE' && e.query?.includes(text) === true)
    .map((e) => e.pageSize);
}

/** The nodes that received requests whose text contains `text`. */
function nodes(text: string): number[] {
  return [...new Set(server.activityLog.filter((e) => e.query?.includes(text) === true).map((e) => e.node))].sort();
}

/** The consistency a request was sent at: every node answers UNAVAILABLE, which echoes it. */
async function consistencySent(attempt: () => Promise<unknown>): Promise<string> {
  server.prime({ when: { query: 'p.probe' }, then: { error: { code: 'UNAVAILABLE' } } });
  const error = await attempt().then(
    () => undefined,
    (e: unknown) => e,
  );
  let cause = error instanceof StreamError ? error.cause : error;
  if (cause instanceof NoHostAvailableError) cause = [...cause.errors.values()][0];
  expect(cause).toBeInstanceOf(UnavailableError);
  const level = (cause as UnavailableError).consistency;
  return Object.entries(Consistency).find(([, v]) => v === level)![0];
}

describe('execute(): the request over its profile over the cluster', () => {
  it('fetchSize: the cluster 7, the profile 3, the request 5', async () => {
    await session.execute('SELECT * FROM p.t');
    await session.execute('SELECT * FROM p.t', [], { profile: 'analytics' });
    await session.execute('SELECT * FROM p.t', [], { profile: 'analytics', fetchSize: 5 });
    expect(pageSizes('FROM p.t')).toEqual([7, 3, 5]);
  });

  it('consistency: the cluster ONE, the profile QUORUM, the request ALL', async () => {
    const q = 'SELECT * FROM p.probe';
    expect(await consistencySent(() => session.execute(q))).toBe('ONE');
    expect(await consistencySent(() => session.execute(q, [], { profile: 'analytics' }))).toBe('QUORUM');
    expect(
      await consistencySent(() => session.execute(q, [], { profile: 'analytics', consistency: Consistency.ALL })),
    ).toBe('ALL');
  });

  it("retryPolicy: the profile's is asked, a request's own replaces it", async () => {
    const q = 'SELECT * FROM p.probe';
    analyticsRetry.calls = 0;
    await consistencySent(() => session.execute(q, [], { profile: 'analytics' }));
    expect(analyticsRetry.calls).toBe(1);
    await consistencySent(() =>
      session.execute(q, [], { profile: 'analytics', retryPolicy: new FallthroughRetryPolicy() }),
    );
    expect(analyticsRetry.calls).toBe(1);
  });

  it("loadBalancing: the profile's policy picks the hosts (initialised once with the cluster's)", async () => {
    for (let i = 0; i < 6; i++) await session.execute('SELECT * FROM p.t', [], { profile: 'analytics' });
    expect(nodes('FROM p.t')).toEqual([1]);
    server.clearActivityLog();
    for (let i = 0; i < 6; i++) await session.execute('SELECT * FROM p.t');
    expect(nodes('FROM p.t')).toEqual([0, 1, 2]);
    expect(secondNode.initialised).toBe(1);
  });

  it("timeoutMs: the profile's 150 ms times out a 400 ms answer, the request's 5,000 ms waits for it", async () => {
    server.prime({ when: { query: 'p.slow' }, then: { delayMs: 400 } });
    await expect(session.execute('SELECT * FROM p.slow', [], { profile: 'analytics' })).rejects.toBeInstanceOf(
      RequestTimeoutError,
    );
    const rs = await session.execute('SELECT * FROM p.slow', [], { profile: 'analytics', timeoutMs: 5000 });
    expect(rs.rowLength).toBe(0);
  });

  it('prepare: true prepares through the profile too (its load balancing)', async () => {
    const rs = await session.execute('SELECT v FROM p.t WHERE id = ?', [4], { prepare: true, profile: 'analytics' });
    expect(rs.first()?.get('v')).toBe(4);
    expect(server.activityLog.filter((e) => e.opcode === 'EXECUTE').map((e) => e.node)).toEqual([1]);
  });
});

describe('batch(): the same precedence', () => {
  const insert = { query: 'INSERT INTO p.probe (id, v) VALUES (1, 1)' };
  it('consistency: the cluster ONE, the profile QUORUM, the request ALL', async () => {
    expect(await consistencySent(() => session.batch([insert]))).toBe('ONE');
    expect(await consistencySent(() => session.batch([insert], { profile: 'analytics' }))).toBe('QUORUM');
    expect(
      await consistencySent(() => session.batch([insert], { profile: 'analytics', consistency: Consistency.ALL })),
    ).toBe('ALL');
  });

  it("loadBalancing: every batch of the profile goes to the profile's host", async () => {
    for (let i = 0; i < 4; i++)
      await session.batch([`INSERT INTO p.b (id, v) VALUES (${i}, ${i})`], { profile: 'analytics' });
    expect(server.activityLog.filter((e) => e.opcode === 'BATCH').map((e) => e.node)).toEqual([1, 1, 1, 1]);
  });
});

describe('executeStream(): the call over the streaming statement over the profile over the cluster', () => {
  async function drain(p: Promise<AsyncIterable<unknown>>): Promise<number> {
    let n = 0;
    for await (const _row of await p) n++;
    return n;
  }

  it("fetchSize: the cluster's 7 (it was ignored: streams asked for 1,000), the profile's 3, the call's 4, the statement's 6 over the profile's", async () => {
    expect(await drain(session.executeStream('SELECT * FROM p.t'))).toBe(10);
    expect(pageSizes('FROM p.t')).toEqual([7, 7]);
    server.clearActivityLog();
    expect(await drain(session.executeStream('SELECT * FROM p.t', [], { profile: 'analytics' }))).toBe(10);
    expect(pageSizes('FROM p.t')).toEqual([3, 3, 3, 3]);
    server.clearActivityLog();
    expect(await drain(session.executeStream('SELECT * FROM p.t', [], { profile: 'analytics', fetchSize: 4 }))).toBe(
      10,
    );
    expect(pageSizes('FROM p.t')).toEqual([4, 4, 4]);
    server.clearActivityLog();
    const stmt = createStreamingStatement('SELECT * FROM p.t', { fetchSize: 6 });
    expect(await drain(session.executeStream(stmt, [], { profile: 'analytics' }))).toBe(10);
    expect(pageSizes('FROM p.t')).toEqual([6, 6]);
  });

  it("every page goes through the profile's load balancing", async () => {
    expect(await drain(session.executeStream('SELECT * FROM p.t', [], { profile: 'analytics' }))).toBe(10);
    expect(nodes('FROM p.t')).toEqual([1]);
  });

  it('consistency: the cluster ONE, the profile QUORUM, the call ALL', async () => {
    const q = 'SELECT * FROM p.probe';
    const stream = (o: object) => drain(session.executeStream(q, [], { retry: false, ...o }));
    expect(await consistencySent(() => stream({}))).toBe('ONE');
    expect(await consistencySent(() => stream({ profile: 'analytics' }))).toBe('QUORUM');
    expect(await consistencySent(() => stream({ profile: 'analytics', consistency: Consistency.ALL }))).toBe('ALL');
  });
});

describe('scanTable(): the same precedence', () => {
  async function scanRows(options: object): Promise<number> {
    let n = 0;
    for await (const _row of await session.scanTable('p.t', { concurrency: 1, splits: 1, ...options })) n++;
    return n;
  }
  it('fetchSize: the cluster 7, the profile 3, the scan 4', async () => {
    expect(await scanRows({})).toBe(10);
    expect(new Set(pageSizes('FROM p.t'))).toEqual(new Set([7]));
    server.clearActivityLog();
    expect(await scanRows({ profile: 'analytics' })).toBe(10);
    expect(new Set(pageSizes('FROM p.t'))).toEqual(new Set([3]));
    server.clearActivityLog();
    expect(await scanRows({ profile: 'analytics', fetchSize: 4 })).toBe(10);
    expect(new Set(pageSizes('FROM p.t'))).toEqual(new Set([4]));
  });

  it('consistency: the cluster ONE, the profile QUORUM, the scan ALL', async () => {
    const scan = (o: object) => async () => {
      for await (const _row of await session.scanTable('p.probe', { retry: false, splits: 1, concurrency: 1, ...o })) {
        /* drain */
      }
    };
    expect(await consistencySent(scan({}))).toBe('ONE');
    expect(await consistencySent(scan({ profile: 'analytics' }))).toBe('QUORUM');
    expect(await consistencySent(scan({ profile: 'analytics', consistency: Consistency.ALL }))).toBe('ALL');
  });
});

describe('an unknown profile is an ArgumentError before anything is sent', () => {
  const message = 'Unknown profile "nope": the cluster\'s profiles are analytics, fast';
  const calls: [string, () => Promise<unknown>][] = [
    ['execute', () => session.execute('SELECT * FROM p.t', [], { profile: 'nope' })],
    ['batch', () => session.batch(['INSERT INTO p.t (id, v) VALUES (1, 1)'], { profile: 'nope' })],
    ['prepare', () => session.prepare('SELECT * FROM p.t WHERE id = ?', { profile: 'nope' })],
    ['executeStream', () => session.executeStream('SELECT * FROM p.t', [], { profile: 'nope' })],
    ['scanTable', () => session.scanTable('p.t', { profile: 'nope' })],
  ];
  for (const [name, call] of calls) {
    it(name, async () => {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toBe(message);
      expect(server.activityLog).toEqual([]);
    });
  }
});
