// Embedded server: a table's metadata from CREATE TABLE (the client's, from system_schema: src/cluster/metadata).

import { ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';
import type { DataType } from '../../protocol/types/index.js';
import type { ColumnMetadata, KeyspaceMetadata, TableMetadata } from './metadata.js';

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(ErrorCode.INVALID, message);
}

export interface ColumnDefinition {
  readonly name: string;
  readonly type: DataType;
  readonly isStatic: boolean;
}

/**
 * Builds table metadata with Cassandra's checks and Cassandra's `SELECT *` column order:
 * partition key columns, clustering columns, then static and regular columns sorted by name.
 */
export function buildTable(
  ks: Pick<KeyspaceMetadata, 'name'>,
  name: string,
  id: string,
  defs: readonly ColumnDefinition[],
  partitionKey: readonly string[],
  clustering: readonly string[],
  clusteringOrder: readonly { column: string; descending: boolean }[],
  options: ReadonlyMap<string, string>,
): TableMetadata {
  const byDef = new Map<string, ColumnDefinition>();
  for (const d of defs) {
    if (byDef.has(d.name)) throw invalid(`Duplicate column '${d.name}' declaration for table ${ks.name}.${name}`);
    byDef.set(d.name, d);
  }
  if (partitionKey.length === 0) throw invalid(`No PRIMARY KEY specifed for table '${name}' (exactly one required)`);
  const keyCols = new Set<string>();
  for (const k of [...partitionKey, ...clustering]) {
    if (!byDef.has(k)) throw invalid(`Unknown definition ${k} referenced in PRIMARY KEY`);
    if (keyCols.has(k)) throw invalid(`Duplicate definition ${k} referenced in PRIMARY KEY`);
    keyCols.add(k);
    const t = byDef.get(k)!.type;
    if (t.kind === 'counter') throw invalid(`counter type is not supported for PRIMARY KEY column '${k}'`);
    if ((t.kind === 'list' || t.kind === 'set' || t.kind === 'map' || t.kind === 'udt') && t.frozen !== true) {
      throw invalid(`Invalid non-frozen collection type for PRIMARY KEY component ${k}`);
    }
    if (byDef.get(k)!.isStatic) throw invalid(`Static column ${k} cannot be part of the PRIMARY KEY`);
  }
  const order = new Map<string, boolean>();
  clusteringOrder.forEach((o, i) => {
    if (!clustering.includes(o.column))
      throw invalid(`Only clustering key columns can be defined in CLUSTERING ORDER directive: ${o.column} is not`);
    if (clustering[i] !== o.column)
      throw invalid('The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns');
    order.set(o.column, o.descending);
  });
  const others = defs.filter((d) => !keyCols.has(d.name));
  if (others.some((d) => d.isStatic) && clustering.length === 0) {
    throw invalid(`Static columns are only useful (and thus allowed) if the table has at least one clustering column`);
  }
  const counters = others.filter((d) => d.type.kind === 'counter').length;
  if (counters > 0 && counters !== others.length)
    throw invalid('Cannot mix counter and non counter columns in the same table');

  const sorted = [...others].sort((a, b) =>
    a.isStatic === b.isStatic ? compareNames(a.name, b.name) : a.isStatic ? -1 : 1,
  );
  const columns: ColumnMetadata[] = [];
  partitionKey.forEach((k, i) =>
    columns.push({
      name: k,
      type: byDef.get(k)!.type,
      kind: 'partition_key',
      position: i,
      clusteringOrder: 'none',
      slot: columns.length,
    }),
  );
  clustering.forEach((k, i) =>
    columns.push({
      name: k,
      type: byDef.get(k)!.type,
      kind: 'clustering',
      position: i,
      clusteringOrder: order.get(k) === true ? 'desc' : 'asc',
      slot: columns.length,
    }),
  );
  for (const d of sorted)
    columns.push({
      name: d.name,
      type: d.type,
      kind: d.isStatic ? 'static' : 'regular',
      position: -1,
      clusteringOrder: 'none',
      slot: columns.length,
    });
  return {
    keyspace: ks.name,
    name,
    id,
    columns,
    partitionKey: columns.filter((c) => c.kind === 'partition_key'),
    clustering: columns.filter((c) => c.kind === 'clustering'),
    byName: new Map(columns.map((c) => [c.name, c])),
    isCounter: counters > 0,
    options,
  };
}

/** Cassandra orders regular columns by the bytes of their names (UTF-8, unsigned). */
function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
