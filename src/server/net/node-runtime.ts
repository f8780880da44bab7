import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { BoundValue, EventMessage, SchemaChange } from '../../protocol/messages/index.js';
import type { ExecutionResult } from '../execution/index.js';
import type { Backend, PreparedShape, StatementOptions } from './backend.js';
import type { ClusterView, NodeView, PreparedEntry } from './contracts.js';
import { ServerConnection } from './server-connection.js';
import type { ResolvedServerOptions } from './server-options.js';

/** What every node shares: the cluster-wide parts a connection reaches through its node. */
export interface ClusterShared extends ClusterView {
  readonly options: ResolvedServerOptions;
  nextConnectionId(): number;
  /** A node went up or down: the other nodes tell their registered clients. */
  statusChanged(node: NodeControl, up: boolean): void;
  reportInternalError(err: unknown): void;
}

/** A node as the embedded server drives it, whatever its data side's prepared statements are. */
export interface NodeControl {
  readonly index: number;
  readonly address: string;
  /** The port it listens on; set before `listen()` (0 picks one). */
  port: number;
  readonly hostId: Buffer;
  readonly tokens: readonly string[];
  readonly dataCenter: string;
  readonly rack: string;
  readonly isUp: boolean;
  listen(): Promise<void>;
  close(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Runs CQL text on this node's data side, as a client's QUERY would. */
  execute(query: string, values: readonly BoundValue[], options: StatementOptions): ExecutionResult;
  /** Sends `event` to every ready connection registered for its type. */
  pushEvent(event: EventMessage): void;
  /** Drops the prepared statements an altered or dropped table (or keyspace) invalidates. */
  forgetPreparedOf(change: SchemaChange): void;
}

/**
 * One node of the embedded cluster: a listening socket on its own address (or port), its
 * connections and its prepared statements. Stopping it closes every connection and forgets its
 * prepared statements, as a Cassandra restart does; the data stays (it is shared).
 */
export class NodeRuntime<P extends PreparedShape> implements NodeView<P>, NodeControl {
  readonly prepared = new Map<string, PreparedEntry<P>>();
  private readonly connections = new Set<ServerConnection<P>>();
  private server: Server | undefined;
  private up = false;

  constructor(
    readonly index: number,
    readonly address: string,
    public port: number,
    readonly hostId: Buffer,
    readonly tokens: readonly string[],
    readonly dataCenter: string,
    readonly rack: string,
    readonly cluster: ClusterShared,
    /** The data side as this node sees it (system.local differs per node). */
    readonly backend: Backend<P>,
  ) {}

  get options(): ResolvedServerOptions {
    return this.cluster.options;
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Starts listening (on `this.port`; 0 picks one and updates `port`). */
  async listen(): Promise<void> {
    if (this.up) return;
    const onSocket = (socket: Socket): void => this.accept(socket);
    const tls = this.options.tls;
    const server =
      tls !== undefined ? createTlsServer({ key: tls.key, cert: tls.cert }, onSocket) : createServer(onSocket);
    server.on('error', (err) => this.cluster.reportInternalError(err));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen({ host: this.address, port: this.port, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const addr = server.address();
    if (addr !== null && typeof addr === 'object') this.port = addr.port;
    this.server = server;
    this.up = true;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.up = false;
    for (const c of [...this.connections]) c.destroy();
    this.connections.clear();
    this.prepared.clear();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Like a node going down: connections drop, other nodes send STATUS_CHANGE DOWN. */
  async stop(): Promise<void> {
    if (!this.up) return;
    await this.close();
    this.cluster.statusChanged(this, false);
  }

  /** Like a node coming back: listens again on the same address and port, STATUS_CHANGE UP. */
  async start(): Promise<void> {
    if (this.up) return;
    await this.listen();
    this.cluster.statusChanged(this, true);
  }

  private accept(socket: Socket): void {
    if (!this.up) {
      socket.destroy();
      return;
    }
    socket.on('error', () => undefined); // errors end in 'close'; never crash the process
    const c = new ServerConnection(this.cluster.nextConnectionId(), socket, this);
    this.connections.add(c);
    socket.once('close', () => this.connections.delete(c));
  }

  execute(query: string, values: readonly BoundValue[], options: StatementOptions): ExecutionResult {
    return this.backend.execute(query, undefined, values, options);
  }

  pushEvent(event: EventMessage): void {
    if (!this.up) return;
    for (const c of this.connections) {
      if (c.phase === 'ready' && c.registered.has(event.type)) c.send(-1, event);
    }
  }

  forgetPreparedOf(change: SchemaChange): void {
    // Cassandra drops the prepared statements of an altered or dropped table (or keyspace): the
    // next EXECUTE gets UNPREPARED and the client prepares again (the recordings show it).
    if (change.change === 'CREATED' || (change.target !== 'TABLE' && change.target !== 'KEYSPACE')) return;
    for (const [id, p] of this.prepared) {
      const t = p.prepared.table;
      if (t?.keyspace === change.keyspace && (change.target === 'KEYSPACE' || t.name === change.name))
        this.prepared.delete(id);
    }
  }

  reportInternalError(err: unknown): void {
    this.cluster.reportInternalError(err);
  }
}
