import { ClosedError, type ClusterTopology, type Host, type TopologyListener } from '../cluster/index.js';
import { type BackoffOptions, HostPool } from '../connection/index.js';

/** How a session keeps connections. */
export interface SessionPoolOptions {
  connectionsPerHost: number;
  reconnect: BackoffOptions | undefined;
  /** True once the cluster was shut down: says which one a refused call names. */
  clusterClosed?: () => boolean;
}

/**
 * One `HostPool` per host for one session (all USE the session's keyspace), kept in step with the
 * topology: a host coming up gets its pool warmed, a removed host's pool is closed. A pool that
 * loses its last connection tries to reopen one at once; if that fails the host is marked down
 * (the topology then probes it with backoff and marks it up again).
 */
export class SessionPools implements TopologyListener {
  private readonly pools = new Map<Host, HostPool>();
  private keyspace: string | undefined;
  private closed = false;

  constructor(
    private readonly topology: ClusterTopology,
    private readonly options: SessionPoolOptions,
    keyspace: string | undefined,
  ) {
    this.keyspace = keyspace;
    topology.addListener(this);
  }

  get currentKeyspace(): string | undefined {
    return this.keyspace;
  }

  /** True once `shutdown()` was called: no pool is made or used any more. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The error a call gets after shutdown, naming the cluster when it was the cluster that was shut down. */
  closedError(operation: string): ClosedError {
    return new ClosedError(this.options.clusterClosed?.() === true ? 'cluster' : 'session', operation);
  }

  /**
   * The pool of `host`, made on first use. Throws `ClosedError` after `shutdown()`, so a request
   * still on its way (a batch awaiting a prepare, a retry) never opens a connection again.
   */
  get(host: Host): HostPool {
    if (this.closed) throw this.closedError('A request');
    let pool = this.pools.get(host);
    if (pool === undefined) {
      pool = new HostPool({
        ...this.topology.connectionOptions(host),
        ...(this.keyspace !== undefined ? { keyspace: this.keyspace } : {}),
        connectionsPerHost: this.options.connectionsPerHost,
        ...(this.options.reconnect !== undefined ? { reconnect: this.options.reconnect } : {}),
        onConnectionClosed: (_connection, cause) => this.onConnectionClosed(host, cause),
      });
      this.pools.set(host, pool);
    }
    return pool;
  }

  /**
   * Opens the pools of `hosts`; resolves once every attempt has finished, with the errors of the
   * pools that could not open a connection (the hosts are marked down).
   */
  async warmup(hosts: readonly Host[]): Promise<Map<Host, Error>> {
    const errors = new Map<Host, Error>();
    await Promise.all(
      hosts.map(async (host) => {
        try {
          await this.get(host).warmup();
        } catch (error) {
          errors.set(host, error as Error);
        }
      }),
    );
    return errors;
  }

  /** USEs `keyspace` on every pool (after a `USE` statement). */
  async setKeyspace(keyspace: string): Promise<void> {
    this.keyspace = keyspace;
    await Promise.all([...this.pools.values()].map((p) => p.setKeyspace(keyspace).catch(() => undefined)));
  }

  hostUp(host: Host): void {
    const pool = this.pools.get(host);
    if (pool !== undefined && !this.closed) void pool.warmup().catch(() => undefined);
  }

  hostRemoved(host: Host): void {
    const pool = this.pools.get(host);
    this.pools.delete(host);
    if (pool !== undefined) void pool.shutdown();
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.topology.removeListener(this);
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.shutdown()));
  }

  private onConnectionClosed(host: Host, cause: Error | undefined): void {
    if (this.closed || cause === undefined) return;
    const pool = this.pools.get(host);
    if (pool === undefined || pool.size > 0 || pool.isShutdown) return;
    void pool.warmup().catch(() => {
      if (!this.closed) this.topology.markDown(host);
    });
  }
}
