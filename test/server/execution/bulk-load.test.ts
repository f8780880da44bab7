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
    expect(first.pagingState).toBeDefined();
    expect(decodeRows(db.execute('SELECT * FROM ks.bench WHERE id = ?', [int(777_777)])))
      .toEqual([[777_777, 2_333_331n, 'name-777777', new Date(base + 777_777), 194_444.25]]);
  });
});
