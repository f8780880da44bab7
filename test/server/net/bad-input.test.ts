import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../../bench/raw-client.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { EmbeddedServer } from '../../../src/server/index.js';
import { startEmbeddedServer } from '../../../src/server/index.js';
import { seededRandom as prng, randomBytes } from '../../support/seeded-random.js';

const REQUEST_OPCODES = [
  Opcode.STARTUP,
  Opcode.OPTIONS,
  Opcode.QUERY,
  Opcode.PREPARE,
  Opcode.EXECUTE,
  Opcode.REGISTER,
  Opcode.BATCH,
  Opcode.AUTH_RESPONSE,
];

let server: EmbeddedServer;
const clients: RawClient[] = [];

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  server.execute("CREATE KEYSPACE bad WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE bad.t (k int PRIMARY KEY, v text)');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

async function healthy(): Promise<void> {
  const c = await RawClient.open({ port: server.port, host: '127.0.0.1', version: 5, record: true });
  clients.push(c);
  await c.startup();
  const { message } = await c.request({
    opcode: Opcode.QUERY,
    query: 'SELECT k FROM bad.t',
    params: { consistency: 1 },
  });
  expect(message.opcode).toBe(Opcode.RESULT);
}

describe('bad bytes from the network never crash the server', () => {
  it('random bytes from the first byte on, unframed after a v4 STARTUP, and framed after a v5 STARTUP', async () => {
    const next = prng(42);
    for (let i = 0; i < 60; i++) {
      const phase = i % 3;
      const c = await RawClient.open({
        port: server.port,
        host: '127.0.0.1',
        version: phase === 2 ? 5 : 4,
        record: true,
      });
      clients.push(c);
      if (phase > 0) await c.startup();
      c.writeRaw(randomBytes(next, 1 + Math.floor(next() * 600)));
      c.writeRaw(randomBytes(next, Math.floor(next() * 600)));
    }
    await new Promise((r) => setTimeout(r, 200));
    await healthy();
    expect(server.internalErrors).toEqual([]);
  });

  it('well-framed envelopes with random bodies for every request opcode get an answer on their stream (an ERROR 0x000A when the body is bad)', async () => {
    const next = prng(7);
    const c = await RawClient.open({ port: server.port, host: '127.0.0.1', version: 4, record: true });
    clients.push(c);
    await c.startup();
    const streams: number[] = [];
    for (let i = 0; i < 300; i++) {
      const opcode = REQUEST_OPCODES[i % REQUEST_OPCODES.length]!;
      const body = randomBytes(next, Math.floor(next() * 80));
      const stream = 100 + i;
      const header = Buffer.from([0x04, 0x00, stream >> 8, stream & 0xff, opcode, 0, 0, 0, 0]);
      header.writeUInt32BE(body.length, 5);
      c.writeRaw(Buffer.concat([header, body]));
      streams.push(stream);
    }
    await c.until(
      () => streams.every((s) => c.received.some((e) => e.stream === s)),
      'an answer on every stream',
      10_000,
    );
    const answers = streams.map((s) => c.received.find((e) => e.stream === s)!);
    // every answer is a response opcode; a bad body is a protocol error
    expect(
      answers.every(
        (e) =>
          e.isResponse &&
          [Opcode.ERROR, Opcode.RESULT, Opcode.READY, Opcode.SUPPORTED, Opcode.AUTH_SUCCESS].includes(e.opcode as 0),
      ),
    ).toBe(true);
    expect(answers.filter((e) => e.opcode === Opcode.ERROR).length).toBeGreaterThan(200);
    expect(c.closed).toBe(false);
    await healthy();
    expect(server.internalErrors).toEqual([]);
  });

  it('an envelope declaring a 4 GiB body is refused without allocating it, and the connection closed', async () => {
    const c = await RawClient.open({ port: server.port, host: '127.0.0.1', version: 4, record: true });
    clients.push(c);
    await c.startup();
    // 04 | 00 | 0001 | 07 QUERY | ffffffff length
    c.writeRaw(Buffer.from('040000010 7ffffffff'.replace(/ /g, ''), 'hex'));
    await c.until(() => c.closed, 'the close');
    expect(c.received.map((e) => [e.stream, e.opcode, e.body.readInt32BE(0)])).toEqual([[0, Opcode.ERROR, 0x000a]]);
    await healthy();
  });
});
