import { describe, expect, it } from 'vitest';
import { Uuid } from '../../../src/protocol/types/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { CREATE_KS, decodeRows, rowsOf } from './rows.js';

function setup(): Database {
  const db = new Database();
  db.execute(CREATE_KS);
  db.execute('CREATE TYPE ks.addr (street text, zip int)');
  db.execute(
    'CREATE TABLE ks.t (p int, c timeuuid, v frozen<addr>, m map<text, int>, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)',
  );
  return db;
}

describe('system_schema', () => {
  it('keyspaces lists our keyspace with its replication (full strategy class name)', () => {
    const rows = decodeRows(setup().execute("SELECT * FROM system_schema.keyspaces WHERE keyspace_name = 'ks'"));
    expect(rows).toEqual([
      [
        'ks',
        true,
        new Map([
          ['class', 'org.apache.cassandra.locator.SimpleStrategy'],
          ['replication_factor', '1'],
        ]),
      ],
    ]);
  });

  it('columns gives kind, position, clustering_order and the CQL type string of every column', () => {
    const r = setup().execute(
      "SELECT column_name, kind, position, clustering_order, type FROM system_schema.columns WHERE keyspace_name = 'ks' AND table_name = 't'",
    );
    // Rows come in clustering order of (table_name, column_name).
    expect(decodeRows(r)).toEqual([
      ['c', 'clustering', 0, 'desc', 'timeuuid'],
      ['m', 'regular', -1, 'none', 'map<text, int>'],
      ['p', 'partition_key', 0, 'none', 'int'],
      ['v', 'regular', -1, 'none', 'frozen<addr>'],
    ]);
  });

  it('tables carries the table id and the compound flag the drivers look for', () => {
    const db = setup();
    const r = rowsOf(db.execute("SELECT table_name, flags, id FROM system_schema.tables WHERE keyspace_name = 'ks'"));
    const [row] = decodeRows(r);
    expect(row![0]).toBe('t');
    expect(row![1]).toEqual(new Set(['compound']));
    expect(row![2]).toBeInstanceOf(Uuid);
  });

  it('types lists field names and types', () => {
    expect(decodeRows(setup().execute("SELECT * FROM system_schema.types WHERE keyspace_name = 'ks'"))).toEqual([
      ['ks', 'addr', ['street', 'zip'], ['text', 'int']],
    ]);
  });

  it('the tables drivers query but we do not populate exist and are empty', () => {
    const db = setup();
    for (const t of [
      'system_schema.functions',
      'system_schema.aggregates',
      'system_schema.indexes',
      'system_schema.triggers',
      'system_schema.views',
      'system_virtual_schema.keyspaces',
      'system_virtual_schema.tables',
      'system_virtual_schema.columns',
    ]) {
      expect({ t, rows: rowsOf(db.execute(`SELECT * FROM ${t}`)).rowCount }).toEqual({ t, rows: 0 });
    }
  });
});

describe('virtual tables', () => {
  it('rows are computed on every read and served through the normal SELECT path', () => {
    const db = new Database();
    let version = 1;
    db.registerVirtualTable({
      keyspace: 'system',
      name: 'local',
      partitionKey: ['key'],
      columns: [
        { name: 'key', type: { kind: 'text' } },
        { name: 'release_version', type: { kind: 'text' } },
        { name: 'n', type: { kind: 'int' } },
      ],
      rows: () => [{ key: 'local', release_version: '5.0.2', n: version }],
    });
    expect(decodeRows(db.execute('SELECT release_version, n FROM system.local'))).toEqual([['5.0.2', 1]]);
    version = 2;
    expect(decodeRows(db.execute("SELECT n FROM system.local WHERE key = 'local'"))).toEqual([[2]]);
    // It is described in system_schema like any table.
    expect(
      decodeRows(
        db.execute(
          "SELECT column_name FROM system_schema.columns WHERE keyspace_name = 'system' AND table_name = 'local'",
        ),
      ),
    ).toEqual([['key'], ['n'], ['release_version']]);
    expect(() => db.execute("INSERT INTO system.local (key) VALUES ('x')")).toThrow(
      'Modification is not supported on table system.local',
    );
  });
});
