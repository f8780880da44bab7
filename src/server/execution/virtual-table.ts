import { serializePartitionKey } from '../../protocol/token/index.js';
import type { DataType } from '../../protocol/types/index.js';
import { encodeValue } from '../../protocol/types/index.js';
import type { TableMetadata } from '../schema/index.js';
import { buildTable } from '../schema/index.js';
import { TableData } from '../store/index.js';

/** A table whose rows are computed when read (system.local, system.peers, system_schema.*). */
export interface VirtualTableDefinition {
  readonly keyspace: string;
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: DataType }[];
  readonly partitionKey: readonly string[];
  readonly clustering?: readonly string[];
  /** The rows now, as JS values by column name (`encodeValue` inputs; missing = null). */
  rows(): Iterable<Readonly<Record<string, unknown>>>;
}

/** A registered virtual table: its metadata and a way to materialise its current rows. */
export class VirtualTable {
  readonly metadata: TableMetadata;

  constructor(private readonly def: VirtualTableDefinition) {
    this.metadata = buildTable(
      { name: def.keyspace },
      def.name,
      '00000000-0000-0000-0000-000000000000',
      def.columns.map((c) => ({ name: c.name, type: c.type, isStatic: false })),
      def.partitionKey,
      def.clustering ?? [],
      [],
      new Map(),
    );
  }

  /** The rows as they are now, in a throwaway table (these tables are small). */
  snapshot(): TableData {
    const data = new TableData(this.metadata);
    const cols = this.metadata.columns;
    for (const row of this.def.rows()) {
      const cells = cols.map((c) => encodeValue(c.type, row[c.name], { column: c.name }));
      const key = serializePartitionKey(this.metadata.partitionKey.map((c) => cells[c.slot] ?? Buffer.alloc(0)));
      const clustering = this.metadata.clustering.map((c) => cells[c.slot] ?? Buffer.alloc(0));
      data.upsert(key, clustering, cells, true);
    }
    return data;
  }
}
