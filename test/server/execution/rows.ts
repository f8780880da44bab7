import { expect } from 'vitest';
import { decodeValue } from '../../../src/protocol/types/index.js';
import type { Database, ExecutionResult, RowsPage } from '../../../src/server/execution/index.js';

/** Asserts a Rows result and returns it. */
export function rowsOf(r: ExecutionResult): RowsPage {
  expect(r.kind).toBe('rows');
  return r as RowsPage;
}

/** Decodes a Rows result's rows_content into arrays of JS values (for assertions only). */
export function decodeRows(r: ExecutionResult): unknown[][] {
  const rows = rowsOf(r);
  const buf = Array.isArray(rows.rowsContent) ? Buffer.concat(rows.rowsContent) : rows.rowsContent;
  const out: unknown[][] = [];
  let p = 0;
  for (let i = 0; i < rows.rowCount; i++) {
    const row: unknown[] = [];
    for (const c of rows.metadata.columns) {
      const len = buf.readInt32BE(p);
      p += 4;
      if (len < 0) {
        row.push(null);
        continue;
      }
      row.push(decodeValue(c.type, buf, p, len));
      p += len;
    }
    out.push(row);
  }
  expect(p).toBe(buf.length);
  return out;
}

export function int(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

export function bigint(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
}

export const CREATE_KS = "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";

/**
 * Runs a query page by page to the end and returns each page's rows content and paging state as
 * hex, so two ways of serving the same table can be compared byte for byte.
 */
export function pagedBytes(
  db: Database,
  query: string,
  values: Buffer[],
  pageSize: number,
): { content: string; state: string | undefined }[] {
  const out: { content: string; state: string | undefined }[] = [];
  let pagingState: Buffer | undefined;
  for (;;) {
    const r = db.execute(query, values, { pageSize, pagingState }) as RowsPage;
    const content = Array.isArray(r.rowsContent) ? Buffer.concat(r.rowsContent) : r.rowsContent;
    out.push({ content: content.toString('hex'), state: r.metadata.pagingState?.toString('hex') });
    if (r.metadata.pagingState === undefined) return out;
    pagingState = r.metadata.pagingState;
  }
}
