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

export type SchemaChangeType = 'CREATED' | 'UPDATED' | 'DROPPED';
export type SchemaChangeTarget = 'KEYSPACE' | 'TABLE' | 'TYPE';

/** A schema change, shaped like the SCHEMA_CHANGE event / result (PROTOCOL.md §5.8). */
export interface SchemaChange {
  readonly change: SchemaChangeType;
  readonly target: SchemaChangeTarget;
  readonly keyspace: string;
  /** Table or type name; absent for KEYSPACE. */
  readonly name?: string;
}

export type SchemaChangeListener = (change: SchemaChange) => void;
