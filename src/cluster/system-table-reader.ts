// Client side: the driver reads the system tables of the node its control connection is on (the embedded server serves them from src/server/net).
import type { Connection } from '../connection/index.js';
import { Consistency } from '../protocol/consistency.js';
import { Opcode } from '../protocol/envelope/index.js';
import { ProtocolError } from '../protocol/errors/index.js';
import type { ResultMessage } from '../protocol/messages/index.js';
import type { Row } from '../protocol/rows/index.js';
import { decodeRowsPage, RowsShape } from '../protocol/rows/index.js';
import { InetAddress, Uuid } from '../protocol/types/index.js';
import type { Endpoint } from './contact-point.js';
import type { HostFacts } from './host.js';
import { parseReplication, type ReplicationStrategy } from './replication.js';

/**
 * Runs one CQL query on the control connection and returns its rows (system tables are small: one
 * page). `values` are bound to the query's `?` markers as text.
 */
export async function queryRows(
  connection: Connection,
  query: string,
  timeoutMs: number,
  values?: readonly string[],
): Promise<Row[]> {
  const params =
    values === undefined
      ? { consistency: Consistency.ONE }
      : { consistency: Consistency.ONE, values: values.map((v) => Buffer.from(v, 'utf8')) };
  const response = await connection.send({ opcode: Opcode.QUERY, query, params }, { timeoutMs });
  const result = response.message as ResultMessage;
  if (result.opcode !== Opcode.RESULT || result.kind !== 'rows') return [];
  const columns = result.metadata.columns;
  if (columns === undefined)
    throw new ProtocolError(`${connection.endpoint} answered '${query}' without column metadata`);
  return decodeRowsPage(new RowsShape(columns), result.body, result.rowsOffset, result.body.length, result.rowCount)
    .rows;
}

/** A column's value when the row has that column, else undefined. */
function column(row: Row, name: string): unknown {
  return row.keys().includes(name) ? row.get(name) : undefined;
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asAddress(v: unknown): string | undefined {
  return v instanceof InetAddress ? v.toString() : undefined;
}

function hostFacts(row: Row): HostFacts {
  const tokens = column(row, 'tokens');
  const hostId = column(row, 'host_id');
  return {
    dataCenter: asString(column(row, 'data_center')),
    rack: asString(column(row, 'rack')),
    tokens: tokens instanceof Set ? [...(tokens as Set<string>)] : Array.isArray(tokens) ? (tokens as string[]) : [],
    hostId: hostId instanceof Uuid ? hostId.toString() : undefined,
    releaseVersion: asString(column(row, 'release_version')),
  };
}

/** What system.local says about the node the control connection is on. */
export function localFacts(rows: readonly Row[]): HostFacts & { partitioner: string | undefined } {
  const row = rows[0];
  if (row === undefined) return { partitioner: undefined };
  return { ...hostFacts(row), partitioner: asString(column(row, 'partitioner')) };
}

/** A peer row's native endpoint and facts. */
export interface PeerFacts extends HostFacts {
  endpoint: Endpoint;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/**
 * Peers from system.peers_v2 (native_address / native_port) or system.peers (rpc_address, with the
 * control connection's port as the native port). A wildcard rpc address means "same as peer" (how Cassandra
 * reports a node bound to all interfaces).
 */
export function peerFacts(rows: readonly Row[], defaultPort: number): PeerFacts[] {
  const out: PeerFacts[] = [];
  for (const row of rows) {
    const peer = asAddress(column(row, 'peer'));
    let address = asAddress(column(row, 'native_address')) ?? asAddress(column(row, 'rpc_address'));
    if (address === undefined || UNSPECIFIED.has(address)) address = peer;
    if (address === undefined) continue;
    const nativePort = column(row, 'native_port');
    const port = typeof nativePort === 'number' && nativePort > 0 ? nativePort : defaultPort;
    out.push({ endpoint: { host: address, port }, ...hostFacts(row) });
  }
  return out;
}

/** Keyspace name → replication strategy, from system_schema.keyspaces. */
export function keyspaceReplication(rows: readonly Row[]): Map<string, ReplicationStrategy> {
  const out = new Map<string, ReplicationStrategy>();
  for (const row of rows) {
    const name = asString(column(row, 'keyspace_name'));
    const replication = column(row, 'replication');
    if (name === undefined || !(replication instanceof Map)) continue;
    out.set(name, parseReplication(replication as Map<string, string>));
  }
  return out;
}
