import { isLz4Available, lz4Binding } from '../../protocol/compression/index.js';
import { ArgumentError } from '../../protocol/errors/index.js';
import type { ProtocolVersion } from '../../protocol/protocol-version.js';

/** Options of {@link startEmbeddedServer}. Every field is optional. */
export interface EmbeddedServerOptions {
  /** Number of nodes, default 1. Node i listens on 127.0.0.(i+1) unless `sameHost`. */
  nodes?: number;
  /** All nodes on 127.0.0.1, each on its own port (for clients that read native_port). */
  sameHost?: boolean;
  /** TCP port; 0 (default) = a free one (free on every node address when they share it). */
  port?: number;
  /** Protocol versions accepted, default [3, 4, 5]. */
  protocolVersions?: readonly ProtocolVersion[];
  /** Compression algorithms offered, default ['lz4'] (when the optional lz4-napi package loads); [] turns compression off. */
  compression?: readonly 'lz4'[];
  /** Turns on PasswordAuthenticator (SASL PLAIN) with this one user. */
  credentials?: { username: string; password: string };
  /** Serve TLS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** DC of every node (a string) or of each node (an array, one entry per node). Default 'datacenter1'. */
  dataCenter?: string | readonly string[];
  /** Rack of every node or of each node. Default 'rack1'. */
  rack?: string | readonly string[];
  /** release_version to report, default '5.0.2'. */
  cassandraVersion?: string;
  /** cluster_name to report, default 'cqlwire'. */
  clusterName?: string;
  /** Murmur3 tokens per node, default 4 (interleaved so the ring is split evenly). */
  tokensPerNode?: number;
}

/** Options after defaults and validation. */
export interface ResolvedServerOptions {
  nodeCount: number;
  sameHost: boolean;
  port: number;
  protocolVersions: readonly ProtocolVersion[];
  compression: readonly 'lz4'[];
  credentials: { username: string; password: string } | undefined;
  tls: { key: string | Buffer; cert: string | Buffer } | undefined;
  dataCenters: readonly string[];
  racks: readonly string[];
  cassandraVersion: string;
  clusterName: string;
  tokensPerNode: number;
}

/** The most nodes one server runs: node i needs 127.0.0.(i+1). */
const MAX_NODES = 254;

function perNode(what: string, v: string | readonly string[] | undefined, n: number, dflt: string): string[] {
  if (v === undefined) return Array.from({ length: n }, () => dflt);
  if (typeof v === 'string') return Array.from({ length: n }, () => v);
  if (!Array.isArray(v) || v.length !== n || v.some((x) => typeof x !== 'string' || x === '')) {
    throw new ArgumentError(
      `${what} must be a string or an array of ${n} non-empty strings (one per node), got ${JSON.stringify(v)}`,
    );
  }
  return [...(v as readonly string[])];
}

/** Applies defaults and checks every option; bad input is an `ArgumentError` naming the value. */
export function resolveServerOptions(options: EmbeddedServerOptions = {}): ResolvedServerOptions {
  const nodeCount = options.nodes ?? 1;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > MAX_NODES) {
    throw new ArgumentError(`nodes must be an integer from 1 to ${MAX_NODES}, got ${String(options.nodes)}`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ArgumentError(`port must be an integer from 0 to 65535, got ${String(options.port)}`);
  }
  const protocolVersions = options.protocolVersions ?? [3, 4, 5];
  if (protocolVersions.length === 0 || protocolVersions.some((v) => v !== 3 && v !== 4 && v !== 5)) {
    throw new ArgumentError(
      `protocolVersions must be a non-empty list of 3, 4 and 5, got ${JSON.stringify(protocolVersions)}`,
    );
  }
  // lz4 is offered by default only where the optional native binding loads
  const compression = options.compression ?? (isLz4Available() ? ['lz4'] : []);
  if (compression.some((c) => c !== 'lz4')) {
    throw new ArgumentError(`compression may only list 'lz4', got ${JSON.stringify(compression)}`);
  }
  if (compression.length > 0) lz4Binding();
  const credentials = options.credentials;
  if (
    credentials !== undefined &&
    (typeof credentials.username !== 'string' ||
      typeof credentials.password !== 'string' ||
      credentials.username === '')
  ) {
    throw new ArgumentError('credentials must be { username: non-empty string, password: string }');
  }
  const tokensPerNode = options.tokensPerNode ?? 4;
  if (!Number.isInteger(tokensPerNode) || tokensPerNode < 1 || tokensPerNode > 256) {
    throw new ArgumentError(`tokensPerNode must be an integer from 1 to 256, got ${String(options.tokensPerNode)}`);
  }
  return {
    nodeCount,
    sameHost: options.sameHost === true,
    port,
    protocolVersions: [...new Set(protocolVersions)].sort(),
    compression: [...compression],
    credentials:
      credentials === undefined ? undefined : { username: credentials.username, password: credentials.password },
    tls: options.tls,
    dataCenters: perNode('dataCenter', options.dataCenter, nodeCount, 'datacenter1'),
    racks: perNode('rack', options.rack, nodeCount, 'rack1'),
    cassandraVersion: options.cassandraVersion ?? '5.0.2',
    clusterName: options.clusterName ?? 'cqlwire',
    tokensPerNode,
  };
}
