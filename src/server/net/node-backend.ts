import { ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';
import type { BoundValue, ColumnSpec } from '../../protocol/messages/index.js';
import type { ExecutionResult } from '../execution/index.js';
import type { Backend, BatchItem, PreparedShape, SchemaListener, StatementOptions } from './backend.js';
import type { Projection } from './system-query.js';
import { SystemQueries } from './system-query.js';
import type { SystemTable } from './system-tables.js';

/** A prepared SELECT on one of the node's computed system tables. */
export class SystemPrepared implements PreparedShape {
  readonly bindColumns: ColumnSpec[] = [];
  readonly pkIndexes: number[] = [];
  readonly resultColumns: ColumnSpec[];
  readonly table: { readonly keyspace: string; readonly name: string };

  constructor(readonly projection: Projection) {
    this.resultColumns = projection.columns;
    this.table = { keyspace: 'system', name: projection.table.name };
  }
}

/**
 * The data side as one node sees it: the shared store for everything, except the tables that
 * describe the node itself (system.local, system.peers, system.peers_v2), computed for this node
 * on every read. Its prepared statements are the shared side's `P` or a {@link SystemPrepared}.
 */
export class NodeBackend<P extends PreparedShape> implements Backend<P | SystemPrepared> {
  private readonly system: SystemQueries;

  constructor(
    private readonly shared: Backend<P>,
    tables: readonly SystemTable[],
  ) {
    this.system = new SystemQueries(tables);
  }

  execute(
    query: string,
    prepared: P | SystemPrepared | undefined,
    values: readonly BoundValue[],
    options: StatementOptions,
  ): ExecutionResult {
    if (prepared instanceof SystemPrepared) return this.system.execute(prepared.projection);
    if (prepared === undefined) {
      const p = this.system.projection(query, options.keyspace);
      if (p !== undefined) return this.system.execute(p);
    }
    return this.shared.execute(query, prepared, values, options);
  }

  prepare(query: string, keyspace: string | undefined): P | SystemPrepared {
    const p = this.system.projection(query, keyspace);
    return p !== undefined ? new SystemPrepared(p) : this.shared.prepare(query, keyspace);
  }

  batch(type: number, items: readonly BatchItem<P | SystemPrepared>[], options: StatementOptions): ExecutionResult {
    const shared: BatchItem<P>[] = [];
    for (const item of items) {
      const prepared = item.prepared;
      // The same answer the data side gives a SELECT in a batch.
      if (prepared instanceof SystemPrepared)
        throw new InvalidRequestError(
          ErrorCode.INVALID,
          'Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.',
        );
      shared.push(prepared === undefined ? { query: item.query, values: item.values } : { ...item, prepared });
    }
    return this.shared.batch(type, shared, options);
  }

  onSchemaChange(listener: SchemaListener): () => void {
    return this.shared.onSchemaChange(listener);
  }

  schemaVersion(): Buffer {
    return this.shared.schemaVersion();
  }
}
