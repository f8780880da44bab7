import type { BoundValue, ColumnSpec, SchemaChange } from '../../protocol/messages/index.js';
import type { LoadSource } from '../execution/index.js';

/**
 * What the network side needs from the data side (src/server/execution): the one narrow seam
 * between them, so a connection never reaches into the store. `data-backend.ts` adapts the
 * data side's Database to it.
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

/** The outcome of a statement, ready to be put in a RESULT. */
export type StatementResult =
  | { kind: 'void' }
  | { kind: 'set_keyspace'; keyspace: string }
  | { kind: 'schema_change'; change: SchemaChange }
  | {
      kind: 'rows';
      columns: ColumnSpec[];
      rowCount: number;
      rowsContent: Buffer | readonly Buffer[];
      pagingState?: Buffer;
      /** A conditional statement's result: never NO_METADATA nor METADATA_CHANGED (§5.10 rule 5). */
      conditional?: boolean;
    };

/** What PREPARE learns about a statement. */
export interface PreparedShape {
  /** One spec per bind marker. */
  bindColumns: ColumnSpec[];
  /** Bind-marker index of each partition-key component, or [] (PROTOCOL.md §5.9). */
  pkIndexes: number[];
  /** Result columns; [] for statements that return no rows. */
  resultColumns: ColumnSpec[];
  /** The keyspace and table the statement reads or writes, when it has one. */
  table?: { keyspace: string; name: string };
  /** Whatever the data side wants back at EXECUTE (e.g. the parsed statement). */
  handle: unknown;
}

/** One statement of a BATCH. */
export interface BatchItem {
  query: string;
  /** The handle from `prepare` for a prepared statement. */
  handle?: unknown;
  values: readonly BoundValue[];
}

/** A schema change as the data side reports it, for SCHEMA_CHANGE events. */
export type SchemaListener = (change: SchemaChange) => void;

/** The data side as the network side uses it. */
export interface Backend {
  /** Executes CQL text or a prepared handle; throws a ServerError subclass on failure. */
  execute(query: string, handle: unknown, values: readonly BoundValue[], options: StatementOptions): StatementResult;
  /** Prepares a statement (throws a ServerError subclass when it does not parse or validate). */
  prepare(query: string, keyspace: string | undefined): PreparedShape;
  /** Executes a batch (INSERT/UPDATE/DELETE only). */
  batch(type: number, items: readonly BatchItem[], options: StatementOptions): StatementResult;
  /** Calls `listener` for every schema change; returns the unsubscribe function. */
  onSchemaChange(listener: SchemaListener): () => void;
  /** The current schema version (a UUID, 16 bytes), for system.local / system.peers. */
  schemaVersion(): Buffer;
  /** Bulk-loads rows without CQL; returns the row count (absent on stand-ins without a store). */
  load?(keyspace: string, table: string, source: LoadSource): number;
}
