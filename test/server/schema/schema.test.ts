import { describe, expect, it } from 'vitest';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import {
  AlreadyExistsError,
  ConfigurationError,
  type InvalidRequestError,
} from '../../../src/protocol/errors/index.js';
import type { SchemaChange } from '../../../src/protocol/messages/index.js';
import type { CreateTableStatement } from '../../../src/server/cql/index.js';
import { parseStatement } from '../../../src/server/cql/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { Schema } from '../../../src/server/schema/index.js';

const KS = "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";

describe('schema', () => {
  it('every change gets a new version and is announced to listeners', () => {
    const db = new Database();
    const seen: SchemaChange[] = [];
    const unsubscribe = db.onSchemaChange((c) => seen.push(c));
    const v0 = db.schemaVersion;
    db.execute(KS);
    const v1 = db.schemaVersion;
    db.execute('CREATE TABLE ks.t (k int PRIMARY KEY, v int)');
    db.execute('CREATE TYPE ks.u (a int)');
    db.execute('ALTER TABLE ks.t ADD w text');
    db.execute('DROP TYPE ks.u');
    db.execute('DROP TABLE ks.t');
    unsubscribe();
    db.execute('DROP KEYSPACE ks');
    expect(v0).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(v1).not.toBe(v0);
    expect(db.schemaVersion).not.toBe(v1);
    expect(seen).toEqual([
      { change: 'CREATED', target: 'KEYSPACE', keyspace: 'ks' },
      { change: 'CREATED', target: 'TABLE', keyspace: 'ks', name: 't' },
      { change: 'CREATED', target: 'TYPE', keyspace: 'ks', name: 'u' },
      { change: 'UPDATED', target: 'TABLE', keyspace: 'ks', name: 't' },
      { change: 'DROPPED', target: 'TYPE', keyspace: 'ks', name: 'u' },
      { change: 'DROPPED', target: 'TABLE', keyspace: 'ks', name: 't' },
    ]);
  });

  it('IF NOT EXISTS / IF EXISTS on something already there (or missing) changes nothing', () => {
    const db = new Database();
    db.execute(KS);
    const v = db.schemaVersion;
    expect(db.execute("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy'}")).toEqual({
      opcode: Opcode.RESULT,
      kind: 'void',
    });
    expect(db.execute('DROP TABLE IF EXISTS ks.none')).toEqual({ opcode: Opcode.RESULT, kind: 'void' });
    expect(db.schemaVersion).toBe(v);
  });

  it('table metadata: kinds, positions, clustering order, slots in SELECT * order', () => {
    const schema = new Schema();
    schema.createKeyspace({
      type: 'create_keyspace',
      keyspace: 'ks',
      ifNotExists: false,
      durableWrites: true,
      replication: new Map([['class', 'SimpleStrategy']]),
    });
    const stmt = parseStatement(
      'CREATE TABLE t (b int, a int, z text, y text, x int, PRIMARY KEY ((b, a), z, y)) WITH CLUSTERING ORDER BY (z DESC, y ASC)',
    ).statement as CreateTableStatement;
    const { table } = schema.createTable(stmt, 'ks');
    expect(table.columns.map((c) => [c.name, c.kind, c.position, c.clusteringOrder, c.slot])).toEqual([
      ['b', 'partition_key', 0, 'none', 0],
      ['a', 'partition_key', 1, 'none', 1],
      ['z', 'clustering', 0, 'desc', 2],
      ['y', 'clustering', 1, 'asc', 3],
      ['x', 'regular', -1, 'none', 4],
    ]);
  });

  it("refuses bad definitions with Cassandra's messages", () => {
    const db = new Database();
    db.execute(KS);
    const msg = (q: string): string => {
      try {
        db.execute(q);
      } catch (e) {
        return (e as InvalidRequestError).serverMessage;
      }
      return 'no error';
    };
    expect(msg('CREATE TABLE ks.a (k int, v int, PRIMARY KEY (nope))')).toBe(
      'Unknown definition nope referenced in PRIMARY KEY',
    );
    expect(msg('CREATE TABLE ks.a (k int PRIMARY KEY, n counter, v int)')).toBe(
      'Cannot mix counter and non counter columns in the same table',
    );
    expect(msg('CREATE TABLE ks.a (k list<int> PRIMARY KEY)')).toBe(
      'Invalid non-frozen collection type for PRIMARY KEY component k',
    );
    expect(msg('CREATE TABLE ks.a (k int PRIMARY KEY, u frozen<nope>)')).toBe('Unknown type ks.nope');
    expect(msg('CREATE TABLE nope.a (k int PRIMARY KEY)')).toBe("Keyspace 'nope' doesn't exist");
    expect(msg('DROP TABLE ks.nope')).toBe("Table 'ks.nope' doesn't exist");
    db.execute('CREATE TYPE ks.u (a int)');
    db.execute('CREATE TABLE ks.uses (k int PRIMARY KEY, v frozen<u>)');
    expect(msg('CREATE TYPE ks.u (b int)')).toBe("A user type with name 'u' already exists.");
    expect(msg('DROP TYPE ks.u')).toBe("Cannot drop user type 'ks.u' as it is still used by table uses");
    expect(() => db.execute('DROP KEYSPACE nope')).toThrow(ConfigurationError);
    expect(() => db.execute('CREATE TABLE ks.uses (k int PRIMARY KEY)')).toThrow(AlreadyExistsError);
  });

  it("ALTER TABLE ADD re-lays existing rows; DROP removes the column's cells", () => {
    const db = new Database();
    db.execute(KS);
    db.execute('CREATE TABLE ks.t (k int PRIMARY KEY, m text)');
    db.execute("INSERT INTO ks.t (k, m) VALUES (1, 'em')");
    db.execute('ALTER TABLE ks.t ADD b int');
    db.execute('UPDATE ks.t SET b = 2 WHERE k = 1');
    const rows = db.execute('SELECT * FROM ks.t');
    expect(rows.kind === 'rows' && rows.metadata.columns.map((c) => c.name)).toEqual(['k', 'b', 'm']);
    db.execute('ALTER TABLE ks.t DROP m');
    const after = db.execute('SELECT * FROM ks.t');
    expect(after.kind === 'rows' && after.metadata.columns.map((c) => c.name)).toEqual(['k', 'b']);
    expect(after.kind === 'rows' && Buffer.concat([after.rowsContent].flat()).toString('hex')).toBe(
      '00000004' +
        '00000001' + // k = 1
        '00000004' +
        '00000002', // b = 2
    );
  });
});
