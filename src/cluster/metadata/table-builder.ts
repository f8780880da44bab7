import type {
  ClusteringOrder,
  ColumnKind,
  ColumnMetadata,
  DroppedColumnMetadata,
  IndexMetadata,
  TableMetadata,
  TableOptions,
} from './metadata-types.js';
import { booleanOf, numberOf, type SchemaRow, textListOf, textMapOf, textOf, uuidTextOf } from './schema-row.js';
import type { UserTypes } from './user-types.js';

/** The system_schema rows that describe one table or view. */
export interface TableRows {
  /** Its row of system_schema.tables, or of system_schema.views for a view. */
  readonly table: SchemaRow;
  readonly isView: boolean;
  readonly columns: readonly SchemaRow[];
  readonly indexes: readonly SchemaRow[];
  readonly droppedColumns: readonly SchemaRow[];
}

const KINDS: ReadonlySet<string> = new Set<ColumnKind>(['partition_key', 'clustering', 'regular', 'static']);

function kindOf(row: SchemaRow): ColumnKind {
  const k = textOf(row, 'kind')?.toLowerCase();
  return k !== undefined && KINDS.has(k) ? (k as ColumnKind) : 'regular';
}

function clusteringOrderOf(row: SchemaRow, kind: ColumnKind): ClusteringOrder {
  if (kind !== 'clustering') return 'none';
  return textOf(row, 'clustering_order')?.toLowerCase() === 'desc' ? 'desc' : 'asc';
}

/** UTF-8 byte order, as Cassandra sorts column names (a ByteBuffer comparison). */
function byNameBytes(a: ColumnMetadata, b: ColumnMetadata): number {
  return Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8'));
}

function byPosition(a: ColumnMetadata, b: ColumnMetadata): number {
  return a.position - b.position;
}

function column(row: SchemaRow, types: UserTypes): ColumnMetadata | undefined {
  const name = textOf(row, 'column_name');
  if (name === undefined) return undefined;
  const kind = kindOf(row);
  const cqlType = textOf(row, 'type') ?? 'blob';
  const isKey = kind === 'partition_key' || kind === 'clustering';
  return Object.freeze({
    name,
    type: types.parse(cqlType),
    cqlType,
    kind,
    position: isKey ? (numberOf(row, 'position') ?? 0) : -1,
    clusteringOrder: clusteringOrderOf(row, kind),
  });
}

function options(row: SchemaRow): TableOptions {
  return Object.freeze({
    comment: textOf(row, 'comment') ?? '',
    defaultTimeToLive: numberOf(row, 'default_time_to_live') ?? 0,
    gcGraceSeconds: numberOf(row, 'gc_grace_seconds') ?? 0,
    bloomFilterFpChance: numberOf(row, 'bloom_filter_fp_chance'),
    crcCheckChance: numberOf(row, 'crc_check_chance'),
    speculativeRetry: textOf(row, 'speculative_retry'),
    readRepair: textOf(row, 'read_repair'),
    memtableFlushPeriodInMs: numberOf(row, 'memtable_flush_period_in_ms'),
    caching: textMapOf(row, 'caching'),
    compaction: textMapOf(row, 'compaction'),
    compression: textMapOf(row, 'compression'),
    flags: Object.freeze([...textListOf(row, 'flags')]),
    cdc: booleanOf(row, 'cdc') ?? false,
  });
}

function index(row: SchemaRow): IndexMetadata | undefined {
  const name = textOf(row, 'index_name');
  if (name === undefined) return undefined;
  const opts = textMapOf(row, 'options');
  return Object.freeze({ name, kind: textOf(row, 'kind') ?? 'COMPOSITES', target: opts.target, options: opts });
}

function dropped(row: SchemaRow): DroppedColumnMetadata | undefined {
  const name = textOf(row, 'column_name');
  if (name === undefined) return undefined;
  const time = row.dropped_time;
  return Object.freeze({
    name,
    cqlType: textOf(row, 'type') ?? '',
    kind: kindOf(row),
    droppedTime: time instanceof Date ? time : null,
  });
}

function defined<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((x): x is T => x !== undefined);
}

class ParsedTable implements TableMetadata {
  readonly keyspace: string;
  readonly name: string;
  readonly id: string | undefined;
  readonly columns: readonly ColumnMetadata[];
  readonly partitionKey: readonly ColumnMetadata[];
  readonly clusteringKey: readonly ColumnMetadata[];
  readonly isView: boolean;
  readonly baseTable: string | undefined;
  readonly whereClause: string | undefined;
  readonly options: TableOptions;
  readonly indexes: readonly IndexMetadata[];
  readonly droppedColumns: readonly DroppedColumnMetadata[];
  private readonly byName: ReadonlyMap<string, ColumnMetadata>;

  constructor(keyspace: string, name: string, rows: TableRows, types: UserTypes) {
    const all = defined(rows.columns.map((r) => column(r, types)));
    const of = (kind: ColumnKind) => all.filter((c) => c.kind === kind);
    this.keyspace = keyspace;
    this.name = name;
    this.id = uuidTextOf(rows.table, 'id');
    this.partitionKey = Object.freeze(of('partition_key').sort(byPosition));
    this.clusteringKey = Object.freeze(of('clustering').sort(byPosition));
    this.columns = Object.freeze([
      ...this.partitionKey,
      ...this.clusteringKey,
      ...of('static').sort(byNameBytes),
      ...of('regular').sort(byNameBytes),
    ]);
    this.isView = rows.isView;
    this.baseTable = rows.isView ? textOf(rows.table, 'base_table_name') : undefined;
    this.whereClause = rows.isView ? textOf(rows.table, 'where_clause') : undefined;
    this.options = options(rows.table);
    this.indexes = Object.freeze(
      defined(rows.indexes.map(index)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
    this.droppedColumns = Object.freeze(defined(rows.droppedColumns.map(dropped)));
    this.byName = new Map(this.columns.map((c) => [c.name, c]));
  }

  column(name: string): ColumnMetadata | undefined {
    return this.byName.get(name);
  }
}

/** Builds one table's (or view's) metadata from its system_schema rows. */
export function buildTable(keyspace: string, name: string, rows: TableRows, types: UserTypes): TableMetadata {
  return new ParsedTable(keyspace, name, rows, types);
}
