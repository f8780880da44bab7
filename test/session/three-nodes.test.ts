import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { murmur3Token } from '../../src/protocol/token/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { waitFor } from './support/wait-for.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0, dataCenter: 'dc1', rack: ['r1', 'r2', 'r3'] });
  cluster = new Cluster({
    contactPoints: [server.contactPoints[0]!],
    localDataCenter: 'dc1',
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
    requestTimeoutMs: 2_000,
  });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE tri WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE tri.kv (k int PRIMARY KEY, v int)');
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

/** The node owning key `k` (an int partition key), computed here from the ring the nodes report. */
function ownerOf(k: number): number {
  const key = Buffer.alloc(4);
  key.writeInt32BE(k, 0);
  const token = murmur3Token(key);
  const ring = cluster.hosts
    .flatMap((h) => h.tokens.map((t) => ({ token: BigInt(t), node: Number(h.address.split('.')[3]) - 1 })))
    .sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  return (ring.find((e) => e.token >= token) ?? ring[0]!).node;
}

describe('a 3-node cluster', () => {
  it('discovers every node from one contact point, with DC, rack, tokens and host id', () => {
    const port = server.nodes[0]!.port;
    expect(cluster.hosts.map((h) => h.endpoint).sort()).toEqual([
      `127.0.0.1:${port}`,
      `127.0.0.2:${port}`,
      `127.0.0.3:${port}`,
    ]);
    const byAddress = new Map(cluster.hosts.map((h) => [h.address, h]));
    expect(['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((a) => byAddress.get(a)!.rack)).toEqual(['r1', 'r2', 'r3']);
    for (const h of cluster.hosts) {
      expect(h.dataCenter).toBe('dc1');
      expect(h.isUp).toBe(true);
      expect(h.tokens).toHaveLength(4);
      expect(h.hostId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(new Set(cluster.hosts.map((h) => h.hostId)).size).toBe(3);
  });

  it('sends each prepared partition-key query to the replica owning the key (activity log)', async () => {
    const select = await session.prepare('SELECT v FROM tri.kv WHERE k = ?');
    expect(select.pkIndexes).toEqual([0]);
    server.clearActivityLog();
    const expected: number[] = [];
    for (let k = 0; k < 60; k++) {
      const rs = await session.execute(select, [k]);
      expect(rs.info.coordinator.address).toBe(`127.0.0.${ownerOf(k) + 1}`);
      expected.push(ownerOf(k));
    }
    const executes = server.activityLog.filter((e) => e.opcode === 'EXECUTE');
    expect(executes.map((e) => e.node)).toEqual(expected);
    expect(new Set(expected).size).toBe(3); // the 60 keys spread over all three nodes
  });

  it('marks a stopped node down, skips it, and uses it again once it is started', async () => {
    const insert = await session.prepare('INSERT INTO tri.kv (k, v) VALUES (?, ?)');
    const down = cluster.hosts.find((h) => h.address === '127.0.0.2')!;
    await server.nodes[1]!.stop();
    await waitFor(() => !down.isUp, 'node 2 to be marked down');
    server.clearActivityLog();
    for (let k = 0; k < 30; k++) {
      const rs = await session.execute(insert, [k, k * 10]);
      expect(rs.info.coordinator.address).not.toBe('127.0.0.2');
    }
    for (let i = 0; i < 10; i++) await session.execute('SELECT count(*) FROM tri.kv');
    expect(server.activityLog.filter((e) => e.node === 1)).toEqual([]);
    await server.nodes[1]!.start();
    await waitFor(() => down.isUp, 'node 2 to be marked up again');
    server.clearActivityLog();
    const coordinators: number[] = [];
    for (let k = 0; k < 30; k++)
      coordinators.push(Number((await session.execute(insert, [k, k])).info.coordinator.address.split('.')[3]) - 1);
    expect(coordinators).toEqual([...Array(30).keys()].map(ownerOf));
    expect(coordinators.filter((n) => n === 1).length).toBeGreaterThan(0);
    // the restarted node forgot its prepared statements: it answered UNPREPARED once, got a PREPARE, then ran the EXECUTE
    expect(server.activityLog.filter((e) => e.node === 1 && e.opcode === 'PREPARE')).toHaveLength(1);
  });
});
