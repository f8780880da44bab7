import { Opcode } from '../../protocol/envelope/index.js';
import { ArgumentError } from '../../protocol/errors/index.js';
import type { BoundValue, SchemaChange } from '../../protocol/messages/index.js';
import type { ExecutionResult, LoadSource } from '../execution/index.js';
import type { ActivityEntry } from './activity-log.js';
import type { Backend, PreparedShape } from './backend.js';
import { createNodes } from './cluster-nodes.js';
import type { ClusterShared, NodeControl } from './node-runtime.js';
import type { PrimeRule } from './priming.js';
import { PageTracker, PrimeSet } from './priming.js';
import type { EmbeddedServerOptions, ResolvedServerOptions } from './server-options.js';
import { resolveServerOptions } from './server-options.js';
import { TraceStore } from './trace-store.js';

/** One node of an {@link EmbeddedServer}. */
export interface EmbeddedNode {
  /** The node's index in `server.nodes` (what activity log entries and primes call `node`). */
  readonly index: number;
  readonly address: string;
  readonly port: number;
  /** `address:port`, as a contact point. */
  readonly contactPoint: string;
  readonly isUp: boolean;
  /** Takes the node down: its connections drop, the others send STATUS_CHANGE DOWN. */
  stop(): Promise<void>;
  /** Brings it back on the same address and port: STATUS_CHANGE UP. */
  start(): Promise<void>;
}

/** The most attempts at finding one port free on every node address. */
const PORT_ATTEMPTS = 20;
/** Activity log entries kept; the oldest half is dropped past this (a long-running server). */
const ACTIVITY_LOG_LIMIT = 1_000_000;

/** The data side's parts the server uses itself, whatever its prepared statements are. */
type SharedData = Pick<Backend<PreparedShape>, 'onSchemaChange' | 'load'>;

/** How the server gets its nodes: given the cluster-wide parts, one `NodeControl` per node. */
type NodeFactory = (shared: ClusterShared) => NodeControl[];

class NodeHandle implements EmbeddedNode {
  constructor(private readonly runtime: NodeControl) {}
  get index(): number {
    return this.runtime.index;
  }
  get address(): string {
    return this.runtime.address;
  }
  get port(): number {
    return this.runtime.port;
  }
  get contactPoint(): string {
    return `${this.runtime.address}:${this.runtime.port}`;
  }
  get isUp(): boolean {
    return this.runtime.isUp;
  }
  stop(): Promise<void> {
    return this.runtime.stop();
  }
  start(): Promise<void> {
    return this.runtime.start();
  }
}

/**
 * A running embedded cluster: N nodes over one shared data store, with fault priming and an
 * activity log. Built by {@link startEmbeddedServer}; `stop()` ends it.
 */
export class EmbeddedServer {
  /**
   * Every request every node received, in arrival order (the entry shape is a contract:
   * docs/embedded-server.md "What the nodes received").
   */
  readonly activityLog: ActivityEntry[] = [];
  readonly nodes: readonly EmbeddedNode[];
  /** Errors the server caught that were its own bugs (never a client's); for tests and the CLI. */
  readonly internalErrors: unknown[] = [];
  private readonly runtimes: readonly NodeControl[];
  private readonly primes = new PrimeSet();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  /** @internal use {@link startEmbeddedServer} */
  constructor(
    readonly options: ResolvedServerOptions,
    private readonly data: SharedData,
    nodeFactory: NodeFactory,
    traces: TraceStore = new TraceStore(),
  ) {
    const shared: ClusterShared = {
      options,
      primes: this.primes,
      pages: new PageTracker(),
      traces,
      log: (entry) => {
        if (this.activityLog.length >= ACTIVITY_LOG_LIMIT) this.activityLog.splice(0, ACTIVITY_LOG_LIMIT / 2);
        this.activityLog.push(entry);
      },
      nextConnectionId: (() => {
        let next = 0;
        return () => ++next;
      })(),
      statusChanged: (node, up) => this.broadcastStatus(node, up),
      reportInternalError: (err) => {
        if (this.internalErrors.length < 1000) this.internalErrors.push(err);
      },
    };
    this.runtimes = nodeFactory(shared);
    this.nodes = this.runtimes.map((r) => new NodeHandle(r));
  }

