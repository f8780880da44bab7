import type { BoundValue, SchemaChange } from '../../protocol/messages/index.js';
import type { ExecutionResult, LoadSource, PreparedStatement } from '../execution/index.js';
import { Database } from '../execution/index.js';
import type { SchemaChange as DataSchemaChange } from '../schema/index.js';
import type {
  Backend,
  BatchItem,
  PreparedShape,
  SchemaListener,
  StatementOptions,
  StatementResult,
} from './backend.js';

/** The data side's schema change in the protocol's shape (RESULT Schema_change / EVENT). */
function toProtocolChange(c: DataSchemaChange): SchemaChange {
  if (c.target === 'KEYSPACE') return { change: c.change, target: 'KEYSPACE', keyspace: c.keyspace };
  return { change: c.change, target: c.target, keyspace: c.keyspace, name: c.name ?? '' };
}

function toStatementResult(r: ExecutionResult): StatementResult {
  if (r.kind !== 'schema_change') return r;
  if (r.target === 'KEYSPACE')
    return { kind: 'schema_change', change: { change: r.change, target: 'KEYSPACE', keyspace: r.keyspace } };
  return {
    kind: 'schema_change',
    change: { change: r.change, target: r.target, keyspace: r.keyspace, name: r.name ?? '' },
  };
}

/** A UUID string as its 16 bytes. */
function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** The data side (src/server/execution's Database over one shared store) behind the network side's seam. */
export class DatabaseBackend implements Backend {
  constructor(readonly database: Database = new Database()) {}

  execute(query: string, handle: unknown, values: readonly BoundValue[], options: StatementOptions): StatementResult {
    const statement = handle === undefined ? query : (handle as PreparedStatement);
    return toStatementResult(
      this.database.execute(statement, values, {
        ...(options.keyspace !== undefined ? { keyspace: options.keyspace } : {}),
        ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
        ...(options.pagingState !== undefined ? { pagingState: options.pagingState } : {}),
        ...(options.names !== undefined ? { names: options.names } : {}),
      }),
    );
  }

  prepare(query: string, keyspace: string | undefined): PreparedShape {
    const p = this.database.prepare(query, keyspace);
    const shape: PreparedShape = {
      bindColumns: p.bindColumns,
      pkIndexes: p.pkIndexes,
      resultColumns: p.resultColumns,
      handle: p,
    };
    if (p.table !== undefined) shape.table = { keyspace: p.table.keyspace, name: p.table.name };
    return shape;
  }

  batch(_type: number, items: readonly BatchItem[], options: StatementOptions): StatementResult {
    const work = items.map((i) => ({
      statement: i.handle === undefined ? i.query : (i.handle as PreparedStatement),
      values: i.values,
    }));
    return toStatementResult(
      this.database.batch(work, options.keyspace !== undefined ? { keyspace: options.keyspace } : {}),
    );
  }

  onSchemaChange(listener: SchemaListener): () => void {
    return this.database.onSchemaChange((c) => listener(toProtocolChange(c)));
  }

  schemaVersion(): Buffer {
    return uuidBytes(this.database.schemaVersion);
  }

  load(keyspace: string, table: string, source: LoadSource): number {
    return this.database.load(keyspace, table, source);
  }
}
