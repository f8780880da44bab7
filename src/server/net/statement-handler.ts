import { Opcode } from '../../protocol/envelope/index.js';
import { ErrorCode, ProtocolViolationError } from '../../protocol/errors/index.js';
import type {
  BatchRequest,
  ColumnSpec,
  ExecuteRequest,
  PrepareRequest,
  QueryParameters,
  QueryRequest,
  RowsMetadata,
} from '../../protocol/messages/index.js';
import type { BatchItem, StatementOptions, StatementResult } from './backend.js';
import type { PreparedEntry } from './node-runtime.js';
import { unpreparedMessage } from './primed-error.js';
import type { RequestContext } from './request-handler.js';
import { preparedStatementId, resultMetadataId } from './statement-ids.js';

/** The id PREPARE would give `query` on this connection (MD5 of keyspace + text). */
export function preparedIdFor(query: string, keyspace: string | undefined): Buffer {
  return preparedStatementId(query, keyspace);
}

function statementOptions(p: QueryParameters, keyspace: string | undefined): StatementOptions {
  const o: StatementOptions = { keyspace: p.keyspace ?? keyspace, consistency: p.consistency };
  if (p.pageSize !== undefined) {
    // Cassandra's QueryOptions refuses a zero page size; a negative one means no paging.
    if (p.pageSize === 0) throw new ProtocolViolationError(ErrorCode.PROTOCOL_ERROR, 'The page size cannot be 0');
    if (p.pageSize > 0) o.pageSize = p.pageSize;
  }
  if (p.pagingState !== undefined) o.pagingState = p.pagingState;
  if (p.serialConsistency !== undefined) o.serialConsistency = p.serialConsistency;
  if (p.timestamp !== undefined) o.timestamp = p.timestamp;
  if (p.nowInSeconds !== undefined) o.nowInSeconds = p.nowInSeconds;
  if (p.names !== undefined) o.names = p.names;
  return o;
}

/** How a Rows result describes its columns (native_protocol_v5.spec §4.2.5.2 (Rows)). */
type MetadataMode = { kind: 'full' } | { kind: 'none' } | { kind: 'changed'; newId: Buffer };

/** Sends a statement's result; remembers which page a paging state leads to (for `afterPages`). */
function sendResult(
  c: RequestContext,
  stream: number,
  result: StatementResult,
  mode: MetadataMode,
  pageNumber: number,
): void {
  switch (result.kind) {
    case 'void':
      c.send(stream, { opcode: Opcode.RESULT, kind: 'void' });
      return;
    case 'set_keyspace':
      c.keyspace = result.keyspace;
      c.send(stream, { opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: result.keyspace });
      return;
    case 'schema_change':
      c.send(stream, { opcode: Opcode.RESULT, kind: 'schemaChange', change: result.change });
      return;
    case 'rows': {
      const metadata: RowsMetadata = { columnCount: result.columns.length };
      if (mode.kind !== 'none' || result.conditional === true) metadata.columns = result.columns;
      if (mode.kind === 'changed' && result.conditional !== true) metadata.newMetadataId = mode.newId;
      if (result.pagingState !== undefined) {
        metadata.pagingState = result.pagingState;
        c.node.cluster.pages.record(result.pagingState, pageNumber + 1);
      }
      const headCapacity =
        64 + (metadata.columns === undefined ? 0 : result.columns.length * 48) + (result.pagingState?.length ?? 0);
      c.send(
        stream,
        { opcode: Opcode.RESULT, kind: 'rows', metadata, rowCount: result.rowCount, rowsContent: result.rowsContent },
        0,
        headCapacity,
      );
      return;
    }
  }
}

/** QUERY: execute CQL text; full metadata always. */
export function serveQuery(c: RequestContext, stream: number, q: QueryRequest): void {
  const options = statementOptions(q.params, c.keyspace);
  const cluster = c.node.cluster;
  const result = c.node.backend.execute(q.query, undefined, q.params.values ?? [], options);
  sendResult(c, stream, result, { kind: 'full' }, cluster.pages.pageNumberOf(q.params.pagingState));
}

