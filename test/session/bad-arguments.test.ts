import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Consistency } from '../../src/protocol/consistency.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type PreparedStatement, type Session } from '../../src/session/index.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;
let insert: PreparedStatement;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cluster = new Cluster({ contactPoints: server.contactPoints });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE bad WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE bad.t (id int PRIMARY KEY, name text)');
  insert = await session.prepare('INSERT INTO bad.t (id, name) VALUES (?, ?)');
  await session.prepare('SELECT name FROM bad.t WHERE id = ?');
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

beforeEach(() => server.clearActivityLog());

async function refused(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArgumentError);
  // nothing reached any node
  expect(server.activityLog).toEqual([]);
  return (error as Error).message;
}

describe('bad arguments are refused before anything is sent', () => {
  it('a wrong number of parameters (prepared, cached prepare: true, and unprepared text)', async () => {
    expect(await refused(session.execute(insert, [1]))).toBe(
      'The statement has 2 bind marker(s) (id, name) but 1 parameter(s) were given',
    );
    expect(await refused(session.execute('SELECT name FROM bad.t WHERE id = ?', [1, 2], { prepare: true }))).toBe(
      'The statement has 1 bind marker(s) (id) but 2 parameter(s) were given',
    );
    expect(await refused(session.execute("SELECT name FROM bad.t WHERE id = ? AND name = '?'", [1, 2]))).toBe(
      "The query has 1 bind marker(s) '?' but 2 parameter(s) were given",
    );
  });

  it('a string for an int column names the column, the type and the value', async () => {
    expect(await refused(session.execute(insert, ['seven', 'x']))).toBe(
      'Column "id" (int): "seven" is not an integer (number, bigint or Long)',
    );
    expect(await refused(session.execute(insert, { id: 1.5, name: 'x' }))).toBe(
      'Column "id" (int): 1.5 is not an integer',
    );
  });

  it('an unknown consistency level, and other bad options', async () => {
    expect(await refused(session.execute('SELECT name FROM bad.t', null, { consistency: 42 as never }))).toBe(
      'consistency: 42 is not a consistency level; use Consistency.ONE, Consistency.LOCAL_QUORUM, ... (numbers 0..10)',
    );
    expect(await refused(session.execute(insert, [1, 'x'], { consistency: 'QUORUM' as never }))).toContain(
      '"QUORUM" is not a consistency level',
    );
    expect(await refused(session.execute(insert, [1, 'x'], { serialConsistency: Consistency.QUORUM }))).toBe(
      'serialConsistency must be Consistency.SERIAL or Consistency.LOCAL_SERIAL, got QUORUM',
    );
    expect(await refused(session.execute(insert, [1, 'x'], { fetchSize: 0 }))).toBe(
      'fetchSize must be a positive integer (rows per page), got 0',
    );
    expect(await refused(session.batch([{ query: insert, params: [1, 'x'] }], { type: 'sideways' as never }))).toBe(
      "Batch type must be 'logged', 'unlogged' or 'counter', got \"sideways\"",
    );
  });

  it('named parameters that are missing or unknown', async () => {
    expect(await refused(session.execute(insert, { id: 1 }))).toBe(
      'Missing parameter(s) "name"; the statement has id, name',
    );
    expect(await refused(session.execute(insert, { id: 1, name: 'a', extra: 2 }))).toBe(
      'No bind marker named "extra"; the statement has id, name',
    );
  });

  it('unprepared values whose type cannot be inferred', async () => {
    expect(await refused(session.execute('INSERT INTO bad.t (id, name) VALUES (1, ?)', [{ a: 1 }]))).toBe(
      'Parameter 0: cannot tell the CQL type of Object for an unprepared query; use { prepare: true } or give its type in `hints`',
    );
  });
});

describe('cluster options are checked at construction', () => {
  it('names the bad option', () => {
    expect(() => new Cluster({ contactPoints: [] })).toThrow(
      'contactPoints must be a non-empty array of "host" or "host:port" strings',
    );
    expect(() => new Cluster({ contactPoints: ['h:99999'] })).toThrow(
      "Contact point 'h:99999': the port must be an integer 1..65535, got 99999",
    );
    expect(() => new Cluster({ contactPoints: ['h'], compression: 'zstd' as never })).toThrow(
      "compression must be 'lz4' or 'none', got zstd",
    );
    expect(() => new Cluster({ contactPoints: ['h'], consistency: 99 as never })).toThrow(
      'consistency: 99 is not a consistency level',
    );
    expect(() => new Cluster({ contactPoints: ['h'], protocolVersion: 6 as never })).toThrow(
      'protocolVersion must be 3, 4 or 5, got 6',
    );
    expect(() => new Cluster({ contactPoints: ['h'], requestTimeoutMs: -1 })).toThrow('requestTimeoutMs must be');
    expect(() => new Cluster({ contactPoints: ['h'], contactpoint: 1 } as never)).toThrow(
      "Unknown cluster option 'contactpoint'",
    );
  });
});
