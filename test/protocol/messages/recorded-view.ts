import { createHash } from 'node:crypto';
import { consistencyName } from '../../../src/protocol/consistency.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { BoundValue } from '../../../src/protocol/messages/query-parameters.js';
import { queryFlags } from '../../../src/protocol/messages/query-parameters.js';
import type { RequestMessage } from '../../../src/protocol/messages/request-message.js';
import type { ResponseMessage } from '../../../src/protocol/messages/response-message.js';
import type { ColumnSpec, RowsMetadata } from '../../../src/protocol/messages/rows-metadata.js';
import { rowsMetadataFlags } from '../../../src/protocol/messages/rows-metadata.js';
import { UNSET } from '../../../src/protocol/primitives/unset.js';
import type { DataType } from '../../../src/protocol/types/data-type.js';
import { toMarshalClassName } from '../../../src/protocol/types/marshal-class-name.js';

/**
 * Test helper: a decoded message described in the vocabulary of the recordings' `expect` entries
 * (test/fixtures/README.md), so each recorded field can be compared with ours.
 */

const OPCODE_NAMES = new Map<number, string>(Object.entries(Opcode).map(([name, code]) => [code, name]));

/** The name of an opcode as the recordings spell it. */
export function opcodeName(code: number): string {
  return OPCODE_NAMES.get(code) ?? `0x${code.toString(16)}`;
}

/** Values over 64 bytes and strings over 1000 characters are shown abbreviated in `expect`. */
function showBytes(b: Buffer): string {
  return b.length > 64
    ? `<${b.length} bytes, sha256 ${createHash('sha256').update(b).digest('hex')}>`
    : b.toString('hex');
}
function showString(s: string): string {
  return s.length > 1000 ? `<${s.length} chars, sha256 ${createHash('sha256').update(s, 'utf8').digest('hex')}>` : s;
}
function showValue(v: BoundValue): string | null {
  if (v === UNSET) return 'unset';
  return v === null ? null : showBytes(v);
}
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** A type as the recordings print it (`varchar`, `map<varchar, int>`, `udt ks.name{f t}`, `custom(...)`). */
export function showType(t: DataType, version: number): string {
  switch (t.kind) {
    case 'text':
      return 'varchar';
    // before v5 the server sends duration as a custom type (Cassandra's DataType.fromType)
    case 'duration':
      return version < 5 ? `custom(${toMarshalClassName(t)})` : 'duration';
    case 'list':
      return `list<${showType(t.element, version)}>`;
    case 'set':
      return `set<${showType(t.element, version)}>`;
    case 'map':
      return `map<${showType(t.key, version)}, ${showType(t.value, version)}>`;
    case 'tuple':
      return `tuple<${t.elements.map((e) => showType(e, version)).join(', ')}>`;
    case 'udt':
      return `udt ${t.keyspace}.${t.name}{${t.fields.map((f) => `${f.name} ${showType(f.type, version)}`).join(', ')}}`;
    case 'vector':
      return `custom(${toMarshalClassName(t)})`;
    case 'custom':
      return `custom(${t.className})`;
    default:
      return t.kind;
  }
}

function showColumns(columns: readonly ColumnSpec[], version: number): string[] {
  return columns.map((c) => `${c.keyspace}.${c.table}.${c.name} ${showType(c.type, version)}`);
}

function rowsView(m: RowsMetadata, version: number): Record<string, unknown> {
  const flags = rowsMetadataFlags(m);
  const view: Record<string, unknown> = {
    metadata_flags: hex4(flags),
    column_count: m.columnCount,
    has_more_pages: m.pagingState !== undefined,
    no_metadata: m.columns === undefined,
  };
  if (m.pagingState !== undefined) view.paging_state = m.pagingState.toString('hex');
  if (m.newMetadataId !== undefined) view.new_metadata_id = m.newMetadataId.toString('hex');
  if (m.columns !== undefined) {
    view.global_table_spec = (flags & 1) !== 0;
    view.columns = showColumns(m.columns, version);
  }
  return view;
}

