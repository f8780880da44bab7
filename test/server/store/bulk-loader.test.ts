import { describe, expect, it } from 'vitest';
import type { RowsPage } from '../../../src/server/execution/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { bigint, CREATE_KS, decodeRows, int, pagedBytes as pages } from '../execution/rows.js';

const TABLE = 'CREATE TABLE ks.t (p int, q text, c int, v text, PRIMARY KEY ((p, q), c))';

/**
 * 3000 rows in a scrambled order over 200 composite partitions, with every 10th primary key
 * loaded twice (the second copy, loaded later, has another value and must win).
 */
function source(): unknown[][] {
  const rows: unknown[][] = [];
  for (let i = 0; i < 3000; i++) {
    const j = (i * 7919) % 3000;
    rows.push([j % 200, `k${j % 7}`, Math.floor(j / 200), `v${j}`]);
    if (j % 10 === 0) rows.push([j % 200, `k${j % 7}`, Math.floor(j / 200), null]);
  }
  return rows;
}

/** `bulk`: loaded into an empty table (slab built by the loader); otherwise upserted row by row. */
function store(bulk: boolean): Database {
  const db = new Database();
  db.execute(CREATE_KS);
  db.execute(TABLE);
  // A row in the table before the load makes load() upsert row by row; it is loaded again below.
  if (!bulk) db.execute("INSERT INTO ks.t (p, q, c, v) VALUES (0, 'k0', 0, 'v0')");
  // Arrays are in SELECT * order: p, q, c, then v.
  expect(db.load('ks', 't', source())).toBe(3300);
  return db;
}

