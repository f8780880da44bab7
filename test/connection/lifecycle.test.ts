import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  openConnection,
} from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { ProtocolError } from '../../src/protocol/errors/index.js';
import { runTsxScript } from '../support/run-tsx-script.js';
import { type FakePeer, type FakePeerOptions, startFakePeer } from './fake-peer.js';

let peer: FakePeer | undefined;
const open: Connection[] = [];
const here = dirname(fileURLToPath(import.meta.url));

async function connect(
  peerOptions: FakePeerOptions = {},
  options: Omit<ConnectionOptions, 'host' | 'port'> = {},
): Promise<Connection> {
  peer = await startFakePeer(peerOptions);
  const connection = await openConnection({ host: '127.0.0.1', port: peer.port, heartbeatIntervalMs: 0, ...options });
  open.push(connection);
  return connection;
}

function query(connection: Connection, text: string, timeoutMs = 60_000): Promise<unknown> {
  return connection.send({ opcode: Opcode.QUERY, query: text, params: { consistency: 1 } }, { timeoutMs });
}

function settle(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => 'resolved',
    (e: unknown) => e,
  );
}

function timeoutCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Never answers `hang`, answers the rest with their text. */
const hangingPeer: FakePeerOptions = {
  onQuery: (q, reply) => {
    if (q === 'hang') return;
    if (q === 'garbage') return;
    reply({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: [q] });
  },
};

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await peer?.close();
  peer = undefined;
});

describe('close', () => {
  it('fails every pending and queued request with a retryable ConnectionClosedError and clears its timers', async () => {
    const baseline = timeoutCount();
    const connection = await connect(hangingPeer, { heartbeatIntervalMs: 30_000 });
    const closes: (Error | undefined)[] = [];
    connection.on('close', (cause) => closes.push(cause));
    const pending = [query(connection, 'hang'), query(connection, 'hang'), query(connection, 'hang')].map(settle);
    await new Promise((r) => setTimeout(r, 20));
    expect(connection.inFlight).toBe(3);
    expect(timeoutCount()).toBeGreaterThan(baseline);
    await connection.close();
    const errors = await Promise.all(pending);
    for (const e of errors) {
      expect(e).toBeInstanceOf(ConnectionClosedError);
      expect((e as ConnectionClosedError).retryable).toBe(true);
      expect((e as Error).message).toBe(`Connection to 127.0.0.1:${peer!.port} closed: close() was called`);
    }
    expect(connection.isClosed).toBe(true);
    expect(closes).toEqual([undefined]);
    expect(timeoutCount()).toBe(baseline);
    await expect(query(connection, 'after')).rejects.toThrow(ConnectionClosedError);
    await connection.close(); // twice is harmless
    expect(closes.length).toBe(1);
  });

  it('the process exits on its own after close() with requests pending (no timer or socket left behind)', async () => {
    peer = await startFakePeer(hangingPeer);
    const { code, out, ms } = await runTsxScript(join(here, 'support/close-and-exit.ts'), [String(peer.port)]);
    expect(out.trim()).toBe('ConnectionClosedError');
    expect(code).toBe(0);
    // the request timeout (60 s) and the heartbeat (30 s) would have held it far longer
    expect(ms).toBeLessThan(15_000);
  });

  it('the peer closing the socket fails pending requests and tells the close listeners', async () => {
    const connection = await connect(hangingPeer);
    const closes: (Error | undefined)[] = [];
    connection.on('close', (cause) => closes.push(cause));
    const pending = settle(query(connection, 'hang'));
    await new Promise((r) => setTimeout(r, 20));
    peer!.connections[0]!.socket.destroy();
    const error = await pending;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(connection.isClosed).toBe(true);
    expect(closes.length).toBe(1);
    expect(closes[0]).toBeInstanceOf(ConnectionClosedError);
  });
});

describe('heartbeat', () => {
  it('sends OPTIONS after the write-idle interval and stays open while the peer answers', async () => {
    const connection = await connect(hangingPeer, { heartbeatIntervalMs: 30, heartbeatTimeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 200));
    const opcodes = peer!.connections[0]!.requestOpcodes.slice(2);
    expect(opcodes.length).toBeGreaterThanOrEqual(2);
    expect(opcodes.every((o) => o === Opcode.OPTIONS)).toBe(true);
    expect(connection.isClosed).toBe(false);
  });

  it('closes the connection as dead when a heartbeat goes unanswered, failing what was pending', async () => {
    const connection = await connect(
      { ...hangingPeer, answerOptions: false },
      { heartbeatIntervalMs: 30, heartbeatTimeoutMs: 60 },
    );
    const closed = new Promise<Error | undefined>((resolve) => connection.on('close', resolve));
    const pending = settle(query(connection, 'hang'));
    const cause = await closed;
    expect(cause).toBeInstanceOf(ConnectionClosedError);
    expect(cause!.message).toBe(
      `Connection to 127.0.0.1:${peer!.port} closed: heartbeat (OPTIONS) unanswered for 60 ms, the node is considered dead`,
    );
    expect(await pending).toBe(cause);
    expect(connection.isClosed).toBe(true);
  });
});

describe('bad bytes from the peer', () => {
  for (const version of [5, 4] as const) {
    it(`garbage closes the connection with a ProtocolError and fails pending requests with it (v${version})`, async () => {
      const connection = await connect(hangingPeer, { protocolVersion: version });
      const closed = new Promise<Error | undefined>((resolve) => connection.on('close', resolve));
      const pending = settle(query(connection, 'hang'));
      await new Promise((r) => setTimeout(r, 20));
      peer!.connections[0]!.writeRaw(Buffer.from('ffffffffffffffffffffffffffffffff', 'hex'));
      const cause = await closed;
      expect(cause).toBeInstanceOf(ProtocolError);
      expect(await pending).toBe(cause);
      expect(connection.isClosed).toBe(true);
      await expect(query(connection, 'after')).rejects.toThrow(ConnectionClosedError);
    });
  }

  it('an envelope declaring a 2 GiB body is refused before anything is allocated', async () => {
    const connection = await connect(hangingPeer, { protocolVersion: 4 });
    const closed = new Promise<Error | undefined>((resolve) => connection.on('close', resolve));
    // version 0x84 | flags 00 | stream 0000 | opcode 08 RESULT | length 7fffffff
    peer!.connections[0]!.writeRaw(Buffer.from('84000000087fffffff', 'hex'));
    const cause = await closed;
    expect(cause).toBeInstanceOf(ProtocolError);
    expect(cause!.message).toBe(
      'Envelope RESULT on stream 0 declares a 2147483647-byte body, above the limit of 268435456 bytes per envelope',
    );
  });

  it('an answer on a stream that has no request is a ProtocolError', async () => {
    const connection = await connect(hangingPeer, { protocolVersion: 4 });
    const closed = new Promise<Error | undefined>((resolve) => connection.on('close', resolve));
    // version 0x84 | flags 00 | stream 0x0123 | opcode 02 READY | length 0
    peer!.connections[0]!.writeRaw(Buffer.from('840001230200000000', 'hex'));
    const cause = await closed;
    expect(cause).toBeInstanceOf(ProtocolError);
    expect(cause!.message).toBe(`READY on stream 291 from 127.0.0.1:${peer!.port}, which has no request`);
  });
});
