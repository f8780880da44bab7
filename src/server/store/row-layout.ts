import { bytesListSize, writeBytesList } from '../../protocol/primitives/index.js';
/**
 * A stored row is one Buffer holding every column's cell as a protocol [bytes] (4-byte length,
 * -1 for null, then the value) in `SELECT *` order. Serving `SELECT *` is then a copy of these
 * buffers; other projections walk the lengths to find cells (no per-cell copy).
 */

/** The size of a row's encoding: each cell's 4-byte length plus its bytes (null or undefined = null cell). */
export const encodedRowSize: (cells: readonly (Buffer | null | undefined)[]) => number = bytesListSize;

/** Writes a row's cells as [bytes] into `out` at `offset` (room checked by the caller); returns the end. */
export const writeRowCells: (cells: readonly (Buffer | null | undefined)[], out: Buffer, offset: number) => number =
  writeBytesList;

/** Encodes cells (null or undefined = null cell) into one row buffer. */
export function encodeRow(cells: readonly (Buffer | null | undefined)[]): Buffer {
  const out = Buffer.allocUnsafe(encodedRowSize(cells));
  writeRowCells(cells, out, 0);
  return out;
}

/** The value of cell `slot` (a view), or null. */
export function cellValue(row: Buffer, slot: number): Buffer | null {
  let p = 0;
  for (let i = 0; i < slot; i++) {
    const len = row.readInt32BE(p);
    p += 4 + (len > 0 ? len : 0);
  }
  const len = row.readInt32BE(p);
  return len < 0 ? null : row.subarray(p + 4, p + 4 + len);
}

/** Every cell as a view (null for null cells). */
export function decodeRow(row: Buffer, count: number): (Buffer | null)[] {
  const cells: (Buffer | null)[] = new Array<Buffer | null>(count);
  let p = 0;
  for (let i = 0; i < count; i++) {
    const len = row.readInt32BE(p);
    cells[i] = len < 0 ? null : row.subarray(p + 4, p + 4 + len);
    p += 4 + (len > 0 ? len : 0);
  }
  return cells;
}
