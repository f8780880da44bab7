import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { sessionInFlight } from '../hardening/support/introspection.js';

let server: EmbeddedServer;
const clusters: Cluster[] = [];

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  server.execute("CREATE KEYSPACE spec WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
  server.execute('CREATE TABLE spec.kv (k int PRIMARY KEY, v text)');
  server.execute("INSERT INTO spec.kv (k, v) VALUES (1, 'one')");
});

afterEach(() => {
  server.clearPrimes();
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.shutdown()));
  await server?.stop();
});

async function connect(speculativeExecution: {
  delayMs: number;
  maxExtra?: number;
}): Promise<{ cluster: Cluster; session: Session }> {
  const cluster = new Cluster({ contactPoints: server.contactPoints, speculativeExecution, requestTimeoutMs: 5_000 });
  clusters.push(cluster);
  return { cluster, session: await cluster.connect() };
}

/** The requests of `text` the nodes received since the log was cleared, as node indexes. */
function nodesAsked(text: string): number[] {
  return server.activityLog.filter((e) => e.query === text).map((e) => e.node);
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

const SELECT = 'SELECT v FROM spec.kv WHERE k = 1';

describe('speculative execution against a slow node (3 embedded nodes)', () => {
  it('an idempotent request answered by the next host wins; the slow answer is dropped and its stream id freed', async () => {
    const { cluster, session } = await connect({ delayMs: 40, maxExtra: 2 });
    server.prime({ when: { query: SELECT, times: 1 }, then: { delayMs: 600 } });
    server.clearActivityLog();
    const t0 = Date.now();
    const rs = await session.execute(SELECT, [], { idempotent: true });
    const elapsed = Date.now() - t0;
    expect(rs.first()?.get('v')).toBe('one');
    expect(elapsed).toBeLessThan(400);
    const asked = nodesAsked(SELECT);
    expect(asked).toHaveLength(2);
    expect(new Set(asked).size).toBe(2);
    expect(rs.info.coordinator.address).toBe(`127.0.0.${asked[1]! + 1}`);
    expect(rs.info.triedHosts.map((h) => h.address)).toEqual(asked.map((n) => `127.0.0.${n + 1}`));
    expect(cluster.metrics.speculativeExecutions).toBe(1);
    // the slow node's request keeps its stream id until its late answer, which is then dropped
    expect(sessionInFlight(session)).toBe(1);
    await waitUntil(() => sessionInFlight(session) === 0, 2_000);
    expect(sessionInFlight(session)).toBe(0);
    expect((await session.execute(SELECT, [], { idempotent: true })).first()?.get('v')).toBe('one');
  });

  it('a prepared statement marked idempotent speculates too', async () => {
    const { session } = await connect({ delayMs: 40 });
    const stmt = await session.prepare(SELECT, { idempotent: true });
    server.prime({ when: { query: SELECT, times: 1 }, then: { delayMs: 600 } });
    server.clearActivityLog();
    const t0 = Date.now();
    await session.execute(stmt);
    expect(Date.now() - t0).toBeLessThan(400);
    expect(server.activityLog.filter((e) => e.opcode === 'EXECUTE' && e.query === SELECT)).toHaveLength(2);
  });

  it('never fires for a non-idempotent statement: one request, the slow answer awaited', async () => {
    const { cluster, session } = await connect({ delayMs: 20, maxExtra: 2 });
    server.prime({ when: { query: SELECT, times: 1 }, then: { delayMs: 250 } });
    server.clearActivityLog();
    const t0 = Date.now();
    await session.execute(SELECT);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    expect(nodesAsked(SELECT)).toHaveLength(1);
    expect(cluster.metrics.speculativeExecutions).toBe(0);
  });

  it('starts at most maxExtra extra executions, each on another node', async () => {
    const { cluster, session } = await connect({ delayMs: 20, maxExtra: 1 });
    server.prime({ when: { query: SELECT, times: 3 }, then: { delayMs: 200 } });
    server.clearActivityLog();
    await session.execute(SELECT, [], { idempotent: true });
    const asked = nodesAsked(SELECT);
    expect(asked).toHaveLength(2);
    expect(new Set(asked).size).toBe(2);
    expect(cluster.metrics.speculativeExecutions).toBe(1);
    await waitUntil(() => sessionInFlight(session) === 0, 2_000);
    expect(sessionInFlight(session)).toBe(0);
  });

  it('the percentile policy speculates once it has its samples, after the pXX of recent latencies', async () => {
    const cluster = new Cluster({
      contactPoints: server.contactPoints,
      speculativeExecution: { percentile: 90, maxExtra: 1, minSamples: 20 },
      requestTimeoutMs: 5_000,
    });
    clusters.push(cluster);
    const session = await cluster.connect();
    const stmt = await session.prepare(SELECT, { idempotent: true });
    server.prime({ when: { query: SELECT, times: 1 }, then: { delayMs: 300 } });
    await session.execute(stmt); // fewer than minSamples latencies known: waits the slow node
    expect(cluster.metrics.speculativeExecutions).toBe(0);
    for (let i = 0; i < 20; i++) await session.execute(stmt);
    // On a loaded machine one of the fast requests above may outlast the p90 of its predecessors
    // and be speculated too: its extra execution, already answered, must reach the server before
    // the slow prime is set (or it would take the prime) and be counted before `before`.
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.prime({ when: { query: SELECT, times: 1 }, then: { delayMs: 600 } });
    server.clearActivityLog();
    const before = cluster.metrics.speculativeExecutions;
    const t0 = Date.now();
    await session.execute(stmt);
    expect(Date.now() - t0).toBeLessThan(400);
    expect(nodesAsked(SELECT)).toHaveLength(2);
    expect(cluster.metrics.speculativeExecutions - before).toBe(1);
  });

  it('a bad speculativeExecution option is an ArgumentError naming it', () => {
    const make = (speculativeExecution: unknown) => () =>
      new Cluster({ contactPoints: server.contactPoints, speculativeExecution: speculativeExecution as never });
    expect(make({ delayMs: 0 })).toThrow(
      'speculativeExecution.delayMs must be a number of milliseconds from 1 to 2147483647, got 0',
    );
    expect(make({ delayMs: 5, maxExtra: 17 })).toThrow(
      'speculativeExecution.maxExtra must be an integer from 1 to 16, got 17',
    );
    expect(make({ percentile: 100 })).toThrow(
      'speculativeExecution.percentile must be a number between 0 and 100 (e.g. 99), got 100',
    );
  });

  it("does not speculate a stream's pages (they are retried by the stream's own rules)", async () => {
    const { session } = await connect({ delayMs: 20, maxExtra: 2 });
    const stmt = await session.prepare('SELECT v FROM spec.kv', { idempotent: true });
    server.prime({ when: { query: 'SELECT v FROM spec.kv', times: 1 }, then: { delayMs: 150 } });
    server.clearActivityLog();
    const rows: unknown[] = [];
    for await (const row of await session.executeStream(stmt)) rows.push(row.get('v'));
    expect(rows).toEqual(['one']);
    expect(server.activityLog.filter((e) => e.query === 'SELECT v FROM spec.kv')).toHaveLength(1);
  });
});
