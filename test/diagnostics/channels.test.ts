import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../src/diagnostics/index.js';
import { Consistency, InvalidRequestError, NoHostAvailableError } from '../../src/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { requestDescription } from '../../src/session/request-observer.js';
import { type Recorded, recordRequestChannels } from './support/recorder.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 1, port: 0 });
  cluster = new Cluster({ contactPoints: [server.contactPoints[0]!], requestTimeoutMs: 2_000 });
  const setup = await cluster.connect();
  await setup.execute("CREATE KEYSPACE diag WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await setup.execute('CREATE TABLE diag.kv (k int PRIMARY KEY, v int)');
  for (let k = 1; k <= 9; k++) await setup.execute(`INSERT INTO diag.kv (k, v) VALUES (${k}, ${k * 10})`);
  session = await cluster.connect('diag');
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

/** The messages of one request from create to asyncEnd, as a request of `kind` that succeeds. */
function answered(kind: string): string[] {
  return ['create', `${kind}:start`, `${kind}:end`, 'sent', 'response', `${kind}:asyncStart`, `${kind}:asyncEnd`];
}

/** ... and as one that fails. */
function failed(kind: string): string[] {
  return [
    'create',
    `${kind}:start`,
    `${kind}:end`,
    'sent',
    'error',
    `${kind}:error`,
    `${kind}:asyncStart`,
    `${kind}:asyncEnd`,
  ];
}

/** The request object a message is about (the tracing channels' context is the request itself). */
function requestOf(r: Recorded): unknown {
  return r.name.includes(':') ? r.message : r.message.request;
}

describe('diagnostics channels', () => {
  it('a plain query: create, start, end, sent, response, asyncStart, asyncEnd, all about one request object', async () => {
    const r = recordRequestChannels();
    try {
      await session.execute('SELECT k, v FROM kv WHERE k = 1');
    } finally {
      r.stop();
    }
    expect(r.names()).toEqual(answered('execute'));
    const request = r.seen[0]!.message.request;
    expect(request).toEqual({
      kind: 'execute',
      query: 'SELECT k, v FROM kv WHERE k = 1',
      preparedId: undefined,
      batchSize: undefined,
      keyspace: 'diag',
      consistency: Consistency.LOCAL_ONE,
      pageNumber: undefined,
      attempt: undefined,
      idempotent: false,
      startedAt: expect.any(Number) as number,
      result: expect.anything() as unknown,
      error: undefined,
    });
    for (const seen of r.seen) expect(requestOf(seen)).toBe(request);
    expect(r.seen[3]!.message.host).toBe(cluster.hosts[0]);
    const response = r.seen[4]!.message;
    expect(response.host).toBe(cluster.hosts[0]);
    expect(response.rows).toBe(1);
    expect(response.warnings).toEqual([]);
    expect(response.bytes as number).toBeGreaterThan(0);
    expect(response.latencyMs as number).toBeGreaterThan(0);
  });

  it('a prepared query: the PREPARE as a prepare request, then the EXECUTE with its id and text', async () => {
    const r = recordRequestChannels();
    let id: Buffer;
    try {
      const select = await session.prepare('SELECT v FROM kv WHERE k = ?');
      id = select.id;
      await session.execute(select, [2]);
    } finally {
      r.stop();
    }
    expect(r.names()).toEqual([...answered('prepare'), ...answered('execute')]);
    expect(r.seen[0]!.message.request).toMatchObject({
      kind: 'prepare',
      query: 'SELECT v FROM kv WHERE k = ?',
      preparedId: undefined,
      keyspace: 'diag',
      consistency: undefined,
    });
    expect(r.seen[7]!.message.request).toMatchObject({
      kind: 'execute',
      query: 'SELECT v FROM kv WHERE k = ?',
      preparedId: id,
      consistency: Consistency.LOCAL_ONE,
    });
    expect(r.seen[11]!.message.rows).toBe(1);
  });

  it('a batch: one batch request with its statement count and no text', async () => {
    const r = recordRequestChannels();
    try {
      await session.batch([
        'INSERT INTO kv (k, v) VALUES (100, 1)',
        { query: 'INSERT INTO kv (k, v) VALUES (101, 2)' },
      ]);
    } finally {
      r.stop();
      await session.execute('DELETE FROM kv WHERE k IN (100, 101)');
    }
    expect(r.names()).toEqual(answered('batch'));
    expect(r.seen[0]!.message.request).toMatchObject({
      kind: 'batch',
      query: undefined,
      batchSize: 2,
      consistency: Consistency.LOCAL_ONE,
    });
    expect(r.seen[4]!.message.rows).toBe(0);
  });

  it('a stream of 5 pages with page 3 failing once: one request per page attempt, numbered, and the retry between', async () => {
    server.prime({ when: { query: 'FROM kv', afterPages: 2, times: 1 }, then: { error: { code: 'OVERLOADED' } } });
    const r = recordRequestChannels();
    let rows = 0;
    try {
      const stream = await session.executeStream('SELECT k, v FROM kv', [], {
        fetchSize: 2,
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
      });
      for await (const _ of stream) rows++;
      expect(stream.pageNumber).toBe(5);
    } finally {
      r.stop();
      server.clearPrimes();
    }
    expect(rows).toBe(9);
    expect(r.names()).toEqual([
      ...answered('page'),
      ...answered('page'),
      ...failed('page'),
      'retry',
      ...answered('page'),
      ...answered('page'),
      ...answered('page'),
    ]);
    const creates = r.seen.filter((s) => s.name === 'create').map((s) => s.message.request as Record<string, unknown>);
    expect(creates.map((c) => [c.pageNumber, c.attempt])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [3, 2],
      [4, 1],
      [5, 1],
    ]);
    expect(creates.every((c) => c.kind === 'page' && c.query === 'SELECT k, v FROM kv')).toBe(true);
    const error = r.seen.find((s) => s.name === 'error')!.message;
    // one node: the attempt's query plan ends after the overloaded node
    expect(error.error).toBeInstanceOf(NoHostAvailableError);
    expect(error.request).toBe(creates[2]);
    const retry = r.seen.find((s) => s.name === 'retry')!.message;
    expect(retry).toMatchObject({ request: undefined, pageNumber: 3, retry: 1, nextHost: undefined });
    expect(retry.error).toBe(error.error);
    expect(r.seen.filter((s) => s.name === 'response').map((s) => s.message.rows)).toEqual([2, 2, 2, 2, 1]);
  });

  it('a failure: error (the typed error the caller gets) and the tracing error, no response', async () => {
    const r = recordRequestChannels();
    let caught: unknown;
    try {
      await session.execute('SELECT * FROM diag.missing');
    } catch (error) {
      caught = error;
    } finally {
      r.stop();
    }
    expect(caught).toBeInstanceOf(InvalidRequestError);
    expect(r.names()).toEqual(failed('execute'));
    const error = r.seen[4]!.message;
    expect(error.error).toBeInstanceOf(InvalidRequestError);
    expect((error.error as Error).message).toBe((caught as Error).message);
    expect(r.seen[5]!.message.error).toBe(error.error);
  });

  it('without subscribers builds no message and publishes nothing', async () => {
    const describe = vi.spyOn(requestDescription, 'describe');
    const publishers = Object.values(channels).map((c) => vi.spyOn(c, 'publish'));
    try {
      await session.execute('SELECT k, v FROM kv WHERE k = 1');
      await session.execute(await session.prepare('SELECT v FROM kv WHERE k = ?'), [3]);
      await session.batch(['INSERT INTO kv (k, v) VALUES (102, 1)']);
      const stream = await session.executeStream('SELECT k, v FROM kv', [], { fetchSize: 4 });
      for await (const _ of stream);
      await expect(session.execute('SELECT * FROM diag.missing')).rejects.toBeInstanceOf(InvalidRequestError);
      expect(describe).not.toHaveBeenCalled();
      for (const publish of publishers) expect(publish).not.toHaveBeenCalled();
    } finally {
      describe.mockRestore();
      for (const publish of publishers) publish.mockRestore();
      await session.execute('DELETE FROM kv WHERE k = 102');
    }
  });
});
