// Embedded server: what its connection, request handler, statement handler and node runtime
// promise each other. Each of them depends on this file, none on another's module, so control
// flows one way: the node accepts connections, a connection hands requests to the handlers, the
// handlers answer through the connection and read the node through `NodeView`.

import type { ErrorResponse } from '../../protocol/errors/index.js';
import type { OutgoingResponseMessage } from '../../protocol/messages/index.js';
import type { ProtocolVersion } from '../../protocol/protocol-version.js';
import type { ActivityEntry } from './activity-log.js';
import type { Backend, PreparedShape } from './backend.js';
import type { PageTracker, PrimeSet } from './priming.js';
import type { ResolvedServerOptions } from './server-options.js';
import type { TraceStore } from './trace-store.js';

/** Where a connection is in its life (native_protocol_v5.spec §4.1.1 STARTUP, §4.2.3 AUTHENTICATE). */
export type ConnectionPhase = 'new' | 'rejected' | 'unstarted' | 'authenticating' | 'ready' | 'closed';

/** A statement prepared on one node (ids are per node and forgotten on restart, like Cassandra). */
export interface PreparedEntry<P extends PreparedShape> {
  id: Buffer;
  query: string;
  keyspace: string | undefined;
  /** The data side's prepared statement, handed back to it at EXECUTE. */
  prepared: P;
  /** The result_metadata_id of `prepared.resultColumns` (native_protocol_v5.spec §4.1.6, §4.2.5.4). */
  resultMetadataId: Buffer;
}

/** The cluster-wide parts a request handler reaches: primes, page numbers and the activity log. */
export interface ClusterView {
  readonly primes: PrimeSet;
  readonly pages: PageTracker;
  /** The query traces of every node (system_traces). */
  readonly traces: TraceStore;
  log(entry: ActivityEntry): void;
}

/** One node as its connections and the request handlers see it. */
export interface NodeView<P extends PreparedShape> {
  readonly index: number;
  readonly address: string;
  readonly options: ResolvedServerOptions;
  /** The data side as this node sees it (system.local differs per node). */
  readonly backend: Backend<P>;
  /** This node's prepared statements by hex id. */
  readonly prepared: Map<string, PreparedEntry<P>>;
  readonly cluster: ClusterView;
  /** A server bug (never a client's): kept for tests, the connection carries on or is dropped. */
  reportInternalError(err: unknown): void;
}

/** What the request and statement handlers need of a connection. */
export interface RequestContext<P extends PreparedShape> {
  readonly id: number;
  readonly node: NodeView<P>;
  readonly registered: Set<string>;
  /** The client's socket (its address is a trace's `client`). */
  readonly socket: { readonly remoteAddress?: string | undefined };
  /** Primed delays not yet run: cleared when the connection closes, so none outlives the server. */
  readonly timers: Set<NodeJS.Timeout>;
  phase: ConnectionPhase;
  version: ProtocolVersion;
  keyspace: string | undefined;
  compression: 'none' | 'lz4';
  /**
   * Queues a response; `headCapacity` sizes the buffer of everything but a Rows page's cells;
   * `prefix` goes in front of the body (a tracing session id, with the TRACING flag in `flags`).
   */
  send(stream: number, msg: OutgoingResponseMessage, flags?: number, headCapacity?: number, prefix?: Buffer): void;
  /** Queues an ERROR; with `tracingId`, in front of its body under the TRACING flag. */
  sendError(stream: number, error: ErrorResponse, tracingId?: Buffer): void;
  switchFraming(): void;
  closeAfterFlush(): void;
}
