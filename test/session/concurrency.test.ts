import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestTimeoutError } from '../../src/connection/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;
const KEYS = 500;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cluster = new Cluster({ contactPoints: server.contactPoints, connectionsPerHost: 1, compression: 'lz4' });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE conc WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE conc.kv (k int PRIMARY KEY, v text)');
  const insert = await session.prepare('INSERT INTO conc.kv (k, v) VALUES (?, ?)');
  await Promise.all(Array.from({ length: KEYS }, (_, k) => session.execute(insert, [k, `value-${k}`])));
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

function connectionIdsOf(opcode: string): Set<number> {
  return new Set(server.activityLog.filter((e) => e.opcode === opcode).map((e) => e.connectionId));
}

describe('many requests on one connection', () => {
  it('10,000 concurrent executes complete with their own, unmixed results', async () => {
    const select = await session.prepare('SELECT k, v FROM conc.kv WHERE k = ?');
    server.clearActivityLog();
    const results = await Promise.all(Array.from({ length: 10_000 }, (_, i) => session.execute(select, [i % KEYS])));
    let wrong = 0;
    results.forEach((rs, i) => {
      const row = rs.first();
      if (rs.rowLength !== 1 || row?.get('k') !== i % KEYS || row.get('v') !== `value-${i % KEYS}`) wrong++;
    });
    expect(wrong).toBe(0);
    expect(server.activityLog.filter((e) => e.opcode === 'EXECUTE')).toHaveLength(10_000);
    expect(connectionIdsOf('EXECUTE').size).toBe(1);
  });

  it('a timed-out request does not hand its late answer to the next request', async () => {
    server.prime({ when: { query: 'WHERE k = 7', times: 1 }, then: { delayMs: 300 } });
    const slow = session.execute('SELECT k, v FROM conc.kv WHERE k = 7', null, { timeoutMs: 50 });
    await expect(slow).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(slow).rejects.toThrow('QUERY request to 127.0.0.1:');
    // requests sent while the late answer is still coming, and after it came
    const during = await Promise.all(
      [1, 2, 3].map((k) => session.execute('SELECT k, v FROM conc.kv WHERE k = ?', [k], { hints: ['int'] })),
    );
    expect(during.map((rs) => rs.first()?.get('v'))).toEqual(['value-1', 'value-2', 'value-3']);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const after = await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        session.execute('SELECT k, v FROM conc.kv WHERE k = ?', [k + 100], { hints: ['int'] }),
      ),
    );
    expect(after.map((rs) => rs.first()?.get('k'))).toEqual(Array.from({ length: 50 }, (_, k) => k + 100));
    const again = await session.execute('SELECT k, v FROM conc.kv WHERE k = 7');
    expect(again.first()?.get('v')).toBe('value-7');
  });
});
