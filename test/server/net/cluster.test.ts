import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawClient } from '../../../bench/raw-client.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { PreparedResult, RowsResult } from '../../../src/protocol/messages/index.js';
import type { EmbeddedServer } from '../../../src/server/net/embedded-server.js';
import { startServerWithBackend } from '../../../src/server/net/embedded-server.js';
import { readyClient } from './support/ready-client.js';
import { StubBackend } from './support/stub-backend.js';

let server: EmbeddedServer;
const clients: RawClient[] = [];

const ready = (node: number, version: 4 | 5 = 5): Promise<RawClient> =>
  readyClient(clients, server.nodes[node]!.port, server.nodes[node]!.address, version);

/** The [bytes] cells of a Rows result. */
function rawCells(r: RowsResult): (Buffer | null)[][] {
  const rows: (Buffer | null)[][] = [];
  let p = r.rowsOffset;
  for (let i = 0; i < r.rowCount; i++) {
    const row: (Buffer | null)[] = [];
    for (let j = 0; j < r.metadata.columnCount; j++) {
      const len = r.body.readInt32BE(p);
      p += 4;
      row.push(len < 0 ? null : r.body.subarray(p, p + len));
      if (len > 0) p += len;
    }
    rows.push(row);
  }
  return rows;
}

/** The cells as strings: utf8 for text, dotted for inet, decimal for int, hex otherwise. */
function cells(r: RowsResult): (string | null)[][] {
  const cols = r.metadata.columns!;
  return rawCells(r).map((row) =>
    row.map((b, i) => {
      if (b === null) return null;
      const kind = cols[i]!.type.kind;
      return kind === 'text'
        ? b.toString('utf8')
        : kind === 'inet'
          ? [...b].join('.')
          : kind === 'int'
            ? String(b.readInt32BE(0))
            : b.toString('hex');
    }),
  );
}

