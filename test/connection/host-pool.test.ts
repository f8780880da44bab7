import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  ConnectionError,
  type ConnectionOptions,
  ExponentialBackoff,
  HostPool,
  type HostPoolOptions,
  openConnection,
} from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { until } from '../support/until.js';
import { type FakePeer, type FakePeerOptions, type Reply, startFakePeer } from './fake-peer.js';

let peer: FakePeer | undefined;
const pools: HostPool[] = [];

async function makePool(peerOptions: FakePeerOptions, options: Partial<HostPoolOptions> = {}): Promise<HostPool> {
  peer ??= await startFakePeer(peerOptions);
  const pool = new HostPool({ host: '127.0.0.1', port: peer.port, heartbeatIntervalMs: 0, ...options });
  pools.push(pool);
  return pool;
}

function queriesPerConnection(): string[][] {
  return peer!.connections.map((c) => c.queries);
}

afterEach(async () => {
  for (const p of pools.splice(0)) await p.shutdown();
  await peer?.close();
  peer = undefined;
});

describe('ExponentialBackoff', () => {
  it('doubles from the base delay up to the cap', () => {
    const b = new ExponentialBackoff({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect([0, 1, 2, 3, 4, 5, 6, 100].map((n) => b.delayMs(n))).toEqual([0, 100, 200, 400, 800, 1000, 1000, 1000]);
  });
});

describe('HostPool', () => {
  it('opens N connections and sends each request to the least busy one', async () => {
    const held: Reply[] = [];
    const pool = await makePool({ onQuery: (_q, reply) => void held.push(reply) }, { connectionsPerHost: 3 });
    await pool.warmup();
    expect(pool.size).toBe(3);
    const sent = Array.from({ length: 6 }, (_, i) =>
      pool.send({ opcode: Opcode.QUERY, query: `q${i}`, params: { consistency: 1 } }),
    );
    await until(() => held.length === 6);
    expect(queriesPerConnection().map((q) => q.length)).toEqual([2, 2, 2]);
    expect(pool.inFlight).toBe(6);
    for (const r of held) r({ opcode: Opcode.RESULT, kind: 'void' });
    await Promise.all(sent);
    expect(pool.inFlight).toBe(0);
  });

  it('pins the negotiated protocol version for the following connections', async () => {
    const pool = await makePool({ versions: [3, 4] }, { connectionsPerHost: 2 });
    await pool.warmup();
    expect(pool.protocolVersion).toBe(4);
    // first connection: refused v5 socket, then v4; second connection: straight to v4
    expect(peer!.connections.map((c) => c.requestVersions[0])).toEqual([5, 4, 4]);
  });

  it('USEs the keyspace on every connection, including ones opened later', async () => {
    const pool = await makePool({}, { connectionsPerHost: 2, keyspace: 'ks1' });
    await pool.warmup();
    await pool.setKeyspace('ks2');
    expect(pool.keyspace).toBe('ks2');
    expect(peer!.connections.map((c) => c.queries)).toEqual([
      ['USE "ks1"', 'USE "ks2"'],
      ['USE "ks1"', 'USE "ks2"'],
    ]);
    expect((await pool.acquire()).keyspace).toBe('ks2');
    // lose one connection: the pool reopens lazily on next use, with the current keyspace
    peer!.connections[0]!.socket.destroy();
    await until(() => pool.size === 1);
    pool.borrow();
    await until(() => pool.size === 2);
    expect(peer!.connections.length).toBe(3);
    const reopened = peer!.connections[2]!;
    await until(() => reopened.queries.length === 1);
    expect(reopened.queries).toEqual(['USE "ks2"']);
  });

  it('after a failure it waits for the backoff before trying again, then recovers', async () => {
    peer = await startFakePeer();
    let calls = 0;
    const failing = async (options: ConnectionOptions) => {
      calls++;
      if (calls <= 2)
        throw new ConnectionError(options.host, options.port!, `cannot connect: attempt ${calls} refused`);
      return openConnection(options);
    };
    const pool = await makePool({}, { connect: failing, reconnect: { baseDelayMs: 80, maxDelayMs: 1000 } });
    await expect(pool.warmup()).rejects.toThrow(`127.0.0.1:${peer.port}: cannot connect: attempt 1 refused`);
    // in backoff: no new attempt, a clear error naming the last cause
    const early = await pool.acquire().then(
      () => undefined,
      (e: unknown) => e as ConnectionError,
    );
    expect(early).toBeInstanceOf(ConnectionError);
    expect(early!.message).toMatch(
      /no open connection \(1 failed attempt\(s\); next attempt allowed in \d+ ms\): 127\.0\.0\.1:\d+: cannot connect: attempt 1 refused$/,
    );
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    await expect(pool.acquire()).rejects.toThrow('cannot connect: attempt 2 refused');
    expect(calls).toBe(2);
    // second failure doubles the wait to 160 ms
    await new Promise((r) => setTimeout(r, 100));
    await expect(pool.acquire()).rejects.toThrow(/2 failed attempt\(s\)/);
    expect(calls).toBe(2);
    await new Promise((r) => setTimeout(r, 80));
    const connection = await pool.acquire();
    expect(calls).toBe(3);
    expect(connection.isClosed).toBe(false);
    expect(pool.lastError).toBe(undefined);
  });

  it('logs in with credentials and never holds the password where inspect can see it', async () => {
    const pool = await makePool(
      { credentials: { username: 'alice', password: 'pool-secret' } },
      { credentials: { username: 'alice', password: 'pool-secret' } },
    );
    await pool.warmup();
    expect(pool.size).toBe(1);
    expect(inspect(pool, { depth: 10, showHidden: true })).not.toContain('pool-secret');
  });

  it('shutdown closes every connection and later requests reject', async () => {
    const pool = await makePool({}, { connectionsPerHost: 2 });
    await pool.warmup();
    const connections = [...new Set([pool.borrow()!])];
    await pool.shutdown();
    expect(pool.size).toBe(0);
    expect(connections.every((c) => c.isClosed)).toBe(true);
    await until(() => peer!.connections.every((c) => c.socket.destroyed));
    await expect(pool.acquire()).rejects.toThrow(ConnectionClosedError);
    await pool.shutdown();
  });
});
