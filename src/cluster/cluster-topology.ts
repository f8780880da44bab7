import { inspect } from 'node:util';
import {
  AuthenticationError,
  type BackoffOptions,
  type Connection,
  ConnectionClosedError,
  type ConnectionOptions,
  ExponentialBackoff,
  formatEndpoint,
  openConnection,
} from '../connection/index.js';
import { channels, publishHostEvent } from '../diagnostics/index.js';
import { Opcode } from '../protocol/envelope/index.js';
import { ArgumentError, InvalidRequestError } from '../protocol/errors/index.js';
import type { EventMessage, SchemaChange } from '../protocol/messages/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { Row } from '../protocol/rows/index.js';
import { murmur3Token } from '../protocol/token/index.js';
import { ClosedError } from './closed-error.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { type AddressLookup, type Endpoint, resolveContactPoints } from './contact-point.js';
import { Host } from './host.js';
import { HostReconnector } from './host-reconnector.js';
import type { ClusterView, LoadBalancingPolicy } from './load-balancing.js';
import { NoHostAvailableError } from './no-host-available-error.js';
import type { ReplicationStrategy } from './replication.js';
import { keyspaceReplication, localFacts, peerFacts, queryRows } from './system-table-reader.js';
import { TokenRing } from './token-ring.js';

/** Connection options shared by every connection of a cluster (host, port and keyspace vary). */
export type SharedConnectionOptions = Omit<ConnectionOptions, 'host' | 'port' | 'keyspace' | 'onEvent'>;

/** Options of {@link ClusterTopology}. */
export interface ClusterTopologyOptions {
  contactPoints: readonly string[];
  /** Port of contact points given without one. */
  port: number;
  connection: SharedConnectionOptions;
  loadBalancing: LoadBalancingPolicy;
  /** Waits between attempts to reach a down host or to reopen the control connection. */
  reconnect?: BackoffOptions | undefined;
  /** Timeout of the control connection's queries. */
  controlTimeoutMs: number;
  /** DNS resolution of contact points (tests replace it). */
  lookup?: AddressLookup | undefined;
}

/** Told about hosts coming and going; the session keeps its pools in step. */
export interface TopologyListener {
  hostUp?(host: Host): void;
  hostDown?(host: Host): void;
  hostAdded?(host: Host): void;
  hostRemoved?(host: Host): void;
  schemaChanged?(change: SchemaChange): void;
}

const EVENTS = ['TOPOLOGY_CHANGE', 'STATUS_CHANGE', 'SCHEMA_CHANGE'];
const UNKNOWN_REPLICATION: ReplicationStrategy = { kind: 'other' };

/**
 * The cluster as the client knows it, kept current by a control connection: the hosts (from
 * system.local and system.peers_v2, or system.peers on servers without it), the token ring and
 * each keyspace's replication (system_schema.keyspaces), and whether each host is up. The control
 * connection REGISTERs for TOPOLOGY_CHANGE, STATUS_CHANGE and SCHEMA_CHANGE events; when it is
 * lost it moves to another host. Down hosts are probed with exponential backoff until they answer.
 */
export class ClusterTopology implements ClusterView {
  private readonly options: ClusterTopologyOptions;
  private readonly byEndpoint = new Map<string, Host>();
  /** `address:port` → the DNS name of the contact point it was resolved from. */
  private readonly contactNames = new Map<string, string>();
  private hostList: Host[] = [];
  private ring = new TokenRing([]);
  private replication = new Map<string, ReplicationStrategy>();
  private readonly listeners = new Set<TopologyListener>();
  private readonly reconnector: HostReconnector;
  private readonly controlBackoff: ExponentialBackoff;
  private control: Connection | undefined = undefined;
  private controlHostRef: Host | undefined = undefined;
  private controlTimer: NodeJS.Timeout | undefined = undefined;
  private controlFailures = 0;
  private controlOpenings = 0;
  private version: ProtocolVersion | undefined = undefined;
  private peersV2 = true;
  private refreshing: Promise<void> = Promise.resolve();
  private closed = false;
  /** The request metrics of the whole cluster (`cluster.metrics`); every connection counts its bytes here. */
  readonly metrics = new ClusterMetrics();

