import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { ColumnSpec } from '../../protocol/messages/index.js';
import type { ActivityEntry } from './activity-log.js';
import type { Backend, PreparedShape } from './backend.js';
import { ServerConnection } from './server-connection.js';
import type { PageTracker, PrimeSet } from './priming.js';
import type { ResolvedServerOptions } from './server-options.js';

/** A statement prepared on one node (ids are per node and forgotten on restart, like Cassandra). */
export interface PreparedEntry {
  id: Buffer;
  query: string;
  keyspace: string | undefined;
  shape: PreparedShape;
  /** The result_metadata_id of `shape.resultColumns` (PROTOCOL.md §5.10). */
  resultMetadataId: Buffer;
  resultColumns: ColumnSpec[];
}

/** What every node shares: the cluster-wide parts a connection reaches through its node. */
export interface ClusterShared {
  readonly options: ResolvedServerOptions;
  readonly primes: PrimeSet;
  readonly pages: PageTracker;
  log(entry: ActivityEntry): void;
  nextConnectionId(): number;
  /** A node went up or down: the other nodes tell their registered clients. */
  statusChanged(node: NodeRuntime, up: boolean): void;
  reportInternalError(err: unknown): void;
}

/**
 * One node of the embedded cluster: a listening socket on its own address (or port), its
 * connections and its prepared statements. Stopping it closes every connection and forgets its
 * prepared statements, as a Cassandra restart does; the data stays (it is shared).
 */
export class NodeRuntime {
  readonly prepared = new Map<string, PreparedEntry>();
  /** The data side as this node sees it (system.local differs per node). */
  backend!: Backend;
  readonly connections = new Set<ServerConnection>();
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
  }

  /** Called by a connection when its socket closed. */
  forget(c: ServerConnection): void {
    this.connections.delete(c);
  }

  reportInternalError(err: unknown): void {
    this.cluster.reportInternalError(err);
  }
}
