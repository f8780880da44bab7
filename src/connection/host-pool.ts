import { ArgumentError } from '../protocol/errors/index.js';
import type { RequestMessage } from '../protocol/messages/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import { authProviderFor } from './authenticator.js';
import { type BackoffOptions, ExponentialBackoff } from './backoff.js';
import type { Connection } from './connection.js';
import type { ConnectionOptions, SendOptions } from './connection-options.js';
import { DEFAULT_PORT } from './connection-options.js';
import { ConnectionClosedError, ConnectionError, formatEndpoint } from './errors.js';
import { openConnection } from './open-connection.js';
import type { Response } from './response.js';

/** How to keep connections to one host. */
export interface HostPoolOptions extends ConnectionOptions {
  /** Connections to keep open. Default 1. */
  connectionsPerHost?: number;
  /** Wait between failed attempts to (re)connect. */
  reconnect?: BackoffOptions;
  /** Opens one connection; defaults to `openConnection` (replaceable for tests and instrumentation). */
  connect?: (options: ConnectionOptions) => Promise<Connection>;
  /** A connection of the pool closed (cause undefined after an orderly close). */
  onConnectionClosed?: (connection: Connection, cause: Error | undefined) => void;
}

/**
 * N connections to one host. Requests go to the least busy open connection. Connections are
 * (re)opened lazily: when the pool is used and holds fewer than N, one more is opened in the
 * background, never sooner than the exponential backoff allows after a failure, so a dead host
 * costs no timers and no busy loop. The keyspace set with `setKeyspace` is USEd on every
 * connection, including ones opened later. The protocol version the first connection negotiated
 * is pinned for the following ones (docs/architecture.md "Version negotiation").
 */
export class HostPool {
  readonly host: string;
  readonly port: number;
  readonly endpoint: string;
  readonly connectionsPerHost: number;

  private readonly options: HostPoolOptions;
  private readonly backoff: ExponentialBackoff;
  private readonly open: (options: ConnectionOptions) => Promise<Connection>;
  private connections: Connection[] = [];
  private opening: Promise<Connection | undefined> | undefined = undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private lastFailure: Error | undefined = undefined;
  private shutDown = false;
  private currentKeyspace: string | undefined;
  private pinnedVersion: ProtocolVersion | undefined;

