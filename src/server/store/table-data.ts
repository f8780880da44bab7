import { compareTokens, murmur3TokenHalves, tokenHalves } from '../../protocol/token/index.js';
import type { TableMetadata } from '../schema/index.js';
import { BulkLoader, clusteringOf, STAGING_MAX_BYTES } from './bulk-load.js';
import type { ClusteringComparator, StoredRow } from './partition.js';
import { Partition } from './partition.js';
import { clusteringComparator, mergeSorted, sortPartitions } from './partition-order.js';
import { decodeRow, encodeRow } from './row-layout.js';
import type { SlabLayout } from './slab-layout.js';
import { layoutPartitionObjects, NO_CLUSTERING } from './slab-layout.js';

/**
 * The lookup key of a partition key: keys of up to 6 bytes (int, bigint-free small keys, short
 * text) become a number tagged with their length, which hashes without allocating a string;
 * longer keys use their latin1 string.
 */
function mapKey(key: Buffer): string | number {
  const n = key.length;
  if (n === 0) return 0x7000000000000;
  if (n <= 6) return key.readUIntBE(0, n) + n * 0x1000000000000;
  return key.toString('latin1');
}

/**
 * The rows of one table. Partitions are looked up by key through a Map and kept in ring order in
 * an array; new partitions are appended to a pending list and merged (sort + merge) on the next
 * ordered read, so bulk inserts cost O(n log n) overall.
 */
export class TableData {
  readonly compareClustering: ClusteringComparator;
  private readonly byKey = new Map<string | number, Partition>();
  private ordered: Partition[] = [];
  private pending: Partition[] = [];
  private needsCompaction = false;
  private layout: SlabLayout | undefined;
  /** The `ordered` array the layout was made from (it is stale once `ordered` changes). */
  private layoutOrdered: Partition[] | undefined;
  /**
   * After a bulk load the layout alone holds the rows: partition and row objects (`byKey`,
   * `ordered`) are built on the first access that needs them (`materialize`), so full scans of a
   * loaded table never pay for them.
   */
  private lazy = false;
  /**
   * The load in progress: consecutive `load()` calls (a table loaded in chunks) append to one
   * staging, laid out once (`settle`) when anything reads or writes the table, or at the next
   * turn of the event loop — not once per chunk.
   */
  private openLoad: BulkLoader | undefined;
  private settleScheduled = false;
  /** Rows written since the last slab layout, and rows in it (see `layOut`). */
  private writesSinceLayout = 0;
  private laidOutRows = 0;

  constructor(public metadata: TableMetadata) {
    this.compareClustering = clusteringComparator(metadata);
  }

  get partitionCount(): number {
    this.materialize();
    return this.byKey.size;
  }

  partition(key: Buffer): Partition | undefined {
    this.materialize();
    return this.byKey.get(mapKey(key));
  }

  /** Builds the partition and row objects of a bulk-loaded table (once; see `lazy`). */
  private materialize(): void {
    this.settle();
    if (!this.lazy) return;
    this.lazy = false;
    const l = this.layout!;
    const m = this.metadata;
    const parts = layoutPartitionObjects(l, this.compareClustering, m.partitionKey.length, m.clustering.length);
    for (const p of parts) this.byKey.set(mapKey(p.key), p);
    this.ordered = parts;
    this.layoutOrdered = parts;
  }

  /** The partition for `key`, created (with its token) when absent. */
  partitionFor(key: Buffer): Partition {
    this.materialize();
    const k = mapKey(key);
    let p = this.byKey.get(k);
    if (p === undefined) {
      murmur3TokenHalves(key);
      p = new Partition(key, tokenHalves.hi, tokenHalves.lo, this.compareClustering);
      this.byKey.set(k, p);
      this.pending.push(p);
    }
    return p;
  }

  /** Partitions in ring order (token, then key bytes); empty partitions are dropped here. */
  sortedPartitions(): Partition[] {
    this.materialize();
    if (this.pending.length > 0) {
      const fresh = this.pending;
      this.pending = [];
      sortPartitions(fresh);
      this.ordered = this.ordered.length === 0 ? fresh : mergeSorted(this.ordered, fresh);
    }
    if (this.needsCompaction) {
      this.needsCompaction = false;
      this.ordered = this.ordered.filter((p) => {
        if (p.size > 0) return true;
        const k = mapKey(p.key);
        if (this.byKey.get(k) === p) this.byKey.delete(k);
        return false;
      });
    }
    return this.ordered;
  }

