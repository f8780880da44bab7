import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { ConnectionMeter } from '../diagnostics/index.js';
import type { Compression } from '../protocol/compression/compression.js';
import { lz4Binding } from '../protocol/compression/lz4-binding.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { CustomPayload, EventMessage } from '../protocol/messages/index.js';
import { isSupportedProtocolVersion, type ProtocolVersion } from '../protocol/protocol-version.js';
import { type AuthProvider, authProviderFor } from './authenticator.js';
import { checkMilliseconds } from './milliseconds.js';

/** How to open one connection to one node. */
export interface ConnectionOptions {
  host: string;
  /** Default 9042. */
  port?: number;
  /**
   * Speak exactly this version (no downgrade). Leave it out to negotiate: the highest of
   * `maxProtocolVersion` (default 5), 4, 3 that the node accepts
   * (docs/architecture.md "Version negotiation").
   */
  protocolVersion?: ProtocolVersion;
  /** Where negotiation starts when `protocolVersion` is not given. Default 5. */
  maxProtocolVersion?: ProtocolVersion;
  /** `'lz4'` asks for lz4 (v5 segments, v4 envelope bodies) when the node offers it. Default `'none'`. */
  compression?: Compression;
  /** SASL PLAIN for PasswordAuthenticator. Ignored when `authProvider` is given. */
  credentials?: { username: string; password: string };
  /** Any SASL mechanism: makes one authenticator per connection. */
  authProvider?: AuthProvider;
  /** Connect over TLS with these options. Hostname verification stays on unless they turn it off. */
  tls?: TlsConnectionOptions;
  /** Time allowed for the TCP/TLS connect and for each handshake message. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /** Timeout of a request that does not give its own. Default 12,000 ms; 0 = none. */
  requestTimeoutMs?: number;
  /** Write idleness after which an OPTIONS heartbeat is sent. Default 30,000 ms; 0 turns heartbeats off. */
  heartbeatIntervalMs?: number;
  /** How long a heartbeat may go unanswered before the connection is declared dead. Default 12,000 ms. */
  heartbeatTimeoutMs?: number;
  /** `USE` this keyspace once connected. */
  keyspace?: string;
  /**
   * Largest envelope accepted from the node (header + body). Default 256 MiB, the limit of
   * native_protocol_v5.spec §2.4.1.5 (length).
   */
  maxEnvelopeSize?: number;
  /** Server EVENTs (stream −1) on this connection. */
  onEvent?: (event: EventMessage) => void;
  /** Counters the connection keeps current: bytes in and out, open connections (the cluster's metrics). */
  meter?: ConnectionMeter | undefined;
}

/** Per-request options of `Connection.send`. */
export interface SendOptions {
  /** Reject with `RequestTimeoutError` after this long (0: never). Default: the connection's `requestTimeoutMs`. */
  timeoutMs?: number;
  /** Ask the server to trace this request (QUERY, PREPARE, EXECUTE, BATCH only). */
  tracing?: boolean;
  /** A custom payload (v4+) sent in front of the body. */
  customPayload?: CustomPayload;
  /** Aborting it cancels the request: its promise rejects at once, its stream id stays held until the answer comes. */
  signal?: AbortSignal;
}

/** {@link ConnectionOptions} with every default applied and every value checked. */
export interface ResolvedConnectionOptions {
  host: string;
  port: number;
  versions: readonly ProtocolVersion[];
  compression: Compression;
  authProvider: AuthProvider | undefined;
  tls: TlsConnectionOptions | undefined;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  keyspace: string | undefined;
  maxEnvelopeSize: number;
  onEvent: ((event: EventMessage) => void) | undefined;
  meter: ConnectionMeter | undefined;
}

export const DEFAULT_PORT = 9042;

/** A millisecond option, or its default when not given. */
function duration(name: string, value: number | undefined, fallback: number, min: 0 | 1): number {
  return value === undefined ? fallback : checkMilliseconds(name, value, min);
}

/** Applies the defaults and validates; a bad value is an `ArgumentError` naming it. */
export function resolveConnectionOptions(o: ConnectionOptions): ResolvedConnectionOptions {
  if (typeof o.host !== 'string' || o.host.length === 0)
    throw new ArgumentError(`host must be a non-empty string, got ${String(o.host)}`);
  const port = o.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ArgumentError(`port must be an integer 1..65535, got ${port}`);
  let versions: ProtocolVersion[];
  if (o.protocolVersion !== undefined) {
    if (!isSupportedProtocolVersion(o.protocolVersion))
      throw new ArgumentError(`protocolVersion must be 3, 4 or 5, got ${String(o.protocolVersion)}`);
    versions = [o.protocolVersion];
  } else {
    const max = o.maxProtocolVersion ?? 5;
    if (!isSupportedProtocolVersion(max))
      throw new ArgumentError(`maxProtocolVersion must be 3, 4 or 5, got ${String(max)}`);
    versions = ([5, 4, 3] as const).filter((v) => v <= max);
  }
  const compression = o.compression ?? 'none';
  if (compression !== 'lz4' && compression !== 'none')
    throw new ArgumentError(`compression must be 'lz4' or 'none', got ${String(compression)}`);
  // the native lz4 binding is optional and loaded only now: without it, an ArgumentError naming the package
  if (compression === 'lz4') lz4Binding();
  const authProvider = authProviderFor(o.credentials, o.authProvider);
  const maxEnvelopeSize = o.maxEnvelopeSize ?? 256 * 1024 * 1024;
  if (!Number.isInteger(maxEnvelopeSize) || maxEnvelopeSize < 9)
    throw new ArgumentError(`maxEnvelopeSize must be an integer >= 9, got ${maxEnvelopeSize}`);
  // the frame decoder counts envelope sizes in 32 bits; checked here so that a Cluster refuses it
  // at construction rather than at its first connect
  if (maxEnvelopeSize > 0xffffffff)
    throw new ArgumentError(`maxEnvelopeSize must be at most 4294967295 (2^32-1), got ${maxEnvelopeSize}`);
  return {
    host: o.host,
    port,
    versions,
    compression,
    authProvider,
    tls: o.tls,
    connectTimeoutMs: duration('connectTimeoutMs', o.connectTimeoutMs, 5_000, 1),
    requestTimeoutMs: duration('requestTimeoutMs', o.requestTimeoutMs, 12_000, 0),
    heartbeatIntervalMs: duration('heartbeatIntervalMs', o.heartbeatIntervalMs, 30_000, 0),
    heartbeatTimeoutMs: duration('heartbeatTimeoutMs', o.heartbeatTimeoutMs, 12_000, 1),
    keyspace: o.keyspace,
    maxEnvelopeSize,
    onEvent: o.onEvent,
    meter: o.meter,
  };
}
