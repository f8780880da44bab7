import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import {
  type AddressLookup,
  DcAwareRoundRobinPolicy,
  DefaultRetryPolicy,
  type LoadBalancingPolicy,
  parseContactPoint,
  type RetryPolicy,
  type SharedConnectionOptions,
  TokenAwarePolicy,
} from '../cluster/index.js';
import {
  type AuthProvider,
  authProviderFor,
  type BackoffOptions,
  DEFAULT_PORT,
  resolveConnectionOptions,
} from '../connection/index.js';
import type { Compression } from '../protocol/compression/compression.js';
import { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import {
  type CheckedExecutionProfile,
  checkExecutionProfiles,
  checkSpeculativeExecution,
  type ExecutionProfile,
  type ResolvedSpeculativeExecution,
} from './execution-profile.js';
import { checkConsistencyOption, checkPageSize, checkSerialConsistency } from './query-options.js';
import type { SpeculativeExecutionOptions } from './speculative-policy.js';

/** Options of `new Cluster(...)` (README.md "Connecting"). Only `contactPoints` is required. */
export interface ClusterOptions {
  /** `host` or `host:port` (IPv6: `[addr]:port`); DNS names are resolved to all their addresses. */
  contactPoints: readonly string[];
  /** Port of contact points given without one. Default 9042. */
  port?: number;
  /** Route to this data center's hosts; default: the DC of the first contact point reached. */
  localDataCenter?: string;
  /** Prefer the hosts (and replicas) of this rack of the local data center. */
  localRack?: string;
  /** PasswordAuthenticator (SASL PLAIN). Kept only inside an auth provider: never printed. */
  credentials?: { username: string; password: string };
  /** Any other SASL mechanism (replaces `credentials`). */
  authProvider?: AuthProvider;
  tls?: TlsConnectionOptions;
  /** 'lz4' compresses v5 segments / v4 envelopes when the server offers it. Default 'none'. */
  compression?: Compression;
  /** 5, 4 or 3; default: negotiate the highest the server accepts. */
  protocolVersion?: ProtocolVersion;
  /** Per-attempt request timeout. Default 12,000 ms. */
  requestTimeoutMs?: number;
  /** TCP/TLS connect and handshake timeout. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /** Idle time before a heartbeat; 0 turns heartbeats off. Default 30,000 ms. */
  heartbeatIntervalMs?: number;
  /**
   * Largest envelope (header + body, in bytes) accepted from any node, on the control connection
   * and every pool; an integer >= 9 (the v3+ header size). Default 256 MiB. A larger declaration is
   * a `ProtocolError` as soon as its header arrives, before any body byte is read (the spec's own
   * ceiling is 256 MiB, native_protocol_v5.spec §2.4.1.5). It also bounds lz4 output: a compressed
   * v4 body may not declare more than this, and a v5 segment's output is capped by the segment
   * format (128 KiB) whatever this is set to.
   */
  maxEnvelopeSize?: number;
  /** Connections per host and session. Default 1. */
  connectionsPerHost?: number;
  /** Backoff between attempts to reach a down host. Default 1 s doubling to 60 s. */
  reconnect?: BackoffOptions;
  /** Default: token-aware over DC-aware round robin with `localDataCenter`. */
  loadBalancing?: LoadBalancingPolicy;
  /** Default: `DefaultRetryPolicy`. */
  retryPolicy?: RetryPolicy;
  /** Default consistency. Default LOCAL_ONE. */
  consistency?: Consistency;
  serialConsistency?: Consistency;
  /**
   * Rows per page of every request: `execute`, `executeStream` and `scanTable` alike. Default:
   * 5,000 for `execute`, 1,000 for streams and scans.
   */
  fetchSize?: number;
  /**
   * Named option sets chosen per request with `{ profile: 'name' }` (execute, batch, prepare,
   * executeStream, scanTable): a request's own option wins over its profile's, the profile's over
   * the cluster's. README "Execution profiles".
   */
  profiles?: Readonly<Record<string, ExecutionProfile>>;
  /**
   * Speculative execution of idempotent requests (`execute` and `batch`, not stream pages): when
   * no answer came after `delayMs`, the request also goes to the next host of the query plan, up
   * to `maxExtra` more (default 1); the first answer wins. `{ percentile, maxExtra }` waits the
   * latency at that percentile of recent requests instead. README "Tail latency: speculative
   * execution".
   */
  speculativeExecution?: SpeculativeExecutionOptions;
  /** bigint / varint / counter as `bigint` (default) or `Long` (the `long` package). */
  bigint?: 'bigint' | 'long';
  /**
   * Sets and maps as `Set` and `Map` (`'native'`, default) or, for code moving from
   * cassandra-driver, as an Array and a plain object keyed by each key's `String()` (`'driver'`).
   * Chosen once per result shape: the default costs nothing.
   */
  collections?: 'native' | 'driver';
  /** @internal DNS resolution of contact points (tests). */
  lookup?: AddressLookup;
}

/** The options after defaults and checks. */
export interface ResolvedClusterOptions {
  contactPoints: readonly string[];
  port: number;
  connection: SharedConnectionOptions;
  connectionsPerHost: number;
  reconnect: BackoffOptions | undefined;
  loadBalancing: LoadBalancingPolicy;
  retryPolicy: RetryPolicy;
  consistency: Consistency;
  serialConsistency: Consistency | undefined;
  /** As given; undefined: each request kind's default. */
  fetchSize: number | undefined;
  profiles: ReadonlyMap<string, CheckedExecutionProfile>;
  speculativeExecution: ResolvedSpeculativeExecution | undefined;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  bigint: 'bigint' | 'long';
  collections: 'native' | 'driver';
  lookup: AddressLookup | undefined;
}

/**
 * Every key of {@link ClusterOptions}, declared once: `satisfies` makes the compiler reject a key
 * added to the interface and missing here, or listed here and not in the interface.
 */
const CLUSTER_OPTION_KEYS = {
  contactPoints: true,
  port: true,
  localDataCenter: true,
  localRack: true,
  credentials: true,
  authProvider: true,
  tls: true,
  compression: true,
  protocolVersion: true,
  requestTimeoutMs: true,
  connectTimeoutMs: true,
  heartbeatIntervalMs: true,
  maxEnvelopeSize: true,
  connectionsPerHost: true,
  reconnect: true,
  loadBalancing: true,
  retryPolicy: true,
  consistency: true,
  serialConsistency: true,
  fetchSize: true,
  profiles: true,
  speculativeExecution: true,
  bigint: true,
  collections: true,
  lookup: true,
} as const satisfies Record<keyof ClusterOptions, true>;
const KNOWN: ReadonlySet<string> = new Set(Object.keys(CLUSTER_OPTION_KEYS));

/** Checks every option (an `ArgumentError` names the bad one) and applies the defaults. */
export function resolveClusterOptions(options: ClusterOptions): ResolvedClusterOptions {
  if (typeof options !== 'object' || options === null)
    throw new ArgumentError('new Cluster() needs an options object with contactPoints');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new ArgumentError(`Unknown cluster option '${key}'`);
  }
  const { contactPoints } = options;
  // checked through unknown so `contactPoints` keeps its type (a JavaScript caller may pass anything)
  const givenPoints: unknown = contactPoints;
  if (!Array.isArray(givenPoints) || contactPoints.length === 0) {
    throw new ArgumentError('contactPoints must be a non-empty array of "host" or "host:port" strings');
  }
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ArgumentError(`port must be an integer 1..65535, got ${String(port)}`);
  for (const p of contactPoints) parseContactPoint(p, port);
  if (
    options.localDataCenter !== undefined &&
    (typeof options.localDataCenter !== 'string' || options.localDataCenter === '')
  ) {
    throw new ArgumentError(`localDataCenter must be a non-empty string, got ${String(options.localDataCenter)}`);
  }
  if (options.localRack !== undefined && (typeof options.localRack !== 'string' || options.localRack === '')) {
    throw new ArgumentError(`localRack must be a non-empty string, got ${String(options.localRack)}`);
  }
  const authProvider = authProviderFor(options.credentials, options.authProvider);
  const connection: SharedConnectionOptions = {
    ...(options.protocolVersion !== undefined ? { protocolVersion: options.protocolVersion } : {}),
    ...(options.compression !== undefined ? { compression: options.compression } : {}),
    ...(authProvider !== undefined ? { authProvider } : {}),
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    ...(options.maxEnvelopeSize !== undefined ? { maxEnvelopeSize: options.maxEnvelopeSize } : {}),
  };
  // the connection layer's own checks, run now so a bad option fails at construction
  const checked = resolveConnectionOptions({ ...connection, host: 'localhost', port });
  const connectionsPerHost = options.connectionsPerHost ?? 1;
  if (!Number.isInteger(connectionsPerHost) || connectionsPerHost < 1 || connectionsPerHost > 1024) {
    throw new ArgumentError(`connectionsPerHost must be an integer 1..1024, got ${String(connectionsPerHost)}`);
  }
  const bigint = options.bigint ?? 'bigint';
  if (bigint !== 'bigint' && bigint !== 'long')
    throw new ArgumentError(`bigint must be 'bigint' or 'long', got ${String(bigint)}`);
  const collections = options.collections ?? 'native';
  if (collections !== 'native' && collections !== 'driver')
    throw new ArgumentError(`collections must be 'native' or 'driver', got ${String(collections)}`);
  if (options.loadBalancing !== undefined && typeof options.loadBalancing.newQueryPlan !== 'function') {
    throw new ArgumentError('loadBalancing must implement init() and newQueryPlan()');
  }
  if (options.retryPolicy !== undefined && typeof options.retryPolicy.onError !== 'function') {
    throw new ArgumentError('retryPolicy must implement onError()');
  }
  return {
    contactPoints: [...contactPoints],
    port,
    connection,
    connectionsPerHost,
    reconnect: options.reconnect,
    loadBalancing:
      options.loadBalancing ??
      new TokenAwarePolicy(
        new DcAwareRoundRobinPolicy({ localDataCenter: options.localDataCenter, localRack: options.localRack }),
      ),
    retryPolicy: options.retryPolicy ?? new DefaultRetryPolicy(),
    consistency: checkConsistencyOption('consistency', options.consistency) ?? Consistency.LOCAL_ONE,
    serialConsistency: checkSerialConsistency(options.serialConsistency),
    fetchSize: checkPageSize('fetchSize', options.fetchSize),
    profiles: checkExecutionProfiles(options.profiles),
    speculativeExecution: checkSpeculativeExecution('speculativeExecution', options.speculativeExecution),
    requestTimeoutMs: checked.requestTimeoutMs,
    connectTimeoutMs: checked.connectTimeoutMs,
    bigint,
    collections,
    lookup: options.lookup,
  };
}
