import type { BoundValue } from '../../protocol/messages/index.js';
import type { ExecuteOptions, ExecutionResult, LoadSource, PreparedStatement } from '../execution/index.js';
import { Database } from '../execution/index.js';
import type { Backend, BatchItem, SchemaListener, StatementOptions } from './backend.js';

/** A UUID string as its 16 bytes. */
function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** The options the data side reads (the rest, consistency and the like, it has no use for). */
function executeOptions(options: StatementOptions): ExecuteOptions {
  return {
    ...(options.keyspace !== undefined ? { keyspace: options.keyspace } : {}),
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.pagingState !== undefined ? { pagingState: options.pagingState } : {}),
    ...(options.names !== undefined ? { names: options.names } : {}),
  };
}

/**
 * The data side (src/server/execution's Database over one shared store) behind the network
 * side's seam. Its prepared statements are the Database's own; its results go out as they are.
 */
export class DatabaseBackend implements Backend<PreparedStatement> {
  constructor(readonly database: Database = new Database()) {}

  execute(
    query: string,
    prepared: PreparedStatement | undefined,
    values: readonly BoundValue[],
    options: StatementOptions,
  ): ExecutionResult {
    return this.database.execute(prepared ?? query, values, executeOptions(options));
  }

  prepare(query: string, keyspace: string | undefined): PreparedStatement {
    return this.database.prepare(query, keyspace);
  }

  batch(_type: number, items: readonly BatchItem<PreparedStatement>[], options: StatementOptions): ExecutionResult {
    const work = items.map((i) => ({ statement: i.prepared ?? i.query, values: i.values }));
    return this.database.batch(work, options.keyspace !== undefined ? { keyspace: options.keyspace } : {});
  }

  onSchemaChange(listener: SchemaListener): () => void {
    return this.database.onSchemaChange(listener);
  }

  schemaVersion(): Buffer {
    return uuidBytes(this.database.schemaVersion);
  }

  load(keyspace: string, table: string, source: LoadSource): number {
    return this.database.load(keyspace, table, source);
  }
}
