import type { Opcode } from '../envelope/opcode.js';
import type { ErrorResponse } from '../errors/error-details.js';
import type { PreparedMetadata } from './prepared-metadata.js';
import type { RowsMetadata } from './rows-metadata.js';
import type { SchemaChange } from './schema-change.js';

/** ERROR (native_protocol_v5.spec §4.2.1): the plain data form `createServerError` turns into a typed error. */
export interface ErrorMessage extends ErrorResponse {
  readonly opcode: typeof Opcode.ERROR;
}

/** READY (native_protocol_v5.spec §4.2.2): empty body. */
export interface ReadyMessage {
  readonly opcode: typeof Opcode.READY;
}

/** AUTHENTICATE (native_protocol_v5.spec §4.2.3): the authenticator's class name. */
export interface AuthenticateMessage {
  readonly opcode: typeof Opcode.AUTHENTICATE;
  authenticator: string;
}

/** SUPPORTED (native_protocol_v5.spec §4.2.4): CQL_VERSION, COMPRESSION, PROTOCOL_VERSIONS, ... */
export interface SupportedMessage {
  readonly opcode: typeof Opcode.SUPPORTED;
  options: Map<string, string[]>;
}

/** The RESULT kinds (native_protocol_v5.spec §4.2.5). */
export const ResultKind = {
  VOID: 0x0001,
  ROWS: 0x0002,
  SET_KEYSPACE: 0x0003,
  PREPARED: 0x0004,
  SCHEMA_CHANGE: 0x0005,
} as const;

/** RESULT Void. */
export interface VoidResult {
  readonly opcode: typeof Opcode.RESULT;
  readonly kind: 'void';
}

/**
 * RESULT Rows as decoded: the cells are not decoded here. They stay in `body` from `rowsOffset`
 * on, `rowCount` × `metadata.columnCount` [bytes], for the zero-copy Rows decoder to walk.
 */
export interface RowsResult {
  readonly opcode: typeof Opcode.RESULT;
  readonly kind: 'rows';
  metadata: RowsMetadata;
  rowCount: number;
  body: Buffer;
  rowsOffset: number;
}

/**
 * RESULT Rows to encode: the rows content (rowCount × columnCount [bytes], row-major) is given
 * already encoded, so a server can encode cells once and send them many times.
 */
export interface EncodableRowsResult {
  readonly opcode: typeof Opcode.RESULT;
  readonly kind: 'rows';
  metadata: RowsMetadata;
  rowCount: number;
  rowsContent: Buffer | readonly Buffer[];
}

/** RESULT Set_keyspace: the answer to USE. */
export interface SetKeyspaceResult {
  readonly opcode: typeof Opcode.RESULT;
  readonly kind: 'setKeyspace';
  keyspace: string;
}

/** RESULT Prepared (native_protocol_v5.spec §4.2.5.4). */
export interface PreparedResult {
  readonly opcode: typeof Opcode.RESULT;
  readonly kind: 'prepared';
  id: Buffer;
  /** v5 only: the id of the result metadata, to send with every EXECUTE. */
  resultMetadataId?: Buffer;
  /** The bind variables. */
  metadata: PreparedMetadata;
  /** The result columns; NO_METADATA (no `columns`) for statements that return no rows. */
  resultMetadata: RowsMetadata;
}

/** RESULT Schema_change. */
export interface SchemaChangeResult {
  readonly opcode: typeof Opcode.RESULT;
  readonly kind: 'schemaChange';
  change: SchemaChange;
}

/** Every RESULT, discriminated by `kind`. */
export type ResultMessage = VoidResult | RowsResult | SetKeyspaceResult | PreparedResult | SchemaChangeResult;

/** EVENT TOPOLOGY_CHANGE: `change` is NEW_NODE, REMOVED_NODE (or MOVED_NODE; unknown values are kept). */
export interface TopologyChangeEvent {
  readonly opcode: typeof Opcode.EVENT;
  readonly type: 'TOPOLOGY_CHANGE';
  change: string;
  node: { address: string; port: number };
}

/** EVENT STATUS_CHANGE: `change` is UP or DOWN (unknown values are kept). */
export interface StatusChangeEvent {
  readonly opcode: typeof Opcode.EVENT;
  readonly type: 'STATUS_CHANGE';
  change: string;
  node: { address: string; port: number };
}

/** EVENT SCHEMA_CHANGE. */
export interface SchemaChangeEvent {
  readonly opcode: typeof Opcode.EVENT;
  readonly type: 'SCHEMA_CHANGE';
  change: SchemaChange;
}

/** Every EVENT, discriminated by `type`. */
export type EventMessage = TopologyChangeEvent | StatusChangeEvent | SchemaChangeEvent;

/** AUTH_CHALLENGE (native_protocol_v5.spec §4.2.7). */
export interface AuthChallengeMessage {
  readonly opcode: typeof Opcode.AUTH_CHALLENGE;
  token: Buffer | null;
}

/** AUTH_SUCCESS (native_protocol_v5.spec §4.2.8); PasswordAuthenticator sends a null token. */
export interface AuthSuccessMessage {
  readonly opcode: typeof Opcode.AUTH_SUCCESS;
  token: Buffer | null;
}

/** Every message a server sends, as decoded. */
export type ResponseMessage =
  | ErrorMessage
  | ReadyMessage
  | AuthenticateMessage
  | SupportedMessage
  | ResultMessage
  | EventMessage
  | AuthChallengeMessage
  | AuthSuccessMessage;

/** What `encodeResponseBody` accepts: any response, with Rows given either decoded or as pre-encoded content. */
export type OutgoingResponseMessage = ResponseMessage | EncodableRowsResult;
