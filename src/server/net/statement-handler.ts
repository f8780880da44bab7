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
import type { ExecutionResult } from '../execution/index.js';
import type { BatchItem, PreparedShape, StatementOptions } from './backend.js';
import type { PreparedEntry, RequestContext } from './contracts.js';
import { unpreparedMessage } from './primed-error.js';
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

/**
 * Sends a statement's result, a RESULT message as the data side made it; a Rows page's metadata
 * is trimmed for NO_METADATA or given its new id for METADATA_CHANGED. Remembers which page a
 * paging state leads to (for `afterPages`).
 */
function sendResult<P extends PreparedShape>(
  c: RequestContext<P>,
  stream: number,
  result: ExecutionResult,
  mode: MetadataMode,
  pageNumber: number,
): void {
  if (result.kind !== 'rows') {
    if (result.kind === 'setKeyspace') c.keyspace = result.keyspace;
    c.send(stream, result);
    return;
  }
  const full = result.metadata;
  let metadata: RowsMetadata = full;
  if (result.conditional !== true && mode.kind !== 'full') {
    metadata =
      mode.kind === 'none'
        ? { columnCount: full.columnCount }
        : { columnCount: full.columnCount, columns: full.columns, newMetadataId: mode.newId };
    if (full.pagingState !== undefined) metadata.pagingState = full.pagingState;
  }
  if (full.pagingState !== undefined) c.node.cluster.pages.record(full.pagingState, pageNumber + 1);
  const headCapacity =
    64 + (metadata.columns === undefined ? 0 : full.columns.length * 48) + (full.pagingState?.length ?? 0);
  c.send(stream, metadata === full ? result : { ...result, metadata }, 0, headCapacity);
}

/** QUERY: execute CQL text; full metadata always. */
export function serveQuery<P extends PreparedShape>(c: RequestContext<P>, stream: number, q: QueryRequest): void {
  const options = statementOptions(q.params, c.keyspace);
  const cluster = c.node.cluster;
  const result = c.node.backend.execute(q.query, undefined, q.params.values ?? [], options);
  sendResult(c, stream, result, { kind: 'full' }, cluster.pages.pageNumberOf(q.params.pagingState));
}

/** PREPARE: parse once, store under MD5(keyspace + text) on this node (native_protocol_v5.spec §4.1.5, §4.2.5.4). */
export function servePrepare<P extends PreparedShape>(c: RequestContext<P>, stream: number, p: PrepareRequest): void {
  const keyspace = p.keyspace ?? c.keyspace;
  const prepared = c.node.backend.prepare(p.query, keyspace);
  const id = preparedStatementId(p.query, keyspace);
  const resultColumns = prepared.resultColumns;
  const entry: PreparedEntry<P> = {
    id,
    query: p.query,
    keyspace,
    prepared,
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
      metadata: { columns: prepared.bindColumns, pkIndexes: c.version >= 4 ? prepared.pkIndexes : [] },
      resultMetadata,
    },
    0,
    256 + (prepared.bindColumns.length + resultColumns.length) * 48,
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
export function serveExecute<P extends PreparedShape>(c: RequestContext<P>, stream: number, e: ExecuteRequest): void {
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
  const result = c.node.backend.execute(entry.query, entry.prepared, e.params.values ?? [], options);
  let mode: MetadataMode = { kind: 'full' };
  if (result.kind === 'rows') {
    const columns = result.metadata.columns;
    const unchanged = sameColumns(columns, entry.prepared.resultColumns);
    const currentId = unchanged ? entry.resultMetadataId : resultMetadataId(columns);
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
export function serveBatch<P extends PreparedShape>(c: RequestContext<P>, stream: number, b: BatchRequest): void {
  const items: BatchItem<P>[] = [];
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
    items.push({ query: entry.query, prepared: entry.prepared, values: s.values });
  }
  const options: StatementOptions = { keyspace: b.keyspace ?? c.keyspace, consistency: b.consistency };
  if (b.serialConsistency !== undefined) options.serialConsistency = b.serialConsistency;
  if (b.timestamp !== undefined) options.timestamp = b.timestamp;
  if (b.nowInSeconds !== undefined) options.nowInSeconds = b.nowInSeconds;
  const result = c.node.backend.batch(b.type, items, options);
  sendResult(c, stream, result, { kind: 'full' }, 1);
}
