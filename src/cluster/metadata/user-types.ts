import type { DataType, UdtType } from '../../protocol/types/index.js';
import { parseCqlTypeString } from '../../protocol/types/index.js';
import { type SchemaRow, textListOf, textOf } from './schema-row.js';

/**
 * The user-defined types of one keyspace (system_schema.types rows), resolved on demand: a type's
 * fields may name other user types of the same keyspace, which are resolved in turn whatever the
 * row order. Column types are parsed against them.
 */
export class UserTypes {
  private readonly definitions = new Map<string, { names: readonly string[]; types: readonly string[] }>();
  private readonly resolved = new Map<string, UdtType>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly keyspace: string,
    rows: readonly SchemaRow[],
  ) {
    for (const row of rows) {
      const name = textOf(row, 'type_name');
      if (name !== undefined)
        this.definitions.set(name, { names: textListOf(row, 'field_names'), types: textListOf(row, 'field_types') });
    }
  }

  /** Every type of the keyspace, sorted by name (a type that cannot be resolved is left out). */
  all(): UdtType[] {
    const out: UdtType[] = [];
    for (const name of [...this.definitions.keys()].sort()) {
      const t = this.resolve(name);
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  /**
   * Parses a CQL type text (`frozen<address>`, `map<text, int>`, `vector<float, 3>`). Text that
   * names an unknown type or that cannot be parsed becomes a `custom` type carrying the text, so
   * an odd schema never makes the metadata unreadable.
   */
  parse(text: string): DataType {
    try {
      return parseCqlTypeString(text, (name, keyspace) => this.lookup(name, keyspace));
    } catch {
      return { kind: 'custom', className: text };
    }
  }

  private lookup(name: string, keyspace: string | undefined): UdtType | undefined {
    if (keyspace !== undefined && keyspace !== this.keyspace) return undefined;
    return this.resolve(name);
  }

  private resolve(name: string): UdtType | undefined {
    const done = this.resolved.get(name);
    if (done !== undefined) return done;
    const def = this.definitions.get(name);
    // a type naming itself (never valid CQL) stops here instead of recursing forever
    if (def === undefined || this.resolving.has(name)) return undefined;
    this.resolving.add(name);
    try {
      const fields = def.names.map((fieldName, i) => ({
        name: fieldName,
        type: this.parse(def.types[i] ?? ''),
      }));
      const udt: UdtType = { kind: 'udt', keyspace: this.keyspace, name, fields };
      this.resolved.set(name, udt);
      return udt;
    } finally {
      this.resolving.delete(name);
    }
  }
}
