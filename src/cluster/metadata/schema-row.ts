import { Uuid } from '../../protocol/types/index.js';

/** One row of a system table as plain values by column name (`Row.toObject()`). */
export type SchemaRow = Readonly<Record<string, unknown>>;

/**
 * Readers of system table cells that tolerate what differs between Cassandra versions: a column
 * missing from the layout, or null, reads as undefined (or the given fallback) instead of throwing.
 */

export function textOf(row: SchemaRow, column: string): string | undefined {
  const v = row[column];
  return typeof v === 'string' ? v : undefined;
}

export function numberOf(row: SchemaRow, column: string): number | undefined {
  const v = row[column];
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

export function booleanOf(row: SchemaRow, column: string): boolean | undefined {
  const v = row[column];
  return typeof v === 'boolean' ? v : undefined;
}

export function uuidTextOf(row: SchemaRow, column: string): string | undefined {
  const v = row[column];
  return v instanceof Uuid ? v.toString() : undefined;
}

/** A `map<text, text>` cell as a frozen plain object ({} when missing). */
export function textMapOf(row: SchemaRow, column: string): Readonly<Record<string, string>> {
  const v = row[column];
  const out: Record<string, string> = {};
  if (v instanceof Map) {
    for (const [key, value] of v as Map<unknown, unknown>) {
      if (typeof key === 'string' && typeof value === 'string') out[key] = value;
    }
  }
  return Object.freeze(out);
}

/** A `list<text>` or `set<text>` cell as an array ([] when missing). */
export function textListOf(row: SchemaRow, column: string): readonly string[] {
  const v = row[column];
  const items = Array.isArray(v) ? v : v instanceof Set ? [...(v as Set<unknown>)] : [];
  return items.filter((x): x is string => typeof x === 'string');
}