/** PREPARE: parse once, store under MD5(keyspace + text) on this node (PROTOCOL.md §5.5). */
export function servePrepare(c: RequestContext, stream: number, p: PrepareRequest): void {
  const keyspace = p.keyspace ?? c.keyspace;
  const shape = c.node.backend.prepare(p.query, keyspace);
  const id = preparedStatementId(p.query, keyspace);
  const resultColumns = shape.resultColumns;
  const entry: PreparedEntry = {
    id,
    query: p.query,
    keyspace,
    shape,
    resultColumns,
    resultMetadataId: resultMetadataId(resultColumns),
  };
  c.node.prepared.set(id.toString('hex'), entry);
  const resultMetadata: RowsMetadata =
    resultColumns.length === 0 ? { columnCount: 0 } : { columnCount: resultColumns.length, columns: resultColumns };
  c.send(
    stream,
    {
      opcode: Opcode.RESULT,
      kind: 'prepared',
      id,
      ...(c.version >= 5 ? { resultMetadataId: entry.resultMetadataId } : {}),
      metadata: { columns: shape.bindColumns, pkIndexes: c.version >= 4 ? shape.pkIndexes : [] },
      resultMetadata,
    },
    0,
    256 + (shape.bindColumns.length + resultColumns.length) * 48,
  );
}

function sameColumns(a: readonly ColumnSpec[], b: readonly ColumnSpec[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.name !== b[i]!.name || a[i]!.table !== b[i]!.table || a[i]!.keyspace !== b[i]!.keyspace) return false;
  }
  return true;
}

/**
 * EXECUTE: an unknown id is UNPREPARED with Cassandra's message; Rows follow the v5
 * result_metadata_id rules (native_protocol_v5.spec §4.1.6, §4.2.5.2; Cassandra's `ExecuteMessage`)
 * (METADATA_CHANGED when the client's id is not the current one; NO_METADATA only when asked and
 * the ids agree; v4 honours SKIP_METADATA only while the statement's metadata is unchanged).
 */
export function serveExecute(c: RequestContext, stream: number, e: ExecuteRequest): void {
  const entry = c.node.prepared.get(e.id.toString('hex'));
  if (entry === undefined) {
    c.sendError(stream, {
      code: ErrorCode.UNPREPARED,
      message: unpreparedMessage(e.id),
      details: { code: ErrorCode.UNPREPARED, preparedId: e.id },
    });
    return;
  }
  const options = statementOptions(e.params, entry.keyspace);
  const cluster = c.node.cluster;
  const result = c.node.backend.execute(entry.query, entry.shape.handle, e.params.values ?? [], options);
  let mode: MetadataMode = { kind: 'full' };
  if (result.kind === 'rows') {
    const unchanged = sameColumns(result.columns, entry.resultColumns);
    const currentId = unchanged ? entry.resultMetadataId : resultMetadataId(result.columns);
    if (c.version >= 5) {
      if (e.resultMetadataId !== undefined && !e.resultMetadataId.equals(currentId))
        mode = { kind: 'changed', newId: currentId };
      else if (e.params.skipMetadata === true) mode = { kind: 'none' };
    } else if (e.params.skipMetadata === true && unchanged) {
      mode = { kind: 'none' };
    }
  }
  sendResult(c, stream, result, mode, cluster.pages.pageNumberOf(e.params.pagingState));
}

/** BATCH: statements by text or prepared id; an unknown id is UNPREPARED. */
export function serveBatch(c: RequestContext, stream: number, b: BatchRequest): void {
  const items: BatchItem[] = [];
  for (const s of b.statements) {
    if (s.query !== undefined) {
      items.push({ query: s.query, values: s.values });
      continue;
    }
    const entry = c.node.prepared.get(s.id.toString('hex'));
    if (entry === undefined) {
      c.sendError(stream, {
        code: ErrorCode.UNPREPARED,
        message: unpreparedMessage(s.id),
        details: { code: ErrorCode.UNPREPARED, preparedId: s.id },
      });
      return;
    }
    items.push({ query: entry.query, handle: entry.shape.handle, values: s.values });
  }
  const options: StatementOptions = { keyspace: b.keyspace ?? c.keyspace, consistency: b.consistency };
  if (b.serialConsistency !== undefined) options.serialConsistency = b.serialConsistency;
  if (b.timestamp !== undefined) options.timestamp = b.timestamp;
  if (b.nowInSeconds !== undefined) options.nowInSeconds = b.nowInSeconds;
  const result = c.node.backend.batch(b.type, items, options);
  sendResult(c, stream, result, { kind: 'full' }, 1);
}
