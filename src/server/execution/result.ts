import type { DataType } from '../../protocol/types/index.js';

/** One result or bind column: where it comes from and its type (a RESULT col_spec). */
export interface ColumnSpec {
  keyspace: string;
  table: string;
  name: string;
  type: DataType;
}

/** What executing a statement produced, ready for a RESULT message. */
export type ExecutionResult =
  | { kind: 'void' }
  | { kind: 'set_keyspace'; keyspace: string }
  | {
      kind: 'schema_change';
      change: 'CREATED' | 'UPDATED' | 'DROPPED';
      target: 'KEYSPACE' | 'TABLE' | 'TYPE';
      keyspace: string;
      name?: string;
      argTypes?: string[];
    }
  | RowsResult;

export interface RowsResult {
  kind: 'rows';
  columns: ColumnSpec[];
  rowCount: number;
  /**
   * Exactly the `rows_content` of a RESULT Rows: rowCount × columns.length cells, each a [bytes].
   * An array is the concatenation of its parts (stored rows are handed out as they are, uncopied).
   */
  rowsContent: Buffer | Buffer[];
  /** Present exactly when the client should ask for another page (HAS_MORE_PAGES). */
  pagingState?: Buffer;
  /** True for a conditional statement's result ([applied]): never sent as NO_METADATA (§5.10 rule 5). */
  conditional?: boolean;
}
