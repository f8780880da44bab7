/** One stored row: its clustering values (views into `data`) and all its cells. */
export interface StoredRow {
  clustering: Buffer[];
  data: Buffer;
  /** INSERT writes a row marker: such a row exists even when all its regular cells are null. */
  marker: boolean;
}

export type ClusteringComparator = (a: readonly Buffer[], b: readonly Buffer[]) => number;

/**
 * A partition: key, token halves, rows in clustering order. Rows arriving out of order go to a
 * pending map and are merged on the next read, so loading n rows costs O(n log n), not O(n²).
 */
export class Partition {
  rows: StoredRow[] = [];
  private pending: Map<string, StoredRow> | undefined;
  /** Index of this partition's first row in the table's slab layout (valid while the layout is). */
  layoutStart = 0;
  /** The partition's static column values by slot (tables with static columns only). */
  staticCells: (Buffer | null)[] | undefined;

  /** hi·2³² + lo as a double: rounding keeps it monotonic, so it orders partitions except on near-ties. */
  readonly approxToken: number;

  constructor(
    readonly key: Buffer,
    readonly tokenHi: number,
    readonly tokenLo: number,
    private readonly compare: ClusteringComparator,
  ) {
    this.approxToken = tokenHi * 4294967296 + tokenLo;
  }

  /** Rows in clustering order (merges pending rows first). */
  sortedRows(): StoredRow[] {
    if (this.pending !== undefined) this.merge();
    return this.rows;
  }

  get size(): number {
    return this.rows.length + (this.pending?.size ?? 0);
  }

  /** The row with this clustering, if stored. */
  find(clustering: readonly Buffer[]): StoredRow | undefined {
    const i = this.search(clustering);
    if (i >= 0) return this.rows[i];
    return this.pending?.get(pendingKey(clustering));
  }

  /** Adds a row known not to exist yet. */
  add(row: StoredRow): void {
    const rows = this.rows;
    const n = rows.length;
    if (this.pending === undefined && (n === 0 || this.compare(rows[n - 1]!.clustering, row.clustering) < 0)) {
      rows.push(row);
      return;
    }
    if (n < 64 && this.pending === undefined) {
      const i = this.search(row.clustering);
      rows.splice(-(i + 1), 0, row);
      return;
    }
    (this.pending ??= new Map()).set(pendingKey(row.clustering), row);
  }

  /** Removes the row with this clustering; true if there was one. */
  remove(clustering: readonly Buffer[]): boolean {
    if (this.pending !== undefined) this.merge();
    const i = this.search(clustering);
    if (i < 0) return false;
    this.rows.splice(i, 1);
    return true;
  }

  /** Binary search in the sorted rows: index, or -(insertion point + 1). */
  search(clustering: readonly Buffer[]): number {
    let lo = 0,
      hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(this.rows[mid]!.clustering, clustering);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /** First index whose clustering compares > (or >= when `inclusive`) the given prefix bound. */
  lowerBound(prefix: readonly Buffer[], inclusive: boolean, cmp: ClusteringComparator = this.compare): number {
    const rows = this.sortedRows();
    let lo = 0,
      hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = cmp(rows[mid]!.clustering, prefix);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private merge(): void {
    const extra = [...this.pending!.values()];
    this.pending = undefined;
    const all = this.rows.concat(extra);
    all.sort((a, b) => this.compare(a.clustering, b.clustering));
    this.rows = all;
  }
}

function pendingKey(clustering: readonly Buffer[]): string {
  let s = '';
  for (const c of clustering) s += `${c.length}:${c.toString('latin1')}`;
  return s;
}
