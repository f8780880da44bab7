import { describe, expect, it } from 'vitest';
import type { RowsPage } from '../../../src/server/execution/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { bigint, CREATE_KS, pagedBytes as pages } from '../execution/rows.js';

/** Two stores with the same 6000 rows; on the second a write after loading keeps the slab layout stale. */
function pair(): { laidOut: Database; general: Database } {
  const make = (rowByRow: boolean): Database => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TABLE ks.t (p int, c int, v text, PRIMARY KEY (p, c))');
    // A load into a non-empty table upserts row by row: each row keeps its own buffer (a load
    // into an empty table builds the rows as views of the slab).
    if (rowByRow) db.execute("INSERT INTO ks.t (p, c, v) VALUES (0, 0, 'v0')");
    db.load('ks', 't', { count: 6000, generate: (i) => ({ p: i % 1500, c: Math.floor(i / 1500), v: `v${i}` }) });
    return db;
  };
  const laidOut = make(false);
  const general = make(true);
  // A full scan lays the table out; one write after it (same value: data unchanged) makes the
  // layout stale, so this store serves from the row objects.
  general.execute('SELECT * FROM ks.t', [], { pageSize: 1 });
  general.execute("INSERT INTO ks.t (p, c, v) VALUES (0, 0, 'v0')");
  return { laidOut, general };
}

describe('slab layout fast path', () => {
  const { laidOut, general } = pair();

  it('serves a full-scan page as one contiguous view of the slab', () => {
    const r = laidOut.execute('SELECT * FROM ks.t', [], { pageSize: 1000 }) as RowsPage;
    expect(Buffer.isBuffer(r.rowsContent)).toBe(true);
    expect(r.rowCount).toBe(1000);
    const g = general.execute('SELECT * FROM ks.t', [], { pageSize: 1000 }) as RowsPage;
    expect(Array.isArray(g.rowsContent)).toBe(true);
  });

  for (const pageSize of [1, 7, 999, 4000, 6000]) {
    it(`gives byte-identical pages and paging states to the general path (page size ${pageSize})`, () => {
      expect(pages(laidOut, 'SELECT * FROM ks.t', [], pageSize)).toEqual(
        pages(general, 'SELECT * FROM ks.t', [], pageSize),
      );
    });
  }

  it('with LIMIT and token ranges too, and paging states cross between the two paths', () => {
    const q = 'SELECT * FROM ks.t WHERE token(p) > ? AND token(p) <= ? LIMIT 2500';
    const v = [bigint(-(2n ** 62n)), bigint(2n ** 61n)];
    expect(pages(laidOut, q, v, 333)).toEqual(pages(general, q, v, 333));
    const first = laidOut.execute('SELECT * FROM ks.t', [], { pageSize: 100 }) as RowsPage;
    const a = laidOut.execute('SELECT * FROM ks.t', [], {
      pageSize: 100,
      pagingState: first.metadata.pagingState,
    }) as RowsPage;
    const b = general.execute('SELECT * FROM ks.t', [], {
      pageSize: 100,
      pagingState: first.metadata.pagingState,
    }) as RowsPage;
    expect(Buffer.concat([a.rowsContent].flat()).equals(Buffer.concat([b.rowsContent].flat()))).toBe(true);
    expect(a.metadata.pagingState!.equals(b.metadata.pagingState!)).toBe(true);
  });
});
