import type { ColumnSpec } from '../../protocol/messages/index.js';
import type { DataType } from '../../protocol/types/index.js';
import type { Relation, Statement, Term } from '../cql/index.js';
import type { ColumnMetadata, TableMetadata } from '../schema/index.js';

const INT: DataType = { kind: 'int' };
const BIGINT: DataType = { kind: 'bigint' };

/** Bind variables of a statement: one spec per marker, and the partition-key marker indexes. */
export interface BindMetadata {
  readonly specs: ColumnSpec[];
  /**
   * The marker index of each partition-key component, or [] unless every component is bound
   * (native_protocol_v5.spec §4.2.5.4 (Prepared), pk_index).
   */
  readonly pkIndexes: number[];
}

/**
 * Names and types each bind marker the way Cassandra does: the column it is compared with or
 * assigned to, `[limit]`, `[per_partition_limit]`, `[ttl]`, `[timestamp]`, `in(col)` for `IN ?`,
 * `partition key token` for `token(...) > ?`; a named marker `:x` is named x.
 */
export function bindMetadata(
  statement: Statement,
  bindCount: number,
  resolveTable: (ks: string | undefined, name: string) => TableMetadata,
): BindMetadata {
  const specs: (ColumnSpec | undefined)[] = new Array<ColumnSpec | undefined>(bindCount);
  const targets: (ColumnMetadata | undefined)[] = new Array<ColumnMetadata | undefined>(bindCount);
  let pkTable: TableMetadata | undefined;

  const put = (
    term: Term | undefined,
    table: TableMetadata,
    name: string,
    type: DataType,
    target?: ColumnMetadata,
  ): void => {
    if (term === undefined) return;
    if (term.kind === 'bind') {
      specs[term.index] = { keyspace: table.keyspace, table: table.name, name: term.name ?? name, type };
      targets[term.index] = target;
    }
  };
  const relations = (table: TableMetadata, where: readonly Relation[]): void => {
    for (const r of where) {
      if (r.kind === 'token') {
        put(r.term, table, 'partition key token', BIGINT);
        continue;
      }
      const col = table.byName.get(r.column);
      if (col === undefined) continue;
      if (Array.isArray(r.term)) {
        for (const t of r.term as Term[]) put(t, table, col.name, col.type, col);
      } else if (r.op === 'IN') {
        put(r.term as Term, table, `in(${col.name})`, { kind: 'list', element: col.type });
      } else {
        put(r.term as Term, table, col.name, col.type, r.op === '=' ? col : undefined);
      }
    }
  };
  const using = (table: TableMetadata, u: { ttl: Term | undefined; timestamp: Term | undefined }): void => {
    put(u.ttl, table, '[ttl]', INT);
    put(u.timestamp, table, '[timestamp]', BIGINT);
  };

  const visit = (s: Statement): void => {
    switch (s.type) {
      case 'insert': {
        const table = resolveTable(s.table.keyspace, s.table.name);
        pkTable ??= table;
        s.columns.forEach((c, i) => {
          const col = table.byName.get(c);
          if (col !== undefined) put(s.values[i], table, col.name, col.type, col);
        });
        using(table, s.using);
        break;
      }
      case 'update': {
        const table = resolveTable(s.table.keyspace, s.table.name);
        pkTable ??= table;
        using(table, s.using);
        for (const a of s.assignments) {
          const col = table.byName.get(a.column);
          if (col === undefined) continue;
          if (a.element !== undefined) {
            // c[k] = v: Cassandra names these key(c) / value(c) (idx(c) for a list index).
            const isMap = col.type.kind === 'map';
            put(
              a.element,
              table,
              isMap ? `key(${col.name})` : `idx(${col.name})`,
              col.type.kind === 'map' ? col.type.key : INT,
            );
            put(
              a.term,
              table,
              `value(${col.name})`,
              col.type.kind === 'map' ? col.type.value : col.type.kind === 'list' ? col.type.element : col.type,
            );
            continue;
          }
          const type: DataType =
            col.type.kind === 'map' && a.op === 'subtract' ? { kind: 'set', element: col.type.key } : col.type;
          put(a.term, table, col.name, type);
        }
        relations(table, s.where);
        break;
      }
      case 'delete': {
        const table = resolveTable(s.table.keyspace, s.table.name);
        pkTable ??= table;
        using(table, s.using);
        relations(table, s.where);
        break;
      }
      case 'select': {
        const table = resolveTable(s.table.keyspace, s.table.name);
        pkTable ??= table;
        relations(table, s.where);
        put(s.perPartitionLimit, table, '[per_partition_limit]', INT);
        put(s.limit, table, '[limit]', INT);
        break;
      }
      case 'batch':
        for (const inner of s.statements) visit(inner);
        pkTable = undefined;
        break;
      default:
        break;
    }
  };
  visit(statement);

  const done: ColumnSpec[] = [];
  for (let i = 0; i < bindCount; i++) {
    done.push(
      specs[i] ?? {
        keyspace: pkTable?.keyspace ?? '',
        table: pkTable?.name ?? '',
        name: `[${i}]`,
        type: { kind: 'blob' },
      },
    );
  }
  let pkIndexes: number[] = [];
  if (pkTable !== undefined && statement.type !== 'batch') {
    const positions: (number | undefined)[] = pkTable.partitionKey.map(() => undefined);
    targets.forEach((t, i) => {
      if (t?.kind === 'partition_key') positions[t.position] = i;
    });
    if (positions.every((p) => p !== undefined)) pkIndexes = positions;
  }
  return { specs: done, pkIndexes };
}
