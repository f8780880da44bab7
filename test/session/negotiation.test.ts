import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDate, Uuid } from '../../src/protocol/types/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';

let v5Server: EmbeddedServer;
let v4Server: EmbeddedServer;
const clusters: Cluster[] = [];

async function connect(
  server: EmbeddedServer,
  compression: 'lz4' | 'none',
): Promise<{ cluster: Cluster; session: Session }> {
  const cluster = new Cluster({ contactPoints: server.contactPoints, compression });
  clusters.push(cluster);
  return { cluster, session: await cluster.connect() };
}

const ID = Uuid.fromString('5b6962dd-3f90-4c93-8f61-eabfb4a03e12');

/** Writes the same rows through `session` (idempotent: same keys each time). */
async function fill(session: Session): Promise<void> {
  await session.execute(
    "CREATE KEYSPACE IF NOT EXISTS neg WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
  );
  await session.execute(
    'CREATE TABLE IF NOT EXISTS neg.t (k int, c int, name text, born date, tags list<text>, id uuid, big bigint, PRIMARY KEY (k, c))',
  );
  const insert = await session.prepare(
    'INSERT INTO neg.t (k, c, name, born, tags, id, big) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (let i = 0; i < 300; i++) {
    await session.execute(insert, [
      i % 3,
      i,
      `name-${i}-${'x'.repeat(i % 50)}`,
      LocalDate.of(2000, 1, 1 + (i % 28)),
      [`a${i}`, `b${i}`],
      ID,
      BigInt(i) * 10_000_000_000n,
    ]);
  }
}

/** Every row of neg.t, in a stable order, as plain JSON. */
async function readAll(session: Session): Promise<string> {
  const rs = await session.execute('SELECT * FROM neg.t', null, { fetchSize: 64 });
  const rows = await rs.all();
  return JSON.stringify(
    rows.map((r) => r.toObject()),
    (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v),
  );
}

beforeAll(async () => {
  v5Server = await startEmbeddedServer({ port: 0 });
  v4Server = await startEmbeddedServer({ port: 0, protocolVersions: [3, 4] });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.shutdown()));
  await Promise.all([v5Server?.stop(), v4Server?.stop()]);
});

describe('protocol version negotiation and lz4', () => {
  it('negotiates v5 with a server offering 3..5, with and without lz4, and both read the same rows', async () => {
    const plain = await connect(v5Server, 'none');
    const lz4 = await connect(v5Server, 'lz4');
    expect(plain.cluster.protocolVersion).toBe(5);
    expect(lz4.cluster.protocolVersion).toBe(5);
    await fill(lz4.session);
    const a = await readAll(plain.session);
    const b = await readAll(lz4.session);
    expect(JSON.parse(a)).toHaveLength(300);
    expect(b).toBe(a);
    // partitions come in token order: pick k=0, c=0 wherever it is
    expect((JSON.parse(a) as { k: number; c: number }[]).find((r) => r.k === 0 && r.c === 0)).toEqual({
      k: 0,
      c: 0,
      big: '0n',
      born: '2000-01-01',
      id: '5b6962dd-3f90-4c93-8f61-eabfb4a03e12',
      name: 'name-0-',
      tags: ['a0', 'b0'],
    });
  });

  it('falls back to v4 with a server offering [3, 4], with and without lz4, and both read the same rows', async () => {
    const plain = await connect(v4Server, 'none');
    const lz4 = await connect(v4Server, 'lz4');
    expect(plain.cluster.protocolVersion).toBe(4);
    expect(lz4.cluster.protocolVersion).toBe(4);
    await fill(plain.session);
    const a = await readAll(plain.session);
    const b = await readAll(lz4.session);
    expect(JSON.parse(a)).toHaveLength(300);
    expect(b).toBe(a);
  });

  it('keeps protocolVersion undefined before connect() and honours a pinned version', async () => {
    const pinned = new Cluster({ contactPoints: v5Server.contactPoints, protocolVersion: 4 });
    clusters.push(pinned);
    expect(pinned.protocolVersion).toBeUndefined();
    await pinned.connect();
    expect(pinned.protocolVersion).toBe(4);
  });
});
