import { Opcode } from '../../../../src/protocol/envelope/index.js';
import { CqlSyntaxError, ErrorCode, InvalidRequestError } from '../../../../src/protocol/errors/index.js';
import type { BoundValue, ColumnSpec, SchemaChange } from '../../../../src/protocol/messages/index.js';
import type { ExecutionResult, RowsPage } from '../../../../src/server/execution/index.js';
import { rowsPage, VOID_RESULT } from '../../../../src/server/execution/index.js';
import type {
  Backend,
  BatchItem,
  PreparedShape,
  SchemaListener,
  StatementOptions,
} from '../../../../src/server/net/backend.js';

/** What the stub prepares: the shape, and the text it came from. */
export interface StubPrepared extends PreparedShape {
  readonly query: string;
}

/**
 * A tiny stand-in for the data side, so the network side can be tested on its own: one table
 * `ks.nums (n int)` holding 0..rowCount-1, paged with a 4-byte paging state (the next row),
 * `CREATE TABLE ...` reports a schema change, `USE x` sets the keyspace, `SELEC` is a syntax error.
 */
export class StubBackend implements Backend<StubPrepared> {
  readonly executed: { query: string; options: StatementOptions; values: readonly BoundValue[] }[] = [];
  private readonly listeners = new Set<SchemaListener>();
  private version = Buffer.alloc(16, 1);
  readonly columns: ColumnSpec[] = [{ keyspace: 'ks', table: 'nums', name: 'n', type: { kind: 'int' } }];

  constructor(readonly rowCount = 25) {}

  execute(
    query: string,
    _prepared: StubPrepared | undefined,
    values: readonly BoundValue[],
    options: StatementOptions,
  ): ExecutionResult {
    this.executed.push({ query, options, values });
    const q = query.trim();
    if (/^SELEC\b/i.test(q))
      throw new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)");
    if (/^USE\s+(\w+)/i.test(q))
      return { opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: /^USE\s+(\w+)/i.exec(q)![1]! };
    if (/^CREATE TABLE/i.test(q)) {
      const change: SchemaChange = { change: 'CREATED', target: 'TABLE', keyspace: 'ks', name: 'evt' };
      this.version = Buffer.alloc(16, this.version[0]! + 1);
      for (const l of this.listeners) l(change);
      return { opcode: Opcode.RESULT, kind: 'schemaChange', change };
    }
    if (/^INSERT/i.test(q)) return VOID_RESULT;
    if (/FROM\s+(ks\.)?nums/i.test(q)) return this.page(options);
    throw new InvalidRequestError(ErrorCode.INVALID, 'table no_such_table does not exist');
  }

  private page(options: StatementOptions): RowsPage {
    const start = options.pagingState === undefined ? 0 : options.pagingState.readInt32BE(0);
    const size = options.pageSize ?? this.rowCount;
    const end = Math.min(this.rowCount, start + size);
    const content = Buffer.alloc((end - start) * 8);
    for (let i = start; i < end; i++) {
      content.writeInt32BE(4, (i - start) * 8);
      content.writeInt32BE(i, (i - start) * 8 + 4);
    }
    if (end >= this.rowCount) return rowsPage(this.columns, end - start, content);
    const ps = Buffer.alloc(4);
    ps.writeInt32BE(end, 0);
    return rowsPage(this.columns, end - start, content, ps);
  }

  prepare(query: string): StubPrepared {
    if (/^SELEC\b/i.test(query.trim()))
      throw new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)");
    const select = /^SELECT/i.test(query.trim());
    return { query, bindColumns: [], pkIndexes: [], resultColumns: select ? this.columns : [], table: undefined };
  }

  batch(_type: number, _items: readonly BatchItem<StubPrepared>[]): ExecutionResult {
    return VOID_RESULT;
  }

  onSchemaChange(listener: SchemaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  schemaVersion(): Buffer {
    return this.version;
  }
}
