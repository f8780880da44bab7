import type { DataType, UdtType } from '../../protocol/types/index.js';
import type { Host } from '../host.js';
import type { ReplicationStrategy } from '../replication.js';

/**
 * One range of the Murmur3 token ring: the tokens `t` with `start < t <= end` (start exclusive, end
 * inclusive). The range that wraps past the largest ring token has `start > end`
 * (`start < t <= 2^63 - 1` or `-2^63 <= t <= end`); a one-token ring is one range with `start === end`
 * covering every token.
 */
export interface TokenRange {
  /** Exclusive lower bound (a ring token). */
  readonly start: bigint;
  /** Inclusive upper bound (a ring token): the range's primary replica owns it. */
  readonly end: bigint;
  /**
   * The nodes holding a copy of the range, primary replica first (then in ring order), moved to
   * the front of the list per data center when `localDataCenter` is set (local DC first, each
   * group keeping its ring order).
   */
  readonly replicas: readonly Host[];
}

/** Where a column sits in its table (system_schema.columns.kind). */
export type ColumnKind = 'partition_key' | 'clustering' | 'regular' | 'static';

/** A clustering column's order (system_schema.columns.clustering_order); 'none' for the others. */
export type ClusteringOrder = 'asc' | 'desc' | 'none';

/** One column of a table or materialized view. */
export interface ColumnMetadata {
  readonly name: string;
  /** The column's type, parsed from its CQL text; user-defined types are resolved to their fields. */
  readonly type: DataType;
  /** The type as Cassandra prints it in system_schema.columns.type (`frozen<address>`, `map<text, int>`). */
  readonly cqlType: string;
  readonly kind: ColumnKind;
  /** Index within the partition key or the clustering key; -1 for regular and static columns. */
  readonly position: number;
  readonly clusteringOrder: ClusteringOrder;
}

/** A secondary index (system_schema.indexes). */
export interface IndexMetadata {
  readonly name: string;
  /** 'COMPOSITES', 'KEYS' or 'CUSTOM'. */
  readonly kind: string;
  /** The indexed column or expression (`options.target`). */
  readonly target: string | undefined;
  readonly options: Readonly<Record<string, string>>;
}

/** A column dropped from a table (system_schema.dropped_columns): its data may still sit in SSTables. */
export interface DroppedColumnMetadata {
  readonly name: string;
  /** The type it had, as CQL text. */
  readonly cqlType: string;
  readonly kind: ColumnKind;
  /**
   * When it was dropped. Cassandra records some drops at a time a JavaScript `Date` cannot hold:
   * that comes back as an {@link OutOfRangeDate} (see the README's type table).
   */
  readonly droppedTime: Date | null;
}

/** The table options a reader cares about (system_schema.tables / views). */
export interface TableOptions {
  readonly comment: string;
  readonly defaultTimeToLive: number;
  readonly gcGraceSeconds: number;
  readonly bloomFilterFpChance: number | undefined;
  readonly crcCheckChance: number | undefined;
  readonly speculativeRetry: string | undefined;
  readonly readRepair: string | undefined;
  readonly memtableFlushPeriodInMs: number | undefined;
  readonly caching: Readonly<Record<string, string>>;
  readonly compaction: Readonly<Record<string, string>>;
  readonly compression: Readonly<Record<string, string>>;
  /** Table flags: `compound`, `counter`, `dense`, `super` (tables only; views have none). */
  readonly flags: readonly string[];
  /** Change data capture (Cassandra 4.0+; false when the server does not say). */
  readonly cdc: boolean;
}

/** A table or a materialized view (`isView`), as system_schema describes it. */
export interface TableMetadata {
  readonly keyspace: string;
  readonly name: string;
  /** The table id (a uuid string), or undefined when the server does not report one. */
  readonly id: string | undefined;
  /**
   * Every column in table order: the partition key columns, the clustering columns (each by
   * position), then the static columns and then the regular columns, each sorted by name as
   * Cassandra orders them in `SELECT *`.
   */
  readonly columns: readonly ColumnMetadata[];
  /** The partition key columns in key order (one for a simple key, several for a composite key). */
  readonly partitionKey: readonly ColumnMetadata[];
  /** The clustering columns in key order, each with its `clusteringOrder`. */
  readonly clusteringKey: readonly ColumnMetadata[];
  readonly isView: boolean;
  /** For a view: the table it is built from. */
  readonly baseTable: string | undefined;
  /** For a view: its WHERE clause as Cassandra prints it. */
  readonly whereClause: string | undefined;
  readonly options: TableOptions;
  readonly indexes: readonly IndexMetadata[];
  readonly droppedColumns: readonly DroppedColumnMetadata[];
  /** The column called `name` (exact, case-sensitive, as stored), if any. */
  column(name: string): ColumnMetadata | undefined;
}

/** A keyspace's replication as system_schema.keyspaces stores it, and what it means for routing. */
export interface KeyspaceReplication {
  /** The strategy class as stored (`org.apache.cassandra.locator.SimpleStrategy`). */
  readonly class: string;
  /** Every other entry of the replication map (`replication_factor`, or one factor per data center). */
  readonly options: Readonly<Record<string, string>>;
  /** The parsed strategy ('simple', 'network', or 'other' for LocalStrategy, EverywhereStrategy, ...). */
  readonly strategy: ReplicationStrategy;
}

/** A keyspace with everything system_schema says about it. */
export interface KeyspaceMetadata {
  readonly name: string;
  readonly durableWrites: boolean;
  readonly replication: KeyspaceReplication;
  /** Its tables (not the views), sorted by name. */
  tables(): readonly TableMetadata[];
  /** Its materialized views, sorted by name. */
  views(): readonly TableMetadata[];
  /** The table or view called `name`, if any. */
  table(name: string): TableMetadata | undefined;
  /** Its user-defined types, sorted by name, fields resolved. */
  userTypes(): readonly UdtType[];
}

/**
 * One row of a table's size estimates (system.size_estimates, or system.table_estimates with
 * range_type 'primary' on Cassandra 4.0+): the partitions a node's SSTables hold in one of its
 * primary ranges. `rangeStart` exclusive, `rangeEnd` inclusive; `rangeEnd = -2^63` means the end of
 * the ring.
 */
export interface SizeEstimate {
  readonly rangeStart: bigint;
  readonly rangeEnd: bigint;
  readonly partitionsCount: bigint;
  readonly meanPartitionSize: bigint;
}
