/**
 * The raw+decode client's reading of a RESULT envelope, by hand: the Rows metadata up to the rows
 * (native_protocol_v5.spec §4.2.5.2 (Rows)), then every cell of every row of the benchmark table
 * decoded into plain JS values, one plain object per row, folded with `foldCqlwireRow`. The loop
 * knows the table's columns in the order `SELECT *` returns them (the key, then the regular
 * columns by name: `BENCH_COLUMNS`); the client checks that order against the prepared
 * statement's metadata before it reads a row.
 */
import type { CqlwireBenchRow } from './read-rows.js';
import { foldCqlwireRow } from './read-rows.js';

/** The benchmark table's columns in result order, with their CQL types. */
export const BENCH_COLUMNS = [
  ['id', 'int'],
  ['counter', 'bigint'],
  ['created_at', 'timestamp'],
  ['name', 'text'],
  ['score', 'double'],
] as const;

/** A decoded row; a null cell is `null` (an empty int/bigint/double/timestamp too, as cqlwire decodes it). */
export interface DecodedBenchRow {
  id: number | null;
  name: string | null;
  counter: bigint | null;
  score: number | null;
  created_at: Date | null;
}

/** What the envelope header and Rows metadata say, up to the first row. */
export interface RowsHead {
  /** The stream id the envelope answers. */
  stream: number;
  /** The paging state as a view (Has_more_pages, 0x0002), or undefined on the last page. */
  pagingState: Buffer | undefined;
  /** v5 Metadata_changed (0x0008): the id to send from now on. */
  newMetadataId: Buffer | undefined;
  columnCount: number;
  rowCount: number;
  /** Where the first row starts. */
  rowsOffset: number;
}

const OPCODE_ERROR = 0x00;
const OPCODE_RESULT = 0x08;
const RESULT_ROWS = 0x0002;
const FLAG_TRACING = 0x02;
const FLAG_CUSTOM_PAYLOAD = 0x04;
const FLAG_WARNING = 0x08;
const GLOBAL_TABLES_SPEC = 0x0001;
const HAS_MORE_PAGES = 0x0002;
const NO_METADATA = 0x0004;
const METADATA_CHANGED = 0x0008;

