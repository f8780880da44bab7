import { ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';
import type { ColumnSpec } from '../../protocol/messages/index.js';
import { bytesListSize, writeBytesList } from '../../protocol/primitives/index.js';
import type { ParsedStatement } from '../cql/index.js';
import { parseStatement } from '../cql/index.js';
import type { RowsPage } from '../execution/index.js';
import { rowsPage } from '../execution/index.js';
import type { SystemTable } from './system-tables.js';

/** Cheap test before parsing: does the text name one of the computed system tables? */
const SYSTEM_TABLE_HINT = /\bsystem\s*\.\s*"?(local|peers|peers_v2)\b/i;

/** A parsed SELECT on a computed table: which columns, in which order. */
export interface Projection {
  table: SystemTable;
  indexes: number[];
  columns: ColumnSpec[];
}

/**
 * Serves SELECTs on system.local / system.peers / system.peers_v2 for one node: parses the text
 * with the data side's CQL parser, projects the selected columns (`*` = every column in
 * Cassandra's order) and returns the rows computed now. Other statements are not its business:
 * `projection` returns undefined for them. Projections are cached by text.
 */
export class SystemQueries {
  private readonly tables = new Map<string, SystemTable>();
  private readonly cache = new Map<string, Projection | null>();

  constructor(tables: readonly SystemTable[]) {
    for (const t of tables) this.tables.set(t.name, t);
  }

  /** The projection for a query text, or undefined when it is not a SELECT on these tables. */
  projection(query: string, keyspace: string | undefined): Projection | undefined {
    const key = `${keyspace ?? ''}\u0000${query}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const p = this.parse(query, keyspace);
    if (this.cache.size > 1000) this.cache.clear();
    // Errors (unknown columns) are not cached: they throw every time.
    this.cache.set(key, p ?? null);
    return p;
  }

  private parse(query: string, keyspace: string | undefined): Projection | undefined {
    if (!SYSTEM_TABLE_HINT.test(query) && keyspace !== 'system') return undefined;
    let parsed: ParsedStatement;
    try {
      parsed = parseStatement(query);
    } catch {
      return undefined; // let the data side report the syntax error
    }
    const select = parsed.statement;
    if (select.type !== 'select') return undefined;
    const ks = select.table.keyspace ?? keyspace;
    if (ks !== 'system') return undefined;
    const table = this.tables.get(select.table.name);
    if (table === undefined) return undefined;
    const indexes: number[] = [];
    const columns: ColumnSpec[] = [];
    if (select.selectors === undefined) {
      table.columns.forEach((c, i) => {
        indexes.push(i);
        columns.push({ keyspace: 'system', table: table.name, name: c.name, type: c.type });
      });
    } else {
      for (const sel of select.selectors) {
        const name = sel.kind === 'column' ? sel.name : undefined;
        const i = name === undefined ? -1 : table.columns.findIndex((c) => c.name === name);
        if (i < 0) {
          throw new InvalidRequestError(
            ErrorCode.INVALID,
            `Undefined column name ${name ?? sel.kind} in selection clause`,
          );
        }
        indexes.push(i);
        const c = table.columns[i]!;
        columns.push({ keyspace: 'system', table: table.name, name: sel.alias ?? c.name, type: c.type });
      }
    }
    return { table, indexes, columns };
  }

  /** Runs a projection: every row at once (these tables hold a handful of rows). */
  execute(p: Projection): RowsPage {
    const rows = p.table.rows();
    const cells: (Buffer | null)[] = [];
    for (const row of rows) for (const i of p.indexes) cells.push(row[i]!);
    const rowsContent = Buffer.allocUnsafe(bytesListSize(cells));
    writeBytesList(cells, rowsContent, 0);
    return rowsPage(p.columns, rows.length, rowsContent);
  }
}
