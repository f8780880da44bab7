import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../src/protocol/errors/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { CREATE_KS, decodeRows, int } from './rows.js';

function setup(): Database {
  const db = new Database();
  db.execute(CREATE_KS);
  db.execute('CREATE TABLE ks.kv (k int PRIMARY KEY, v text)');
  db.execute('CREATE TABLE ks.comp (a int, b text, c int, v bigint, PRIMARY KEY ((a, b), c))');
  return db;
}

const spec = (table: string, name: string, kind: string) => ({ keyspace: 'ks', table, name, type: { kind } });

describe('prepared statement metadata', () => {
  it('INSERT: one spec per marker, named after its column, pk index of the key marker (as the recording shows)', () => {
    const p = setup().prepare('INSERT INTO kv (k, v) VALUES (?, ?)', 'ks');
    expect(p.bindColumns).toEqual([spec('kv', 'k', 'int'), spec('kv', 'v', 'text')]);
    expect(p.pkIndexes).toEqual([0]);
    expect(p.resultColumns).toEqual([]);
    expect(p.table).toEqual({ keyspace: 'ks', name: 'kv' });
  });

  it('SELECT * WHERE k = ?: result columns in SELECT * order and the pk index', () => {
    const p = setup().prepare('SELECT * FROM kv WHERE k = ?', 'ks');
    expect(p.bindColumns).toEqual([spec('kv', 'k', 'int')]);
    expect(p.pkIndexes).toEqual([0]);
    expect(p.resultColumns).toEqual([spec('kv', 'k', 'int'), spec('kv', 'v', 'text')]);
  });

  it('a composite partition key gives its components in key order, whatever the marker order', () => {
    const p = setup().prepare('SELECT v FROM ks.comp WHERE b = ? AND c > ? AND a = ? LIMIT ?');
    expect(p.bindColumns).toEqual([
      spec('comp', 'b', 'text'),
      spec('comp', 'c', 'int'),
      spec('comp', 'a', 'int'),
      spec('comp', '[limit]', 'int'),
    ]);
    expect(p.pkIndexes).toEqual([2, 0]);
  });

  it('pk indexes are empty unless every partition-key component is bound by a marker', () => {
    const db = setup();
    expect(db.prepare("SELECT v FROM ks.comp WHERE a = ? AND b = 'x'").pkIndexes).toEqual([]);
    expect(db.prepare('SELECT v FROM ks.comp WHERE a = ? AND b IN ?').pkIndexes).toEqual([]);
    expect(db.prepare('SELECT v FROM ks.comp WHERE a = ? AND b IN ?').bindColumns[1]).toEqual({
      keyspace: 'ks',
      table: 'comp',
      name: 'in(b)',
      type: { kind: 'list', element: { kind: 'text' } },
    });
  });

  it("token markers, TTL/TIMESTAMP, PER PARTITION LIMIT and named markers get Cassandra's names", () => {
    const db = setup();
    expect(db.prepare('SELECT k FROM ks.kv WHERE token(k) > ? AND token(k) <= ?').bindColumns).toEqual([
      spec('kv', 'partition key token', 'bigint'),
      spec('kv', 'partition key token', 'bigint'),
    ]);
    expect(
      db.prepare('INSERT INTO ks.kv (k, v) VALUES (?, ?) USING TTL ? AND TIMESTAMP ?').bindColumns.map((c) => c.name),
    ).toEqual(['k', 'v', '[ttl]', '[timestamp]']);
    expect(db.prepare('SELECT * FROM ks.comp PER PARTITION LIMIT ? LIMIT ?').bindColumns.map((c) => c.name)).toEqual([
      '[per_partition_limit]',
      '[limit]',
    ]);
    expect(db.prepare('UPDATE ks.kv SET v = :value WHERE k = :id').bindColumns.map((c) => c.name)).toEqual([
      'value',
      'id',
    ]);
    expect(db.prepare('UPDATE ks.kv SET v = :value WHERE k = :id').pkIndexes).toEqual([1]);
  });

  it('PREPARE validates against the schema: unknown tables and columns are refused', () => {
    const db = setup();
    expect(() => db.prepare('SELECT * FROM ks.nope WHERE k = ?')).toThrow(InvalidRequestError);
    expect(() => db.prepare('SELECT nope FROM ks.kv')).toThrow('Undefined column name nope in table ks.kv');
  });

  it('EXECUTE of a prepared statement uses the keyspace it was prepared in and the bound values', () => {
    const db = setup();
    const ins = db.prepare('INSERT INTO kv (k, v) VALUES (?, ?)', 'ks');
    for (let i = 0; i < 5; i++) db.execute(ins, [int(i), Buffer.from(`v${i}`)]);
    const sel = db.prepare('SELECT v FROM kv WHERE k = ?', 'ks');
    expect(decodeRows(db.execute(sel, [int(3)]))).toEqual([['v3']]);
  });

  it('the parse cache returns the same parsed statement for the same text', () => {
    const db = setup();
    expect(db.parse('SELECT * FROM ks.kv')).toBe(db.parse('SELECT * FROM ks.kv'));
  });
});
