import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterTopology,
  DcAwareRoundRobinPolicy,
  NoHostAvailableError,
  TokenAwarePolicy,
} from '../../src/cluster/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster } from '../../src/session/index.js';
import { waitFor } from '../session/support/wait-for.js';

let server: EmbeddedServer;
const topologies: ClusterTopology[] = [];

function topology(contactPoints: readonly string[]): ClusterTopology {
  const t = new ClusterTopology({
    contactPoints,
    port: 9042,
    connection: { heartbeatIntervalMs: 0 },
    controlTimeoutMs: 2_000,
    loadBalancing: new TokenAwarePolicy(new DcAwareRoundRobinPolicy()),
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  topologies.push(t);
  return t;
}

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0, dataCenter: ['dc1', 'dc1', 'dc2'] });
});

afterAll(async () => {
  await Promise.all(topologies.map((t) => t.shutdown()));
  await server?.stop();
});

describe('ClusterTopology (the control connection)', () => {
  it('reads system.local, system.peers_v2 and system_schema.keyspaces, and REGISTERs for the three event types', async () => {
    server.clearActivityLog();
    const t = topology([server.contactPoints[1]!]);
    await t.connect();
    expect(t.controlHost?.address).toBe('127.0.0.2');
    expect(t.hosts.map((h) => [h.address, h.dataCenter])).toEqual([
      ['127.0.0.2', 'dc1'],
      ['127.0.0.1', 'dc1'],
      ['127.0.0.3', 'dc2'],
    ]);
    expect(t.controlDataCenter).toBe('dc1');
    const log = server.activityLog.filter((e) => e.node === 1 && (e.opcode === 'QUERY' || e.opcode === 'REGISTER'));
    expect(log.map((e) => e.query ?? e.opcode)).toEqual([
      'REGISTER',
      "SELECT * FROM system.local WHERE key = 'local'",
      'SELECT * FROM system.peers_v2',
      'SELECT keyspace_name, replication FROM system_schema.keyspaces',
    ]);
  });

  it("learns a new keyspace's replication from the SCHEMA_CHANGE event, and routes its keys to RF replicas", async () => {
    const t = topology([server.contactPoints[0]!]);
    await t.connect();
    expect(t.replicationOf('fresh')).toEqual({ kind: 'other' });
    const writer = new Cluster({ contactPoints: [server.contactPoints[1]!] });
    try {
      const session = await writer.connect();
      await session.execute(
        "CREATE KEYSPACE fresh WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}",
      );
    } finally {
      await writer.shutdown();
    }
    await waitFor(() => t.replicationOf('fresh').kind === 'simple', 'the replication of the new keyspace');
    expect(t.replicationOf('fresh')).toEqual({ kind: 'simple', replicationFactor: 2 });
    const replicas = t.replicas('fresh', Buffer.from('00000001', 'hex'));
    expect(replicas).toHaveLength(2);
    expect(new Set(replicas).size).toBe(2);
  });

  it('falls back to system.peers when system.peers_v2 is refused as an invalid query', async () => {
    server.prime({
      when: { query: 'system.peers_v2' },
      then: { error: { code: 'INVALID', message: 'unconfigured table peers_v2' } },
    });
    try {
      const t = topology([server.contactPoints[0]!]);
      await t.connect();
      expect(t.hosts.map((h) => h.endpoint).sort()).toEqual(server.contactPoints.slice().sort());
      expect(server.activityLog.some((e) => e.query === 'SELECT * FROM system.peers')).toBe(true);
    } finally {
      server.clearPrimes();
    }
  });

  it('moves the control connection to another host when its node stops, and still hears STATUS_CHANGE events', async () => {
    const t = topology([server.contactPoints[0]!]);
    await t.connect();
    expect(t.controlHost?.address).toBe('127.0.0.1');
    await server.nodes[0]!.stop();
    await waitFor(
      () => t.controlHost !== undefined && t.controlHost.address !== '127.0.0.1',
      'the control connection to move',
    );
    expect(t.hosts.find((h) => h.address === '127.0.0.1')!.isUp).toBe(false);
    const third = t.hosts.find((h) => h.address === '127.0.0.3')!;
    const controlAddress = t.controlHost!.address;
    const other = controlAddress === '127.0.0.2' ? 2 : 1;
    const otherHost = t.hosts.find((h) => h.address === `127.0.0.${other + 1}`)!;
    await server.nodes[other]!.stop();
    await waitFor(() => !otherHost.isUp, 'the DOWN event of the stopped node');
    await server.nodes[other]!.start();
    await waitFor(() => otherHost.isUp, 'the node to come back up');
    await server.nodes[0]!.start();
    await waitFor(() => t.hosts.find((h) => h.address === '127.0.0.1')!.isUp, 'node 1 to come back up');
    expect(third.dataCenter).toBe('dc2');
  });

  it('rejects with NoHostAvailableError when no contact point answers, with the cause of each', async () => {
    const t = topology(['127.0.0.1:1']);
    const error = await t.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoHostAvailableError);
    expect([...(error as NoHostAvailableError).errors.keys()]).toEqual(['127.0.0.1:1']);
  });
});
