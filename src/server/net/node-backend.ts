import type { BoundValue } from '../../protocol/messages/index.js';
import type {
  Backend,
  BatchItem,
  PreparedShape,
  SchemaListener,
  StatementOptions,
  StatementResult,
} from './backend.js';
import { SystemQueries } from './system-query.js';
import type { SystemTable } from './system-tables.js';

/** The handle a prepared system-table SELECT carries. */
interface SystemHandle {
  readonly systemProjection: NonNullable<ReturnType<SystemQueries['projection']>>;
}

function isSystemHandle(h: unknown): h is SystemHandle {
  return typeof h === 'object' && h !== null && 'systemProjection' in h;
}

/**
 * The data side as one node sees it: the shared store for everything, except the tables that
 * describe the node itself (system.local, system.peers, system.peers_v2), computed for this node
 * on every read.
 */
export class NodeBackend implements Backend {
  private readonly system: SystemQueries;

  constructor(
    private readonly shared: Backend,
    tables: readonly SystemTable[],
  ) {
    this.system = new SystemQueries(tables);
  }

  execute(query: string, handle: unknown, values: readonly BoundValue[], options: StatementOptions): StatementResult {
    if (isSystemHandle(handle)) return this.system.execute(handle.systemProjection);
    if (handle === undefined) {
      const p = this.system.projection(query, options.keyspace);
      if (p !== undefined) return this.system.execute(p);
    }
    return this.shared.execute(query, handle, values, options);
  }

  prepare(query: string, keyspace: string | undefined): PreparedShape {
    const p = this.system.projection(query, keyspace);
    if (p !== undefined) {
      const handle: SystemHandle = { systemProjection: p };
      return {
        bindColumns: [],
        pkIndexes: [],
        resultColumns: p.columns,
        table: { keyspace: 'system', name: p.table.name },
        handle,
      };
    }
    return this.shared.prepare(query, keyspace);
  }

  batch(type: number, items: readonly BatchItem[], options: StatementOptions): StatementResult {
    return this.shared.batch(type, items, options);
  }

  onSchemaChange(listener: SchemaListener): () => void {
    return this.shared.onSchemaChange(listener);
  }

  schemaVersion(): Buffer {
    return this.shared.schemaVersion();
  }
}
