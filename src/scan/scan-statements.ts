import type { TokenSplit } from './token-splits.js';

/**
 * Cassandra's reserved keywords (`org.apache.cassandra.cql3.ReservedKeywords`): a column or table
 * named like one must be quoted to be read.
 */
const RESERVED = new Set(
  (
    'select from where and entries full insert update with limit using use set begin unlogged batch apply ' +
    'truncate delete in create keyspace schema columnfamily table materialized view index on to drop primary ' +
    'into alter rename add order by asc desc allow if is grant of revoke modify authorize describe execute ' +
    'norecursive token null not nan infinity or replace default unset mbean mbeans'
  ).split(' '),
);

/** A CQL identifier as it must be written: bare when Cassandra would read it back unchanged, quoted otherwise. */
export function cqlIdentifier(name: string): string {
  if (/^[a-z][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The four statements of a table scan, one per kind of range: bounded on both sides, from the
 * start of the ring, to the end of the ring, and the whole ring (a one-token ring with its token
 * at -2^63). A bound at the minimum token is left out rather than written: `token(pk) <= -2^63`
 * reads the whole table on Cassandra, not nothing.
 */
export interface ScanStatements {
  readonly between: string;
  readonly from: string;
  readonly to: string;
  readonly all: string;
}

/**
 * The scan's statements for `columns` of `keyspace.table` keyed by `partitionKey` (all names as
 * stored). `columns` undefined means every column in table order, written `SELECT *` (the same
 * columns in the same order, and the shortest request).
 */
export function scanStatements(
  keyspace: string,
  table: string,
  columns: readonly string[] | undefined,
  partitionKey: readonly string[],
): ScanStatements {
  const list = columns === undefined ? '*' : columns.map(cqlIdentifier).join(', ');
  const select = `SELECT ${list} FROM ${cqlIdentifier(keyspace)}.${cqlIdentifier(table)}`;
  const token = `token(${partitionKey.map(cqlIdentifier).join(', ')})`;
  return {
    between: `${select} WHERE ${token} > ? AND ${token} <= ?`,
    from: `${select} WHERE ${token} <= ?`,
    to: `${select} WHERE ${token} > ?`,
    all: select,
  };
}

/** The statement and bound values that read `split`. */
export function splitQuery<H>(
  statements: ScanStatements,
  split: TokenSplit<H>,
): { readonly query: string; readonly values: readonly bigint[] } {
  if (split.hasLowerBound && split.hasUpperBound)
    return { query: statements.between, values: [split.start, split.end] };
  if (split.hasUpperBound) return { query: statements.from, values: [split.end] };
  if (split.hasLowerBound) return { query: statements.to, values: [split.start] };
  return { query: statements.all, values: [] };
}
