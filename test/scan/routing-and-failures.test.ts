import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../src/cluster/index.js';
import { MAX_TOKEN } from '../../src/protocol/token/index.js';
import { type ScanFetchOptions, type ScanOptions, type ScanSession, startTableScan } from '../../src/scan/index.js';
import { StreamError } from '../../src/streaming/index.js';
import { keyOf, type ScanCluster, startScanCluster } from './support/scan-cluster.js';

/** One page request the scan made, as the session saw it. */
interface Sent {
  readonly query: string;
  readonly values: readonly bigint[];
  readonly hint: Host | undefined;
  readonly pagingState: string | undefined;
}

/** The session seam with a log of every page request and the most requests in flight per node. */
function spySession(c: ScanCluster): { session: ScanSession<Host>; sent: Sent[]; maxInFlight: Map<Host, number> } {
  const sent: Sent[] = [];
  const inFlight = new Map<Host, number>();
  const maxInFlight = new Map<Host, number>();
  const session: ScanSession<Host> = {
    async fetchPage(statement, params, options: ScanFetchOptions<Host>) {
      const hint = options.hostHint;
      sent.push({
        query: statement,
        values: params as bigint[],
        hint,
        pagingState: options.pagingState?.toString('hex'),
      });
      if (hint !== undefined) {
        const n = (inFlight.get(hint) ?? 0) + 1;
        inFlight.set(hint, n);
        maxInFlight.set(hint, Math.max(n, maxInFlight.get(hint) ?? 0));
      }
      try {
        return await c.session.fetchPage(statement, params as bigint[], options);
      } finally {
        if (hint !== undefined) inFlight.set(hint, inFlight.get(hint)! - 1);
      }
    },
  };
  return { session, sent, maxInFlight };
}

function scanWith(c: ScanCluster, session: ScanSession<Host>, options: ScanOptions) {
  return startTableScan<Record<string, unknown> & { get(name: string): unknown }, Host>(
    {
      session,
      metadata: c.cluster.metadata,
      hosts: { isUp: (h) => h.isUp, isLocal: () => true },
      allHosts: c.cluster.hosts,
      keyspace: undefined,
    },
    'scans.items',
    options,
  );
}

async function drain(scan: AsyncIterable<{ get(name: string): unknown }>): Promise<string[]> {
  const out: string[] = [];
  for await (const row of scan) out.push(keyOf(row));
  return out.sort();
}

/** The last key token of the range a request reads: its upper bound, or 2^63 - 1 for the end of the ring. */
function lastToken(s: Sent): bigint {
  if (s.query.includes('<= ?')) return s.values.at(-1)!;
  return MAX_TOKEN;
}

