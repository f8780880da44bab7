import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RawClient } from '../../../bench/raw-client.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { RowsResult } from '../../../src/protocol/messages/index.js';
import type { EmbeddedServer } from '../../../src/server/net/embedded-server.js';
import { startServerWithBackend } from '../../../src/server/net/embedded-server.js';
import { readyClient } from './support/ready-client.js';
import { StubBackend } from './support/stub-backend.js';

let server: EmbeddedServer;
const clients: RawClient[] = [];

const ready = (version: 4 | 5 = 5): Promise<RawClient> => readyClient(clients, server.port, '127.0.0.1', version);

const SELECT = {
  opcode: Opcode.QUERY,
  query: 'SELECT n FROM ks.nums',
  params: { consistency: 1, pageSize: 10 },
} as const;

beforeAll(async () => {
  server = await startServerWithBackend({}, new StubBackend(25));
});
afterEach(() => server.clearPrimes());
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

describe('prime(): error reactions', () => {
  it('a string query matches by containment; the error carries its code name and detail fields (UNAVAILABLE)', async () => {
    server.prime({ when: { query: 'FROM ks.nums' }, then: { error: { code: 'UNAVAILABLE' } } });
    const c = await ready();
    const { message } = await c.request({ ...SELECT, params: { consistency: 6, pageSize: 10 } });
    expect(message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x1000,
      message: 'Cannot achieve consistency level LOCAL_QUORUM',
      details: { code: 0x1000, consistency: 6, required: 1, alive: 0 },
    });
  });

  it.each([
    ['OVERLOADED', 0x1001],
    ['READ_TIMEOUT', 0x1200],
    ['WRITE_TIMEOUT', 0x1100],
    ['READ_FAILURE', 0x1300],
    ['WRITE_FAILURE', 0x1500],
    ['IS_BOOTSTRAPPING', 0x1002],
    ['SERVER_ERROR', 0x0000],
    ['TRUNCATE_ERROR', 0x1003],
    ['FUNCTION_FAILURE', 0x1400],
    ['CDC_WRITE_FAILURE', 0x1600],
    ['CAS_WRITE_UNKNOWN', 0x1700],
    ['SYNTAX_ERROR', 0x2000],
    ['UNAUTHORIZED', 0x2100],
    ['INVALID', 0x2200],
    ['CONFIG_ERROR', 0x2300],
    ['ALREADY_EXISTS', 0x2400],
    ['UNPREPARED', 0x2500],
    ['PROTOCOL_ERROR', 0x000a],
    ['BAD_CREDENTIALS', 0x0100],
  ] as const)('error code %s is sent as 0x%s and decodes on v5', async (name, code) => {
    server.prime({ when: { query: 'nums' }, then: { error: { code: name } } });
    const c = await ready();
    const { message } = await c.request(SELECT);
    expect(message.opcode).toBe(Opcode.ERROR);
    expect((message as { code: number }).code).toBe(code);
  });

  it('a primed message replaces the default one; a number works as the code', async () => {
    server.prime({ when: { query: /nums/ }, then: { error: { code: 0x1001, message: 'busy, go away' } } });
    const c = await ready(4);
    const { message } = await c.request(SELECT);
    expect(message).toEqual({ opcode: Opcode.ERROR, code: 0x1001, message: 'busy, go away' });
  });

  it('afterPages: k lets the first k pages through and fails page k+1', async () => {
    server.prime({ when: { query: /FROM ks\.nums/, afterPages: 2 }, then: { error: { code: 'READ_TIMEOUT' } } });
    const c = await ready();
    const p1 = (await c.request(SELECT)).message as RowsResult;
    expect(p1.rowCount).toBe(10);
    const p2 = (
      await c.request({ ...SELECT, params: { consistency: 1, pageSize: 10, pagingState: p1.metadata.pagingState! } })
    ).message as RowsResult;
    expect(p2.rowCount).toBe(10);
    const p3 = (
      await c.request({ ...SELECT, params: { consistency: 1, pageSize: 10, pagingState: p2.metadata.pagingState! } })
    ).message;
    expect(p3).toMatchObject({
      opcode: Opcode.ERROR,
      code: 0x1200,
      details: { received: 0, blockFor: 1, dataPresent: false },
    });
    // a new first page is page 1 again
    expect((await c.request(SELECT)).message.opcode).toBe(Opcode.RESULT);
  });

  it('times: n applies at most n times', async () => {
    server.prime({ when: { query: 'nums', times: 2 }, then: { error: { code: 'OVERLOADED' } } });
    const c = await ready();
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await c.request(SELECT)).message.opcode);
    expect(codes).toEqual([Opcode.ERROR, Opcode.ERROR, Opcode.RESULT]);
  });

  it('node: applies only on that node; opcode: only to that request type; without opcode PREPARE is left alone', async () => {
    server.prime({ when: { node: 1 }, then: { error: { code: 'OVERLOADED' } } });
    server.prime({
      when: { opcode: 'OPTIONS' },
      then: { error: { code: 'SERVER_ERROR', message: 'no options today' } },
    });
    const c = await ready();
    expect((await c.request(SELECT)).message.opcode).toBe(Opcode.RESULT);
    expect((await c.request({ opcode: Opcode.OPTIONS })).message).toEqual({
      opcode: Opcode.ERROR,
      code: 0,
      message: 'no options today',
    });
    server.clearPrimes();
    server.prime({ when: { query: 'nums' }, then: { error: { code: 'OVERLOADED' } } });
    expect((await c.request({ opcode: Opcode.PREPARE, query: 'SELECT n FROM ks.nums' })).message.opcode).toBe(
      Opcode.RESULT,
    );
  });

  it('READ_FAILURE on v4 carries the failure count; CAS_WRITE_UNKNOWN on v4 is a CAS write timeout', async () => {
    server.prime({ when: { query: 'nums', times: 1 }, then: { error: { code: 'READ_FAILURE' } } });
    server.prime({ when: { query: 'nums', times: 1 }, then: { error: { code: 'CAS_WRITE_UNKNOWN' } } });
    const c = await ready(4);
    expect((await c.request(SELECT)).message).toMatchObject({
      code: 0x1300,
      details: { failures: 1, dataPresent: false },
    });
    expect((await c.request(SELECT)).message).toMatchObject({
      code: 0x1100,
      details: { writeType: 'CAS', received: 0, blockFor: 1 },
    });
  });

  it('an unknown error code or reaction is an ArgumentError at prime() time', () => {
    expect(() => server.prime({ when: {}, then: { error: { code: 'NOPE' as 'OVERLOADED' } } })).toThrow(
      /unknown error code "NOPE"/,
    );
    expect(() => server.prime({ when: { opcode: 'FETCH' }, then: { noResponse: true } })).toThrow(
      /unknown opcode 'FETCH'/,
    );
    expect(() => server.prime({ when: {}, then: {} as { noResponse: true } })).toThrow(/`then` must be/);
  });
});

