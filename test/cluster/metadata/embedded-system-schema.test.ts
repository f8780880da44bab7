import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCqlTypeString } from '../../../src/protocol/types/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../../src/server/index.js';
import { Cluster, type Session } from '../../../src/session/index.js';
import { loadFixture, SCAN_FIXTURE_DIR } from '../../support/fixtures.js';

/**
 * The embedded server answers the system_schema queries a metadata reader sends with the same
 * columns (names, types, order) as Cassandra 5.0.2 did in the recording.
 */
const TABLES = [
  'keyspaces',
  'tables',
  'columns',
  'types',
  'views',
  'indexes',
  'functions',
  'aggregates',
  'triggers',
  'dropped_columns',
];

function recordedColumns(query: string): string[] {
  const f = loadFixture('5.0.2-schema-v5', SCAN_FIXTURE_DIR);
  const x = f.expect.exchanges.find((e) => e.request.query === query);
  if (x === undefined) throw new Error(`no recorded ${query}`);
  return (x.response.columns as string[]).map((c) => c.replace(/varchar/g, 'text'));
}

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer();
  cluster = new Cluster({ contactPoints: server.contactPoints });
  session = await cluster.connect();
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

describe('system_schema on the embedded server, as Cassandra 5.0.2 lays it out', () => {
  for (const table of TABLES) {
    it(`SELECT * FROM system_schema.${table}: the recorded columns and types`, async () => {
      const query = `SELECT * FROM system_schema.${table}`;
      const rs = await session.execute(query);
      expect(rs.columns.map((c) => `${c.keyspace}.${c.table}.${c.name} ${toCqlTypeString(c.type)}`)).toEqual(
        recordedColumns(query),
      );
    });
  }
});
