import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import {
  ClosedError,
  type ClusterEventMap,
  ClusterMetadata,
  ClusterTopology,
  type Host,
  type MetricsSnapshot,
  NoHostAvailableError,
} from '../cluster/index.js';
import { AuthenticationError } from '../connection/index.js';
import { ArgumentError, ServerError } from '../protocol/errors/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import { type ClusterOptions, type ResolvedClusterOptions, resolveClusterOptions } from './cluster-options.js';
import { OptionsResolver } from './options-resolver.js';
import { createSession, type Session } from './session.js';
import { SessionPools } from './session-pools.js';

/**
 * The entry point: `new Cluster({ contactPoints })`, then `await cluster.connect(keyspace?)` for a
 * Session. The first `connect()` opens the control connection (topology, events); each session
 * keeps its own connection pools. `shutdown()` closes everything: afterwards nothing of cqlwire
 * keeps the process alive.
 *
 * A `Cluster` is an `EventEmitter` of {@link ClusterEventMap}: `hostUp`, `hostDown`, `hostAdded`,
 * `hostRemoved` (with the `Host`) and `schemaChange` (with the change). A listener that throws
 * does not disturb the cluster: its error is rethrown on the next tick, as an uncaught exception.
 */
export class Cluster extends EventEmitter<ClusterEventMap> {
  private readonly options: ResolvedClusterOptions;
  private readonly topology: ClusterTopology;
  /**
   * The schema (keyspaces, tables, columns, replication; read from system_schema when first asked
   * for, refreshed on schema change events) and the token ring's ranges and replicas. Usable after
   * `connect()`: see README "Schema metadata and token ranges".
   */
  readonly metadata: ClusterMetadata;
  /** Every call's options resolve here: per request, then profile, then these cluster options. */
  private readonly requestOptions: OptionsResolver;
  /** True once the profiles' own load-balancing policies were given the cluster's hosts. */
  private profilePoliciesReady = false;
  private readonly sessions = new Set<Session>();
  private connecting: Promise<void> | undefined = undefined;
  private closed = false;

  /** Checks the options at once: a bad one throws an `ArgumentError` naming it. */
  constructor(options: ClusterOptions) {
    super();
    this.options = resolveClusterOptions(options);
    this.topology = new ClusterTopology({
      contactPoints: this.options.contactPoints,
      port: this.options.port,
      connection: this.options.connection,
      loadBalancing: this.options.loadBalancing,
      reconnect: this.options.reconnect,
      controlTimeoutMs: this.options.requestTimeoutMs,
      lookup: this.options.lookup,
    });
    this.metadata = new ClusterMetadata(this.topology, { localDataCenter: options.localDataCenter });
    this.topology.addListener({
      hostUp: (host) => this.emitSafely('hostUp', host),
      hostDown: (host) => this.emitSafely('hostDown', host),
      hostAdded: (host) => this.emitSafely('hostAdded', host),
      hostRemoved: (host) => this.emitSafely('hostRemoved', host),
      schemaChanged: (change) => this.emitSafely('schemaChange', change),
    });
    this.requestOptions = new OptionsResolver(
      {
        consistency: this.options.consistency,
        serialConsistency: this.options.serialConsistency,
        fetchSize: this.options.fetchSize,
        requestTimeoutMs: this.options.requestTimeoutMs,
        retryPolicy: this.options.retryPolicy,
        loadBalancing: this.options.loadBalancing,
        speculativeExecution: this.options.speculativeExecution,
      },
      this.options.profiles,
    );
  }

  /** The negotiated protocol version (5, 4 or 3); undefined before the first `connect()`. */
  get protocolVersion(): ProtocolVersion | undefined {
    return this.topology.protocolVersion;
  }

  /**
   * The request metrics so far (README "Production: observability"): requests, errors by class,
   * retries, speculative executions, timeouts, in flight, connections, bytes in and out, latency
   * percentiles in milliseconds, and the same per host (keyed by `address:port`). A new snapshot
   * on every read.
   */
  get metrics(): MetricsSnapshot {
    return this.topology.metrics.snapshot();
  }

