import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../../src/server/index.js';
import { startEmbeddedServer } from '../../src/server/index.js';

const { Client, errors, types, concurrent } = cassandra;
type ClientT = InstanceType<typeof Client>;

const ROWS = 10_000;
const COLUMNS = 'p, c, a, big, bl, bo, de, do, fl, ip, sm, ti, te, tm, ts, tu, uu, vi, da, du, li, se, ma, tp, ud, ve';
const CREATE_TABLE = `CREATE TABLE every (
  p int, c int, a ascii, big bigint, bl blob, bo boolean, de decimal, do double, fl float, ip inet,
  sm smallint, ti tinyint, te text, tm time, ts timestamp, tu timeuuid, uu uuid, vi varint, da date,
  du duration, li list<int>, se set<text>, ma map<text, int>, tp frozen<tuple<int, text>>, ud frozen<addr>,
  ve vector<float, 3>, PRIMARY KEY (p, c))`;

/** Row i's values as the driver takes them, in COLUMNS order. */
function valuesOf(i: number): unknown[] {
  return [
    0,
    i,
    `a${i}`,
    types.Long.fromNumber(i * 1_000_000_007),
    Buffer.from([i & 255, (i >> 8) & 255, 7]),
    i % 2 === 0,
    types.BigDecimal.fromString(`${i}.${String(i % 100).padStart(2, '0')}`),
    i + 0.25,
    i + 0.5,
    types.InetAddress.fromString(`10.0.${(i >> 8) & 255}.${i & 255}`),
    (i % 30000) - 15000,
    (i % 256) - 128,
    `text ${i} \u00e9`,
    new types.LocalTime(types.Long.fromNumber(i * 1_000_001)),
    new Date(1_700_000_000_000 + i * 1000),
    types.TimeUuid.fromString(`00000000-0000-1000-8000-${i.toString(16).padStart(12, '0')}`),
    types.Uuid.fromString(`00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`),
    types.Integer.fromString(`${i}123456789012345678901234567890`),
    types.LocalDate.fromDate(new Date(Date.UTC(2000, 0, 1) + i * 86_400_000)),
    new types.Duration(i % 12, i % 30, types.Long.fromNumber(i * 1000)),
    [i, i + 1],
    [`s${i}`, 'x'],
    { k: i },
    new types.Tuple(i, `t${i}`),
    { street: `s${i}`, num: i },
    new Float32Array([i, i + 0.5, -i]),
  ];
}

/** A value rendered as text, so driver-decoded and expected values compare exactly. */
function render(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Float32Array) return `[${Array.from(v).join(',')}]`;
  if (v instanceof types.Tuple) return `(${v.values().map(render).join(',')})`;
  if (Array.isArray(v)) return `[${v.map(render).join(',')}]`;
  if (typeof v === 'object' && v.constructor?.name === 'Vector')
    return `[${Array.from(v as Iterable<number>).join(',')}]`;
  if (typeof v === 'object' && (v.constructor === Object || v.constructor === undefined)) {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}:${render(x)}`)
      .join(',')}}`;
  }
  return String(v);
}

async function connect(
  server: EmbeddedServer,
  metadataSync: boolean,
  extra: Record<string, unknown> = {},
): Promise<ClientT> {
  const client = new Client({
    contactPoints: [server.contactPoints[0]!],
    localDataCenter: 'datacenter1',
    protocolOptions: { port: server.port, maxVersion: 4 },
    isMetadataSyncEnabled: metadataSync,
    ...extra,
  });
  await client.connect();
  return client;
}