  /**
   * Copies every row, in ring then clustering order, into one slab, so that consecutive rows are
   * consecutive bytes: a `SELECT *` page over it is one view (no gather, no copy). The rows keep
   * their own buffers (no per-row allocation here); the slab is a second, read-only copy that is
   * used only while no write happened since (see `currentLayout`).
   */
  private layOut(): void {
    this.writesSinceLayout = 0;
    let total = 0;
    let rows = 0;
    for (const p of this.ordered)
      for (const r of p.sortedRows()) {
        total += r.data.length;
        rows++;
      }
    this.laidOutRows = rows;
    this.layout = undefined;
    if (total > LAYOUT_MAX_BYTES) return;
    const slab = Buffer.allocUnsafeSlow(total);
    const offsets = new Int32Array(rows + 1);
    const partitionOf = new Int32Array(rows);
    const parts = this.ordered.length;
    const partStart = new Int32Array(parts + 1);
    const tokenHi = new Int32Array(parts);
    const tokenLo = new Uint32Array(parts);
    const keyStart = new Int32Array(parts + 1);
    let keyBytes = 0;
    for (const p of this.ordered) keyBytes += p.key.length;
    const keys = Buffer.allocUnsafeSlow(keyBytes);
    let o = 0;
    let i = 0;
    let k = 0;
    for (let pi = 0; pi < parts; pi++) {
      const p = this.ordered[pi]!;
      p.layoutStart = i;
      partStart[pi] = i;
      tokenHi[pi] = p.tokenHi;
      tokenLo[pi] = p.tokenLo;
      keyStart[pi] = k;
      keys.set(p.key, k);
      k += p.key.length;
      for (const r of p.sortedRows()) {
        const len = r.data.length;
        slab.set(r.data, o);
        offsets[i] = o;
        partitionOf[i] = pi;
        o += len;
        i++;
      }
    }
    offsets[rows] = o;
    partStart[parts] = rows;
    keyStart[parts] = k;
    this.layout = { slab, offsets, partitionOf, rows, partitions: parts, partStart, tokenHi, tokenLo, keys, keyStart };
    this.layoutOrdered = this.ordered;
  }

  /**
   * The slab layout, when no row was written since it was made: every row of the table in ring
   * then clustering order, row i being `slab[offsets[i], offsets[i+1])` and belonging to
   * `ordered[partitionOf[i]]`. Full scans page through it without touching row objects.
   */
  currentLayout(): SlabLayout | undefined {
    this.settle();
    if (this.lazy) return this.layout;
    this.sortedPartitions();
    // Re-laid out only after enough writes (amortised O(1) per written row): tables that keep
    // changing are served by the general path.
    if (this.writesSinceLayout >= Math.max(LAYOUT_MIN_WRITES, this.laidOutRows >>> 2)) this.layOut();
    const l = this.layout;
    return l !== undefined &&
      this.writesSinceLayout === 0 &&
      this.pending.length === 0 &&
      !this.needsCompaction &&
      this.layoutOrdered === this.ordered
      ? l
      : undefined;
  }

  /** `BulkLoader` may fill this table: it is empty or only bulk-loaded, and has no static columns. */
  canBulkLoad(): boolean {
    return (this.lazy || (this.byKey.size === 0 && this.pending.length === 0)) && this.staticSlots.length === 0;
  }

  /**
   * Starts a `load()` (or goes on with the open one): true when its rows go through `loadRow`
   * into one staging laid out at the end, false when they must be upserted one by one. Call
   * `endLoad` after the load's last row. `maxStagingBytes`: tests lower it to reach the fallback.
   */
  beginLoad(maxStagingBytes = STAGING_MAX_BYTES): boolean {
    if (this.openLoad === undefined && this.canBulkLoad())
      this.openLoad = new BulkLoader(this.metadata, this.compareClustering, maxStagingBytes);
    return this.openLoad !== undefined;
  }

