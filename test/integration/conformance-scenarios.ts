import { expect, it } from 'vitest';
import { AlreadyExistsError, Cluster, CqlSyntaxError, InvalidRequestError, type Session } from '../../src/index.js';
import type { RunningCassandra } from './support/cassandra-container.js';
import { render } from './support/render.js';

/** What a scenario runs against: one started Cassandra. */
export interface ScenarioContext {
  cassandra: RunningCassandra;
  /** '4.1' or '5.0': 5.0 adds the vector column. */
  serverVersion: string;
}

const ROWS = 2_000;
const PAGE = 100;

/** Columns of the every-type table, with the CQL type of each. */
const COLUMNS: [name: string, cql: string][] = [
  ['p', 'int'],
  ['c', 'int'],
  ['a', 'ascii'],
  ['big', 'bigint'],
  ['bl', 'blob'],
  ['bo', 'boolean'],
  ['de', 'decimal'],
  ['do', 'double'],
  ['fl', 'float'],
  ['ip', 'inet'],
  ['sm', 'smallint'],
  ['ti', 'tinyint'],
  ['te', 'text'],
  ['tm', 'time'],
  ['ts', 'timestamp'],
  ['tu', 'timeuuid'],
  ['uu', 'uuid'],
  ['vi', 'varint'],
  ['da', 'date'],
  ['du', 'duration'],
  ['li', 'list<int>'],
  ['se', 'set<text>'],
  ['ma', 'map<text, int>'],
  ['tp', 'frozen<tuple<int, text>>'],
  ['ud', 'frozen<addr>'],
];
const VECTOR: [string, string] = ['ve', 'vector<float, 3>'];

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Row i: the values bound on insert, and what each must read back as (render() of the decoded
 * value), written out by hand from the canonical forms in docs/embedding-the-codec.md "Types", not
 * computed by cqlwire.
 */
function rowOf(i: number, withVector: boolean): { values: unknown[]; expected: string[] } {
  const day = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const time = `${pad(i % 24, 2)}:${pad(i % 60, 2)}:${pad((i * 7) % 60, 2)}.${pad(i * 1001, 9)}`;
  // canonical durations: months 1..11, days 1..6, nanoseconds 1..999 print as given
  const duration = `${(i % 11) + 1}mo${(i % 6) + 1}d${(i % 999) + 1}ns`;
  const ts = new Date(1_700_000_000_000 + i * 1000);
  const tuuid = `00000000-0000-1000-8000-${i.toString(16).padStart(12, '0')}`;
  const uuid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const pairs: [unknown, string][] = [
    [0, '0'],
    [i, String(i)],
    [`a${i}`, JSON.stringify(`a${i}`)],
    [BigInt(i) * 1_000_000_007n, `${BigInt(i) * 1_000_000_007n}n`],
    [Buffer.from([i & 255, (i >> 8) & 255, 7]), `0x${Buffer.from([i & 255, (i >> 8) & 255, 7]).toString('hex')}`],
    [i % 2 === 0, String(i % 2 === 0)],
    [`${i}.${pad(i % 100, 2)}`, `${i}.${pad(i % 100, 2)}`],
    [i + 0.25, String(i + 0.25)],
    [i + 0.5, String(i + 0.5)],
    [`10.0.${(i >> 8) & 255}.${i & 255}`, `10.0.${(i >> 8) & 255}.${i & 255}`],
    [(i % 30000) - 15000, String((i % 30000) - 15000)],
    [(i % 256) - 128, String((i % 256) - 128)],
    [`text ${i} \u00e9\u{1F600}`, JSON.stringify(`text ${i} \u00e9\u{1F600}`)],
    [time, time],
    [ts, ts.toISOString()],
    [tuuid, tuuid],
    [uuid, uuid],
    [BigInt(`${i}123456789012345678901234567890`), `${BigInt(`${i}123456789012345678901234567890`)}n`],
    [day, day],
    [duration, duration],
    [[i, i + 1], `[${i},${i + 1}]`],
    [[`s${i}`, 'x'], `{${[JSON.stringify(`s${i}`), '"x"'].sort().join(',')}}`],
    [new Map([['k', i]]), `{"k":${i}}`],
    [[i, `t${i}`], `[${i},${JSON.stringify(`t${i}`)}]`],
    [{ street: `s${i}`, num: i }, `{street:${JSON.stringify(`s${i}`)},num:${i}}`],
  ];
  if (withVector) pairs.push([new Float32Array([i, i + 0.5, -i]), `[${i},${i + 0.5},${-i}]`]);
  return { values: pairs.map((p) => p[0]), expected: pairs.map((p) => p[1]) };
}

/**
 * The embedded server's conformance scenarios (test/conformance), run with cqlwire's `Cluster`
 * against a real Cassandra: connect and negotiate, schema, prepared inserts, paged read-back with
 * every value exact, COUNT(*), and server errors as typed errors.
 */
