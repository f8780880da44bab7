import { CqlSyntaxError, ErrorCode, InvalidRequestError } from '../../../../src/protocol/errors/index.js';
import type { BoundValue, ColumnSpec, SchemaChange } from '../../../../src/protocol/messages/index.js';
import type {
  Backend,
  BatchItem,
  PreparedShape,
  SchemaListener,
  StatementOptions,
  StatementResult,
} from '../../../../src/server/net/backend.js';

/**
 * A tiny stand-in for the data side, so the network side can be tested on its own: one table
 * `ks.nums (n int)` holding 0..rowCount-1, paged with a 4-byte paging state (the next row),
 * `CREATE TABLE ...` reports a schema change, `USE x` sets the keyspace, `SELEC` is a syntax error.
 */
export class StubBackend implements Backend {
  readonly executed: { query: string; options: StatementOptions; values: readonly BoundValue[] }[] = [];
  private readonly listeners = new Set<SchemaListener>();
  private version = Buffer.alloc(16, 1);
  readonly columns: ColumnSpec[] = [{ keyspace: 'ks', table: 'nums', name: 'n', type: { kind: 'int' } }];

  constructor(readonly rowCount = 25) {}

  execute(query: string, _handle: unknown, values: readonly BoundValue[], options: StatementOptions): StatementResult {
    this.executed.push({ query, options, values });
    const q = query.trim();
    if (/^SELEC\b/i.test(q))
      throw new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)");
    if (/^USE\s+(\w+)/i.test(q)) return { kind: 'set_keyspace', keyspace: /^USE\s+(\w+)/i.exec(q)![1]! };
    if (/^CREATE TABLE/i.test(q)) {
      const change: SchemaChange = { change: 'CREATED', target: 'TABLE', keyspace: 'ks', name: 'evt' };
      this.version = Buffer.alloc(16, this.version[0]! + 1);
      for (const l of this.listeners) l(change);
      return { kind: 'schema_change', change };
    }
    if (/^INSERT/i.test(q)) return { kind: 'void' };
    if (/FROM\s+(ks\.)?nums/i.test(q)) return this.page(options);
    throw new InvalidRequestError(ErrorCode.INVALID, 'table no_such_table does not exist');
  }

  private page(options: StatementOptions): StatementResult {
    const start = options.pagingState === undefined ? 0 : options.pagingState.readInt32BE(0);
    const size = options.pageSize ?? this.rowCount;
    const end = Math.min(this.rowCount, start + size);
    const content = Buffer.alloc((end - start) * 8);
    for (let i = start; i < end; i++) {
      content.writeInt32BE(4, (i - start) * 8);
      content.writeInt32BE(i, (i - start) * 8 + 4);
    }
    const result: StatementResult = {
      kind: 'rows',
      columns: this.columns,
      rowCount: end - start,
      rowsContent: content,
    };
    if (end < this.rowCount) {
      const ps = Buffer.alloc(4);
      ps.writeInt32BE(end, 0);
      result.pagingState = ps;
    }
    return result;
  }

  prepare(query: string): PreparedShape {
    if (/^SELEC\b/i.test(query.trim()))
      throw new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)");
    const select = /^SELECT/i.test(query.trim());
    return { bindColumns: [], pkIndexes: [], resultColumns: select ? this.columns : [], handle: { query } };
  }

  batch(_type: number, _items: readonly BatchItem[]): StatementResult {
    return { kind: 'void' };
  }

  onSchemaChange(listener: SchemaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  schemaVersion(): Buffer {
    return this.version;
  }
}