  /** Emits without letting a listener's throw reach the topology code that reported the event. */
  private emitSafely<K extends keyof ClusterEventMap>(event: K, ...args: ClusterEventMap[K]): void {
    try {
      (this.emit as (event: K, ...args: ClusterEventMap[K]) => boolean)(event, ...args);
    } catch (error) {
      process.nextTick(() => {
        throw error;
      });
    }
  }

  /** The discovered hosts: address, port, dataCenter, rack, isUp, tokens, hostId. */
  get hosts(): readonly Host[] {
    return this.topology.hosts;
  }

  /**
   * Connects (once per cluster) and returns a session using `keyspace`. Rejects with
   * `AuthenticationError` when the credentials were refused or are missing, with
   * `NoHostAvailableError` (a cause per host) when no host could be reached, and with the
   * server's error when the keyspace does not exist.
   */
  async connect(keyspace?: string): Promise<Session> {
    if (this.closed) throw new ClosedError('cluster', 'connect()');
    if (keyspace !== undefined && (typeof keyspace !== 'string' || keyspace.length === 0)) {
      throw new ArgumentError(`keyspace must be a non-empty string, got ${String(keyspace)}`);
    }
    this.connecting ??= this.topology.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    await this.connecting;
    if (!this.profilePoliciesReady) {
      this.profilePoliciesReady = true;
      for (const policy of this.requestOptions.profilePolicies) policy.init(this.topology);
    }
    const pools = new SessionPools(
      this.topology,
      {
        connectionsPerHost: this.options.connectionsPerHost,
        reconnect: this.options.reconnect,
        clusterClosed: () => this.closed,
      },
      keyspace,
    );
    const session = createSession({
      topology: this.topology,
      pools,
      loadBalancing: this.options.loadBalancing,
      options: this.requestOptions,
      decodeOptions: { bigint: this.options.bigint, collections: this.options.collections },
      onShutdown: (s) => this.sessions.delete(s),
      metadata: this.metadata,
    });
    const hosts = this.options.loadBalancing.newQueryPlan(undefined);
    const errors = await pools.warmup(hosts);
    if (hosts.length === 0 || errors.size === hosts.length) {
      await pools.shutdown();
      for (const error of errors.values()) {
        if (error instanceof AuthenticationError || error instanceof ServerError || error instanceof ArgumentError)
          throw error;
      }
      throw new NoHostAvailableError(
        new Map([...errors].map(([h, e]) => [h.endpoint, e])),
        'No host of the cluster could be reached',
      );
    }
    for (const host of errors.keys()) this.topology.markDown(host);
    if (this.closed) {
      await pools.shutdown();
      throw new ClosedError('cluster', 'connect()');
    }
    this.sessions.add(session);
    return session;
  }

  /**
   * Closes every session and the control connection; pending requests reject. Harmless twice.
   * Afterwards `connect()` and every call on its sessions reject with `ClosedError`.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    const sessions = [...this.sessions];
    this.sessions.clear();
    await Promise.all(sessions.map((s) => s.shutdown()));
    await this.topology.shutdown();
  }

  [inspect.custom](): string {
    const hosts = this.topology.hosts.map((h) => `${h.endpoint}${h.isUp ? '' : ' (down)'}`).join(', ');
    return `Cluster { contactPoints: ${JSON.stringify(this.options.contactPoints)}, protocolVersion: ${this.protocolVersion ?? 'not connected'}, hosts: [${hosts}], sessions: ${this.sessions.size}${this.closed ? ', shut down' : ''} }`;
  }

  toJSON(): Record<string, unknown> {
    return {
      contactPoints: this.options.contactPoints,
      protocolVersion: this.protocolVersion,
      hosts: this.topology.hosts.map((h) => h.toJSON()),
    };
  }
}
