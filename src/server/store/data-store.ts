import type { TableMetadata } from '../schema/index.js';
import { Schema } from '../schema/index.js';
import { TableData } from './table-data.js';

/**
 * The data every node of an embedded cluster shares: the schema and each table's rows. Several
 * `Database` views (one per node) may sit on one `DataStore`.
 */
export class DataStore {
  readonly schema = new Schema();
  private readonly tables = new Map<string, TableData>();

  /** The rows of a table (created empty on first use), keyed by table id so a re-created table starts empty. */
  table(metadata: TableMetadata): TableData {
    let t = this.tables.get(metadata.id);
    if (t === undefined) {
      t = new TableData(metadata);
      this.tables.set(metadata.id, t);
    } else if (
      t.metadata !== metadata &&
      t.metadata.columns.length === metadata.columns.length &&
      t.metadata.columns.every((c, i) => c.name === metadata.columns[i]!.name)
    ) {
      t.metadata = metadata;
    }
    return t;
  }

  /** Forgets the rows of a dropped table. */
  dropTable(metadata: TableMetadata): void {
    this.tables.delete(metadata.id);
  }

  /** Re-lays rows after ALTER TABLE. */
  alterTable(before: TableMetadata, after: TableMetadata): void {
    const t = this.tables.get(before.id);
    if (t !== undefined) t.relayout(after);
  }
}
