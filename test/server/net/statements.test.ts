import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawClient } from '../../../bench/raw-client.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { PreparedResult, RowsResult } from '../../../src/protocol/messages/index.js';
import { BatchType } from '../../../src/protocol/messages/index.js';
import type { EmbeddedServer } from '../../../src/server/index.js';
import { startEmbeddedServer } from '../../../src/server/index.js';
import { readyClient } from './support/ready-client.js';

let server: EmbeddedServer;
const clients: RawClient[] = [];

const ready = (version: 4 | 5 = 5): Promise<RawClient> => readyClient(clients, server.port, '127.0.0.1', version);

const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
};

/** (k, v) pairs of a `SELECT k, v` page: int and text cells. */
function pairs(r: RowsResult): [number, string][] {
  const out: [number, string][] = [];
  let p = r.rowsOffset;
  for (let i = 0; i < r.rowCount; i++) {
    const k = r.body.readInt32BE(p + 4);
    p += 8;
    const len = r.body.readInt32BE(p);
    out.push([k, r.body.toString('utf8', p + 4, p + 4 + len)]);
    p += 4 + len;
  }
  return out;
}

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  server.execute("CREATE KEYSPACE st WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE st.kv (k int PRIMARY KEY, v text)');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

describe('QUERY, PREPARE, EXECUTE and BATCH over the real data side', () => {
  it('BATCH mixes CQL text (with and without values) and prepared statements; the rows land', async () => {
    const c = await ready();
    const p = (await c.request({ opcode: Opcode.PREPARE, query: 'INSERT INTO st.kv (k, v) VALUES (?, ?)' }))
      .message as PreparedResult;
    // an INSERT has no result columns: result_metadata_id is MD5 of nothing (the recordings' d41d8cd9...)
    expect(p.resultMetadataId!.toString('hex')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(p.metadata.pkIndexes).toEqual([0]);
    const { message } = await c.request({
      opcode: Opcode.BATCH,
      type: BatchType.LOGGED,
      consistency: 1,
      statements: [
        { query: "INSERT INTO st.kv (k, v) VALUES (10, 'ten')", values: [] },
        { query: 'INSERT INTO st.kv (k, v) VALUES (?, ?)', values: [int(11), Buffer.from('eleven')] },
        { id: p.id, values: [int(12), Buffer.from('twelve')] },
      ],
    });
    expect(message).toEqual({ opcode: Opcode.RESULT, kind: 'void' });
    const rows = (
      await c.request({
        opcode: Opcode.QUERY,
        query: 'SELECT k, v FROM st.kv WHERE k IN (10, 11, 12)',
        params: { consistency: 1 },
      })
    ).message as RowsResult;
    expect(pairs(rows).sort((a, b) => a[0] - b[0])).toEqual([
      [10, 'ten'],
      [11, 'eleven'],
      [12, 'twelve'],
    ]);
  });

  it('a BATCH naming an unknown prepared id is UNPREPARED for that id; a SELECT in a BATCH is Invalid', async () => {
    const c = await ready(4);
    const bogus = Buffer.alloc(16, 0xab);
    const unknown = await c.request({
      opcode: Opcode.BATCH,
      type: BatchType.UNLOGGED,
      consistency: 1,
      statements: [{ id: bogus, values: [] }],
    });
    expect(unknown.message).toMatchObject({
      opcode: Opcode.ERROR,
      code: 0x2500,
      details: { code: 0x2500, preparedId: bogus },
    });
    const select = await c.request({
      opcode: Opcode.BATCH,
      type: BatchType.LOGGED,
      consistency: 1,
      statements: [{ query: 'SELECT * FROM st.kv', values: [] }],
    });
    expect(select.message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x2200,
      message: 'Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.',
    });
  });

  it('a prepared SELECT on system.local in a BATCH is Invalid, like any SELECT (not handed to the data side)', async () => {
    const c = await ready(5);
    const p = (await c.request({ opcode: Opcode.PREPARE, query: 'SELECT release_version FROM system.local' }))
      .message as PreparedResult;
    expect(p.kind).toBe('prepared');
    const { message } = await c.request({
      opcode: Opcode.BATCH,
      type: BatchType.LOGGED,
      consistency: 1,
      statements: [{ id: p.id, values: [] }],
    });
    expect(message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x2200,
      message: 'Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.',
    });
    expect(server.internalErrors).toEqual([]);
  });

  it('USE sets the connection keyspace (RESULT Set_keyspace); v5 WITH_KEYSPACE overrides it per request', async () => {
    const c = await ready(5);
    const use = await c.request({ opcode: Opcode.QUERY, query: 'USE st', params: { consistency: 1 } });
    expect(use.message).toEqual({ opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: 'st' });
    await c.request({
      opcode: Opcode.QUERY,
      query: "INSERT INTO kv (k, v) VALUES (20, 'twenty')",
      params: { consistency: 1 },
    });
    server.execute("CREATE KEYSPACE other WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    server.execute('CREATE TABLE other.kv (k int PRIMARY KEY, v text)');
    server.execute("INSERT INTO other.kv (k, v) VALUES (20, 'elsewhere')");
    const here = (
      await c.request({ opcode: Opcode.QUERY, query: 'SELECT k, v FROM kv WHERE k = 20', params: { consistency: 1 } })
    ).message as RowsResult;
    const there = (
      await c.request({
        opcode: Opcode.QUERY,
        query: 'SELECT k, v FROM kv WHERE k = 20',
        params: { consistency: 1, keyspace: 'other' },
      })
    ).message as RowsResult;
    expect(pairs(here)).toEqual([[20, 'twenty']]);
    expect(pairs(there)).toEqual([[20, 'elsewhere']]);
  });

  it('after ALTER TABLE the old prepared id is UNPREPARED; re-preparing gives the same id and a new result_metadata_id', async () => {
    const c = await ready(5);
    const before = (await c.request({ opcode: Opcode.PREPARE, query: 'SELECT * FROM st.kv WHERE k = ?' }))
      .message as PreparedResult;
    await c.request({ opcode: Opcode.QUERY, query: 'ALTER TABLE st.kv ADD extra int', params: { consistency: 1 } });
    const stale = await c.request({
      opcode: Opcode.EXECUTE,
      id: before.id,
      resultMetadataId: before.resultMetadataId!,
      params: { consistency: 1, values: [int(10)] },
    });
    expect(stale.message).toMatchObject({ opcode: Opcode.ERROR, code: 0x2500 });
    const after = (await c.request({ opcode: Opcode.PREPARE, query: 'SELECT * FROM st.kv WHERE k = ?' }))
      .message as PreparedResult;
    expect(after.id.toString('hex')).toBe(before.id.toString('hex'));
    expect(after.resultMetadataId!.toString('hex')).not.toBe(before.resultMetadataId!.toString('hex'));
    expect(after.resultMetadata.columns?.map((x) => x.name)).toEqual(['k', 'extra', 'v']);
    // an EXECUTE still naming the old result_metadata_id gets METADATA_CHANGED with the new one
    const rows = (
      await c.request({
        opcode: Opcode.EXECUTE,
        id: after.id,
        resultMetadataId: before.resultMetadataId!,
        params: { consistency: 1, values: [int(10)] },
      })
    ).message as RowsResult;
    expect(rows.metadata.newMetadataId?.toString('hex')).toBe(after.resultMetadataId!.toString('hex'));
    expect(rows.rowCount).toBe(1);
  });
});
