import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRange } from '../../../src/cluster/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../../src/server/index.js';
import { Cluster } from '../../../src/session/index.js';

/**
 * cluster.metadata against the embedded server: 3 nodes x 16 tokens in two data centers (dc1: nodes
 * 0 and 1, dc2: node 2) and 1 node x 4 tokens; SimpleStrategy rf 1/2/3 and a two-DC
 * NetworkTopologyStrategy keyspace; schema changes seen by table().
 */
let three: EmbeddedServer;
let one: EmbeddedServer;
const clusters: Cluster[] = [];

function clusterOf(server: EmbeddedServer, options: { localDataCenter?: string; protocolVersion?: 4 | 5 } = {}) {
  const c = new Cluster({ contactPoints: server.contactPoints, ...options });
  clusters.push(c);
  return c;
}

const MIN = -(2n ** 63n);

/** Polls `check` every 10 ms, at most 200 times: whether it came true. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** The ranges chain around the ring: each starts where the one before ends, the first where the last ends. */
function expectChained(ranges: readonly TokenRange[]): void {
  for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end);
  expect(ranges[0]!.start).toBe(ranges[ranges.length - 1]!.end);
  expect(ranges[0]!.start > ranges[0]!.end || ranges.length === 1).toBe(true);
}

beforeAll(async () => {
  three = await startEmbeddedServer({ nodes: 3, tokensPerNode: 16, dataCenter: ['dc1', 'dc1', 'dc2'] });
  one = await startEmbeddedServer({ nodes: 1, tokensPerNode: 4 });
  for (const server of [three, one]) {
    for (const rf of [1, 2, 3])
      server.execute(
        `CREATE KEYSPACE rf${rf} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${rf}}`,
      );
    server.execute(
      "CREATE KEYSPACE nts WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': '2', 'dc2': '1'} AND durable_writes = false",
    );
  }
  three.execute('CREATE TYPE rf1.address (street text, zip int)');
  three.execute(
    'CREATE TABLE rf1.events (tenant text, day date, seq int, ts timestamp, s text STATIC, addr frozen<address>, tags set<text>, m map<text, int>, PRIMARY KEY ((tenant, day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC)',
  );
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.shutdown()));
  await three?.stop();
  await one?.stop();
});

