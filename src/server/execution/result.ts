import { Opcode } from '../../protocol/envelope/index.js';
import type {
  ColumnSpec,
  EncodableRowsResult,
  RowsMetadata,
  SchemaChangeResult,
  SetKeyspaceResult,
  VoidResult,
} from '../../protocol/messages/index.js';

/** Rows metadata that lists its columns: what the execution layer always produces. */
export interface FullRowsMetadata extends RowsMetadata {
  columns: ColumnSpec[];
}

/**
 * A RESULT Rows as the execution layer produces it: the protocol's own message, with full
 * metadata (the network side leaves the columns out for NO_METADATA). `rowsContent` is
 * rowCount × columns.length cells, each a [bytes]; an array is the concatenation of its parts
 * (stored rows are handed out as they are, uncopied). `metadata.pagingState` is present exactly
 * when the client should ask for another page.
 */
export interface RowsPage extends EncodableRowsResult {
  metadata: FullRowsMetadata;
  rowsContent: Buffer | Buffer[];
  /**
   * A conditional statement's result ([applied], then the existing row when not applied): its
   * columns depend on the outcome, so they are always sent, never NO_METADATA or METADATA_CHANGED.
   */
  conditional?: true;
}

/** What executing a statement produced: a RESULT message of the protocol, ready to send. */
export type ExecutionResult = VoidResult | SetKeyspaceResult | SchemaChangeResult | RowsPage;

/** RESULT Void: one frozen instance, shared by every statement that returns nothing. */
export const VOID_RESULT: VoidResult = Object.freeze({ opcode: Opcode.RESULT, kind: 'void' });

/** A RESULT Rows with full metadata; `pagingState` when another page follows. */
export function rowsPage(
  columns: ColumnSpec[],
  rowCount: number,
  rowsContent: Buffer | Buffer[],
  pagingState?: Buffer,
): RowsPage {
  const metadata: FullRowsMetadata = { columnCount: columns.length, columns };
  if (pagingState !== undefined) metadata.pagingState = pagingState;
  return { opcode: Opcode.RESULT, kind: 'rows', metadata, rowCount, rowsContent };
}
