import type { BoundValue, ColumnSpec, SchemaChange } from '../../protocol/messages/index.js';
import type { ExecutionResult, LoadSource } from '../execution/index.js';

/**
 * What the network side needs from the data side (src/server/execution): the one narrow seam
 * between them, so a connection never reaches into the store. `data-backend.ts` puts the data
 * side's Database behind it. Results are the protocol's own RESULT messages
 * (`ExecutionResult`), sent as they are.
 */
export interface StatementOptions {
  keyspace: string | undefined;
  consistency: number;
  pageSize?: number;
  pagingState?: Buffer;
  serialConsistency?: number;
  timestamp?: bigint;
  nowInSeconds?: number;
  /** Bind-marker names when the request used WITH_NAMES_FOR_VALUES. */
  names?: readonly string[];
}

/**
 * What the network side reads of a prepared statement to answer PREPARE (the rest of it is the
 * data side's business: it gets the whole statement back at EXECUTE).
 */
export interface PreparedShape {
  /** One spec per bind marker. */
  readonly bindColumns: ColumnSpec[];
  /** Bind-marker index of each partition-key component, or [] (native_protocol_v5.spec §4.2.5.4). */
  readonly pkIndexes: number[];
  /** Result columns; [] for statements that return no rows. */
  readonly resultColumns: ColumnSpec[];
  /** The keyspace and table the statement reads or writes, when it has one. */
  readonly table: { readonly keyspace: string; readonly name: string } | undefined;
}

/** One statement of a BATCH: CQL text, or a statement `prepare` returned. */
export interface BatchItem<P extends PreparedShape> {
  query: string;
  prepared?: P;
  values: readonly BoundValue[];
}

/** A schema change as the data side reports it, for SCHEMA_CHANGE events. */
export type SchemaListener = (change: SchemaChange) => void;

/** The data side as the network side uses it, generic over its prepared statements `P`. */
export interface Backend<P extends PreparedShape> {
  /** Executes CQL text, or `prepared` when given; throws a ServerError subclass on failure. */
  execute(
    query: string,
    prepared: P | undefined,
    values: readonly BoundValue[],
    options: StatementOptions,
  ): ExecutionResult;
  /** Prepares a statement (throws a ServerError subclass when it does not parse or validate). */
  prepare(query: string, keyspace: string | undefined): P;
  /** Executes a batch (INSERT/UPDATE/DELETE only). */
  batch(type: number, items: readonly BatchItem<P>[], options: StatementOptions): ExecutionResult;
  /** Calls `listener` for every schema change; returns the unsubscribe function. */
  onSchemaChange(listener: SchemaListener): () => void;
  /** The current schema version (a UUID, 16 bytes), for system.local / system.peers. */
  schemaVersion(): Buffer;
  /** Bulk-loads rows without CQL; returns the row count (absent on stand-ins without a store). */
  load?(keyspace: string, table: string, source: LoadSource): number;
}