describe('cluster.metadata on a 3-node, two-DC embedded cluster (16 tokens per node)', () => {
  it('cuts the ring into 48 chained ranges, 16 owned by each node', async () => {
    const c = clusterOf(three);
    await c.connect();
    const ranges = c.metadata.tokenRanges();
    expect(ranges.length).toBe(48);
    expectChained(ranges);
    expect(ranges[0]!.end).toBe(MIN); // the embedded ring has a token at -2^63: the wrapping range ends there
    const owned = new Map<string, number>();
    for (const r of ranges) {
      expect(r.replicas.length).toBe(1);
      owned.set(r.replicas[0]!.address, (owned.get(r.replicas[0]!.address) ?? 0) + 1);
    }
    expect([...owned].sort()).toEqual([
      ['127.0.0.1', 16],
      ['127.0.0.2', 16],
      ['127.0.0.3', 16],
    ]);
  });

  it('lists rf distinct replicas per range for SimpleStrategy rf 1/2/3, primary first, agreeing with replicas()', async () => {
    const c = clusterOf(three);
    await c.connect();
    const primary = c.metadata.tokenRanges();
    for (const rf of [1, 2, 3]) {
      const ranges = c.metadata.tokenRanges(`rf${rf}`);
      expect(ranges.map((r) => [r.start, r.end])).toEqual(primary.map((r) => [r.start, r.end]));
      ranges.forEach((r, i) => {
        expect(new Set(r.replicas).size, `rf${rf} range ${i}`).toBe(rf);
        expect(r.replicas[0]).toBe(primary[i]!.replicas[0]);
        expect(c.metadata.replicas(`rf${rf}`, r.end)).toEqual(r.replicas);
        expect(c.metadata.replicas(`rf${rf}`, r.start + 1n)).toEqual(r.replicas);
      });
    }
  });

  it('NetworkTopologyStrategy dc1: 2, dc2: 1 gives two dc1 replicas and one dc2 replica; localDataCenter dc2 puts it first', async () => {
    const c = clusterOf(three);
    await c.connect();
    for (const r of c.metadata.tokenRanges('nts')) {
      expect(r.replicas.map((h) => h.dataCenter).sort()).toEqual(['dc1', 'dc1', 'dc2']);
    }
    const local = clusterOf(three, { localDataCenter: 'dc2' });
    await local.connect();
    for (const r of local.metadata.tokenRanges('nts')) {
      expect(r.replicas.map((h) => h.address)[0]).toBe('127.0.0.3');
      expect(r.replicas.length).toBe(3);
    }
    const ks = await c.metadata.keyspace('nts');
    expect(ks?.durableWrites).toBe(false);
    expect(ks?.replication.class).toBe('org.apache.cassandra.locator.NetworkTopologyStrategy');
    expect(ks?.replication.options).toEqual({ dc1: '2', dc2: '1' });
  });

  it('reads keyspaces and a table with composite key, mixed clustering order, static and UDT columns (v5 and v4)', async () => {
    for (const protocolVersion of [5, 4] as const) {
      const c = clusterOf(three, { protocolVersion });
      await c.connect();
      expect(c.protocolVersion).toBe(protocolVersion);
      const names = (await c.metadata.keyspaces()).map((k) => k.name);
      expect(names.filter((n) => !n.startsWith('system'))).toEqual(['nts', 'rf1', 'rf2', 'rf3']);
      expect((await c.metadata.keyspace('rf2'))?.replication.strategy).toEqual({
        kind: 'simple',
        replicationFactor: 2,
      });
      const events = await c.metadata.table('rf1', 'events');
      expect(
        events?.columns.map((col) => [col.name, col.kind, col.position, col.clusteringOrder, col.cqlType]),
      ).toEqual([
        ['tenant', 'partition_key', 0, 'none', 'text'],
        ['day', 'partition_key', 1, 'none', 'date'],
        ['ts', 'clustering', 0, 'desc', 'timestamp'],
        ['seq', 'clustering', 1, 'asc', 'int'],
        ['s', 'static', -1, 'none', 'text'],
        ['addr', 'regular', -1, 'none', 'frozen<address>'],
        ['m', 'regular', -1, 'none', 'map<text, int>'],
        ['tags', 'regular', -1, 'none', 'set<text>'],
      ]);
      expect(events?.column('addr')?.type).toEqual({
        kind: 'udt',
        keyspace: 'rf1',
        name: 'address',
        fields: [
          { name: 'street', type: { kind: 'text' } },
          { name: 'zip', type: { kind: 'int' } },
        ],
        frozen: true,
      });
      expect(await c.metadata.table('rf1', 'nope')).toBeUndefined();
      expect(await c.metadata.keyspace('nope')).toBeUndefined();
    }
  });

  it('sees a table created, altered and dropped through a session', async () => {
    const c = clusterOf(three);
    const session = await c.connect();
    expect(await c.metadata.table('rf2', 'late')).toBeUndefined();
    await session.execute('CREATE TABLE rf2.late (k int PRIMARY KEY, v text)');
    expect((await c.metadata.table('rf2', 'late'))?.columns.map((col) => col.name)).toEqual(['k', 'v']);
    await session.execute('ALTER TABLE rf2.late ADD w int');
    // the SCHEMA_CHANGE event drops the cached keyspace: a later read sees the new column
    expect(await eventually(async () => (await c.metadata.table('rf2', 'late'))?.columns.length === 3)).toBe(true);
    expect((await c.metadata.table('rf2', 'late'))?.columns.map((col) => col.name)).toEqual(['k', 'v', 'w']);
    await session.execute('DROP TABLE rf2.late');
    expect(await eventually(async () => (await c.metadata.keyspace('rf2'))?.table('late') === undefined)).toBe(true);
  });
});

describe('cluster.metadata on a 1-node embedded cluster (4 tokens)', () => {
  it('has 4 chained ranges, every one on the single node whatever the replication factor', async () => {
    const c = clusterOf(one);
    await c.connect();
    for (const ks of [undefined, 'rf1', 'rf3', 'nts']) {
      const ranges = c.metadata.tokenRanges(ks);
      expect(ranges.length).toBe(4);
      expectChained(ranges);
      for (const r of ranges) expect(r.replicas.map((h) => h.address)).toEqual(ks === 'nts' ? [] : ['127.0.0.1']);
    }
  });
});

describe('cluster.metadata before connect()', () => {
  it('has no token ranges, and a schema read is an ArgumentError saying to connect first', async () => {
    const c = clusterOf(one);
    expect(c.metadata.tokenRanges('rf1')).toEqual([]);
    await expect(c.metadata.keyspaces()).rejects.toThrow(
      'The cluster is not connected yet: await cluster.connect() first',
    );
    expect(await c.metadata.sizeEstimates('rf1', 't')).toEqual([]);
    await c.connect();
    expect((await c.metadata.keyspace('rf1'))?.name).toBe('rf1');
  });
});