  constructor(options: ClusterTopologyOptions) {
    this.options = options;
    this.reconnector = new HostReconnector(
      options.reconnect,
      (host) => this.probe(host),
      (host) => this.markUp(host),
    );
    this.controlBackoff = new ExponentialBackoff(options.reconnect);
  }

  /** Every known host, up or down, in discovery order. */
  get hosts(): readonly Host[] {
    return this.hostList;
  }

  /** The protocol version negotiated by the control connection; every connection uses it. */
  get protocolVersion(): ProtocolVersion | undefined {
    return this.version;
  }

  /** The host the control connection is on (undefined while it reconnects). */
  get controlHost(): Host | undefined {
    return this.control === undefined ? undefined : this.controlHostRef;
  }

  get controlDataCenter(): string | undefined {
    return this.controlHostRef?.dataCenter;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The host listening at `host:port`, if known. */
  host(address: string, port: number): Host | undefined {
    return this.byEndpoint.get(formatEndpoint(address, port));
  }

  addListener(listener: TopologyListener): void {
    this.listeners.add(listener);
  }

  removeListener(listener: TopologyListener): void {
    this.listeners.delete(listener);
  }

  /**
   * Options for a connection to `target`: the shared ones, pinned to the negotiated version.
   * Connections always go to an address; for a contact point given by DNS name, TLS verifies
   * (and sends as SNI) that name instead, as the other drivers do, unless the caller set
   * `tls.servername`. Hosts known only by address keep address verification.
   */
  connectionOptions(target: Endpoint | Host): ConnectionOptions {
    const endpoint =
      target instanceof Host ? { host: target.address, port: target.port, hostname: target.hostname } : target;
    const tls = this.options.connection.tls;
    const verifyName = tls !== undefined && tls.servername === undefined ? endpoint.hostname : undefined;
    return {
      ...this.options.connection,
      host: endpoint.host,
      port: endpoint.port,
      meter: this.metrics.meterFor(formatEndpoint(endpoint.host, endpoint.port)),
      ...(verifyName !== undefined ? { tls: { ...tls, servername: verifyName } } : {}),
      ...(this.version !== undefined ? { protocolVersion: this.version } : {}),
    };
  }

  /**
   * How many control connections have been opened so far: a change means a new one took over, and
   * schema change events sent while none was open may have been missed.
   */
  get controlGeneration(): number {
    return this.controlOpenings;
  }

  /** The token ring as last read (rebuilt on every topology refresh; empty before connect()). */
  get tokenRing(): TokenRing {
    return this.ring;
  }

  /**
   * Runs one query on the control connection (values bound as text) and returns its rows: the
   * schema metadata reads system_schema this way. Rejects with an `ArgumentError` before the first
   * `connect()`, and with a `ConnectionClosedError` while the control connection is down.
   */
  async queryControl(query: string, values?: readonly string[]): Promise<Row[]> {
    const connection = this.control;
    if (this.controlOpenings === 0 && !this.closed)
      throw new ArgumentError('The cluster is not connected yet: await cluster.connect() first');
    if (connection === undefined || this.closed)
      throw new ConnectionClosedError(
        this.controlHostRef?.address ?? '',
        this.controlHostRef?.port ?? 0,
        'the control connection is down',
      );
    return queryRows(connection, query, this.options.controlTimeoutMs, values);
  }

  /** The replication of `keyspace` as last read (unknown keyspaces: the token's owner only). */
  replicationOf(keyspace: string): ReplicationStrategy {
    return this.replication.get(keyspace) ?? UNKNOWN_REPLICATION;
  }

  replicas(keyspace: string, routingKey: Buffer): readonly Host[] {
    if (this.ring.isEmpty) return [];
    return this.ring.replicas(murmur3Token(routingKey), keyspace, this.replicationOf(keyspace));
  }

  /**
   * Resolves the contact points, opens the control connection on the first that answers, reads
   * the topology and registers for events. Rejects with `AuthenticationError` when a node refused
   * the credentials, `NoHostAvailableError` (a cause per contact point) when none could be
   * reached, `ArgumentError` for bad contact points.
   */
  async connect(): Promise<void> {
    if (this.closed) throw new ClosedError('cluster', 'connect()');
    const { endpoints, errors } = await resolveContactPoints(
      this.options.contactPoints,
      this.options.port,
      this.options.lookup,
    );
    for (const e of endpoints)
      if (e.hostname !== undefined) this.contactNames.set(formatEndpoint(e.host, e.port), e.hostname);
    for (const endpoint of endpoints) {
      try {
        await this.openControl(endpoint);
        await this.refresh();
        this.options.loadBalancing.init(this);
        return;
      } catch (error) {
        await this.dropControl();
        if (error instanceof AuthenticationError || error instanceof ArgumentError || error instanceof ClosedError)
          throw error;
        errors.set(formatEndpoint(endpoint.host, endpoint.port), error as Error);
      }
      if (this.closed) break;
    }
    throw new NoHostAvailableError(errors, 'Could not connect to any contact point');
  }

  /** Marks `host` down (no-op if it is already) and starts probing it. */
  markDown(host: Host): void {
    if (this.closed || !host.isUp || !this.byEndpoint.has(host.endpoint)) return;
    host.isUp = false;
    publishHostEvent('down', host);
    for (const l of this.listeners) l.hostDown?.(host);
    this.reconnector.watch(host);
  }

  /** Marks `host` up (no-op if it is already). */
  markUp(host: Host): void {
    this.reconnector.forget(host);
    if (this.closed || host.isUp) return;
    host.isUp = true;
    publishHostEvent('up', host);
    for (const l of this.listeners) l.hostUp?.(host);
  }

  /** Re-reads system.local, the peers and the keyspaces (serialised: one refresh at a time). */
  refresh(): Promise<void> {
    const next = this.refreshing.then(
      () => this.readTopology(),
      () => this.readTopology(),
    );
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /** Closes the control connection and stops every timer. Calling it again is harmless. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.reconnector.stop();
    if (this.controlTimer !== undefined) clearTimeout(this.controlTimer);
    this.controlTimer = undefined;
    await this.dropControl();
    this.listeners.clear();
  }

  [inspect.custom](): string {
    return `ClusterTopology { hosts: [${this.hostList.map((h) => `${h.endpoint}${h.isUp ? '' : ' (down)'}`).join(', ')}], protocolVersion: ${this.version} }`;
  }

  private async openControl(endpoint: Endpoint): Promise<void> {
    const connection = await openConnection(this.connectionOptions(endpoint));
    if (this.closed) {
      await connection.close();
      throw new ClosedError('cluster', 'connect()');
    }
    this.control = connection;
    this.controlOpenings++;
    this.version ??= connection.protocolVersion;
    let host = this.byEndpoint.get(connection.endpoint);
    if (host === undefined) {
      host = this.newHost(endpoint.host, endpoint.port);
      this.addHost(host);
    }
    this.controlHostRef = host;
    connection.on('event', (event) => this.onEvent(event));
    connection.on('close', (cause) => this.onControlClosed(connection, cause));
    await connection.send({ opcode: Opcode.REGISTER, events: EVENTS }, { timeoutMs: this.options.controlTimeoutMs });
  }

  private async dropControl(): Promise<void> {
    const c = this.control;
    this.control = undefined;
    if (c !== undefined) await c.close();
  }

  private async readTopology(): Promise<void> {
    const connection = this.control;
    const controlHost = this.controlHostRef;
    if (connection === undefined || controlHost === undefined || this.closed) return;
    const timeout = this.options.controlTimeoutMs;
    const local = localFacts(await queryRows(connection, "SELECT * FROM system.local WHERE key = 'local'", timeout));
    controlHost.update(local);
    let peerRows;
    if (this.peersV2) {
      try {
        peerRows = await queryRows(connection, 'SELECT * FROM system.peers_v2', timeout);
      } catch (error) {
        // Cassandra before 4.0 has no peers_v2 and answers with an Invalid query error
        if (!(error instanceof InvalidRequestError)) throw error;
        this.peersV2 = false;
      }
    }
    peerRows ??= await queryRows(connection, 'SELECT * FROM system.peers', timeout);
    const seen = new Set<Host>([controlHost]);
    // system.peers has no native port: nodes of one cluster share it, so take the control node's
    for (const peer of peerFacts(peerRows, connection.port)) {
      const key = formatEndpoint(peer.endpoint.host, peer.endpoint.port);
      let host = this.byEndpoint.get(key);
      if (host === undefined) {
        // a peer may be another address of a contact point given by name: it keeps that name
        host = this.newHost(peer.endpoint.host, peer.endpoint.port);
        host.update(peer);
        this.addHost(host);
      } else {
        host.update(peer);
      }
      seen.add(host);
    }
    for (const host of this.hostList) if (!seen.has(host)) this.removeHost(host);
    try {
      this.replication = keyspaceReplication(
        await queryRows(connection, 'SELECT keyspace_name, replication FROM system_schema.keyspaces', timeout),
      );
    } catch {
      // without system_schema, token-aware routing still reaches each key's primary replica
    }
    this.ring = new TokenRing(this.hostList);
  }

  private newHost(address: string, port: number): Host {
    return new Host(address, port, this.contactNames.get(formatEndpoint(address, port)));
  }

  private addHost(host: Host): void {
    this.byEndpoint.set(host.endpoint, host);
    this.hostList = [...this.hostList, host];
    publishHostEvent('added', host);
    for (const l of this.listeners) l.hostAdded?.(host);
  }

  private removeHost(host: Host): void {
    this.byEndpoint.delete(host.endpoint);
    this.hostList = this.hostList.filter((h) => h !== host);
    this.reconnector.forget(host);
    publishHostEvent('removed', host);
    for (const l of this.listeners) l.hostRemoved?.(host);
  }

  private onEvent(event: EventMessage): void {
    if (this.closed) return;
    if (event.type === 'STATUS_CHANGE') {
      const host = this.host(event.node.address, event.node.port);
      if (host === undefined) {
        void this.refresh().catch(() => undefined);
      } else if (event.change === 'DOWN') {
        this.markDown(host);
      } else if (event.change === 'UP') {
        this.markUp(host);
      }
    } else if (event.type === 'TOPOLOGY_CHANGE') {
      void this.refresh().catch(() => undefined);
    } else {
      if (event.change.target === 'KEYSPACE') void this.refresh().catch(() => undefined);
      if (channels.schemaChange.hasSubscribers) channels.schemaChange.publish({ change: event.change });
      for (const l of this.listeners) l.schemaChanged?.(event.change);
    }
  }

  private onControlClosed(connection: Connection, cause: Error | undefined): void {
    if (this.control !== connection) return;
    this.control = undefined;
    if (this.closed) return;
    // Its own DOWN event never reaches us (it goes to the other nodes' connections): a lost control
    // connection is the sign. The reconnector brings the host back if it was only a blip.
    if (cause !== undefined && this.controlHostRef !== undefined) this.markDown(this.controlHostRef);
    this.scheduleControlReconnect(0);
  }

  private scheduleControlReconnect(delayMs: number): void {
    if (this.closed || this.controlTimer !== undefined) return;
    this.controlTimer = setTimeout(() => {
      this.controlTimer = undefined;
      void this.reopenControl();
    }, delayMs);
    this.controlTimer.unref();
  }

  /** Tries every host, up ones first; on total failure waits (backoff) and tries again. */
  private async reopenControl(): Promise<void> {
    const candidates = [...this.hostList].sort((a, b) => Number(b.isUp) - Number(a.isUp));
    for (const host of candidates) {
      if (this.closed) return;
      try {
        await this.openControl({ host: host.address, port: host.port, hostname: host.hostname });
        this.controlFailures = 0;
        this.markUp(host);
        await this.refresh();
        return;
      } catch {
        await this.dropControl();
      }
    }
    this.controlFailures++;
    this.scheduleControlReconnect(this.controlBackoff.delayMs(this.controlFailures));
  }

  private async probe(host: Host): Promise<void> {
    const connection = await openConnection({ ...this.connectionOptions(host), heartbeatIntervalMs: 0 });
    await connection.close();
  }
}