describe('bulk load into an empty table', () => {
  it('keeps one row per primary key (the last loaded) and serves the same pages and paging states as row-by-row upserts', () => {
    const bulk = store(true);
    const general = store(false);
    expect(decodeRows(bulk.execute('SELECT count(*) FROM ks.t'))).toEqual([[3000n]]);
    for (const pageSize of [1, 13, 1000, 3000]) {
      expect(pages(bulk, 'SELECT * FROM ks.t', [], pageSize)).toEqual(
        pages(general, 'SELECT * FROM ks.t', [], pageSize),
      );
    }
    const q = 'SELECT * FROM ks.t WHERE token(p, q) > ? AND token(p, q) <= ? LIMIT 1700';
    const v = [bigint(-(2n ** 62n)), bigint(2n ** 62n)];
    expect(pages(bulk, q, v, 97)).toEqual(pages(general, q, v, 97));
  });

  it('serves a duplicated key with the later value and a single key with its own', () => {
    const db = store(true);
    // j = 0 (p 0, q k0, c 0) was loaded as 'v0' then as null: the null wins.
    expect(decodeRows(db.execute("SELECT v FROM ks.t WHERE p = 0 AND q = 'k0' AND c = 0"))).toEqual([[null]]);
    // j = 1 (p 1, q k1, c 0) was loaded once.
    expect(decodeRows(db.execute("SELECT v FROM ks.t WHERE p = 1 AND q = 'k1' AND c = 0"))).toEqual([['v1']]);
  });

  it('serves the first full scan from the slab (one view per page) without building row objects', () => {
    const db = store(true);
    const r = db.execute('SELECT * FROM ks.t', [], { pageSize: 3000 }) as RowsPage;
    expect(Buffer.isBuffer(r.rowsContent)).toBe(true);
    expect(r.rowCount).toBe(3000);
  });

  it('takes later CQL writes: the slab goes stale and reads see the write', () => {
    const db = store(true);
    const before = pages(db, 'SELECT * FROM ks.t', [], 500);
    db.execute("UPDATE ks.t SET v = 'new' WHERE p = 1 AND q = 'k1' AND c = 0");
    db.execute("DELETE FROM ks.t WHERE p = 2 AND q = 'k2' AND c = 0");
    expect(decodeRows(db.execute("SELECT v FROM ks.t WHERE p = 1 AND q = 'k1' AND c = 0"))).toEqual([['new']]);
    expect(decodeRows(db.execute('SELECT count(*) FROM ks.t'))).toEqual([[2999n]]);
    const after = pages(db, 'SELECT * FROM ks.t', [], 500);
    expect(after).not.toEqual(before);
    const all = decodeRows(db.execute('SELECT p, q, c, v FROM ks.t'));
    expect(all.length).toBe(2999);
    expect(all.filter((r) => r[3] === 'new')).toEqual([[1, 'k1', 0, 'new']]);
    expect(all.some((r) => r[0] === 2 && r[1] === 'k2' && r[2] === 0)).toBe(false);
  });

  it('a paging state taken from the slab continues on the row objects after a write elsewhere', () => {
    const db = store(true);
    const reference = store(true);
    const first = db.execute('SELECT * FROM ks.t', [], { pageSize: 1234 }) as RowsPage;
    // Same value as loaded: the data is unchanged but the slab is stale (general path).
    db.execute("INSERT INTO ks.t (p, q, c, v) VALUES (0, 'k0', 0, null)");
    const a = db.execute('SELECT * FROM ks.t', [], {
      pageSize: 1234,
      pagingState: first.metadata.pagingState,
    }) as RowsPage;
    const b = reference.execute('SELECT * FROM ks.t', [], {
      pageSize: 1234,
      pagingState: first.metadata.pagingState,
    }) as RowsPage;
    expect(Buffer.concat([a.rowsContent].flat()).equals(Buffer.concat([b.rowsContent].flat()))).toBe(true);
    expect(a.metadata.pagingState?.toString('hex')).toBe(b.metadata.pagingState?.toString('hex'));
  });

  it('keeps the rows before a bad one, as row-by-row upserts do', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TABLE ks.k (id int PRIMARY KEY, v text)');
    expect(() =>
      db.load('ks', 'k', [
        [1, 'a'],
        [2, 'b'],
        [null, 'c'],
        [4, 'd'],
      ]),
    ).toThrow('Invalid null value for partition key column id');
    expect(decodeRows(db.execute('SELECT id, v FROM ks.k WHERE id IN (1, 2, 4)'))).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    // The table is no longer empty: a second load upserts into it.
    expect(
      db.load('ks', 'k', [
        [2, 'B'],
        [3, 'c'],
      ]),
    ).toBe(2);
    expect(decodeRows(db.execute('SELECT id, v FROM ks.k WHERE id IN (1, 2, 3)'))).toEqual([
      [1, 'a'],
      [2, 'B'],
      [3, 'c'],
    ]);
  });

  it('TRUNCATE empties a bulk-loaded table and a new load fills it again', () => {
    const db = store(true);
    db.execute('TRUNCATE ks.t');
    expect(decodeRows(db.execute('SELECT count(*) FROM ks.t'))).toEqual([[0n]]);
    expect(db.load('ks', 't', [[5, 'x', 1, 'y']])).toBe(1);
    expect(decodeRows(db.execute('SELECT * FROM ks.t'))).toEqual([[5, 'x', 1, 'y']]);
    expect(decodeRows(db.execute('SELECT v FROM ks.t WHERE p = ? AND q = ?', [int(5), Buffer.from('x')]))).toEqual([
      ['y'],
    ]);
  });

  it('past its staging limit it upserts row by row, with the same result', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute(TABLE);
    const data = db.store.table(db.store.schema.table('ks', 't'));
    // Rows here are 4 cells of 4 + up to 5 bytes: about 30 rows fit in 1000 bytes.
    expect(data.beginLoad(1000)).toBe(true);
    for (const [p, q, c, v] of source() as [number, string, number, string | null][]) {
      const key = Buffer.alloc(2 + 4 + 1 + 2 + q.length + 1);
      key.writeUInt16BE(4, 0);
      key.writeInt32BE(p, 2);
      key.writeUInt16BE(q.length, 7);
      key.write(q, 9, 'latin1');
      data.loadRow(key, [int(p), Buffer.from(q), int(c), v === null ? null : Buffer.from(v)]);
    }
    data.endLoad();
    expect(pages(db, 'SELECT * FROM ks.t', [], 1000)).toEqual(pages(store(true), 'SELECT * FROM ks.t', [], 1000));
  });

  it('a load in chunks (with and without reads between them) keeps the later row of equal keys and stays on the slab', () => {
    const rows = source();
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute(TABLE);
    // Chunks of 1000, 1000 and 1300 rows: duplicated keys fall both inside and across chunks.
    expect(db.load('ks', 't', rows.slice(0, 1000))).toBe(1000);
    // A full scan lays the first chunk out (909 distinct keys among its 1000 rows) and stays on
    // the slab; the next two chunks share one staging, merged into that layout.
    const firstChunk = db.execute('SELECT * FROM ks.t', [], { pageSize: 5000 }) as RowsPage;
    expect(Buffer.isBuffer(firstChunk.rowsContent)).toBe(true);
    expect(firstChunk.rowCount).toBe(909);
    expect(db.load('ks', 't', rows.slice(1000, 2000))).toBe(1000);
    expect(db.load('ks', 't', rows.slice(2000))).toBe(1300);
    expect(db.load('ks', 't', [])).toBe(0);
    const whole = store(true);
    for (const pageSize of [7, 3000]) {
      expect(pages(db, 'SELECT * FROM ks.t', [], pageSize)).toEqual(pages(whole, 'SELECT * FROM ks.t', [], pageSize));
    }
    const r = db.execute('SELECT * FROM ks.t', [], { pageSize: 3000 }) as RowsPage;
    expect(Buffer.isBuffer(r.rowsContent)).toBe(true);
    // Overwriting a key of the first chunk from the last one.
    db.load('ks', 't', [[0, 'k0', 0, 'last']]);
    expect(decodeRows(db.execute("SELECT v FROM ks.t WHERE p = 0 AND q = 'k0' AND c = 0"))).toEqual([['last']]);
    expect(decodeRows(db.execute('SELECT count(*) FROM ks.t'))).toEqual([[3000n]]);
  });
});