const TWO_32 = 4294967296;
type Utf8Slice = (this: Buffer, start: number, end: number) => string;
const nativeUtf8Slice = (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice;
/** Buffer's own UTF-8 decoder, without `toString`'s encoding dispatch. */
const utf8Slice: Utf8Slice =
  typeof nativeUtf8Slice === 'function'
    ? nativeUtf8Slice
    : function (this: Buffer, start, end) {
        return this.toString('utf8', start, end);
      };

/**
 * Reads the envelope header and the Rows metadata of the envelope at [start, end); column specs,
 * when sent, are skipped. An ERROR answer or any other result throws.
 */
export function readRowsHead(b: Buffer, start: number, end: number): RowsHead {
  const flags = b[start + 1]!;
  const stream = b.readInt16BE(start + 2);
  const opcode = b[start + 4]!;
  let off = start + 9;
  if ((flags & FLAG_TRACING) !== 0) off += 16;
  if ((flags & FLAG_WARNING) !== 0) {
    const n = b.readUInt16BE(off);
    off += 2;
    for (let i = 0; i < n; i++) off += 2 + b.readUInt16BE(off);
  }
  if ((flags & FLAG_CUSTOM_PAYLOAD) !== 0) {
    const n = b.readUInt16BE(off);
    off += 2;
    for (let i = 0; i < n; i++) {
      off += 2 + b.readUInt16BE(off);
      const len = b.readInt32BE(off);
      off += 4 + Math.max(len, 0);
    }
  }
  if (opcode === OPCODE_ERROR) {
    const code = b.readInt32BE(off);
    const len = b.readUInt16BE(off + 4);
    throw new Error(`server error 0x${code.toString(16)}: ${b.toString('utf8', off + 6, off + 6 + len)}`);
  }
  if (opcode !== OPCODE_RESULT || b.readInt32BE(off) !== RESULT_ROWS)
    throw new Error(`expected a Rows result, got opcode 0x${opcode.toString(16)}`);
  const metaFlags = b.readInt32BE(off + 4);
  const columnCount = b.readInt32BE(off + 8);
  off += 12;
  let pagingState: Buffer | undefined;
  if ((metaFlags & HAS_MORE_PAGES) !== 0) {
    const len = b.readInt32BE(off);
    off += 4;
    if (len >= 0) {
      pagingState = b.subarray(off, off + len);
      off += len;
    }
  }
  let newMetadataId: Buffer | undefined;
  if ((metaFlags & METADATA_CHANGED) !== 0) {
    const len = b.readUInt16BE(off);
    newMetadataId = b.subarray(off + 2, off + 2 + len);
    off += 2 + len;
  }
  if ((metaFlags & NO_METADATA) === 0) {
    const global = (metaFlags & GLOBAL_TABLES_SPEC) !== 0;
    if (global) off = skipString(b, skipString(b, off));
    for (let c = 0; c < columnCount; c++) {
      if (!global) off = skipString(b, skipString(b, off));
      off = skipString(b, off);
      const type = b.readUInt16BE(off);
      // the bench table's columns are all native types: an [option] with no value
      if (type === 0x0000 || type >= 0x0020) throw new Error(`column ${c} has a type this client does not skip`);
      off += 2;
    }
  }
  const rowCount = b.readInt32BE(off);
  off += 4;
  if (off > end) throw new Error('Rows metadata runs past its envelope');
  return { stream, pagingState, newMetadataId, columnCount, rowCount, rowsOffset: off };
}

function skipString(b: Buffer, off: number): number {
  return off + 2 + b.readUInt16BE(off);
}

/** Where the next row starts: advanced by {@link decodeBenchRow}. */
export interface RowCursor {
  offset: number;
}

/**
 * Decodes the row at `cursor.offset` (it must end by `end`) into a plain object and moves the
 * cursor past it. Every fixed-size cell is checked for its size; `row` names the row in errors.
 */
export function decodeBenchRow(page: Buffer, cursor: RowCursor, end: number, row: number): DecodedBenchRow {
  let off = cursor.offset;
  let len = page.readInt32BE(off);
  off += 4;
  let id: number | null = null;
  if (len > 0) {
    if (len !== 4) throw new Error(`int cell of ${len} bytes`);
    id = page.readInt32BE(off);
    off += 4;
  }
  len = page.readInt32BE(off);
  off += 4;
  let counter: bigint | null = null;
  if (len > 0) {
    if (len !== 8) throw new Error(`bigint cell of ${len} bytes`);
    counter = page.readBigInt64BE(off);
    off += 8;
  }
  len = page.readInt32BE(off);
  off += 4;
  let createdAt: Date | null = null;
  if (len > 0) {
    if (len !== 8) throw new Error(`timestamp cell of ${len} bytes`);
    // exact for any date within ±285,616 years (|ms| < 2^53)
    createdAt = new Date(page.readInt32BE(off) * TWO_32 + page.readUInt32BE(off + 4));
    off += 8;
  }
  len = page.readInt32BE(off);
  off += 4;
  let name: string | null = null;
  if (len >= 0) {
    if (off + len > end) throw new Error(`text cell of row ${row} runs past the page`);
    name = utf8Slice.call(page, off, off + len);
    off += len;
  }
  len = page.readInt32BE(off);
  off += 4;
  let score: number | null = null;
  if (len > 0) {
    if (len !== 8) throw new Error(`double cell of ${len} bytes`);
    score = page.readDoubleBE(off);
    off += 8;
  }
  if (off > end) throw new Error(`row ${row} runs past the page`);
  cursor.offset = off;
  return { id, name, counter, score, created_at: createdAt };
}

/**
 * Decodes `count` rows of the benchmark table from `offset` (rows must end by `end`) and returns
 * the sum of `foldCqlwireRow` over them; with `keep`, the rows are pushed there instead of folded
 * (for tests: a null cell would not fold).
 */
export function foldBenchRows(
  page: Buffer,
  offset: number,
  end: number,
  count: number,
  keep?: DecodedBenchRow[],
): number {
  const cursor: RowCursor = { offset };
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    const row = decodeBenchRow(page, cursor, end, i);
    if (keep === undefined) checksum += foldCqlwireRow(row as CqlwireBenchRow);
    else keep.push(row);
  }
  return checksum;
}
