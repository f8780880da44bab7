import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  type Connection,
  type ConnectionOptions,
  HostPool,
  openConnection,
} from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { simpleType } from '../../src/protocol/types/simple-types.js';
import type { ExecutionResult } from '../../src/server/execution/index.js';
import { rowsPage, VOID_RESULT } from '../../src/server/execution/index.js';
import type { Backend, PreparedShape } from '../../src/server/net/backend.js';
import { type EmbeddedServer, startServerWithBackend } from '../../src/server/net/embedded-server.js';
import type { EmbeddedServerOptions } from '../../src/server/net/server-options.js';

/**
 * The connection against the embedded server's network side (the real handshake, negotiation,
 * framing and SASL code of src/server), over a data side that answers every statement with one
 * row holding its own text, so that pairing can be checked answer by answer.
 */
const echoBackend: Backend<PreparedShape> = {
  execute(query: string): ExecutionResult {
    const use = /^USE "(.*)"$/.exec(query);
    if (use !== null) return { opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: use[1]! };
    const text = Buffer.from(query, 'utf8');
    const cell = Buffer.alloc(4 + text.length);
    cell.writeInt32BE(text.length, 0); // [bytes] length, then the text
    text.copy(cell, 4);
    return rowsPage([{ keyspace: 'ks', table: 'echo', name: 'text', type: simpleType('text') }], 1, cell);
  },
  prepare(): never {
    throw new Error('not used');
  },
  batch(): ExecutionResult {
    return VOID_RESULT;
  },
  onSchemaChange: () => () => {},
  schemaVersion: () => Buffer.alloc(16),
};

let server: EmbeddedServer | undefined;
const open: Connection[] = [];
const pools: HostPool[] = [];

async function start(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  server = await startServerWithBackend({ port: 0, ...options }, echoBackend);
  return server;
}

async function connect(options: Omit<ConnectionOptions, 'host' | 'port'> = {}): Promise<Connection> {
  const node = server!.nodes[0]!;
  const connection = await openConnection({ host: node.address, port: node.port, heartbeatIntervalMs: 0, ...options });
  open.push(connection);
  return connection;
}

async function echo(connection: Connection | HostPool, text: string): Promise<string> {
  const { message } = await connection.send({ opcode: Opcode.QUERY, query: text, params: { consistency: 1 } });
  if (message.opcode !== Opcode.RESULT || message.kind !== 'rows')
    throw new Error(`expected Rows, got ${JSON.stringify(message)}`);
  const rows = message;
  const length = rows.body.readInt32BE(rows.rowsOffset);
  return rows.body.toString('utf8', rows.rowsOffset + 4, rows.rowsOffset + 4 + length);
}

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const p of pools.splice(0)) await p.shutdown();
  await server?.stop();
  server = undefined;
});

describe('against the embedded server', () => {
  for (const version of [5, 4] as const) {
    for (const compression of ['none', 'lz4'] as const) {
      it(`v${version} with compression ${compression}: 1,000 concurrent requests get their own answers`, async () => {
        await start();
        const connection = await connect({ protocolVersion: version, compression });
        expect([connection.protocolVersion, connection.compression]).toEqual([version, compression]);
        const texts = Array.from({ length: 1000 }, (_, i) => `SELECT ${i} /* ${'pad '.repeat(i % 50)}*/`);
        expect(await Promise.all(texts.map((t) => echo(connection, t)))).toEqual(texts);
        const log = server!.activityLog
          .filter((e) => e.opcode === 'STARTUP' || e.opcode === 'OPTIONS')
          .map((e) => e.opcode);
        expect(log).toEqual(['OPTIONS', 'STARTUP']);
      });
    }
  }

  it('negotiates v5 by default, and down to v4 and v3 with servers that lack the higher ones', async () => {
    await start();
    expect((await connect()).protocolVersion).toBe(5);
    await server!.stop();
    await start({ protocolVersions: [3, 4] });
    const v4 = await connect({ compression: 'lz4' });
    expect([v4.protocolVersion, v4.compression]).toEqual([4, 'lz4']);
    expect(await echo(v4, 'on v4')).toBe('on v4');
    await server!.stop();
    await start({ protocolVersions: [3] });
    const v3 = await connect();
    expect(v3.protocolVersion).toBe(3);
    expect(await echo(v3, 'on v3')).toBe('on v3');
  });

  it('logs in with PasswordAuthenticator, and a wrong password is an AuthenticationError without the password', async () => {
    await start({ credentials: { username: 'cassandra', password: 'letmein' } });
    const ok = await connect({ credentials: { username: 'cassandra', password: 'letmein' } });
    expect(await echo(ok, 'authenticated')).toBe('authenticated');
    const error = await connect({ credentials: { username: 'cassandra', password: 'not-the-password' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).serverMessage).toBe(
      'Provided username cassandra and/or password are incorrect',
    );
    expect(String((error as Error).stack)).not.toContain('not-the-password');
  });

  it('a HostPool spreads a burst over its connections and USEs its keyspace on each', async () => {
    await start();
    const node = server!.nodes[0]!;
    const pool = new HostPool({
      host: node.address,
      port: node.port,
      connectionsPerHost: 2,
      keyspace: 'ks1',
      heartbeatIntervalMs: 0,
    });
    pools.push(pool);
    await pool.warmup();
    const texts = Array.from({ length: 100 }, (_, i) => `q${i}`);
    expect(await Promise.all(texts.map((t) => echo(pool, t)))).toEqual(texts);
    const perConnection = new Map<number, number>();
    for (const e of server!.activityLog) {
      if (e.opcode === 'QUERY' && e.query?.startsWith('q'))
        perConnection.set(e.connectionId, (perConnection.get(e.connectionId) ?? 0) + 1);
    }
    expect([...perConnection.values()]).toEqual([50, 50]);
    const uses = server!.activityLog.filter((e) => e.query === 'USE "ks1"').map((e) => e.connectionId);
    expect(uses.length).toBe(2);
    expect(new Set(uses).size).toBe(2);
  });
});
