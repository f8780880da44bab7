import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import type { Row } from '../../src/protocol/rows/index.js';
import { TimeUuid } from '../../src/protocol/types/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type ClusterOptions, type ResultSet, type Session } from '../../src/session/index.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;
let driverShapes: Cluster;
let driverSession: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cluster = new Cluster({ contactPoints: server.contactPoints });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE m WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute(
    'CREATE TABLE m.users (id int PRIMARY KEY, name text, seen timestamp, tags set<text>, scores map<text, int>, ' +
      'ids map<int, frozen<set<int>>>, events list<frozen<map<int, text>>>, tid timeuuid)',
  );
  await session.execute(
    "INSERT INTO m.users (id, name, tags, scores, ids, events) VALUES (1, 'ada', {'b', 'a'}, {'x': 1, 'y': 2}, {7: {1, 3}}, [{1: 'one'}])",
  );
  driverShapes = new Cluster({ contactPoints: server.contactPoints, collections: 'driver' });
  driverSession = await driverShapes.connect();
});

afterAll(async () => {
  await driverShapes?.shutdown();
  await cluster?.shutdown();
  await server?.stop();
});

beforeEach(() => server.clearActivityLog());

interface User extends Row {
  readonly id: number;
  readonly name: string;
}

describe('execute<R>() types its rows as executeStream<R>() does', () => {
  it('rs.first()!.name is a string, rows and all() are R[]', async () => {
    const rs = await session.execute<User>('SELECT id, name FROM m.users WHERE id = 1');
    const name: string = rs.first()!.name;
    expect(name).toBe('ada');
    expectTypeOf(rs).toEqualTypeOf<ResultSet<User>>();
    expectTypeOf(rs.first()).toEqualTypeOf<User | null>();
    expectTypeOf(rs.rows).toEqualTypeOf<User[]>();
    expectTypeOf(rs.all()).resolves.toEqualTypeOf<User[]>();
    for (const user of rs) expectTypeOf(user).toEqualTypeOf<User>();
    // without R, rows are Row as before
    expectTypeOf(await session.execute('SELECT id FROM m.users')).toEqualTypeOf<ResultSet>();
  });
});

describe('timestamps from ISO-8601 text, as cassandra-driver accepts them', () => {
  it('a prepared statement and an unprepared one with a timestamp hint store the instant the text names', async () => {
    await session.execute('UPDATE m.users SET seen = ? WHERE id = ?', ['2024-06-01T12:30:00.250+02:00', 1], {
      prepare: true,
    });
    let rs = await session.execute<{ seen: Date } & Row>('SELECT seen FROM m.users WHERE id = 1');
    expect(rs.first()!.seen.toISOString()).toBe('2024-06-01T10:30:00.250Z');
    await session.execute('UPDATE m.users SET seen = ? WHERE id = 1', ['2024-06-02 08:00:00Z'], {
      hints: ['timestamp'],
    });
    rs = await session.execute<{ seen: Date } & Row>('SELECT seen FROM m.users WHERE id = 1');
    expect(rs.first()!.seen.toISOString()).toBe('2024-06-02T08:00:00.000Z');
  });

  it('text naming no single instant is an ArgumentError before anything is sent', async () => {
    const stmt = await session.prepare('UPDATE m.users SET seen = ? WHERE id = ?');
    server.clearActivityLog();
    const error = await session.execute(stmt, ['2024-06-01 12:30', 1]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toBe(
      'Column "seen" (timestamp): "2024-06-01 12:30" is not an ISO-8601 timestamp with a time zone, e.g. "2024-06-01T12:30:00Z", "2024-06-01 12:30:00.250+02:00"',
    );
    expect(server.activityLog).toEqual([]);
  });
});

describe('TimeUuid.now() in a timeuuid column', () => {
  it('is stored and read back as the same TimeUuid', async () => {
    const id = TimeUuid.now();
    await session.execute('UPDATE m.users SET tid = ? WHERE id = 1', [id], { prepare: true });
    const back = (await session.execute('SELECT tid FROM m.users WHERE id = 1')).first()!.get('tid');
    expect(back).toBeInstanceOf(TimeUuid);
    expect(String(back)).toBe(id.toString());
  });
});

describe("collections: 'driver' gives sets and maps cassandra-driver's shapes", () => {
  const query = 'SELECT tags, scores, ids, events FROM m.users WHERE id = 1';

  it('by default: Set and Map (nested ones too)', async () => {
    const row = (await session.execute(query)).first()!;
    expect(row.get('tags')).toEqual(new Set(['a', 'b']));
    expect(row.get('scores')).toEqual(
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
    );
    expect(row.get('ids')).toEqual(new Map([[7, new Set([1, 3])]]));
    expect(row.get('events')).toEqual([new Map([[1, 'one']])]);
  });

  it("with collections: 'driver': an Array and a plain object keyed by String(key), at every depth", async () => {
    const row = (await driverSession.execute(query)).first()!;
    expect(row.get('tags')).toEqual(['a', 'b']);
    expect(row.get('scores')).toEqual({ x: 1, y: 2 });
    expect(Object.getPrototypeOf(row.get('scores'))).toBe(Object.prototype);
    expect(row.get('ids')).toEqual({ '7': [1, 3] });
    expect(row.get('events')).toEqual([{ '1': 'one' }]);
    // prepared statements decode with the same option
    const stmt = await driverSession.prepare('SELECT scores FROM m.users WHERE id = ?');
    expect((await driverSession.execute(stmt, [1])).first()!.get('scores')).toEqual({ x: 1, y: 2 });
    // and a stream's rows too
    for await (const r of await driverSession.executeStream(query)) expect(r.get('tags')).toEqual(['a', 'b']);
  });

  it('a __proto__ key is an own property, not the prototype', async () => {
    await session.execute("UPDATE m.users SET scores = {'__proto__': 5} WHERE id = 2");
    const scores = (await driverSession.execute('SELECT scores FROM m.users WHERE id = 2'))
      .first()!
      .get('scores') as object;
    expect(Object.getPrototypeOf(scores)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(scores, '__proto__')?.value).toBe(5);
    expect(JSON.stringify(scores)).toBe('{"__proto__":5}');
  });

  it('any other value is refused at construction', () => {
    expect(
      () => new Cluster({ contactPoints: ['127.0.0.1'], collections: 'object' } as unknown as ClusterOptions),
    ).toThrow(new ArgumentError("collections must be 'native' or 'driver', got object"));
  });
});