beforeAll(async () => {
  server = await startServerWithBackend(
    { nodes: 3, dataCenter: ['dc1', 'dc1', 'dc2'], rack: 'r1' },
    new StubBackend(25),
  );
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

describe('a 3-node cluster', () => {
  it('listens on 127.0.0.1..3 on one port', () => {
    const port = server.nodes[0]!.port;
    expect(server.contactPoints).toEqual([`127.0.0.1:${port}`, `127.0.0.2:${port}`, `127.0.0.3:${port}`]);
    expect(server.nodes.map((n) => n.isUp)).toEqual([true, true, true]);
  });

  it('system.local describes the node that answers (Cassandra 5.0 columns, Murmur3, tokens)', async () => {
    const c = await ready(1);
    const r = (
      await c.request({
        opcode: Opcode.QUERY,
        query: "SELECT * FROM system.local WHERE key='local'",
        params: { consistency: 1 },
      })
    ).message as RowsResult;
    expect(r.metadata.columns!.map((x) => x.name)).toEqual([
      'key',
      'bootstrapped',
      'broadcast_address',
      'broadcast_port',
      'cluster_name',
      'cql_version',
      'data_center',
      'gossip_generation',
      'host_id',
      'listen_address',
      'listen_port',
      'native_protocol_version',
      'partitioner',
      'rack',
      'release_version',
      'rpc_address',
      'rpc_port',
      'schema_version',
      'tokens',
      'truncated_at',
    ]);
    expect(r.rowCount).toBe(1);
    const row = cells(r)[0]!;
    const byName = Object.fromEntries(r.metadata.columns!.map((x, i) => [x.name, row[i]]));
    expect(byName).toMatchObject({
      key: 'local',
      bootstrapped: 'COMPLETED',
      broadcast_address: '127.0.0.2',
      cluster_name: 'cqlwire',
      cql_version: '3.4.7',
      data_center: 'dc1',
      native_protocol_version: '5',
      partitioner: 'org.apache.cassandra.dht.Murmur3Partitioner',
      rack: 'r1',
      release_version: '5.0.2',
      rpc_address: '127.0.0.2',
      rpc_port: String(server.port),
      truncated_at: null,
    });
    // tokens: set<text> of 4 tokens, [int] count then 4 [bytes] decimal strings
    const tokens = rawCells(r)[0]![18]!;
    expect(tokens.readInt32BE(0)).toBe(4);
    let p = 4;
    const values: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      const len = tokens.readInt32BE(p);
      values.push(BigInt(tokens.toString('utf8', p + 4, p + 4 + len)));
      p += 4 + len;
    }
    // node 1 of 3 owns tokens 1, 4, 7 and 10 of 12 evenly spaced over [-2^63, 2^63)
    expect(values.sort((a, b) => (a < b ? -1 : 1))).toEqual(
      [1n, 4n, 7n, 10n].map((k) => -(1n << 63n) + ((1n << 64n) * k) / 12n),
    );
  });

  it('system.peers and system.peers_v2 list the other nodes with their DC, native address and port', async () => {
    const c = await ready(0);
    const peers = (
      await c.request({
        opcode: Opcode.QUERY,
        query: 'SELECT peer, data_center, rack, rpc_address FROM system.peers',
        params: { consistency: 1 },
      })
    ).message as RowsResult;
    expect(cells(peers)).toEqual([
      ['127.0.0.2', 'dc1', 'r1', '127.0.0.2'],
      ['127.0.0.3', 'dc2', 'r1', '127.0.0.3'],
    ]);
    const v2 = (
      await c.request({
        opcode: Opcode.QUERY,
        query: 'SELECT native_address, native_port, peer_port FROM system.peers_v2',
        params: { consistency: 1 },
      })
    ).message as RowsResult;
    expect(cells(v2)).toEqual([
      ['127.0.0.2', String(server.port), '7000'],
      ['127.0.0.3', String(server.port), '7000'],
    ]);
  });

  it('an unknown system column is InvalidRequest', async () => {
    const c = await ready(0);
    const { message } = await c.request({
      opcode: Opcode.QUERY,
      query: 'SELECT nope FROM system.local',
      params: { consistency: 1 },
    });
    expect(message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x2200,
      message: 'Undefined column name nope in selection clause',
    });
  });

  it('a node stop sends STATUS_CHANGE DOWN from the other nodes; start sends UP; prepared ids are forgotten', async () => {
    const watcher = await ready(0);
    await watcher.request({ opcode: Opcode.REGISTER, events: ['STATUS_CHANGE'] });
    const onNode2 = await ready(2, 4);
    const prepared = (await onNode2.request({ opcode: Opcode.PREPARE, query: 'SELECT n FROM ks.nums' }))
      .message as PreparedResult;
    await server.nodes[2]!.stop();
    expect(server.nodes[2]!.isUp).toBe(false);
    await watcher.until(() => watcher.received.some((e) => e.stream === -1), 'STATUS_CHANGE DOWN');
    const down = await watcher.response(-1);
    expect(down.message).toEqual({
      opcode: Opcode.EVENT,
      type: 'STATUS_CHANGE',
      change: 'DOWN',
      node: { address: '127.0.0.3', port: server.port },
    });
    await onNode2.until(() => onNode2.closed, 'the dropped connection');
    await server.nodes[2]!.start();
    const up = await watcher.response(-1);
    expect(up.message).toEqual({
      opcode: Opcode.EVENT,
      type: 'STATUS_CHANGE',
      change: 'UP',
      node: { address: '127.0.0.3', port: server.port },
    });
    const again = await ready(2, 4);
    const { message } = await again.request({ opcode: Opcode.EXECUTE, id: prepared.id, params: { consistency: 1 } });
    expect(message).toMatchObject({
      opcode: Opcode.ERROR,
      code: 0x2500,
      details: { code: 0x2500, preparedId: prepared.id },
    });
  });

  it('a schema change is pushed on stream -1 to registered connections of every node, before the RESULT', async () => {
    const a = await ready(0);
    const b = await ready(1, 4);
    await a.request({ opcode: Opcode.REGISTER, events: ['SCHEMA_CHANGE'] });
    await b.request({ opcode: Opcode.REGISTER, events: ['SCHEMA_CHANGE'] });
    const stream = a.send({
      opcode: Opcode.QUERY,
      query: 'CREATE TABLE ks.evt (k int PRIMARY KEY)',
      params: { consistency: 1 },
    });
    await a.until(() => a.received.some((e) => e.stream === stream), 'the RESULT');
    expect(a.received.map((e) => e.stream)).toEqual([-1, stream]);
    const change = { change: 'CREATED', target: 'TABLE', keyspace: 'ks', name: 'evt' };
    expect((await a.response(-1)).message).toEqual({ opcode: Opcode.EVENT, type: 'SCHEMA_CHANGE', change });
    expect((await b.response(-1)).message).toEqual({ opcode: Opcode.EVENT, type: 'SCHEMA_CHANGE', change });
  });
});

