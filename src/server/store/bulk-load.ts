import { murmur3TokenHalves, tokenHalves } from '../../protocol/token/index.js';
import type { TableMetadata } from '../schema/index.js';
import { mergeLayouts } from './layout-merge.js';
import type { ClusteringComparator } from './partition.js';
import { decodeRow, encodedRowSize, writeRowCells } from './row-layout.js';
import type { SlabLayout } from './slab-layout.js';

// Bound once: under a CommonJS transpilation (tsx) every use of an imported name is a getter call.
const hashKey = murmur3TokenHalves;
const halves = tokenHalves;

/** Staging grows up to this; a bigger load falls back to row-by-row upserts (one slab must stay reasonable). */
export const STAGING_MAX_BYTES = 1 << 30;

/** The clustering cells of a row given as all its cells (keys first). */
export function clusteringOf(m: TableMetadata, cells: readonly (Buffer | null | undefined)[]): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < m.clustering.length; i++) out.push(cells[m.partitionKey.length + i]!);
  return out;
}

/**
 * Builds a table's content in one go for `TableData.loadRow`: rows are encoded back to back into a
 * staging buffer in arrival order with their partition key bytes and tokens in typed arrays (no
 * object per row while loading), then ordered once — a stable radix sort of an index array on the
 * 64-bit token, ties broken by key bytes and clustering — and copied into the slab in ring order.
 * The table ends up with its slab layout current, so the first full scan is as fast as the later
 * ones. Only for a table without static columns that is empty or was only bulk-loaded so far (a
 * later load is merged into the existing layout; see `TableData.canBulkLoad`). A pure builder:
 * the table calls it and installs what `build` returns; it never touches the table.
 */
export class BulkLoader {
  private rows: Buffer = Buffer.allocUnsafeSlow(1 << 20);
  private rowsLength = 0;
  private keys: Buffer = Buffer.allocUnsafeSlow(1 << 16);
  private keysLength = 0;
  /** Per row: start in `rows` (and end as start of the next), start in `keys`, token halves. */
  private rowStart = new Int32Array(1024);
  private keyStart = new Int32Array(1024);
  private tokenHi = new Int32Array(1024);
  private tokenLo = new Uint32Array(1024);
  private count = 0;

  /** `maxBytes`: staging limit (tests lower it to reach the fallback). */
  constructor(
    private readonly metadata: TableMetadata,
    private readonly compareClustering: ClusteringComparator,
    private readonly maxBytes = STAGING_MAX_BYTES,
  ) {}

  /**
   * Stages one row: all its cells (null = null cell) and its serialised partition key. False,
   * with nothing staged, when the row would take the staging past its limit: the caller then
   * takes the staged rows back (`drain`) and goes on row by row.
   */
  add(cells: readonly (Buffer | null | undefined)[], key: Buffer): boolean {
    const size = encodedRowSize(cells);
    if (this.rowsLength + size > this.maxBytes) return false;
    if (this.count + 1 >= this.rowStart.length) this.growIndex();
    if (this.rowsLength + size > this.rows.length) this.rows = grow(this.rows, this.rowsLength, this.rowsLength + size);
    if (this.keysLength + key.length > this.keys.length)
      this.keys = grow(this.keys, this.keysLength, this.keysLength + key.length);
    const p = writeRowCells(cells, this.rows, this.rowsLength);
    const n = this.count;
    this.rowStart[n] = this.rowsLength;
    this.rowsLength = p;
    this.keyStart[n] = this.keysLength;
    this.keys.set(key, this.keysLength);
    this.keysLength += key.length;
    hashKey(key);
    this.tokenHi[n] = halves.hi;
    this.tokenLo[n] = halves.lo;
    this.count = n + 1;
    return true;
  }

  /**
   * Orders the staged rows and lays them out, merged into `base` (the layout of earlier bulk
   * loads) when there is one: the table's whole content, for it to install.
   */
  build(base: SlabLayout | undefined): SlabLayout {
    const n = this.count;
    this.rowStart[n] = this.rowsLength;
    this.keyStart[n] = this.keysLength;
    const order = this.ringOrder();
    const fresh = this.layOut(order);
    const m = this.metadata;
    this.rows = Buffer.alloc(0);
    return base === undefined || fresh.rows === 0
      ? (base ?? fresh)
      : mergeLayouts(base, fresh, this.compareClustering, m.partitionKey.length, m.clustering.length);
  }

