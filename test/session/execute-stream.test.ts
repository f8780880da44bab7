import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { StreamError } from '../../src/streaming/index.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 2, port: 0 });
  cluster = new Cluster({ contactPoints: server.contactPoints });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE st WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE st.ts (day int, seq int, v text, PRIMARY KEY (day, seq))');
  const insert = await session.prepare('INSERT INTO st.ts (day, seq, v) VALUES (?, ?, ?)');
  await Promise.all(Array.from({ length: 2_500 }, (_, i) => session.execute(insert, [1, i, `v${i}`])));
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

describe('session.executeStream', () => {
  it('streams every row of a prepared statement page by page through fetchPage', async () => {
    const stmt = await session.prepare('SELECT seq, v FROM st.ts WHERE day = ?');
    server.clearActivityLog();
    const stream = await session.executeStream(stmt, [1], { fetchSize: 1_000, prefetchPages: 0 });
    const seqs: number[] = [];
    for await (const row of stream) seqs.push(row.get('seq') as number);
    expect(seqs).toEqual([...Array(2_500).keys()]);
    const executes = server.activityLog.filter((e) => e.opcode === 'EXECUTE');
    expect(executes.map((e) => e.pageSize)).toEqual([1_000, 1_000, 1_000]);
    // every page went to the same node (the coordinator hint keeps the stream on one replica)
    expect(new Set(executes.map((e) => e.node)).size).toBe(1);
  });

  it('streams CQL text with inferred parameters, and reports a failure as StreamError', async () => {
    const stream = await session.executeStream('SELECT seq FROM st.ts WHERE day = 1', null, { fetchSize: 700 });
    let n = 0;
    for await (const _row of stream) n++;
    expect(n).toBe(2_500);
    const failing = await session.executeStream('SELECT seq FROM st.nope', null, { fetchSize: 10 });
    const error = await (async () => {
      for await (const _row of failing) {
        /* no rows */
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
  });
});