describe('prepared statements (native_protocol_v5.spec §4.1.5, §4.1.6, §4.2.5.4)', () => {
  it("the prepared id is MD5(keyspace + text); an unknown id is UNPREPARED with Cassandra's message", async () => {
    const c = await ready(0);
    await c.request({ opcode: Opcode.QUERY, query: 'USE fx_v5_plain', params: { consistency: 1 } });
    const p = (await c.request({ opcode: Opcode.PREPARE, query: 'SELECT * FROM kv WHERE k = ?' }))
      .message as PreparedResult;
    expect(p.id.toString('hex')).toBe('446cb633d6f665017bddc6b0e5954ea1'); // the recordings' id
    const bogus = Buffer.from('deadbeefdeadbeefdeadbeefdeadbeef', 'hex');
    const { message } = await c.request({
      opcode: Opcode.EXECUTE,
      id: bogus,
      resultMetadataId: Buffer.alloc(16),
      params: { consistency: 1 },
    });
    expect(message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x2500,
      message:
        'Prepared query with ID deadbeefdeadbeefdeadbeefdeadbeef not found (either the query was not prepared on this host (maybe the host has been restarted?) or you have prepared too many queries and it has been evicted from the internal cache)',
      details: { code: 0x2500, preparedId: bogus },
    });
  });

  it('v5: matching id → full metadata; SKIP_METADATA → NO_METADATA; stale id → METADATA_CHANGED with the new id', async () => {
    const c = await ready(0);
    const p = (await c.request({ opcode: Opcode.PREPARE, query: 'SELECT n FROM ks.nums' })).message as PreparedResult;
    // MD5 of 'n' 00 'org.apache.cassandra.db.marshal.Int32Type' 00 00
    expect(p.resultMetadataId!.length).toBe(16);
    const full = (
      await c.request({
        opcode: Opcode.EXECUTE,
        id: p.id,
        resultMetadataId: p.resultMetadataId!,
        params: { consistency: 1, pageSize: 5 },
      })
    ).message as RowsResult;
    expect(full.metadata.columns?.map((x) => x.name)).toEqual(['n']);
    expect(full.metadata.newMetadataId).toBeUndefined();
    const skip = (
      await c.request({
        opcode: Opcode.EXECUTE,
        id: p.id,
        resultMetadataId: p.resultMetadataId!,
        params: { consistency: 1, pageSize: 5, skipMetadata: true },
      })
    ).message as RowsResult;
    expect(skip.metadata.columns).toBeUndefined();
    expect(skip.metadata.columnCount).toBe(1);
    const stale = (
      await c.request({
        opcode: Opcode.EXECUTE,
        id: p.id,
        resultMetadataId: Buffer.alloc(16),
        params: { consistency: 1, pageSize: 5, skipMetadata: true },
      })
    ).message as RowsResult;
    expect(stale.metadata.newMetadataId?.toString('hex')).toBe(p.resultMetadataId!.toString('hex'));
    expect(stale.metadata.columns?.map((x) => x.name)).toEqual(['n']);
  });
});