  /** One row of a load that `beginLoad` accepted: all its cells (keys first) and its serialised partition key. */
  loadRow(key: Buffer, cells: readonly (Buffer | null | undefined)[]): void {
    const loader = this.openLoad;
    if (loader?.add(cells, key) === true) return;
    if (loader !== undefined) {
      // Too big for one slab: what was staged goes in row by row, and so does the rest.
      this.openLoad = undefined;
      loader.drain((k, clustering, c) => this.upsert(k, clustering, c, true));
    }
    this.upsert(key, clusteringOf(this.metadata, cells), cells, true);
  }

  /** After a load: lays its rows out at the next turn of the event loop unless something needs them sooner. */
  endLoad(): void {
    if (this.openLoad === undefined || this.settleScheduled) return;
    this.settleScheduled = true;
    setImmediate(() => {
      this.settleScheduled = false;
      this.settle();
    });
  }

  /** Lays out the rows of the open load, if any (see `openLoad`). */
  private settle(): void {
    const loader = this.openLoad;
    if (loader === undefined) return;
    this.openLoad = undefined;
    this.installBulk(loader.build(this.bulkBase()));
  }

  /** The layout of a table that only bulk loads filled so far (a new load merges into it). */
  private bulkBase(): SlabLayout | undefined {
    return this.lazy ? this.layout : undefined;
  }

  /**
   * Takes the layout a `BulkLoader` built (ring order, distinct primary keys, every row with a
   * row marker) as the whole content of this table (it was empty, or is what `bulkBase` gave).
   */
  private installBulk(layout: SlabLayout): void {
    this.layout = layout;
    this.lazy = true;
    this.writesSinceLayout = 0;
    this.laidOutRows = layout.rows;
  }

