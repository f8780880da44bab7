import type { SchemaChange } from '../../protocol/messages/index.js';
import type { DataType, UdtType } from '../../protocol/types/index.js';

/** The role of a column in its table, as system_schema.columns.kind names it. */
export type ColumnKind = 'partition_key' | 'clustering' | 'regular' | 'static';

export interface ColumnMetadata {
  readonly name: string;
  readonly type: DataType;
  readonly kind: ColumnKind;
  /** Position within the partition key or clustering key; -1 for regular columns (system_schema). */
  readonly position: number;
  /** 'asc' / 'desc' for clustering columns, 'none' otherwise (system_schema.columns.clustering_order). */
  readonly clusteringOrder: 'asc' | 'desc' | 'none';
  /** Index of this column's cell in a stored row, which is also its place in `SELECT *`. */
  readonly slot: number;
}

export interface TableMetadata {
  readonly keyspace: string;
  readonly name: string;
  /** The table id (a UUID string), new for every CREATE. */
  readonly id: string;
  /** Columns in `SELECT *` order: partition key, clustering, then the others sorted by name. */
  readonly columns: readonly ColumnMetadata[];
  readonly partitionKey: readonly ColumnMetadata[];
  readonly clustering: readonly ColumnMetadata[];
  readonly byName: ReadonlyMap<string, ColumnMetadata>;
  /** True when the table has counter columns (then all its regular columns are counters). */
  readonly isCounter: boolean;
  /** WITH options as written (kept for system_schema; otherwise ignored). */
  readonly options: ReadonlyMap<string, string>;
}

export interface KeyspaceMetadata {
  readonly name: string;
  readonly replication: ReadonlyMap<string, string>;
  readonly durableWrites: boolean;
  readonly tables: Map<string, TableMetadata>;
  readonly types: Map<string, UdtType>;
}

/**
 * Told of every schema change, in the protocol's own shape (the SCHEMA_CHANGE event and the
 * RESULT Schema_change carry it as it is; native_protocol_v5.spec §4.2.6).
 */
export type SchemaChangeListener = (change: SchemaChange) => void;