  /** `host:port` of every node, in node order. */
  get contactPoints(): string[] {
    return this.runtimes.map((n) => `${n.address}:${n.port}`);
  }

  /** The port the nodes listen on (the first node's when they have distinct ports). */
  get port(): number {
    return this.runtimes[0]!.port;
  }

  /** Adds a fault-injection rule (docs/embedded-server.md "Faults on demand"); the first matching rule wins. */
  prime(rule: PrimeRule): void {
    this.primes.add(rule);
  }

  /** Removes every primed rule. */
  clearPrimes(): void {
    this.primes.clear();
  }

  /**
   * Fills `keyspace.table` without CQL (bulk data for benchmarks, docs/embedded-server.md "Schema
   * and data"): rows as objects by column name or arrays in `SELECT *` order, or
   * `{ count, generate(i) }`. Returns the row count.
   */
  load(keyspace: string, table: string, source: LoadSource): number {
    if (this.data.load === undefined) throw new ArgumentError('This server has no data store to load into');
    return this.data.load(keyspace, table, source);
  }

  /**
   * Runs one CQL statement on the shared data, as a client of node 0 would (schema changes are
   * pushed to registered clients). For setting up tests, demos and benchmarks without a client.
   */
  execute(
    query: string,
    values: readonly BoundValue[] = [],
    options: { keyspace?: string; pageSize?: number; pagingState?: Buffer } = {},
  ): ExecutionResult {
    return this.runtimes[0]!.execute(query, values, {
      consistency: 1,
      keyspace: options.keyspace,
      ...options,
    });
  }

  /** Empties the activity log. */
  clearActivityLog(): void {
    this.activityLog.length = 0;
  }

  /** @internal Binds every node (one shared port across addresses unless `sameHost`). */
  async listen(): Promise<void> {
    this.unsubscribe = this.data.onSchemaChange((change) => this.broadcastSchema(change));
    const { port, sameHost } = this.options;
    if (sameHost || this.runtimes.length === 1) {
      for (const [i, n] of this.runtimes.entries()) {
        n.port = port === 0 ? 0 : port + (sameHost ? i : 0);
        await n.listen();
      }
      return;
    }
    let lastError: unknown;
    for (let attempt = 0; attempt < (port === 0 ? PORT_ATTEMPTS : 1); attempt++) {
      try {
        this.runtimes[0]!.port = port;
        await this.runtimes[0]!.listen();
        const chosen = this.runtimes[0]!.port;
        for (const n of this.runtimes.slice(1)) {
          n.port = chosen;
          await n.listen();
        }
        return;
      } catch (err) {
        lastError = err;
        for (const n of this.runtimes) await n.close();
      }
    }
    throw lastError;
  }

  /** Stops every node and releases the ports. Calling it twice is harmless. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    await Promise.all(this.runtimes.map((n) => n.close()));
  }

  private broadcastStatus(node: NodeControl, up: boolean): void {
    for (const other of this.runtimes) {
      if (other === node) continue;
      other.pushEvent({
        opcode: Opcode.EVENT,
        type: 'STATUS_CHANGE',
        change: up ? 'UP' : 'DOWN',
        node: { address: node.address, port: node.port },
      });
    }
  }

  private broadcastSchema(change: SchemaChange): void {
    for (const n of this.runtimes) n.forgetPreparedOf(change);
    for (const n of this.runtimes) n.pushEvent({ opcode: Opcode.EVENT, type: 'SCHEMA_CHANGE', change });
  }
}

/**
 * Starts a server over `backend` (the shared data side, whatever its prepared statements are);
 * traced requests write to `traces` (which the data side shows as system_traces, if it registered it).
 */
export async function startServerWithBackend<P extends PreparedShape>(
  options: EmbeddedServerOptions,
  backend: Backend<P>,
  traces?: TraceStore,
): Promise<EmbeddedServer> {
  const resolved = resolveServerOptions(options);
  const server = new EmbeddedServer(resolved, backend, (shared) => createNodes(resolved, backend, shared), traces);
  try {
    await server.listen();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