  /** Index of the first partition ordered after (or at, when inclusive) the token/key position. */
  partitionIndexFrom(tokenHi: number, tokenLo: number, key: Buffer | undefined, inclusive: boolean): number {
    const parts = this.sortedPartitions();
    let lo = 0,
      hi = parts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = parts[mid]!;
      let c = compareTokens(p.tokenHi, p.tokenLo, tokenHi, tokenLo);
      if (c === 0 && key !== undefined) c = Buffer.compare(p.key, key);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Writes cells into the row at (key, clustering). `cells[slot]` undefined leaves a cell as it
   * is (upsert semantics), null clears it. Returns the row as stored.
   */
  upsert(
    key: Buffer,
    clustering: readonly Buffer[],
    cells: readonly (Buffer | null | undefined)[],
    marker: boolean,
  ): StoredRow {
    const partition = this.partitionFor(key);
    this.writesSinceLayout++;
    if (this.staticSlots.length > 0) cells = this.applyStatics(partition, cells);
    const existing = partition.find(clustering);
    const count = this.metadata.columns.length;
    if (existing === undefined) {
      // encodeRow writes undefined (not given) cells as null.
      const row = makeRow(cells, this.metadata.clustering.length, this.metadata.partitionKey.length, marker);
      partition.add(row);
      return row;
    }
    const current = decodeRow(existing.data, count);
    for (let i = 0; i < count; i++) {
      const c = cells[i];
      if (c !== undefined) current[i] = c;
    }
    const fresh = makeRow(
      current,
      this.metadata.clustering.length,
      this.metadata.partitionKey.length,
      existing.marker || marker,
    );
    existing.data = fresh.data;
    existing.clustering = fresh.clustering;
    existing.marker = fresh.marker;
    return existing;
  }

  /** Slots of the static columns (one value per partition, copied into each of its rows). */
  private get staticSlots(): readonly number[] {
    if (this.staticCache?.meta !== this.metadata) {
      this.staticCache = {
        meta: this.metadata,
        slots: this.metadata.columns.filter((c) => c.kind === 'static').map((c) => c.slot),
      };
    }
    return this.staticCache.slots;
  }
  private staticCache: { meta: TableMetadata; slots: number[] } | undefined;

  /**
   * Static columns hold one value per partition. Rows keep a copy of it (so serving stays a copy
   * of row buffers): a write to a static column rewrites the partition's other rows, and a new
   * row starts with the partition's current static values.
   */
  private applyStatics(p: Partition, cells: readonly (Buffer | null | undefined)[]): (Buffer | null | undefined)[] {
    const out = cells.slice();
    const statics = (p.staticCells ??= []);
    let changed = false;
    for (const slot of this.staticSlots) {
      if (out[slot] !== undefined) {
        statics[slot] = out[slot]!;
        changed = true;
      } else if (statics[slot] !== undefined) {
        out[slot] = statics[slot];
      }
    }
    if (changed) {
      const count = this.metadata.columns.length;
      for (const row of p.sortedRows()) {
        const current = decodeRow(row.data, count);
        for (const slot of this.staticSlots) if (statics[slot] !== undefined) current[slot] = statics[slot]!;
        const fresh = makeRow(current, this.metadata.clustering.length, this.metadata.partitionKey.length, row.marker);
        row.data = fresh.data;
        row.clustering = fresh.clustering;
      }
    }
    return out;
  }

  /** Removes one row; a partition left empty disappears on the next ordered read. */
  deleteRow(key: Buffer, clustering: readonly Buffer[]): void {
    const p = this.partition(key);
    if (p === undefined) return;
    this.writesSinceLayout++;
    p.remove(clustering);
    if (p.size === 0) this.needsCompaction = true;
  }

  /** Removes the rows of a partition whose clustering starts with `prefix` (all rows for []). */
  deletePrefix(key: Buffer, prefix: readonly Buffer[]): void {
    const p = this.partition(key);
    if (p === undefined) return;
    this.writesSinceLayout++;
    if (prefix.length === 0) {
      p.rows = [];
      p.sortedRows();
      p.rows = [];
    } else {
      const from = p.lowerBound(prefix, true);
      let to = from;
      const rows = p.sortedRows();
      while (to < rows.length && this.compareClustering(rows[to]!.clustering, prefix) === 0) to++;
      rows.splice(from, to - from);
    }
    if (p.size === 0) this.needsCompaction = true;
  }

  /** A row whose regular cells are all null and that has no row marker no longer exists. */
  dropIfEmpty(key: Buffer, row: StoredRow): void {
    if (row.marker) return;
    const cells = decodeRow(row.data, this.metadata.columns.length);
    const firstRegular = this.metadata.partitionKey.length + this.metadata.clustering.length;
    for (let i = firstRegular; i < cells.length; i++) if (cells[i] !== null) return;
    this.deleteRow(key, row.clustering);
  }

  truncate(): void {
    this.openLoad = undefined;
    this.layout = undefined;
    this.lazy = false;
    this.byKey.clear();
    this.ordered = [];
    this.pending = [];
  }

  /** Re-lays every row after ALTER TABLE (columns added or dropped change the cell order). */
  relayout(after: TableMetadata): void {
    this.materialize();
    this.layout = undefined;
    const before = this.metadata;
    const map = after.columns.map((c) => before.byName.get(c.name)?.slot ?? -1);
    for (const p of this.sortedPartitions()) {
      for (const row of p.sortedRows()) {
        const old = decodeRow(row.data, before.columns.length);
        const fresh = makeRow(
          map.map((s) => (s < 0 ? null : old[s]!)),
          after.clustering.length,
          after.partitionKey.length,
          row.marker,
        );
        row.data = fresh.data;
        row.clustering = fresh.clustering;
      }
    }
    this.metadata = after;
  }

  /** Total number of rows (walks partitions; for tests and COUNT without restrictions). */
  rowCount(): number {
    this.settle();
    if (this.lazy) return this.layout!.rows;
    let n = 0;
    for (const p of this.byKey.values()) n += p.size;
    return n;
  }
}

/** Lay rows out in a slab once at least this many were written since the last layout. */
const LAYOUT_MIN_WRITES = 4096;
/** Tables larger than this keep per-row buffers (one allocation must stay reasonable). */
const LAYOUT_MAX_BYTES = 1 << 30;

function makeRow(
  cells: readonly (Buffer | null | undefined)[],
  clusteringCount: number,
  pkCount: number,
  marker: boolean,
): StoredRow {
  const data = encodeRow(cells);
  if (clusteringCount === 0) return { clustering: NO_CLUSTERING, data, marker };
  const clustering: Buffer[] = new Array<Buffer>(clusteringCount);
  {
    const views = decodeRow(data, pkCount + clusteringCount);
    for (let i = 0; i < clusteringCount; i++) clustering[i] = views[pkCount + i]!;
  }
  return { clustering, data, marker };
}
