import { ProtocolError } from '../errors/cqlwire-error.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';

/**
 * A schema change, as a RESULT Schema_change or a SCHEMA_CHANGE event carries it
 * (native_protocol_v5.spec §4.2.5.5 (Schema_change), §4.2.6 (EVENT)). `change` is CREATED, UPDATED
 * or DROPPED; other strings are kept as they are.
 */
export type SchemaChange =
  | { change: string; target: 'KEYSPACE'; keyspace: string }
  | { change: string; target: 'TABLE' | 'TYPE'; keyspace: string; name: string }
  | { change: string; target: 'FUNCTION' | 'AGGREGATE'; keyspace: string; name: string; argTypes: string[] };

/** Reads `<change_type><target><options>`. An unknown target cannot be skipped: `ProtocolError`. */
export function readSchemaChange(r: PrimitiveReader): SchemaChange {
  const change = r.string();
  const target = r.string();
  switch (target) {
    case 'KEYSPACE':
      return { change, target, keyspace: r.string() };
    case 'TABLE':
    case 'TYPE': {
      const keyspace = r.string();
      return { change, target, keyspace, name: r.string() };
    }
    case 'FUNCTION':
    case 'AGGREGATE': {
      const keyspace = r.string();
      const name = r.string();
      return { change, target, keyspace, name, argTypes: r.stringList() };
    }
    default:
      throw new ProtocolError(`Unknown schema change target '${target}' (change '${change}')`);
  }
}

/** Writes `<change_type><target><options>`. */
export function writeSchemaChange(w: PrimitiveWriter, c: SchemaChange): void {
  w.string(c.change).string(c.target).string(c.keyspace);
  if (c.target === 'KEYSPACE') return;
  w.string(c.name);
  if (c.target === 'FUNCTION' || c.target === 'AGGREGATE') w.stringList(c.argTypes);
}
