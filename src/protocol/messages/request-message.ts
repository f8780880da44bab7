import type { Opcode } from '../envelope/opcode.js';
import type { BoundValue, QueryParameters } from './query-parameters.js';

/** STARTUP (native_protocol_v5.spec §4.1.1): the connection options, e.g. CQL_VERSION and COMPRESSION. */
export interface StartupRequest {
  readonly opcode: typeof Opcode.STARTUP;
  options: Map<string, string>;
}

/** OPTIONS (native_protocol_v5.spec §4.1.3): empty body. */
export interface OptionsRequest {
  readonly opcode: typeof Opcode.OPTIONS;
}

/** QUERY (native_protocol_v5.spec §4.1.4). */
export interface QueryRequest {
  readonly opcode: typeof Opcode.QUERY;
  query: string;
  params: QueryParameters;
}

/** PREPARE (native_protocol_v5.spec §4.1.5); `keyspace` is v5 only. */
export interface PrepareRequest {
  readonly opcode: typeof Opcode.PREPARE;
  query: string;
  keyspace?: string;
}

/** EXECUTE (native_protocol_v5.spec §4.1.6); `resultMetadataId` is mandatory in v5 and absent before. */
export interface ExecuteRequest {
  readonly opcode: typeof Opcode.EXECUTE;
  id: Buffer;
  resultMetadataId?: Buffer;
  params: QueryParameters;
}

/** The BATCH types (native_protocol_v5.spec §4.1.7). */
export const BatchType = {
  LOGGED: 0,
  UNLOGGED: 1,
  COUNTER: 2,
} as const;

/** One of the BATCH type numbers. */
export type BatchType = (typeof BatchType)[keyof typeof BatchType];

/** A statement of a BATCH: CQL text or a prepared id, with its bound values. */
export type BatchStatement =
  | { query: string; id?: undefined; values: readonly BoundValue[] }
  | { id: Buffer; query?: undefined; values: readonly BoundValue[] };

/** BATCH (native_protocol_v5.spec §4.1.7); `keyspace` and `nowInSeconds` are v5 only. */
export interface BatchRequest {
  readonly opcode: typeof Opcode.BATCH;
  type: BatchType;
  statements: BatchStatement[];
  consistency: number;
  serialConsistency?: number;
  /** Default timestamp, microseconds since the epoch. */
  timestamp?: bigint;
  keyspace?: string;
  nowInSeconds?: number;
}

/** REGISTER (native_protocol_v5.spec §4.1.8): event types such as SCHEMA_CHANGE. */
export interface RegisterRequest {
  readonly opcode: typeof Opcode.REGISTER;
  events: string[];
}

/** AUTH_RESPONSE (native_protocol_v5.spec §4.1.2): a SASL token. */
export interface AuthResponseRequest {
  readonly opcode: typeof Opcode.AUTH_RESPONSE;
  token: Buffer | null;
}

/** Every message a client sends. */
export type RequestMessage =
  | StartupRequest
  | OptionsRequest
  | QueryRequest
  | PrepareRequest
  | ExecuteRequest
  | BatchRequest
  | RegisterRequest
  | AuthResponseRequest;