  private growIndex(): void {
    const size = this.rowStart.length * 2;
    const g = <T extends Int32Array | Uint32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.rowStart = g(this.rowStart, new Int32Array(size));
    this.keyStart = g(this.keyStart, new Int32Array(size));
    this.tokenHi = g(this.tokenHi, new Int32Array(size));
    this.tokenLo = g(this.tokenLo, new Uint32Array(size));
  }

  /**
   * Too big for one slab: hands every staged row to `upsert` in load order (key copied: a
   * partition keeps it, and must not pin the staging buffer) and frees the staging.
   */
  drain(upsert: (key: Buffer, clustering: Buffer[], cells: (Buffer | null)[]) => void): void {
    this.rowStart[this.count] = this.rowsLength;
    this.keyStart[this.count] = this.keysLength;
    const width = this.metadata.columns.length;
    for (let i = 0; i < this.count; i++) {
      const cells = decodeRow(this.rows.subarray(this.rowStart[i], this.rowStart[i + 1]), width);
      upsert(Buffer.from(this.keyAt(i)), clusteringOf(this.metadata, cells), cells);
    }
    this.count = 0;
    this.rows = Buffer.alloc(0);
    this.keys = Buffer.alloc(0);
  }

  private keyAt(i: number): Buffer {
    return this.keys.subarray(this.keyStart[i], this.keyStart[i + 1]);
  }

  /**
   * Row indexes in ring order (token, key bytes, clustering), duplicates of a primary key reduced
   * to the last one loaded (a later row replaces an earlier one, as an upsert would).
   */
  private ringOrder(): Uint32Array {
    const n = this.count;
    let order = radixByToken(this.tokenHi, this.tokenLo, n);
    const hi = this.tokenHi,
      lo = this.tokenLo;
    let dropped = false;
    const keep = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; ) {
      let j = i + 1;
      const a = order[i]!;
      while (j < n && hi[order[j]!] === hi[a] && lo[order[j]!] === lo[a]) j++;
      // Same token: several rows of one partition, or (rarely) a token collision.
      if (j - i > 1 && this.orderRun(order, i, j, keep)) dropped = true;
      i = j;
    }
    if (dropped) order = order.filter((_, i) => keep[i] === 1);
    return order;
  }

  /**
   * Orders `order[from, to)` (rows of one token) by key bytes then clustering, and marks in
   * `keep` all but the last loaded of equal primary keys. Rows usually arrive in clustering order
   * (time series): that is checked first, and sorting is skipped. Returns true if rows were dropped.
   */
  private orderRun(order: Uint32Array, from: number, to: number, keep: Uint8Array): boolean {
    const m = this.metadata;
    const pk = m.partitionKey.length,
      ck = m.clustering.length;
    const cmp = this.compareClustering;
    const keys = this.keys,
      ks = this.keyStart;
    const rows = Array.from(order.subarray(from, to));
    const clus = new Map<number, Buffer[]>();
    if (ck > 0) for (const r of rows) clus.set(r, decodeRow(this.rowAt(r), pk + ck).slice(pk) as Buffer[]);
    const compareRows = (x: number, y: number): number =>
      keys.compare(keys, ks[y], ks[y + 1], ks[x], ks[x + 1]) || (ck === 0 ? 0 : cmp(clus.get(x)!, clus.get(y)!));
    let sorted = true;
    for (let k = 0; k + 1 < rows.length && sorted; k++) if (compareRows(rows[k]!, rows[k + 1]!) > 0) sorted = false;
    // Array sort is stable: equal primary keys stay in load order, so the last one wins below.
    if (!sorted) rows.sort(compareRows);
    let dropped = false;
    for (let k = 0; k < rows.length; k++) {
      order[from + k] = rows[k]!;
      if (k + 1 < rows.length && compareRows(rows[k]!, rows[k + 1]!) === 0) {
        keep[from + k] = 0;
        dropped = true;
      }
    }
    return dropped;
  }

  private rowAt(r: number): Buffer {
    return this.rows.subarray(this.rowStart[r], this.rowStart[r + 1]);
  }

  /**
   * Copies rows into the slab in `order` and describes partitions with typed arrays: no object
   * per row or per partition (the table builds those only if a write or the general path needs them).
   */
  private layOut(order: Uint32Array): SlabLayout {
    const n = order.length;
    const keys = this.keys,
      src = this.rows;
    // Gather the per-row fields in ring order first: simple loops let the CPU overlap their
    // cache misses (the rows are visited in random order), the copy loop below then reads them
    // sequentially.
    const rowFrom = gather(this.rowStart, order, 0),
      rowTo = gather(this.rowStart, order, 1);
    const keyFrom = gather(this.keyStart, order, 0),
      keyTo = gather(this.keyStart, order, 1);
    const hiOf = gather(this.tokenHi, order, 0),
      loOf = gather(this.tokenLo, order, 0);
    let total = 0;
    for (let i = 0; i < n; i++) total += rowTo[i]! - rowFrom[i]!;
    const slab = Buffer.allocUnsafeSlow(total);
    const offsets = new Int32Array(n + 1);
    const partitionOf = new Int32Array(n);
    // Partition arrays sized for the worst case (one row each), trimmed below.
    const partStart = new Int32Array(n + 1);
    const tokenHi = new Int32Array(n);
    const tokenLo = new Uint32Array(n);
    const outKeyStart = new Int32Array(n + 1);
    const outKeys = Buffer.allocUnsafeSlow(this.keysLength);
    let keysAt = 0;
    let o = 0;
    let parts = 0;
    for (let i = 0; i < n; i++) {
      offsets[i] = o;
      o += rowTo[i]! - rowFrom[i]!;
      const ks = keyFrom[i]!,
        ke = keyTo[i]!;
      const hi = hiOf[i]!,
        lo = loOf[i]! >>> 0;
      if (
        parts === 0 ||
        tokenHi[parts - 1] !== hi ||
        tokenLo[parts - 1] !== lo ||
        keys.compare(keys, keyFrom[i - 1], keyTo[i - 1], ks, ke) !== 0
      ) {
        partStart[parts] = i;
        tokenHi[parts] = hi;
        tokenLo[parts] = lo;
        outKeyStart[parts] = keysAt;
        for (let b = ks; b < ke; b++) outKeys[keysAt++] = keys[b]!;
        parts++;
      }
      partitionOf[i] = parts - 1;
    }
    // Rows are copied in staging order to their place in the slab: sequential reads and
    // scattered writes are much cheaper than the reverse (writes do not stall on cache misses).
    // Rows dropped as duplicates keep destination -1.
    const destOf = new Int32Array(this.count).fill(-1);
    for (let i = 0; i < n; i++) destOf[order[i]!] = offsets[i]!;
    const rowStart = this.rowStart;
    for (let r = 0; r < this.count; r++) {
      let d = destOf[r]!;
      if (d < 0) continue;
      const s = rowStart[r]!,
        e = rowStart[r + 1]!;
      // Rows are small: a plain loop beats a native copy call per row.
      if (e - s <= 128) for (let b = s; b < e; b++) slab[d++] = src[b]!;
      else src.copy(slab, d, s, e);
    }
    offsets[n] = o;
    partStart[parts] = n;
    outKeyStart[parts] = keysAt;
    return {
      slab,
      offsets,
      partitionOf,
      rows: n,
      partitions: parts,
      partStart: partStart.slice(0, parts + 1),
      tokenHi: tokenHi.slice(0, parts),
      tokenLo: tokenLo.slice(0, parts),
      keys: Buffer.from(outKeys.subarray(0, keysAt)),
      keyStart: outKeyStart.slice(0, parts + 1),
    };
  }
}

