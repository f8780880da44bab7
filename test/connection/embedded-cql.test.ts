import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  openConnection,
  RequestTimeoutError,
} from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import type { RowsResult } from '../../src/protocol/messages/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';

/**
 * The connection against the whole embedded server (network and data side), speaking real CQL:
 * a table of 1,000 rows, read back under heavy concurrency, with the server primed to delay,
 * stay silent or hang up.
 */
let server: EmbeddedServer;
const open: Connection[] = [];

function int(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
}

async function connect(options: Omit<ConnectionOptions, 'host' | 'port'> = {}): Promise<Connection> {
  const node = server.nodes[0]!;
  const connection = await openConnection({ host: node.address, port: node.port, heartbeatIntervalMs: 0, ...options });
  open.push(connection);
  return connection;
}

async function cql(connection: Connection, query: string, values?: Buffer[], timeoutMs?: number): Promise<void> {
  await connection.send(
    { opcode: Opcode.QUERY, query, params: { consistency: 1, ...(values ? { values } : {}) } },
    timeoutMs !== undefined ? { timeoutMs } : undefined,
  );
}

/** `SELECT v FROM ks.t WHERE k = ?` → the text of v (one row, one text column). */
async function readV(connection: Connection, k: number, timeoutMs?: number): Promise<string> {
  const { message } = await connection.send(
    { opcode: Opcode.QUERY, query: 'SELECT v FROM ks.t WHERE k = ?', params: { consistency: 1, values: [int(k)] } },
    timeoutMs !== undefined ? { timeoutMs } : undefined,
  );
  const rows = message as RowsResult;
  if (rows.opcode !== Opcode.RESULT || rows.kind !== 'rows' || rows.rowCount !== 1)
    throw new Error(`unexpected answer for k=${k}`);
  const length = rows.body.readInt32BE(rows.rowsOffset);
  return rows.body.toString('utf8', rows.rowsOffset + 4, rows.rowsOffset + 4 + length);
}

beforeEach(async () => {
  server = await startEmbeddedServer({ port: 0 });
  const setup = await connect();
  await cql(setup, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await cql(setup, 'CREATE TABLE ks.t (k int PRIMARY KEY, v text)');
  await Promise.all(
    Array.from({ length: 1000 }, (_, k) =>
      cql(setup, 'INSERT INTO ks.t (k, v) VALUES (?, ?)', [int(k), Buffer.from(`value-${k}`)]),
    ),
  );
});

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await server.stop();
});

describe('against the embedded server with real CQL', () => {
  for (const [version, compression, count] of [
    [5, 'lz4', 10_000],
    [4, 'lz4', 3_000],
    [5, 'none', 3_000],
  ] as const) {
    it(`${count} concurrent SELECTs on one connection come back unmixed (v${version}, ${compression})`, async () => {
      const connection = await connect({ protocolVersion: version, compression });
      const keys = Array.from({ length: count }, (_, i) => (i * 7919) % 1000);
      const values = await Promise.all(keys.map((k) => readV(connection, k)));
      expect(values).toEqual(keys.map((k) => `value-${k}`));
      expect(connection.inFlight).toBe(0);
    });
  }

  it('a request that times out does not corrupt the next request on the same connection', async () => {
    const connection = await connect();
    server.prime({ when: { query: 'SELECT v FROM ks.t', times: 1 }, then: { delayMs: 150 } });
    const slow = readV(connection, 7, 30);
    await expect(slow).rejects.toThrow(RequestTimeoutError);
    // while the late answer is on its way, other requests go on and get their own rows
    expect(await Promise.all([readV(connection, 8), readV(connection, 9)])).toEqual(['value-8', 'value-9']);
    await new Promise((r) => setTimeout(r, 200)); // the late answer for k=7 has come and gone
    expect(connection.inFlight).toBe(0);
    expect(await Promise.all([readV(connection, 10), readV(connection, 11)])).toEqual(['value-10', 'value-11']);
    expect(connection.isClosed).toBe(false);
  });

  it('the node hanging up fails the pending requests with ConnectionClosedError', async () => {
    const connection = await connect();
    server.prime({ when: { query: 'WHERE k = ?', times: 1 }, then: { closeConnection: true } });
    const error = await readV(connection, 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(connection.isClosed).toBe(true);
  });

  it('a heartbeat the node never answers closes the connection as dead', async () => {
    const connection = await connect({ heartbeatIntervalMs: 20, heartbeatTimeoutMs: 50 });
    server.prime({ when: { opcode: 'OPTIONS' }, then: { noResponse: true } });
    const cause = await new Promise<Error | undefined>((resolve) => connection.on('close', resolve));
    expect(cause).toBeInstanceOf(ConnectionClosedError);
    expect(cause!.message).toMatch(/heartbeat \(OPTIONS\) unanswered for 50 ms, the node is considered dead$/);
  });
});
