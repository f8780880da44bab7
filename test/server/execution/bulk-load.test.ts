import { describe, expect, it } from 'vitest';
import { Database } from '../../../src/server/execution/index.js';
import { CREATE_KS, decodeRows, int, rowsOf } from './rows.js';

describe('bulk load', () => {
  it('loads 1,000,000 rows of the 5-column benchmark table without CQL and serves them in ring order', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TABLE ks.bench (id int PRIMARY KEY, name text, big bigint, val double, ts timestamp)');
    const base = Date.UTC(2024, 0, 1);
    const n = db.load('ks', 'bench', {
      count: 1_000_000,
      // Arrays are in SELECT * order: the key, then the other columns by name (big, name, ts, val).
      generate: (i) => [i, BigInt(i) * 3n, `name-${i}`, new Date(base + i), i / 4],
    });
    expect(n).toBe(1_000_000);
    expect(decodeRows(db.execute('SELECT count(*) FROM ks.bench'))).toEqual([[1_000_000n]]);
    // int key 5 has the lowest token of 0..9 (-7509452495886106294); the first page starts with the global minimum.
    const first = rowsOf(db.execute('SELECT id, token(id) FROM ks.bench', [], { pageSize: 1000 }));
    const tokens = decodeRows(first).map((r) => r[1] as bigint);
    expect(tokens.every((t, i) => i === 0 || tokens[i - 1]! < t)).toBe(true);
    expect(first.metadata.pagingState).toBeDefined();
    expect(decodeRows(db.execute('SELECT * FROM ks.bench WHERE id = ?', [int(777_777)]))).toEqual([
      [777_777, 2_333_331n, 'name-777777', new Date(base + 777_777), 194_444.25],
    ]);
  });
});

describe('collections written by load() are stored as a CQL write stores them', () => {
  // Was a gap: load() kept set elements and map keys in the order given, while INSERT sorts them
  // by element type and collapses duplicates (Cassandra keeps collection cells ordered).
  it('sorts set elements and map keys, collapses duplicates, exactly like INSERT', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute(
      'CREATE TABLE ks.c (k int PRIMARY KEY, s set<int>, m map<text, int>, fs frozen<set<text>>, l list<int>)',
    );
    db.load('ks', 'c', [
      {
        k: 1,
        s: new Set([3, 1, 2]),
        m: new Map([
          ['b', 2],
          ['a', 1],
        ]),
        fs: new Set(['y', 'x']),
        l: [3, 1, 2],
      },
    ]);
    db.execute("INSERT INTO ks.c (k, s, m, fs, l) VALUES (2, {3, 1, 2}, {'b': 2, 'a': 1}, {'y', 'x'}, [3, 1, 2])");
    const [loaded, inserted] = decodeRows(db.execute('SELECT s, m, fs, l FROM ks.c WHERE k IN (1, 2)'));
    const plain = (row: unknown[]): unknown[] =>
      row.map((v) => (v instanceof Set ? [...v] : v instanceof Map ? [...v.entries()] : v));
    expect(plain(loaded!)).toEqual([
      [1, 2, 3],
      [
        ['a', 1],
        ['b', 2],
      ],
      ['x', 'y'],
      [3, 1, 2],
    ]);
    expect(plain(loaded!)).toEqual(plain(inserted!));
  });

  it('an empty non-frozen collection is no cell (null); an empty frozen one is an empty value', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute(
      'CREATE TABLE ks.e (k int PRIMARY KEY, s set<int>, fs frozen<set<int>>, l list<int>, fl frozen<list<int>>)',
    );
    db.load('ks', 'e', [{ k: 1, s: new Set(), fs: new Set(), l: [], fl: [] }]);
    db.execute('INSERT INTO ks.e (k, s, fs, l, fl) VALUES (2, {}, {}, [], [])');
    const rows = decodeRows(db.execute('SELECT s, fs, l, fl FROM ks.e WHERE k IN (1, 2)'));
    for (const row of rows) {
      expect(row[0]).toBeNull();
      expect([...(row[1] as Set<number>)]).toEqual([]);
      expect(row[2]).toBeNull();
      expect(row[3]).toEqual([]);
    }
  });
});
