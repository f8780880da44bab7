import { describe, expect, it } from 'vitest';
import type { ExecuteOptions } from '../../../src/server/execution/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { CREATE_KS, decodeRows, rowsOf } from '../execution/rows.js';

/** 23 rows over 5 partitions of uneven sizes (7, 5, 1, 6, 4): not a multiple of any page size 2..7. */
function setup(): Database {
  const db = new Database();
  db.execute(CREATE_KS);
  db.execute('CREATE TABLE ks.t (pk int, ck int, v text, PRIMARY KEY (pk, ck))');
  const sizes = [7, 5, 1, 6, 4];
  sizes.forEach((n, pk) => {
    for (let ck = n - 1; ck >= 0; ck--)
      db.execute(`INSERT INTO ks.t (pk, ck, v) VALUES (${pk}, ${ck}, 'r${pk}.${ck}')`);
  });
  return db;
}

/** Pages through a query, alternating between the given nodes; returns the rows and the page sizes. */
function pageAll(
  nodes: Database[],
  query: string,
  pageSize: number,
  options: ExecuteOptions = {},
): { rows: unknown[][]; pages: number[]; lastHadState: boolean[] } {
  const rows: unknown[][] = [];
  const pages: number[] = [];
  const lastHadState: boolean[] = [];
  let pagingState: Buffer | undefined;
  for (let i = 0; i < 1000; i++) {
    const node = nodes[i % nodes.length]!;
    const r = rowsOf(node.execute(query, [], { ...options, pageSize, pagingState }));
    rows.push(...decodeRows(r));
    pages.push(r.rowCount);
    lastHadState.push(r.metadata.pagingState !== undefined);
    if (r.metadata.pagingState === undefined) break;
    pagingState = r.metadata.pagingState;
  }
  return { rows, pages, lastHadState };
}

