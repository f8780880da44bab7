import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  type Connection,
  ConnectionError,
  type ConnectionOptions,
  DRIVER_VERSION,
  openConnection,
} from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { type FakePeer, type FakePeerOptions, startFakePeer } from './fake-peer.js';

let peer: FakePeer | undefined;
const open: Connection[] = [];

async function connect(
  peerOptions: FakePeerOptions,
  options: Omit<ConnectionOptions, 'host' | 'port'> = {},
): Promise<Connection> {
  peer = await startFakePeer(peerOptions);
  const connection = await openConnection({ host: '127.0.0.1', port: peer.port, heartbeatIntervalMs: 0, ...options });
  open.push(connection);
  return connection;
}

async function echo(connection: Connection, text: string): Promise<string[] | undefined> {
  const response = await connection.send({ opcode: Opcode.QUERY, query: text, params: { consistency: 1 } });
  return response.warnings;
}

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await peer?.close();
  peer = undefined;
});

describe('handshake', () => {
  for (const version of [5, 4] as const) {
    for (const compression of ['none', 'lz4'] as const) {
      it(`speaks v${version} with compression ${compression} and carries requests both ways`, async () => {
        const connection = await connect({}, { protocolVersion: version, compression });
        expect(connection.protocolVersion).toBe(version);
        expect(connection.compression).toBe(compression);
        // a long text makes the lz4 path compress for real
        const long = `SELECT ${'x, '.repeat(500)}y FROM t`;
        expect(await echo(connection, long)).toEqual([long]);
        expect(await echo(connection, 'second')).toEqual(['second']);
        const seen = peer!.connections[0]!;
        expect(seen.startupOptions?.get('COMPRESSION')).toBe(compression === 'lz4' ? 'lz4' : undefined);
        expect(seen.requestOpcodes).toEqual([Opcode.OPTIONS, Opcode.STARTUP, Opcode.QUERY, Opcode.QUERY]);
        expect(seen.requestVersions).toEqual([version, version, version, version]);
        // v4 + lz4: bodies after STARTUP carry the COMPRESSED flag (native_protocol_v4.spec §5); v5 never sets it
        const compressedFlags = seen.requestFlags.map((f) => f & 0x01);
        expect(compressedFlags).toEqual(version === 4 && compression === 'lz4' ? [0, 0, 1, 1] : [0, 0, 0, 0]);
      });
    }
  }

  it('sends CQL_VERSION 3.0.0, DRIVER_NAME and DRIVER_VERSION in STARTUP', async () => {
    await connect({});
    expect(Object.fromEntries(peer!.connections[0]!.startupOptions!)).toEqual({
      CQL_VERSION: '3.0.0',
      DRIVER_NAME: 'cqlwire',
      DRIVER_VERSION,
    });
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(DRIVER_VERSION).toBe(pkg.version);
  });

  it('asks for lz4 only when the node offers it', async () => {
    const connection = await connect({ compression: [] }, { compression: 'lz4' });
    expect(connection.compression).toBe('none');
    expect(peer!.connections[0]!.startupOptions?.has('COMPRESSION')).toBe(false);
    expect(await echo(connection, 'q')).toEqual(['q']);
  });

  it('negotiates down from 5 to 4 on a new socket when the node refuses v5', async () => {
    const connection = await connect({ versions: [3, 4] });
    expect(connection.protocolVersion).toBe(4);
    expect(peer!.connections.map((c) => c.requestVersions)).toEqual([[5], [4, 4]]);
    expect(peer!.connections[0]!.socket.destroyed).toBe(true);
    expect(await echo(connection, 'after downgrade')).toEqual(['after downgrade']);
  });

  it('negotiates down 5 → 4 → 3 when only v3 is spoken', async () => {
    const connection = await connect({ versions: [3] });
    expect(connection.protocolVersion).toBe(3);
    expect(peer!.connections.map((c) => c.requestVersions)).toEqual([[5], [4], [3, 3]]);
    expect(await echo(connection, 'v3')).toEqual(['v3']);
  });

  it('treats a beta refusal of v5 as "v5 unsupported" and never sets USE_BETA', async () => {
    const connection = await connect({ versions: [3, 4], betaVersions: [5] }, { compression: 'lz4' });
    expect(connection.protocolVersion).toBe(4);
    expect(connection.compression).toBe('lz4');
    const flags = peer!.connections.flatMap((c) => c.requestFlags);
    expect(flags.every((f) => (f & 0x10) === 0)).toBe(true);
  });

  it('does not downgrade a pinned protocolVersion', async () => {
    peer = await startFakePeer({ versions: [4] });
    const attempt = openConnection({ host: '127.0.0.1', port: peer.port, protocolVersion: 5 });
    await expect(attempt).rejects.toThrow(ConnectionError);
    await expect(attempt).rejects.toThrow(
      /no protocol version in \[5\] was accepted \(v5: Invalid or unsupported protocol version \(5\)/,
    );
    expect(peer.connections.length).toBe(1);
  });

  it('logs in with the right credentials (SASL PLAIN, framed on v5)', async () => {
    const connection = await connect(
      { credentials: { username: 'alice', password: 's3cret' } },
      { credentials: { username: 'alice', password: 's3cret' } },
    );
    expect(connection.authenticator).toBe('org.apache.cassandra.auth.PasswordAuthenticator');
    expect(peer!.connections[0]!.requestOpcodes).toEqual([Opcode.OPTIONS, Opcode.STARTUP, Opcode.AUTH_RESPONSE]);
    expect(await echo(connection, 'logged in')).toEqual(['logged in']);
  });

  it('logs in on v4 with lz4 as well', async () => {
    const connection = await connect(
      { credentials: { username: 'alice', password: 's3cret' } },
      { protocolVersion: 4, compression: 'lz4', credentials: { username: 'alice', password: 's3cret' } },
    );
    expect(await echo(connection, 'v4 auth')).toEqual(['v4 auth']);
  });

  it('refused credentials give AuthenticationError with the server message and never the password', async () => {
    peer = await startFakePeer({ credentials: { username: 'alice', password: 's3cret' } });
    const error = await openConnection({
      host: '127.0.0.1',
      port: peer.port,
      credentials: { username: 'alice', password: 'hunter2-wrong' },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    const auth = error as AuthenticationError;
    expect(auth.message).toBe(
      `Authentication with 127.0.0.1:${peer.port} failed: Provided username alice and/or password are incorrect`,
    );
    expect(auth.serverMessage).toBe('Provided username alice and/or password are incorrect');
    expect(auth.authenticator).toBe('org.apache.cassandra.auth.PasswordAuthenticator');
    expect(inspect(auth, { depth: 10, showHidden: true })).not.toContain('hunter2-wrong');
    expect(JSON.stringify(auth)).not.toContain('hunter2-wrong');
    expect(String(auth.stack)).not.toContain('hunter2-wrong');
  });

  it('a node that wants authentication but got no credentials names its authenticator', async () => {
    peer = await startFakePeer({ credentials: { username: 'alice', password: 's3cret' } });
    const attempt = openConnection({ host: '127.0.0.1', port: peer.port });
    await expect(attempt).rejects.toThrow(AuthenticationError);
    await expect(attempt).rejects.toThrow(
      'the node requires authentication with org.apache.cassandra.auth.PasswordAuthenticator, but no credentials or authProvider were given',
    );
  });

  it('USEs the keyspace given in the options', async () => {
    const connection = await connect({}, { keyspace: 'My"Ks' });
    expect(connection.keyspace).toBe('My"Ks');
  });

  it('a node that accepts TCP but never answers fails the handshake after connectTimeoutMs', async () => {
    // reads and drops everything (so it sees the client's FIN), answers nothing
    const silent = createServer((socket) => socket.on('error', () => {}).resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const attempt = openConnection({ host: '127.0.0.1', port, connectTimeoutMs: 50 });
      await expect(attempt).rejects.toThrow(ConnectionError);
      await expect(attempt).rejects.toThrow(
        `127.0.0.1:${port}: handshake at protocol v5 failed: OPTIONS request to 127.0.0.1:${port} got no answer within 50 ms`,
      );
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a refused connect is a ConnectionError', async () => {
    peer = await startFakePeer();
    const port = peer.port;
    await peer.close();
    peer = undefined;
    const attempt = openConnection({ host: '127.0.0.1', port, connectTimeoutMs: 2000 });
    await expect(attempt).rejects.toThrow(ConnectionError);
    // the address is said once, at the start (Node's own message ends with it too)
    await expect(attempt).rejects.toThrow(
      new RegExp(`^127\\.0\\.0\\.1:${port}: cannot connect: connect ECONNREFUSED$`),
    );
  });
});