describe('prime(): other reactions', () => {
  it('delayMs answers later, out of order, each on its own stream', async () => {
    server.prime({ when: { query: 'nums', times: 1 }, then: { delayMs: 150 } });
    const c = await ready();
    const slow = c.send(SELECT);
    const fast = c.send({ opcode: Opcode.OPTIONS });
    const first = await c.response(fast);
    expect(first.message.opcode).toBe(Opcode.SUPPORTED);
    expect(c.received.some((e) => e.stream === slow)).toBe(false);
    const t0 = Date.now();
    const late = await c.response(slow);
    expect(late.message.opcode).toBe(Opcode.RESULT);
    expect(Date.now() - t0).toBeGreaterThan(50);
  });

  it('noResponse swallows the request; the connection keeps serving others', async () => {
    server.prime({ when: { query: 'nums', times: 1 }, then: { noResponse: true } });
    const c = await ready();
    const lost = c.send(SELECT);
    expect((await c.request({ opcode: Opcode.OPTIONS })).message.opcode).toBe(Opcode.SUPPORTED);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.received.some((e) => e.stream === lost)).toBe(false);
    expect(c.closed).toBe(false);
  });

  it('closeConnection closes the connection without an answer', async () => {
    server.prime({ when: { query: 'nums', times: 1 }, then: { closeConnection: true } });
    const c = await ready();
    const stream = c.send(SELECT);
    await c.until(() => c.closed, 'the close');
    expect(c.received.some((e) => e.stream === stream)).toBe(false);
  });
});

describe('activityLog', () => {
  it('logs every request with node, connection, opcode name, CQL text, paging state, page size and time', async () => {
    server.clearActivityLog();
    const before = Date.now();
    const c = await ready();
    const p1 = (await c.request(SELECT)).message as RowsResult;
    await c.request({ ...SELECT, params: { consistency: 1, pageSize: 10, pagingState: p1.metadata.pagingState! } });
    const prepared = (await c.request({ opcode: Opcode.PREPARE, query: 'SELECT n FROM ks.nums' })).message as {
      id: Buffer;
      resultMetadataId: Buffer;
    };
    await c.request({
      opcode: Opcode.EXECUTE,
      id: prepared.id,
      resultMetadataId: prepared.resultMetadataId,
      params: { consistency: 1, pageSize: 5 },
    });
    const log = server.activityLog;
    expect(log.map((e) => e.opcode)).toEqual(['STARTUP', 'QUERY', 'QUERY', 'PREPARE', 'EXECUTE']);
    expect(new Set(log.map((e) => e.connectionId)).size).toBe(1);
    expect(log.every((e) => e.node === 0 && e.at >= before && e.at <= Date.now())).toBe(true);
    expect(log[1]).toMatchObject({ query: 'SELECT n FROM ks.nums', pageSize: 10 });
    expect(log[1]!.pagingState).toBeUndefined();
    expect(log[2]!.pagingState?.toString('hex')).toBe(p1.metadata.pagingState!.toString('hex'));
    expect(log[4]).toMatchObject({ opcode: 'EXECUTE', query: 'SELECT n FROM ks.nums', pageSize: 5 });
  });
});