/** `out[i] = values[order[i] + shift]` (Int32: the unsigned token halves come back with `>>> 0`). */
function gather(values: Int32Array | Uint32Array, order: Uint32Array, shift: number): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]! + shift]!;
  return out;
}

function grow(buf: Buffer, used: number, needed: number): Buffer {
  let size = buf.length * 2;
  while (size < needed) size *= 2;
  size = Math.min(size, Math.max(needed, STAGING_MAX_BYTES));
  const out = Buffer.allocUnsafeSlow(size);
  buf.copy(out, 0, 0, used);
  return out;
}

/**
 * Stable LSD radix sort of row indexes by signed 64-bit token (hi signed, lo unsigned): four
 * passes of 16 bits, O(n) with typed arrays only.
 */
function radixByToken(hi: Int32Array, lo: Uint32Array, n: number): Uint32Array {
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  let b = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  // Digits from least to most significant; the top one flips the sign bit (signed order).
  const keys = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    for (let i = 0; i < n; i++) {
      const r = a[i]!;
      keys[i] =
        pass === 0
          ? lo[r]! & 0xffff
          : pass === 1
            ? lo[r]! >>> 16
            : pass === 2
              ? hi[r]! & 0xffff
              : (hi[r]! >>> 16) ^ 0x8000;
    }
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[keys[i]!]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) b[counts[keys[i]!]!++] = a[i]!;
    const t = a;
    a = b;
    b = t;
  }
  return a;
}
