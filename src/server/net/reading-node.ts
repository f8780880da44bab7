import type { BoundValue } from '../../protocol/messages/index.js';
import type { ExecutionResult } from '../execution/index.js';
import type { Backend, BatchItem, PreparedShape, SchemaListener, StatementOptions } from './backend.js';

/** The index of the node whose statement the shared data side is executing right now, if any. */
let current: number | undefined;

/**
 * The node executing the current statement: tables whose rows depend on the node answering
 * (system.size_estimates lists that node's own ranges) read it while the shared data side runs one
 * statement, which is synchronous. Undefined outside a node's request (`server.execute`).
 */
export function readingNode(): number | undefined {
  return current;
}

/**
 * The shared data side as node `index` uses it: the same backend, with {@link readingNode} set to
 * `index` while each of its statements executes (bulk loads go to the shared backend itself).
 */
export class ReadingNodeBackend<P extends PreparedShape> implements Backend<P> {
  constructor(
    private readonly shared: Backend<P>,
    private readonly index: number,
  ) {}

  execute(
    query: string,
    prepared: P | undefined,
    values: readonly BoundValue[],
    options: StatementOptions,
  ): ExecutionResult {
    const outer = current;
    current = this.index;
    try {
      return this.shared.execute(query, prepared, values, options);
    } finally {
      current = outer;
    }
  }

  prepare(query: string, keyspace: string | undefined): P {
    return this.shared.prepare(query, keyspace);
  }

  batch(type: number, items: readonly BatchItem<P>[], options: StatementOptions): ExecutionResult {
    return this.shared.batch(type, items, options);
  }

  onSchemaChange(listener: SchemaListener): () => void {
    return this.shared.onSchemaChange(listener);
  }

  schemaVersion(): Buffer {
    return this.shared.schemaVersion();
  }
}
