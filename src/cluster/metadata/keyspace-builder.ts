import type { UdtType } from '../../protocol/types/index.js';
import { parseReplication } from '../replication.js';
import type { KeyspaceMetadata, KeyspaceReplication, TableMetadata } from './metadata-types.js';
import { booleanOf, type SchemaRow, textMapOf, textOf } from './schema-row.js';
import { buildTable } from './table-builder.js';
import { UserTypes } from './user-types.js';

/**
 * The rows of the system_schema tables a metadata read needs (Cassandra 4.0/4.1/5.0 layout), all
 * keyspaces or one. A table missing on the server is an empty list.
 */
export interface SchemaRows {
  readonly keyspaces: readonly SchemaRow[];
  readonly tables: readonly SchemaRow[];
  readonly columns: readonly SchemaRow[];
  readonly types: readonly SchemaRow[];
  readonly views: readonly SchemaRow[];
  readonly indexes: readonly SchemaRow[];
  readonly droppedColumns: readonly SchemaRow[];
}

/** The system_schema table each field of {@link SchemaRows} is read from. */
export const SCHEMA_TABLES: Readonly<Record<keyof SchemaRows, string>> = {
  keyspaces: 'keyspaces',
  tables: 'tables',
  columns: 'columns',
  types: 'types',
  views: 'views',
  indexes: 'indexes',
  droppedColumns: 'dropped_columns',
};

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows grouped by keyspace, then by `column` (table_name, view_name, ...). */
function groupBy(rows: readonly SchemaRow[], column: string): Map<string, Map<string, SchemaRow[]>> {
  const out = new Map<string, Map<string, SchemaRow[]>>();
  for (const row of rows) {
    const ks = textOf(row, 'keyspace_name');
    const key = textOf(row, column) ?? '';
    if (ks === undefined) continue;
    let inner = out.get(ks);
    if (inner === undefined) out.set(ks, (inner = new Map<string, SchemaRow[]>()));
    let list = inner.get(key);
    if (list === undefined) inner.set(key, (list = []));
    list.push(row);
  }
  return out;
}

function replicationOf(row: SchemaRow): KeyspaceReplication {
  const map = textMapOf(row, 'replication');
  const { class: cls = '', ...options } = map;
  return Object.freeze({
    class: cls,
    options: Object.freeze(options),
    strategy: parseReplication(new Map(Object.entries(map))),
  });
}

class ParsedKeyspace implements KeyspaceMetadata {
  readonly name: string;
  readonly durableWrites: boolean;
  readonly replication: KeyspaceReplication;
  private readonly tableList: readonly TableMetadata[];
  private readonly viewList: readonly TableMetadata[];
  private readonly byName: ReadonlyMap<string, TableMetadata>;
  private readonly types: readonly UdtType[];

  constructor(
    row: SchemaRow,
    name: string,
    tables: readonly TableMetadata[],
    views: readonly TableMetadata[],
    types: readonly UdtType[],
  ) {
    this.name = name;
    this.durableWrites = booleanOf(row, 'durable_writes') ?? true;
    this.replication = replicationOf(row);
    this.tableList = Object.freeze([...tables].sort((a, b) => compareText(a.name, b.name)));
    this.viewList = Object.freeze([...views].sort((a, b) => compareText(a.name, b.name)));
    this.byName = new Map([...tables, ...views].map((t) => [t.name, t]));
    this.types = Object.freeze(types);
  }

  tables(): readonly TableMetadata[] {
    return this.tableList;
  }

  views(): readonly TableMetadata[] {
    return this.viewList;
  }

  table(name: string): TableMetadata | undefined {
    return this.byName.get(name);
  }

  userTypes(): readonly UdtType[] {
    return this.types;
  }
}

/**
 * Builds the metadata of every keyspace the rows describe, sorted by name. Columns are matched to
 * their table or view by (keyspace_name, table_name); indexes and dropped columns to their table.
 */
export function buildKeyspaces(rows: SchemaRows): KeyspaceMetadata[] {
  const columns = groupBy(rows.columns, 'table_name');
  const indexes = groupBy(rows.indexes, 'table_name');
  const dropped = groupBy(rows.droppedColumns, 'table_name');
  const tables = groupBy(rows.tables, 'table_name');
  const views = groupBy(rows.views, 'view_name');
  const types = groupBy(rows.types, 'keyspace_name');
  const out: KeyspaceMetadata[] = [];
  for (const row of rows.keyspaces) {
    const ks = textOf(row, 'keyspace_name');
    if (ks === undefined) continue;
    const userTypes = new UserTypes(ks, types.get(ks)?.get(ks) ?? []);
    const build = (source: Map<string, SchemaRow[]> | undefined, isView: boolean): TableMetadata[] =>
      [...(source ?? new Map<string, SchemaRow[]>())].flatMap(([name, tableRows]) =>
        tableRows[0] === undefined
          ? []
          : [
              buildTable(
                ks,
                name,
                {
                  table: tableRows[0],
                  isView,
                  columns: columns.get(ks)?.get(name) ?? [],
                  indexes: indexes.get(ks)?.get(name) ?? [],
                  droppedColumns: dropped.get(ks)?.get(name) ?? [],
                },
                userTypes,
              ),
            ],
      );
    out.push(new ParsedKeyspace(row, ks, build(tables.get(ks), false), build(views.get(ks), true), userTypes.all()));
  }
  return out.sort((a, b) => compareText(a.name, b.name));
}