describe.each([true, false])(
  'npm cassandra-driver (protocol v4, isMetadataSyncEnabled %s) against the embedded server',
  (metadataSync) => {
    let server: EmbeddedServer;
    let client: ClientT;
    const keyspace = `nd_${metadataSync ? 'sync' : 'nosync'}`;

    beforeAll(async () => {
      server = await startEmbeddedServer({ port: 0 });
      client = await connect(server, metadataSync);
    });
    afterAll(async () => {
      await client?.shutdown();
      await server?.stop();
    });

    it('connects with protocol v4 and creates a keyspace, a UDT and a table with a column of every type', async () => {
      expect(
        client
          .getState()
          .getConnectedHosts()
          .map((h) => h.address),
      ).toEqual([server.contactPoints[0]]);
      await client.execute(
        `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
      );
      await client.execute(`USE ${keyspace}`);
      await client.execute('CREATE TYPE addr (street text, num int)');
      await client.execute(CREATE_TABLE);
      if (metadataSync) {
        // the driver's schema metadata, read from system_schema (columns come in name order, as from Cassandra)
        const table = await client.metadata.getTable(keyspace, 'every');
        expect(table?.partitionKeys.map((c) => c.name)).toEqual(['p']);
        expect(table?.clusteringKeys.map((c) => c.name)).toEqual(['c']);
        expect(table?.columns.length).toBe(26);
        expect(table?.columnsByName.ve?.type.code).toBe(types.dataTypes.custom);
        const udt = await client.metadata.getUdt(keyspace, 'addr');
        expect(udt?.fields.map((f) => f.name)).toEqual(['street', 'num']);
      }
    });

    it('inserts 10,000 rows with a prepared statement and reads them back in 100-row pages, in order, with every value exact', async () => {
      const insert = `INSERT INTO every (${COLUMNS}) VALUES (${COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})`;
      const params = Array.from({ length: ROWS }, (_, i) => valuesOf(i));
      const result = await concurrent.executeConcurrent(client, insert, params, {
        concurrencyLevel: 64,
        raiseOnFirstError: true,
      });
      expect(result.errors).toEqual([]);
      expect(result.totalExecuted).toBe(ROWS);

      let rows = 0;
      let pages = 0;
      let pageState: string | undefined;
      const mismatches: unknown[] = [];
      do {
        const rs = await client.execute(`SELECT ${COLUMNS} FROM every WHERE p = 0`, [], {
          prepare: true,
          fetchSize: 100,
          pageState,
        });
        pages++;
        for (const row of rs.rows) {
          const expected = valuesOf(rows).map(render);
          const got = COLUMNS.split(', ').map((name) => render(row[name]));
          if (got.join('|') !== expected.join('|') && mismatches.length < 3)
            mismatches.push({ row: rows, expected, got });
          rows++;
        }
        pageState = rs.pageState ?? undefined;
        if (pages > 200) break; // bounded
      } while (pageState !== undefined);
      expect(mismatches).toEqual([]);
      expect(rows).toBe(ROWS);
      // 100 full pages, then the empty page Cassandra sends after a full last page
      expect(pages).toBe(101);
    });

    it('COUNT(*) counts 10,000 rows', async () => {
      const rs = await client.execute('SELECT COUNT(*) FROM every');
      expect(String(rs.first().get(0))).toBe('10000');
    });

    it('a prepared SELECT with a bound partition key finds its row', async () => {
      const rs = await client.execute('SELECT c, te FROM every WHERE p = ? AND c = ?', [0, 4242], { prepare: true });
      expect(rs.rows.map((r): unknown[] => [r.c, r.te])).toEqual([[4242, 'text 4242 \u00e9']]);
    });

    it("a syntax error and an unknown table surface as the driver's ResponseError with the right code", async () => {
      const syntax = await client.execute('SELEC * FROM every').catch((e: unknown) => e);
      expect(syntax).toBeInstanceOf(errors.ResponseError);
      expect((syntax as InstanceType<typeof errors.ResponseError>).code).toBe(types.responseErrorCodes.syntaxError);
      const unknown = await client.execute('SELECT * FROM no_such_table').catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(errors.ResponseError);
      expect((unknown as InstanceType<typeof errors.ResponseError>).code).toBe(types.responseErrorCodes.invalid);
      expect((unknown as Error).message).toBe('table no_such_table does not exist');
    });

    it('the server met no internal error on the way', () => {
      expect(server.internalErrors).toEqual([]);
    });
  },
);

describe('npm cassandra-driver and a 3-node embedded cluster', () => {
  it('discovers all 3 nodes from one contact point, with DC, rack and tokens', async () => {
    const server = await startEmbeddedServer({
      nodes: 3,
      port: 0,
      dataCenter: 'datacenter1',
      rack: ['r1', 'r2', 'r3'],
    });
    const client = await connect(server, true);
    try {
      const hosts = client.hosts
        .values()
        .map((h) => `${h.address} ${h.datacenter} ${h.rack} ${h.tokens.length}`)
        .sort();
      expect(hosts).toEqual([
        `127.0.0.1:${server.port} datacenter1 r1 4`,
        `127.0.0.2:${server.port} datacenter1 r2 4`,
        `127.0.0.3:${server.port} datacenter1 r3 4`,
      ]);
    } finally {
      await client.shutdown();
      await server.stop();
    }
  });
});

describe('npm cassandra-driver seeing each priming reaction', () => {
  let server: EmbeddedServer;
  let client: ClientT;

  beforeAll(async () => {
    server = await startEmbeddedServer({ port: 0 });
    client = await connect(server, false, {
      socketOptions: { readTimeout: 400 },
      pooling: { coreConnectionsPerHost: { [types.distance.local]: 2 } },
    });
    await client.execute(
      "CREATE KEYSPACE faults WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    await client.execute('CREATE TABLE faults.t (k int PRIMARY KEY, v text)');
    await client.execute("INSERT INTO faults.t (k, v) VALUES (1, 'one')");
  });
  afterAll(async () => {
    server?.clearPrimes();
    await client?.shutdown();
    await server?.stop();
  });

  it("error: a primed READ_TIMEOUT is the driver's ResponseError with code 0x1200 and its fields", async () => {
    server.prime({ when: { query: 'FROM faults.t', times: 1 }, then: { error: { code: 'READ_TIMEOUT' } } });
    const err = await client.execute('SELECT v FROM faults.t WHERE k = 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.ResponseError);
    expect(err).toMatchObject({ code: 0x1200, received: 0, blockFor: 1, isDataPresent: 0 });
    expect((await client.execute('SELECT v FROM faults.t WHERE k = 1')).first().v).toBe('one');
  });

  it('delayMs: the answer comes after the delay', async () => {
    server.prime({ when: { query: 'FROM faults.t', times: 1 }, then: { delayMs: 250 } });
    const t0 = Date.now();
    const rs = await client.execute('SELECT v FROM faults.t WHERE k = 1');
    expect(rs.first().v).toBe('one');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
  });

  it('noResponse: the driver times the request out (readTimeout) with OperationTimedOutError', async () => {
    server.prime({ when: { query: 'FROM faults.t', times: 1 }, then: { noResponse: true } });
    const err = await client.execute('SELECT v FROM faults.t WHERE k = 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.OperationTimedOutError);
  });

  it('closeConnection: the request fails with a connection error; the next one is served on the other connection', async () => {
    server.prime({ when: { query: 'FROM faults.t', times: 1 }, then: { closeConnection: true } });
    const err = await client.execute('SELECT v FROM faults.t WHERE k = 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(errors.ResponseError);
    expect((await client.execute('SELECT v FROM faults.t WHERE k = 1')).first().v).toBe('one');
    expect(server.internalErrors).toEqual([]);
  });
});