describe('routing: 3 nodes, 16 tokens each, SimpleStrategy rf 2', () => {
  let c: ScanCluster;
  beforeAll(async () => {
    c = await startScanCluster({
      server: { nodes: 3, tokensPerNode: 16 },
      replication: "{'class': 'SimpleStrategy', 'replication_factor': 2}",
      replicasPerRange: 2,
      partitions: 300,
      rowsPerPartition: 4,
    });
  });
  afterAll(async () => {
    await c.close();
  });
  afterEach(() => {
    c.server.clearPrimes();
    c.server.clearActivityLog();
  });

  it('each range request goes to a replica of its range, no node above its share of the requests in flight', async () => {
    c.server.prime({ when: { query: 'FROM scans.items' }, then: { delayMs: 5 } });
    const spy = spySession(c);
    const scan = await scanWith(c, spy.session, { concurrency: 6, splits: 60, fetchSize: 40 });
    expect(await drain(scan)).toEqual(c.keys);
    const ranges = scan.checkpoint().splits.count;
    expect(ranges).toBe(60);
    expect(spy.sent.length).toBeGreaterThanOrEqual(60);
    for (const s of spy.sent) {
      expect(s.hint).toBeDefined();
      const replicas = c.cluster.metadata.replicas('scans', lastToken(s));
      expect(replicas).toHaveLength(2);
      expect(replicas).toContain(s.hint);
    }
    // 6 in flight over 3 nodes: at most 2 on any node, and every node used
    expect([...spy.maxInFlight.values()].every((n) => n <= 2)).toBe(true);
    expect(spy.maxInFlight.size).toBe(3);
    // what the nodes received is what the scan sent them
    const perNode = [0, 0, 0];
    for (const e of c.server.activityLog)
      if (e.opcode === 'EXECUTE' && e.query?.includes('FROM scans.items')) perNode[e.node]!++;
    const sentPerNode = [0, 0, 0];
    for (const s of spy.sent) sentPerNode[c.cluster.hosts.indexOf(s.hint!)]!++;
    expect(perNode).toEqual(sentPerNode);
  });

  it('a node that fails every page: each failed page is retried on the next replica from the same paging state', async () => {
    c.server.prime({ when: { query: 'FROM scans.items', node: 1 }, then: { error: { code: 'OVERLOADED' } } });
    const spy = spySession(c);
    const scan = await scanWith(c, spy.session, {
      concurrency: 3,
      splits: 30,
      fetchSize: 25,
      retry: { baseDelayMs: 1 },
    });
    expect(await drain(scan)).toEqual(c.keys);
    const node1 = c.cluster.hosts[1]!;
    const failed = spy.sent.filter((s) => s.hint === node1);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      // the same request (same range, same paging state) sent again to another replica
      const again = spy.sent.filter(
        (s) => s !== f && s.hint !== node1 && s.pagingState === f.pagingState && s.values.join() === f.values.join(),
      );
      expect(again.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('errors primed mid-range on every node: retried, no row lost or repeated', async () => {
    c.server.prime({
      when: { query: 'FROM scans.items', afterPages: 2, times: 12 },
      then: { error: { code: 'READ_TIMEOUT' } },
    });
    const spy = spySession(c);
    const scan = await scanWith(c, spy.session, {
      concurrency: 4,
      splits: 12,
      fetchSize: 20,
      retry: { maxRetries: 6, baseDelayMs: 1 },
    });
    expect(await drain(scan)).toEqual(c.keys);
    const retried = spy.sent.filter((s, i) =>
      spy.sent.some((o, j) => j < i && o.pagingState === s.pagingState && o.values.join() === s.values.join()),
    );
    expect(retried.length).toBe(12);
  });

  it('a range failing past its retries ends the scan with a StreamError carrying a checkpoint that resumes it', async () => {
    c.server.prime({
      when: { query: 'FROM scans.items', afterPages: 3 },
      then: { error: { code: 'OVERLOADED', message: 'too busy' } },
    });
    const first = await c.session.scanTable('scans.items', { concurrency: 2, fetchSize: 5, retry: false });
    const got: string[] = [];
    let error: StreamError | undefined;
    try {
      for await (const row of first) got.push(keyOf(row));
    } catch (e) {
      error = e as StreamError;
    }
    expect(error).toBeInstanceOf(StreamError);
    expect(error?.message).toContain('too busy');
    expect(error?.checkpoint).toEqual(first.checkpoint());
    expect(error?.totalRowsFetched).toBe(got.length);
    c.server.clearPrimes();
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(c.keys.length);
    const resumed = await c.session.scanTable('scans.items', { checkpoint: error!.checkpoint!, fetchSize: 7 });
    for await (const row of resumed) got.push(keyOf(row));
    expect(got.sort()).toEqual(c.keys);
    expect(resumed.progress.rowsFetched).toBe(c.keys.length);
  });
});

describe('a node stopped mid-scan (3 nodes, rf 3)', () => {
  let c: ScanCluster;
  beforeAll(async () => {
    c = await startScanCluster({
      server: { nodes: 3, tokensPerNode: 4 },
      replication: "{'class': 'SimpleStrategy', 'replication_factor': 3}",
      replicasPerRange: 3,
      partitions: 300,
      rowsPerPartition: 4,
    });
  });
  afterAll(async () => {
    await c.close();
  });

  it('its ranges move to the other replicas from their last paging state: every row exactly once', async () => {
    c.server.prime({ when: { query: 'FROM scans.items' }, then: { delayMs: 3 } });
    const scan = await c.session.scanTable('scans.items', {
      concurrency: 6,
      splits: 24,
      fetchSize: 20,
      retry: { maxRetries: 8, baseDelayMs: 10 },
    });
    const got: string[] = [];
    let stopping: Promise<void> | undefined;
    for await (const row of scan) {
      got.push(keyOf(row));
      if (got.length === 300) stopping = c.server.nodes[2]!.stop();
    }
    await stopping;
    expect(got.sort()).toEqual(c.keys);
    const after = c.server.activityLog.filter((e) => e.node !== 2 && e.opcode === 'EXECUTE');
    expect(after.length).toBeGreaterThan(0);
  });
});

describe('two data centers: ranges are read in the local one', () => {
  let c: ScanCluster;
  beforeAll(async () => {
    c = await startScanCluster({
      server: { nodes: 4, tokensPerNode: 8, dataCenter: ['dc1', 'dc2', 'dc1', 'dc2'] },
      client: { localDataCenter: 'dc2' },
      replication: "{'class': 'NetworkTopologyStrategy', 'dc1': 1, 'dc2': 1}",
      replicasPerRange: 2,
      partitions: 200,
      rowsPerPartition: 3,
    });
  });
  afterAll(async () => {
    await c.close();
  });

  it('every page request goes to a dc2 replica, both dc2 nodes share the ranges', async () => {
    c.server.clearActivityLog();
    const scan = await c.session.scanTable('scans.items', { fetchSize: 25 });
    const got: string[] = [];
    for await (const row of scan) got.push(keyOf(row));
    expect(got.sort()).toEqual(c.keys);
    const nodes = c.server.activityLog
      .filter((e) => e.opcode === 'EXECUTE' && e.query?.includes('FROM scans.items') === true)
      .map((e) => e.node);
    expect(new Set(nodes)).toEqual(new Set([1, 3]));
  });
});
