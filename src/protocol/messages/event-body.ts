import { Opcode } from '../envelope/opcode.js';
import { ProtocolError } from '../errors/cqlwire-error.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { EventMessage } from './response-message.js';
import { readSchemaChange, writeSchemaChange } from './schema-change.js';

/** Reads an EVENT body (native_protocol_v5.spec §4.2.6 (EVENT)). An unknown event type is a `ProtocolError`. */
export function readEventBody(r: PrimitiveReader): EventMessage {
  const opcode = Opcode.EVENT;
  const type = r.string();
  switch (type) {
    case 'TOPOLOGY_CHANGE':
    case 'STATUS_CHANGE': {
      const change = r.string();
      return { opcode, type, change, node: r.inet() };
    }
    case 'SCHEMA_CHANGE':
      return { opcode, type, change: readSchemaChange(r) };
    default:
      throw new ProtocolError(`Unknown EVENT type '${type}'`);
  }
}

/** Writes an EVENT body. */
export function writeEventBody(w: PrimitiveWriter, e: EventMessage): void {
  w.string(e.type);
  if (e.type === 'SCHEMA_CHANGE') writeSchemaChange(w, e.change);
  else w.string(e.change).inet(e.node.address, e.node.port);
}