/** The recorded fields of a request. */
export function requestView(m: RequestMessage, version: number): Record<string, unknown> {
  switch (m.opcode) {
    case Opcode.STARTUP:
      return { options: Object.fromEntries(m.options) };
    case Opcode.OPTIONS:
      return {};
    case Opcode.REGISTER:
      return { events: m.events };
    case Opcode.AUTH_RESPONSE:
      return { token: m.token === null ? null : m.token.toString('hex') };
    case Opcode.PREPARE:
      // the PREPARE flags exist from v5 on
      return version >= 5 ? { query: m.query, prepare_flags: m.keyspace === undefined ? 0 : 1 } : { query: m.query };
    case Opcode.BATCH:
      return {
        batch_type: ['LOGGED', 'UNLOGGED', 'COUNTER'][m.type],
        statements: m.statements.map((s) =>
          s.id !== undefined
            ? { preparedId: s.id.toString('hex'), values: s.values.map(showValue) }
            : { query: showString(s.query), values: s.values.map(showValue) },
        ),
        consistency: consistencyName(m.consistency),
        batch_flags: (m.serialConsistency !== undefined ? 0x10 : 0) | (m.timestamp !== undefined ? 0x20 : 0),
      };
    case Opcode.QUERY:
    case Opcode.EXECUTE: {
      const p = m.params;
      const view: Record<string, unknown> = {
        consistency: consistencyName(p.consistency),
        query_flags: hex2(queryFlags(p)),
      };
      if (m.opcode === Opcode.QUERY) view.query = showString(m.query);
      else {
        view.query_id = m.id.toString('hex');
        if (version >= 5) view.result_metadata_id = m.resultMetadataId?.toString('hex');
      }
      if (p.values !== undefined) view.values = p.values.map(showValue);
      if (p.pageSize !== undefined) view.page_size = p.pageSize;
      if (p.pagingState !== undefined) view.paging_state = p.pagingState.toString('hex');
      if (p.skipMetadata === true) view.skip_metadata = true;
      return view;
    }
  }
}

/** The recorded fields of a response (without the prefix's warnings). */
export function responseView(m: ResponseMessage, version: number): Record<string, unknown> {
  switch (m.opcode) {
    case Opcode.READY:
      return {};
    case Opcode.SUPPORTED:
      return { options: Object.fromEntries(m.options) };
    case Opcode.AUTHENTICATE:
      return { authenticator: m.authenticator };
    case Opcode.AUTH_SUCCESS:
    case Opcode.AUTH_CHALLENGE:
      return { token: m.token === null ? null : m.token.toString('hex') };
    case Opcode.ERROR: {
      const view: Record<string, unknown> = { error_code: hex4(m.code), message: m.message };
      if (m.details?.code === 0x2500) view.unprepared_id = m.details.preparedId.toString('hex');
      return view;
    }
    case Opcode.EVENT:
      return { event_type: m.type, event: m.type === 'SCHEMA_CHANGE' ? m.change : { change: m.change, node: m.node } };
    case Opcode.RESULT:
      switch (m.kind) {
        case 'void':
          return { kind: 'VOID' };
        case 'setKeyspace':
          return { kind: 'SET_KEYSPACE', keyspace: m.keyspace };
        case 'schemaChange':
          return { kind: 'SCHEMA_CHANGE', schema_change: m.change };
        case 'rows':
          return { kind: 'ROWS', ...rowsView(m.metadata, version), row_count: m.rowCount };
        case 'prepared': {
          const view: Record<string, unknown> = {
            kind: 'PREPARED',
            query_id: m.id.toString('hex'),
            bind_columns: showColumns(m.metadata.columns, version),
            pk_indexes: m.metadata.pkIndexes,
            result_metadata_flags: hex4(rowsMetadataFlags(m.resultMetadata)),
          };
          if (m.resultMetadataId !== undefined) view.result_metadata_id = m.resultMetadataId.toString('hex');
          // the recordings list no result columns as an empty list
          view.result_columns = showColumns(m.resultMetadata.columns ?? [], version);
          return view;
        }
      }
  }
}
