import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoHostAvailableError } from '../../src/cluster/index.js';
import { ConnectionError } from '../../src/connection/index.js';
import { CqlSyntaxError, OverloadedError, WriteTimeoutError } from '../../src/protocol/errors/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 2, port: 0 });
  cluster = new Cluster({ contactPoints: [server.contactPoints[0]!] });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE ex WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE ex.users (id int PRIMARY KEY, name text, age int)');
  await session.execute('CREATE TABLE ex.hits (page text PRIMARY KEY, n counter)');
  const insert = await session.prepare('INSERT INTO ex.users (id, name, age) VALUES (?, ?, ?)');
  for (let id = 0; id < 25; id++) await session.execute(insert, [id, `user${id}`, 20 + id]);
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

describe('execute', () => {
  it('binds named parameters, prepared (by marker name) and unprepared (WITH_NAMES_FOR_VALUES)', async () => {
    const prepared = await session.execute('SELECT name FROM ex.users WHERE id = :id', { id: 4 }, { prepare: true });
    expect(prepared.rows.map((r) => r.toObject())).toEqual([{ name: 'user4' }]);
    const unprepared = await session.execute(
      'SELECT name, age FROM ex.users WHERE id = :id',
      { id: 5 },
      { hints: { id: 'int' } },
    );
    expect(unprepared.first()?.toObject()).toEqual({ name: 'user5', age: 25 });
  });

  it('pages: rows, columns, pagingState, iteration and all()', async () => {
    const rs = await session.execute('SELECT id, name FROM ex.users', null, { fetchSize: 10 });
    expect(rs.kind).toBe('rows');
    expect(rs.columns.map((c) => [c.name, c.type.kind])).toEqual([
      ['id', 'int'],
      ['name', 'text'],
    ]);
    expect(rs.rowLength).toBe(10);
    expect(Buffer.isBuffer(rs.pagingState)).toBe(true);
    expect([...rs].length).toBe(10);
    const all = await rs.all();
    expect(all.map((r) => r.get('id')).sort((a, b) => (a as number) - (b as number))).toEqual([...Array(25).keys()]);
    const resumed = await session.execute('SELECT id, name FROM ex.users', null, {
      fetchSize: 10,
      pagingState: rs.pagingState!,
    });
    expect(resumed.rows.map((r) => r.get('id'))).toEqual(all.slice(10, 20).map((r) => r.get('id')));
    const empty = await session.execute('SELECT id FROM ex.users WHERE id = 999');
    expect(empty.first()).toBeNull();
    expect(empty.pagingState).toBeUndefined();
  });

  it('reports wasApplied() for lightweight transactions', async () => {
    const first = await session.execute(
      'INSERT INTO ex.users (id, name, age) VALUES (?, ?, ?) IF NOT EXISTS',
      [100, 'lwt', 1],
      { prepare: true },
    );
    expect(first.wasApplied()).toBe(true);
    const second = await session.execute(
      'INSERT INTO ex.users (id, name, age) VALUES (?, ?, ?) IF NOT EXISTS',
      [100, 'lwt', 1],
      { prepare: true },
    );
    expect(second.wasApplied()).toBe(false);
    expect((await session.execute('SELECT name FROM ex.users WHERE id = 1')).wasApplied()).toBe(true);
  });

  it('runs logged, unlogged and counter batches', async () => {
    const insert = await session.prepare('INSERT INTO ex.users (id, name, age) VALUES (?, ?, ?)');
    await session.batch([
      { query: insert, params: [200, 'b1', 1] },
      { query: 'INSERT INTO ex.users (id, name, age) VALUES (201, ?, 2)', params: ['b2'] },
    ]);
    await session.batch([{ query: insert, params: { id: 202, name: 'b3', age: 3 } }], { type: 'unlogged' });
    await session.batch(
      [
        "UPDATE ex.hits SET n = n + 2 WHERE page = 'home'",
        { query: 'UPDATE ex.hits SET n = n + 3 WHERE page = ?', params: ['home'] },
      ],
      { type: 'counter' },
    );
    const names = await session.execute('SELECT id, name FROM ex.users WHERE id IN (200, 201, 202)');
    expect(names.rows.map((r) => r.toObject()).sort((a, b) => (a.id as number) - (b.id as number))).toEqual([
      { id: 200, name: 'b1' },
      { id: 201, name: 'b2' },
      { id: 202, name: 'b3' },
    ]);
    expect((await session.execute("SELECT n FROM ex.hits WHERE page = 'home'")).first()?.get('n')).toBe(5n);
  });

  it('follows USE into every connection of the session and reports schema changes', async () => {
    const other = await cluster.connect();
    const use = await other.execute('USE ex');
    expect(use.kind).toBe('setKeyspace');
    expect(other.keyspace).toBe('ex');
    const rs = await other.execute('SELECT name FROM users WHERE id = 3');
    expect(rs.first()?.get('name')).toBe('user3');
    const change = await other.execute('CREATE TABLE t2 (k int PRIMARY KEY)');
    expect(change.kind).toBe('schemaChange');
    expect(change.schemaChange).toEqual({ change: 'CREATED', target: 'TABLE', keyspace: 'ex', name: 't2' });
    await other.shutdown();
  });

  it('v5: a per-query keyspace and nowInSeconds', async () => {
    const rs = await session.execute('SELECT name FROM users WHERE id = ?', [6], {
      keyspace: 'ex',
      nowInSeconds: 1_700_000_000,
      hints: ['int'],
    });
    expect(rs.first()?.get('name')).toBe('user6');
  });

  it('keeps a prepared SELECT * current when the table changes (v5 METADATA_CHANGED)', async () => {
    await session.execute('CREATE TABLE ex.wide (k int PRIMARY KEY, a text)');
    await session.execute("INSERT INTO ex.wide (k, a) VALUES (1, 'x')");
    const select = await session.prepare('SELECT * FROM ex.wide WHERE k = ?');
    expect((await session.execute(select, [1])).first()?.toObject()).toEqual({ k: 1, a: 'x' });
    const before = select.resultMetadataId;
    await session.execute('ALTER TABLE ex.wide ADD b int');
    await session.execute('UPDATE ex.wide SET b = 7 WHERE k = 1');
    expect((await session.execute(select, [1])).first()?.toObject()).toEqual({ k: 1, a: 'x', b: 7 });
    expect(select.resultMetadataId?.equals(before!)).toBe(false);
    expect((await session.execute(select, [1])).columns.map((c) => c.name)).toEqual(['k', 'a', 'b']);
  });

  it('re-prepares and retries when a node answers UNPREPARED', async () => {
    const select = await session.prepare('SELECT age FROM ex.users WHERE id = ?');
    server.prime({ when: { query: 'SELECT age FROM ex.users', times: 1 }, then: { error: { code: 'UNPREPARED' } } });
    server.clearActivityLog();
    const rs = await session.execute(select, [8]);
    expect(rs.first()?.get('age')).toBe(28);
    expect(server.activityLog.map((e) => e.opcode)).toEqual(['EXECUTE', 'PREPARE', 'EXECUTE']);
  });

  it('moves to the next host on OVERLOADED, and surfaces request errors at once', async () => {
    server.prime({ when: { query: 'FROM ex.users WHERE id = 9', times: 1 }, then: { error: { code: 'OVERLOADED' } } });
    server.clearActivityLog();
    const rs = await session.execute('SELECT name FROM ex.users WHERE id = 9');
    expect(rs.first()?.get('name')).toBe('user9');
    const queries = server.activityLog.filter((e) => e.opcode === 'QUERY');
    expect(queries).toHaveLength(2);
    expect(queries[0]!.node).not.toBe(queries[1]!.node);
    expect(rs.info.triedHosts).toHaveLength(2);
    server.prime({ when: { query: 'FROM ex.users WHERE id = 10' }, then: { error: { code: 'OVERLOADED' } } });
    const error = await session.execute('SELECT name FROM ex.users WHERE id = 10').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoHostAvailableError);
    expect([...(error as NoHostAvailableError).errors.values()].map((e) => e.constructor)).toEqual([
      OverloadedError,
      OverloadedError,
    ]);
    server.clearPrimes();
    await expect(session.execute('SELEC nothing')).rejects.toBeInstanceOf(CqlSyntaxError);
  });

  it('retries a write timeout once on the same host only for idempotent statements', async () => {
    const insert = await session.prepare('INSERT INTO ex.users (id, name, age) VALUES (?, ?, ?)');
    server.prime({
      when: { query: 'INSERT INTO ex.users (id, name, age) VALUES (?, ?, ?)', times: 1 },
      then: { error: { code: 'WRITE_TIMEOUT' } },
    });
    server.clearActivityLog();
    await expect(session.execute(insert, [300, 'w', 1])).rejects.toBeInstanceOf(WriteTimeoutError);
    expect(server.activityLog.filter((e) => e.opcode === 'EXECUTE')).toHaveLength(1);
    server.prime({
      when: { query: 'INSERT INTO ex.users (id, name, age) VALUES (?, ?, ?)', times: 1 },
      then: { error: { code: 'WRITE_TIMEOUT' } },
    });
    server.clearActivityLog();
    const rs = await session.execute(insert, [300, 'w', 1], { idempotent: true });
    const executes = server.activityLog.filter((e) => e.opcode === 'EXECUTE');
    expect(executes).toHaveLength(2);
    expect(executes[0]!.node).toBe(executes[1]!.node);
    expect(rs.info.triedHosts).toHaveLength(1);
  });

  it('reports the coordinator and no warnings, tracing id or payload when none was asked for or sent', async () => {
    const rs = await session.execute('SELECT name FROM ex.users WHERE id = 1', null);
    expect(rs.info.coordinator).toBe(cluster.hosts.find((h) => h.endpoint === rs.info.triedHosts[0]!.endpoint));
    expect(rs.info.warnings).toEqual([]);
    expect(rs.info.tracingId).toBeUndefined();
    expect(rs.info.customPayload).toBeUndefined();
  });
});

describe('connect failures', () => {
  it('rejects with NoHostAvailableError naming each contact point when none answers', async () => {
    const port = server.nodes[0]!.port;
    const dead = new Cluster({
      contactPoints: [`127.0.0.1:1`, `127.0.0.1:${port === 65535 ? 65534 : port + 1}`],
      connectTimeoutMs: 500,
    });
    const error = await dead.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoHostAvailableError);
    const errors = (error as NoHostAvailableError).errors;
    expect([...errors.keys()]).toEqual(['127.0.0.1:1', `127.0.0.1:${port === 65535 ? 65534 : port + 1}`]);
    for (const e of errors.values()) expect(e).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('Could not connect to any contact point (tried 2): 127.0.0.1:1:');
    await dead.shutdown();
  });
});
