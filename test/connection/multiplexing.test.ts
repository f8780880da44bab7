import { getEventListeners } from 'node:events';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  openConnection,
  RequestCancelledError,
  RequestTimeoutError,
} from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { CqlSyntaxError, ErrorCode } from '../../src/protocol/errors/index.js';
import { until } from '../support/until.js';
import { type FakePeer, type FakePeerOptions, type Reply, startFakePeer } from './fake-peer.js';

let peer: FakePeer | undefined;
const open: Connection[] = [];

async function connect(
  peerOptions: FakePeerOptions = {},
  options: Omit<ConnectionOptions, 'host' | 'port'> = {},
): Promise<Connection> {
  peer = await startFakePeer(peerOptions);
  const connection = await openConnection({ host: '127.0.0.1', port: peer.port, heartbeatIntervalMs: 0, ...options });
  open.push(connection);
  return connection;
}

function query(
  connection: Connection,
  text: string,
  timeoutMs?: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  return connection
    .send(
      { opcode: Opcode.QUERY, query: text, params: { consistency: 1 } },
      { ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(signal ? { signal } : {}) },
    )
    .then((r) => r.warnings?.[0]);
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of open.splice(0)) await c.close();
  await peer?.close();
  peer = undefined;
});

describe('multiplexing', () => {
  for (const version of [5, 4] as const) {
    it(`pairs 1,000 concurrent requests with their answers when the peer answers in reverse order (v${version})`, async () => {
      const held: [string, Reply][] = [];
      const connection = await connect(
        {
          onQuery: (q, reply) => {
            held.push([q, reply]);
            if (held.length === 1000)
              for (const [text, r] of held.reverse()) r({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: [text] });
          },
        },
        { protocolVersion: version, compression: 'lz4' },
      );
      const texts = Array.from({ length: 1000 }, (_, i) => `q${i}`);
      const answers = await Promise.all(texts.map((t) => query(connection, t)));
      expect(answers).toEqual(texts);
      expect(new Set(peer!.connections[0]!.requestStreams.slice(2)).size).toBe(1000);
      expect(connection.inFlight).toBe(0);
    });
  }

  it('queues beyond 32,768 in flight: never more than 32,768 ids out, and every request completes', async () => {
    const held: (() => void)[] = [];
    let releasing = false;
    let arrived = 0;
    const connection = await connect({
      onQuery: (q, reply) => {
        arrived++;
        const answer = (): void => reply({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: [q] });
        if (releasing) {
          answer();
          return;
        }
        held.push(answer);
      },
    });
    const total = 40_000;
    const texts = Array.from({ length: total }, (_, i) => `n${i}`);
    const all = Promise.all(texts.map((t) => query(connection, t)));
    expect(connection.inFlight).toBe(total);
    await until(() => arrived === 32_768);
    await new Promise((r) => setTimeout(r, 50));
    expect(arrived).toBe(32_768); // nothing more was sent while every id was taken
    releasing = true;
    for (const answer of held.splice(0)) answer();
    expect(await all).toEqual(texts);
    const streams = peer!.connections[0]!.requestStreams.slice(2);
    expect(streams.length).toBe(total);
    expect(new Set(streams.slice(0, 32_768)).size).toBe(32_768);
    expect(Math.max(...streams)).toBe(32_767);
    expect(Math.min(...streams)).toBe(0);
    expect(connection.inFlight).toBe(0);
  });

  for (const version of [5, 4] as const) {
    it(`coalesces 100 requests queued in one tick into exactly one socket write (v${version})`, async () => {
      const connection = await connect({}, { protocolVersion: version });
      const write = vi.spyOn(Socket.prototype, 'write');
      const pending = Array.from({ length: 100 }, (_, i) => query(connection, `c${i}`));
      const answers = await Promise.all(pending);
      const clientWrites = write.mock.contexts.filter((s) => (s as Socket).remotePort === peer!.port);
      expect(clientWrites.length).toBe(1);
      expect(answers).toEqual(Array.from({ length: 100 }, (_, i) => `c${i}`));
    });
  }

  it('while the socket needs to drain, new requests gather into the batch and go out in one write on drain', async () => {
    const connection = await connect({}, { protocolVersion: 4 });
    const peerSocket = peer!.connections[0]!.socket;
    peerSocket.pause(); // the peer stops reading: the client's socket buffer fills
    const write = vi.spyOn(Socket.prototype, 'write');
    const big = 'x'.repeat(60 * 1024); // echoed back as a warning, a [string] of at most 65,535 bytes
    const first = Array.from({ length: 200 }, (_, i) => query(connection, `${i} ${big}`));
    await new Promise((r) => setTimeout(r, 50));
    const clientWrites = (): number =>
      write.mock.contexts.filter((s) => (s as Socket).remotePort === peer!.port).length;
    expect(clientWrites()).toBe(1);
    const later = Array.from({ length: 100 }, (_, i) => query(connection, `later ${i}`));
    await new Promise((r) => setTimeout(r, 50));
    expect(clientWrites()).toBe(1); // held back: the socket still needs to drain
    peerSocket.resume();
    const answers = await Promise.all([...first, ...later]);
    expect(answers.slice(200)).toEqual(Array.from({ length: 100 }, (_, i) => `later ${i}`));
    expect(answers.slice(0, 200).map((a) => a!.length)).toEqual(
      Array.from({ length: 200 }, (_, i) => `${i} ${big}`.length),
    );
    expect(clientWrites()).toBe(2);
  });

  it('a timed-out request keeps its stream id until its late answer, which never reaches a newer request', async () => {
    const held = new Map<string, Reply>();
    const connection = await connect({
      onQuery: (q, reply) => {
        if (q.startsWith('slow')) held.set(q, reply);
        else reply({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: [q] });
      },
    });
    const streams = (): number[] => peer!.connections[0]!.requestStreams.slice(2);
    const late = query(connection, 'slow-A', 30);
    await expect(late).rejects.toThrow(RequestTimeoutError);
    await expect(late).rejects.toThrow(`QUERY request to 127.0.0.1:${peer!.port} got no answer within 30 ms`);
    expect(connection.inFlight).toBe(1); // A's id is still reserved

    const b = query(connection, 'slow-B', 5000);
    await until(() => held.has('slow-B'));
    const [streamA, streamB] = streams();
    expect(streamB).not.toBe(streamA);
    // A's late answer comes first, carrying A's text: it must be dropped, not given to B
    held.get('slow-A')!({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: ['answer to A'] });
    await until(() => connection.inFlight === 1);
    // once the late answer came, A's id is free again: the next request reuses it
    expect(await query(connection, 'C')).toBe('C');
    expect(streams()[2]).toBe(streamA);
    held.get('slow-B')!({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: ['answer to B'] });
    expect(await b).toBe('answer to B');
  });

  it('a cancelled request rejects at once and keeps its id until the answer comes', async () => {
    const held: Reply[] = [];
    const connection = await connect({ onQuery: (_q, reply) => void held.push(reply) });
    const controller = new AbortController();
    const cancelled = query(connection, 'to cancel', 5000, controller.signal);
    await until(() => held.length === 1);
    controller.abort();
    await expect(cancelled).rejects.toThrow(RequestCancelledError);
    expect(connection.inFlight).toBe(1);
    const next = query(connection, 'next', 5000);
    await until(() => held.length === 2);
    held[0]!({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: ['stale answer'] });
    held[1]!({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: ['next'] });
    expect(await next).toBe('next');
    expect(connection.inFlight).toBe(0);
  });

  it("requests sharing a signal share one 'abort' listener, gone once they settle; aborting cancels exactly them, queued ones too", async () => {
    const held = new Map<string, Reply>();
    let arrived = 0;
    const connection = await connect({
      onQuery: (q, reply) => {
        arrived++;
        held.set(q, reply);
      },
    });
    const answer = (q: string): void => held.get(q)!({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: [q] });
    const shared = new AbortController();
    const other = new AbortController();
    const sharedSent = [query(connection, 's1', 0, shared.signal), query(connection, 's2', 0, shared.signal)];
    const s3 = query(connection, 's3', 0, shared.signal);
    const otherSent = query(connection, 'o1', 0, other.signal);
    // every other id taken, so that the next two wait in the queue
    const fillers = Array.from({ length: 32_768 - 4 }, (_, i) => query(connection, `f${i}`, 0));
    const queued = [
      query(connection, 'q1', 0, shared.signal),
      query(connection, 'q2', 0, shared.signal),
      query(connection, 'q3', 0),
    ];
    await until(() => arrived === 32_768);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(1);
    // s3's id goes to q1, the head of the queue
    answer('s3');
    expect(await s3).toBe('s3');
    await until(() => held.has('q1'));
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);

    shared.abort(new Error('the caller gave up'));
    for (const cancelled of [...sharedSent, queued[0]!, queued[1]!]) {
      const error = await cancelled.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RequestCancelledError);
      expect((error as RequestCancelledError).cause).toEqual(new Error('the caller gave up'));
    }
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    // the cancelled ones sent keep their ids until their late answers (all 32,768 are out), the
    // queued one is dropped, q3 still waits
    expect(connection.inFlight).toBe(32_768 + 1);
    answer('s1');
    answer('s2');
    answer('o1');
    expect(await otherSent).toBe('o1');
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    for (let i = 0; i < 32_768 - 4; i++) answer(`f${i}`);
    await until(() => held.has('q3'));
    answer('q1');
    answer('q3');
    expect(await queued[2]).toBe('q3');
    expect(await Promise.all(fillers)).toHaveLength(32_768 - 4);
    expect(held.has('q2')).toBe(false);
    expect(connection.inFlight).toBe(0);
  });

  it('timeoutMs 0 arms no timer; a bad timeoutMs is an ArgumentError before anything is sent', async () => {
    const connection = await connect({ onQuery: () => {} });
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const pending = query(connection, 'no timeout', 0).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    expect(timers()).toBe(before);
    await expect(query(connection, 'bad', -5)).rejects.toThrow(
      'timeoutMs must be a number of milliseconds from 0 to 2147483647, got -5',
    );
    await until(() => peer!.connections[0]!.queries.length === 1);
    expect(peer!.connections[0]!.queries).toEqual(['no timeout']);
    await connection.close();
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
  });

  it('rejects with the typed ServerError of an ERROR answer, naming the coordinator', async () => {
    const connection = await connect({
      onQuery: (q, reply) =>
        reply({
          opcode: Opcode.ERROR,
          code: ErrorCode.SYNTAX_ERROR,
          message: `line 1:0 no viable alternative at input '${q}'`,
        }),
    });
    const error = await query(connection, 'SELEKT').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CqlSyntaxError);
    expect((error as CqlSyntaxError).code).toBe(0x2000);
    expect((error as CqlSyntaxError).serverMessage).toBe("line 1:0 no viable alternative at input 'SELEKT'");
    expect((error as CqlSyntaxError).coordinator).toBe(`127.0.0.1:${peer!.port}`);
    expect(await query(connection, 'still usable').catch(() => 'rejected')).toBe('rejected');
    expect(connection.isClosed).toBe(false);
  });

  it('delivers server EVENTs (stream -1) to the event listeners', async () => {
    const connection = await connect();
    const events: unknown[] = [];
    connection.on('event', (e) => events.push(e));
    peer!.connections[0]!.pushEvent({
      opcode: Opcode.EVENT,
      type: 'STATUS_CHANGE',
      change: 'DOWN',
      node: { address: '127.0.0.2', port: 9042 },
    });
    await until(() => events.length === 1);
    expect(events).toEqual([
      { opcode: Opcode.EVENT, type: 'STATUS_CHANGE', change: 'DOWN', node: { address: '127.0.0.2', port: 9042 } },
    ]);
  });

  it('remembers the keyspace of a USE sent through send()', async () => {
    const connection = await connect();
    expect(connection.keyspace).toBe(undefined);
    await connection.send({ opcode: Opcode.QUERY, query: 'USE "ks1"', params: { consistency: 1 } });
    expect(connection.keyspace).toBe('ks1');
  });
});