describe('paging', () => {
  const db = setup();
  const all = decodeRows(db.execute('SELECT pk, ck, v FROM ks.t'));

  it('the unpaged scan returns the 23 rows, partitions in token order, rows in clustering order', () => {
    // Ring order of the int keys by their Murmur3 tokens: 1 (-4069959284402364209),
    // 0 (-3485513579396041028), 2 (-3248873570005575792), 4 (-2729420104000364805), 3 (9010454139840013625).
    expect(all.map((r) => r[0])).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3]);
    expect(all.slice(0, 5).map((r) => r[1])).toEqual([0, 1, 2, 3, 4]);
  });

  for (let pageSize = 1; pageSize <= 7; pageSize++) {
    it(`page size ${pageSize}: every row exactly once in order, alternating between two nodes over one store`, () => {
      const other = new Database(db.store);
      const { rows, pages, lastHadState } = pageAll([db, other], 'SELECT pk, ck, v FROM ks.t', pageSize);
      expect(rows).toEqual(all);
      const full = Math.floor(23 / pageSize);
      const rest = 23 % pageSize;
      // Cassandra: a full page always carries a paging state, so an exact fit ends with an empty page.
      const expected = [...Array<number>(full).fill(pageSize), rest];
      expect(pages).toEqual(expected);
      expect(lastHadState).toEqual([...Array<boolean>(full).fill(true), false]);
    });

    it(`page size ${pageSize} with LIMIT 10: the limit holds across pages and nodes`, () => {
      const other = new Database(db.store);
      const { rows, pages } = pageAll([other, db], 'SELECT pk, ck, v FROM ks.t LIMIT 10', pageSize);
      expect(rows).toEqual(all.slice(0, 10));
      const full = Math.floor(10 / pageSize);
      const rest = 10 % pageSize;
      // When the LIMIT is reached exactly at the end of a page there is no paging state.
      expect(pages).toEqual(
        rest === 0 ? Array<number>(full).fill(pageSize) : [...Array<number>(full).fill(pageSize), rest],
      );
    });

    it(`page size ${pageSize} within one partition with a clustering range`, () => {
      const { rows } = pageAll(
        [db, new Database(db.store)],
        'SELECT pk, ck, v FROM ks.t WHERE pk = 0 AND ck >= 1 AND ck < 6',
        pageSize,
      );
      expect(rows.map((r) => r[1])).toEqual([1, 2, 3, 4, 5]);
    });

    it(`page size ${pageSize} with PER PARTITION LIMIT 2`, () => {
      const { rows } = pageAll([db, new Database(db.store)], 'SELECT pk, ck FROM ks.t PER PARTITION LIMIT 2', pageSize);
      expect(rows).toEqual([
        [1, 0],
        [1, 1],
        [0, 0],
        [0, 1],
        [2, 0],
        [4, 0],
        [4, 1],
        [3, 0],
        [3, 1],
      ]);
    });
  }

  it('1000 rows in one partition with page size 100: ten full pages with a state, then an empty page without one', () => {
    const big = new Database();
    big.execute(CREATE_KS);
    big.execute('CREATE TABLE ks.paged (pk int, ck int, v text, PRIMARY KEY (pk, ck))');
    big.load('ks', 'paged', { count: 1000, generate: (i) => ({ pk: 1, ck: i, v: `value-${i}` }) });
    const { rows, pages, lastHadState } = pageAll([big], 'SELECT ck, v FROM ks.paged WHERE pk = 1', 100);
    expect(rows.length).toBe(1000);
    expect(rows[999]).toEqual([999, 'value-999']);
    expect(pages).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0]);
    expect(lastHadState).toEqual([true, true, true, true, true, true, true, true, true, true, false]);
  });

  it('IN pages across its partitions in ring order (not IN order, since CASSANDRA-7981), duplicates removed', () => {
    const { rows } = pageAll([db, new Database(db.store)], 'SELECT pk, ck FROM ks.t WHERE pk IN (3, 2, 3)', 2);
    // token(2) = -3248873570005575792 < token(3) = 9010454139840013625
    expect(rows).toEqual([
      [2, 0],
      [3, 0],
      [3, 1],
      [3, 2],
      [3, 3],
      [3, 4],
      [3, 5],
    ]);
  });

  it('a partition deleted between pages is skipped, resuming at the next key in ring order', () => {
    const local = setup();
    const first = rowsOf(local.execute('SELECT pk, ck FROM ks.t', [], { pageSize: 6 }));
    expect(decodeRows(first).at(-1)).toEqual([0, 0]);
    local.execute('DELETE FROM ks.t WHERE pk = 0');
    const next = rowsOf(
      local.execute('SELECT pk, ck FROM ks.t', [], { pageSize: 6, pagingState: first.metadata.pagingState }),
    );
    expect(decodeRows(next)).toEqual([
      [2, 0],
      [4, 0],
      [4, 1],
      [4, 2],
      [4, 3],
      [3, 0],
    ]);
  });

  it('a malformed paging state on a query is ProtocolViolationError 0x000A', () => {
    expect(() => db.execute('SELECT * FROM ks.t', [], { pageSize: 5, pagingState: Buffer.from('ff', 'hex') })).toThrow(
      'Invalid value for the paging state',
    );
  });
});

describe('ORDER BY', () => {
  const db = setup();

  for (const pageSize of [1, 2, 3, 7]) {
    it(`ORDER BY ck DESC reverses a partition and pages backwards (page size ${pageSize}) across nodes`, () => {
      const { rows } = pageAll(
        [db, new Database(db.store)],
        'SELECT ck FROM ks.t WHERE pk = 0 ORDER BY ck DESC',
        pageSize,
      );
      expect(rows.map((r) => r[0])).toEqual([6, 5, 4, 3, 2, 1, 0]);
      const ranged = pageAll(
        [db],
        'SELECT ck FROM ks.t WHERE pk = 0 AND ck > 1 AND ck <= 5 ORDER BY ck DESC',
        pageSize,
      ).rows;
      expect(ranged.map((r) => r[0])).toEqual([5, 4, 3, 2]);
    });
  }

  it('IN with ORDER BY sorts across partitions when unpaged and is refused when paged, as Cassandra does', () => {
    expect(decodeRows(db.execute('SELECT pk, ck FROM ks.t WHERE pk IN (2, 4) AND ck < 2 ORDER BY ck DESC'))).toEqual([
      [4, 1],
      [2, 0],
      [4, 0],
    ]);
    expect(() =>
      db.execute('SELECT pk, ck FROM ks.t WHERE pk IN (2, 4) ORDER BY ck DESC', [], { pageSize: 10 }),
    ).toThrow('Cannot page queries with both ORDER BY and a IN restriction on the partition key');
    expect(() => db.execute('SELECT pk FROM ks.t ORDER BY ck DESC')).toThrow(
      'ORDER BY is only supported when the partition key is restricted by an EQ or an IN.',
    );
  });
});
