import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsSnapshot, RequestMetrics } from '../../src/cluster/index.js';
import { InvalidRequestError } from '../../src/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  cluster = new Cluster({ contactPoints: [server.contactPoints[0]!], requestTimeoutMs: 2_000 });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE met WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE met.kv (k int PRIMARY KEY, v int)');
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

/** `after` − `before` for the counters that only grow. */
function delta(before: RequestMetrics | undefined, after: RequestMetrics): Record<string, unknown> {
  const errors: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.errors)) {
    const d = n - (before?.errors[name] ?? 0);
    if (d !== 0) errors[name] = d;
  }
  return {
    requests: after.requests - (before?.requests ?? 0),
    errors,
    retries: after.retries - (before?.retries ?? 0),
    timeouts: after.timeouts - (before?.timeouts ?? 0),
  };
}

describe('cluster.metrics', () => {
  it("counts what the server's activity log saw: requests per host, the retried attempt, errors by class", async () => {
    const insert = await session.prepare('INSERT INTO met.kv (k, v) VALUES (?, ?)');
    const before: MetricsSnapshot = cluster.metrics;
    server.clearActivityLog();
    // node 2 (index 1) refuses the first statement it gets as overloaded: the default policy moves on
    server.prime({ when: { query: 'met.kv', node: 1, times: 1 }, then: { error: { code: 'OVERLOADED' } } });
    try {
      for (let k = 0; k < 20; k++) await session.execute(insert, [k, k]);
      for (let k = 0; k < 5; k++) await session.execute(`SELECT v FROM met.kv WHERE k = ${k}`);
      await session.batch([{ query: insert, params: [100, 1] }]);
      await expect(session.execute('SELECT nope FROM met.kv')).rejects.toBeInstanceOf(InvalidRequestError);
    } finally {
      server.clearPrimes();
    }
    const after = cluster.metrics;
    const seen = server.activityLog.filter(
      (e) => e.query?.includes('met.kv') === true && ['QUERY', 'EXECUTE', 'BATCH'].includes(e.opcode),
    );
    // 27 requests; the server saw one more: the attempt node 2 refused
    expect(seen).toHaveLength(28);
    expect(delta(before, after)).toEqual({
      requests: 27,
      errors: { InvalidRequestError: 1 },
      retries: 1,
      timeouts: 0,
    });
    const port = server.nodes[0]!.port;
    for (let node = 0; node < 3; node++) {
      const endpoint = `127.0.0.${node + 1}:${port}`;
      const sent = seen.filter((e) => e.node === node).length;
      const d = delta(before.hosts[endpoint], after.hosts[endpoint]!);
      expect(d.requests).toBe(sent);
      if (node === 1) expect(d).toMatchObject({ retries: 1, errors: { OverloadedError: 1 } });
      else expect(d.retries).toBe(0);
    }
    expect(Object.values(after.hosts).reduce((n, h) => n + h.requests, 0)).toBe(
      Object.values(before.hosts).reduce((n, h) => n + h.requests, 0) + 28,
    );
    expect(after.inFlight).toBe(0);
    expect(Object.values(after.hosts).every((h) => h.inFlight === 0)).toBe(true);
  });

  it('counts the open connections (one per host and the control connection) and their bytes', async () => {
    const before = cluster.metrics;
    await session.execute('SELECT v FROM met.kv WHERE k = 1');
    const after = cluster.metrics;
    expect(after.connections).toBe(4);
    expect(Object.keys(after.hosts).sort()).toEqual(server.contactPoints.slice().sort());
    expect(Object.values(after.hosts).map((h) => h.connections)).toEqual([2, 1, 1]);
    const sum = (m: MetricsSnapshot, key: 'bytesIn' | 'bytesOut'): number =>
      Object.values(m.hosts).reduce((n, h) => n + h[key], 0);
    expect(after.bytesIn).toBe(sum(after, 'bytesIn'));
    expect(after.bytesOut).toBe(sum(after, 'bytesOut'));
    expect(after.bytesOut).toBeGreaterThan(before.bytesOut);
    expect(after.bytesIn).toBeGreaterThan(before.bytesIn);
  });

  it('keeps latency percentiles in milliseconds, in order, for the cluster and each host', () => {
    const m = cluster.metrics;
    for (const l of [m.latency, ...Object.values(m.hosts).map((h) => h.latency)]) {
      expect(l.p50).toBeGreaterThan(0);
      expect(l.p50).toBeLessThanOrEqual(l.p95);
      expect(l.p95).toBeLessThanOrEqual(l.p99);
      expect(l.p99).toBeLessThanOrEqual(l.max);
      expect(l.max).toBeLessThan(2_000);
    }
  });

  it('is a snapshot: a copy that later requests do not change', async () => {
    const m = cluster.metrics;
    const requests = m.requests;
    await session.execute('SELECT v FROM met.kv WHERE k = 2');
    expect(m.requests).toBe(requests);
    expect(cluster.metrics.requests).toBe(requests + 1);
  });
});

describe('cluster.metrics timeouts', () => {
  it("counts a stream page's timeout as a timeout, not as an error, and the stream's retry as a retry", async () => {
    const before = cluster.metrics;
    server.prime({ when: { query: 'FROM met.kv', times: 1 }, then: { delayMs: 400 } });
    try {
      const stream = await session.executeStream('SELECT k, v FROM met.kv', [], {
        timeoutMs: 100,
        retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      let rows = 0;
      for await (const _ of stream) rows++;
      expect(rows).toBe(21);
    } finally {
      server.clearPrimes();
    }
    const after = cluster.metrics;
    expect(delta(before, after)).toEqual({ requests: 2, errors: {}, retries: 1, timeouts: 1 });
  });
});