export function conformanceScenarios(context: () => ScenarioContext): void {
  let cluster: Cluster;
  let session: Session;
  const keyspace = 'cw_conformance';
  const columns = (): [string, string][] => (context().serverVersion >= '5' ? [...COLUMNS, VECTOR] : COLUMNS);

  it('connects, negotiates protocol v5 and sees one up host in datacenter1', async () => {
    const { cassandra } = context();
    cluster = new Cluster({
      contactPoints: [cassandra.contactPoint],
      localDataCenter: 'datacenter1',
      requestTimeoutMs: 30_000,
    });
    session = await cluster.connect();
    expect(cluster.protocolVersion).toBe(5);
    expect(cluster.hosts.map((h) => [h.dataCenter, h.isUp])).toEqual([['datacenter1', true]]);
    const rs = await session.execute('SELECT release_version FROM system.local');
    expect(String(rs.first()?.get('release_version')).slice(0, 3)).toBe(context().serverVersion);
  });

  it('connects with lz4 at protocol v4 too, and reads system.local', async () => {
    const { cassandra } = context();
    const v4 = new Cluster({
      contactPoints: [cassandra.contactPoint],
      localDataCenter: 'datacenter1',
      protocolVersion: 4,
      compression: 'lz4',
    });
    try {
      const s = await v4.connect();
      expect(v4.protocolVersion).toBe(4);
      const rs = await s.execute('SELECT cluster_name FROM system.local');
      expect(rs.first()?.get('cluster_name')).toBe('cqlwire-integration');
    } finally {
      await v4.shutdown();
    }
  });

  it('creates a keyspace, a UDT and a table with a column of every type', async () => {
    await session.execute(
      `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    await session.execute(`CREATE TYPE ${keyspace}.addr (street text, num int)`);
    await session.execute(
      `CREATE TABLE ${keyspace}.every (${columns()
        .map(([n, t]) => `${n} ${t}`)
        .join(', ')}, PRIMARY KEY (p, c))`,
    );
    const rs = await session.execute(
      'SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
      [keyspace, 'every'],
      { prepare: true },
    );
    expect(rs.rows.map((r) => r.get('column_name')).sort()).toEqual(
      columns()
        .map(([n]) => n)
        .sort(),
    );
  });

  it(`inserts ${ROWS} rows with a prepared statement and reads them back in ${PAGE}-row pages, in order, every value exact`, async () => {
    const withVector = context().serverVersion >= '5';
    const names = columns().map(([n]) => n);
    const insert = await session.prepare(
      `INSERT INTO ${keyspace}.every (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    );
    for (let i = 0; i < ROWS; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, k) => session.execute(insert, rowOf(i + k, withVector).values)),
      );
    }
    const select = await session.prepare(`SELECT ${names.join(', ')} FROM ${keyspace}.every WHERE p = 0`);
    let read = 0;
    let pages = 0;
    let pagingState: Buffer | undefined;
    const mismatches: unknown[] = [];
    do {
      const rs = await session.execute(select, [], {
        fetchSize: PAGE,
        ...(pagingState !== undefined ? { pagingState } : {}),
      });
      pages++;
      for (const row of rs.rows) {
        const got = names.map((n) => render(row.get(n)));
        const expected = rowOf(read, withVector).expected;
        if (got.join('|') !== expected.join('|') && mismatches.length < 3)
          mismatches.push({ row: read, expected, got });
        read++;
      }
      pagingState = rs.pagingState ?? undefined;
    } while (pagingState !== undefined && pages <= ROWS / PAGE + 1);
    expect(mismatches).toEqual([]);
    expect(read).toBe(ROWS);
    // 20 full pages, then the empty page Cassandra answers after a full last page (it cannot know it was the last)
    expect(pages).toBe(ROWS / PAGE + 1);
  });

  it(`COUNT(*) counts ${ROWS} rows, as a bigint`, async () => {
    const rs = await session.execute(`SELECT COUNT(*) FROM ${keyspace}.every`);
    expect(rs.first()?.get(0)).toBe(BigInt(ROWS));
  });

  it('a prepared SELECT with bound partition and clustering keys finds exactly its row', async () => {
    const rs = await session.execute(`SELECT c, te FROM ${keyspace}.every WHERE p = ? AND c = ?`, [0, 1234], {
      prepare: true,
    });
    expect(rs.rows.map((r) => [r.get('c'), r.get('te')])).toEqual([[1234, 'text 1234 \u00e9\u{1F600}']]);
  });

  it('server errors surface as typed errors with the protocol code: syntax, unknown table, existing keyspace', async () => {
    const syntax = await session.execute('SELEC * FROM system.local').catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(CqlSyntaxError);
    expect((syntax as CqlSyntaxError).code).toBe(0x2000);
    const unknown = await session.execute(`SELECT * FROM ${keyspace}.no_such_table`).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(InvalidRequestError);
    expect((unknown as InvalidRequestError).code).toBe(0x2200);
    const exists = await session
      .execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`)
      .catch((e: unknown) => e);
    expect(exists).toBeInstanceOf(AlreadyExistsError);
    expect((exists as AlreadyExistsError).code).toBe(0x2400);
  });

  it('shuts down cleanly', async () => {
    await cluster.shutdown();
    await expect(cluster.shutdown()).resolves.toBeUndefined();
  });
}