  constructor(options: HostPoolOptions) {
    const n = options.connectionsPerHost ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 1024)
      throw new ArgumentError(`connectionsPerHost must be an integer 1..1024, got ${n}`);
    // Turn credentials into an auth provider at once, so the pool never holds a password in a
    // property that `util.inspect` or a log could print.
    const { credentials, authProvider, ...rest } = options;
    const provider = authProviderFor(credentials, authProvider);
    this.options = provider === undefined ? rest : { ...rest, authProvider: provider };
    this.host = options.host;
    this.port = options.port ?? DEFAULT_PORT;
    this.endpoint = formatEndpoint(this.host, this.port);
    this.connectionsPerHost = n;
    this.backoff = new ExponentialBackoff(options.reconnect);
    this.open = options.connect ?? openConnection;
    this.currentKeyspace = options.keyspace;
    this.pinnedVersion = options.protocolVersion;
  }

  /** Open connections. */
  get size(): number {
    return this.connections.length;
  }

  /** Requests in flight or queued over all connections. */
  get inFlight(): number {
    let n = 0;
    for (const c of this.connections) n += c.inFlight;
    return n;
  }

  get keyspace(): string | undefined {
    return this.currentKeyspace;
  }

  /** The version every connection of this pool speaks, once one has connected. */
  get protocolVersion(): ProtocolVersion | undefined {
    return this.pinnedVersion;
  }

  get isShutdown(): boolean {
    return this.shutDown;
  }

  /** Why the last attempt to open a connection failed (cleared by a success). */
  get lastError(): Error | undefined {
    return this.lastFailure;
  }

  /**
   * Opens connections until the pool is full; resolves once all attempts have finished if at least
   * one connection is open, else rejects with the first attempt's error.
   */
  async warmup(): Promise<void> {
    let firstError: Error | undefined;
    while (!this.shutDown && this.connections.length < this.connectionsPerHost) {
      const opened = await this.openOne();
      if (opened === undefined) {
        firstError ??= this.lastFailure;
        break;
      }
    }
    if (this.connections.length === 0) {
      throw firstError ?? new ConnectionClosedError(this.host, this.port, 'the pool was shut down');
    }
  }

  /** The least busy open connection, or undefined. Also starts a background open when the pool is short. */
  borrow(): Connection | undefined {
    this.maybeGrow();
    let best: Connection | undefined;
    let bestLoad = Infinity;
    for (const c of this.connections) {
      const load = c.inFlight;
      if (load < bestLoad && !c.isClosed) {
        best = c;
        bestLoad = load;
      }
    }
    return best;
  }

  /**
   * A connection to send on: an open one, else the one being opened. Rejects with
   * `ConnectionError` while the host is in backoff after failures (naming the last cause), and
   * with `ConnectionClosedError` after `shutdown()`.
   */
  async acquire(): Promise<Connection> {
    const ready = this.borrow();
    if (ready !== undefined) return ready;
    if (this.shutDown) throw new ConnectionClosedError(this.host, this.port, 'the pool was shut down');
    if (this.opening !== undefined) {
      const opened = await this.opening;
      if (opened !== undefined && !opened.isClosed) return opened;
      const again = this.borrow();
      if (again !== undefined) return again;
    }
    if (this.shutDown) throw new ConnectionClosedError(this.host, this.port, 'the pool was shut down');
    const wait = Math.max(0, this.nextAttemptAt - Date.now());
    throw new ConnectionError(
      this.host,
      this.port,
      `no open connection (${this.failures} failed attempt(s); next attempt allowed in ${wait} ms)` +
        (this.lastFailure !== undefined ? `: ${this.lastFailure.message}` : ''),
      this.lastFailure !== undefined ? { cause: this.lastFailure } : undefined,
    );
  }

  /**
   * Sends on the least busy connection (see `Connection.send`). The choice and the send happen in
   * the same synchronous step, so a burst of calls in one tick spreads over the connections.
   */
  send(request: RequestMessage, options?: SendOptions): Promise<Response> {
    const connection = this.borrow();
    if (connection !== undefined) return connection.send(request, options);
    return this.acquire().then((c) => c.send(request, options));
  }

  /** USEs `keyspace` on every open connection, and on every connection opened from now on. */
  async setKeyspace(keyspace: string): Promise<void> {
    if (typeof keyspace !== 'string' || keyspace.length === 0)
      throw new ArgumentError(`keyspace must be a non-empty string, got ${String(keyspace)}`);
    this.currentKeyspace = keyspace;
    await Promise.all(this.connections.filter((c) => c.keyspace !== keyspace).map((c) => c.useKeyspace(keyspace)));
  }

  /** Closes every connection; later requests reject. Calling it again is harmless. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    const closing = this.connections.map((c) => c.close());
    this.connections = [];
    await Promise.all(closing);
    if (this.opening !== undefined) await this.opening; // its result is closed on arrival
  }

  private maybeGrow(): void {
    if (this.shutDown || this.opening !== undefined || this.connections.length >= this.connectionsPerHost) return;
    if (Date.now() < this.nextAttemptAt) return;
    void this.openOne().then(() => this.maybeGrow());
  }

  /** One attempt to open a connection; resolves with it, or undefined on failure (recorded for backoff). */
  private openOne(): Promise<Connection | undefined> {
    if (this.opening !== undefined) return this.opening;
    const attempt = this.attempt();
    this.opening = attempt;
    void attempt.finally(() => {
      if (this.opening === attempt) this.opening = undefined;
    });
    return attempt;
  }

  private async attempt(): Promise<Connection | undefined> {
    let connection: Connection;
    try {
      const {
        connectionsPerHost: _n,
        reconnect: _r,
        connect: _c,
        onConnectionClosed: _o,
        ...connectionOptions
      } = this.options;
      connection = await this.open({
        ...connectionOptions,
        ...(this.pinnedVersion !== undefined ? { protocolVersion: this.pinnedVersion } : {}),
        ...(this.currentKeyspace !== undefined ? { keyspace: this.currentKeyspace } : {}),
      });
      // setKeyspace() may have run while this connection was being opened
      if (this.currentKeyspace !== undefined && connection.keyspace !== this.currentKeyspace) {
        try {
          await connection.useKeyspace(this.currentKeyspace);
        } catch (error) {
          await connection.close();
          throw error;
        }
      }
    } catch (error) {
      this.failures++;
      this.lastFailure = error as Error;
      this.nextAttemptAt = Date.now() + this.backoff.delayMs(this.failures);
      return undefined;
    }
    if (this.shutDown || connection.isClosed) {
      await connection.close();
      return undefined;
    }
    this.failures = 0;
    this.nextAttemptAt = 0;
    this.lastFailure = undefined;
    this.pinnedVersion ??= connection.protocolVersion;
    this.connections.push(connection);
    connection.on('close', (cause) => {
      this.connections = this.connections.filter((c) => c !== connection);
      this.options.onConnectionClosed?.(connection, cause);
    });
    return connection;
  }
}
