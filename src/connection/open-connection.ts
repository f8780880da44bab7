import { ArgumentError, ErrorCode, ServerError } from '../protocol/errors/index.js';
import { Connection } from './connection.js';
import { type ConnectionOptions, resolveConnectionOptions } from './connection-options.js';
import { AuthenticationError, ConnectionError } from './errors.js';
import { connectSocket } from './socket-connect.js';

/**
 * How Cassandra refuses a protocol version (its `ProtocolVersion.decode`; docs/architecture.md
 * "Version negotiation"): ERROR 0x000A (0x0000 from 2.1, CASSANDRA-9451) with one of these phrases.
 * "Rejecting Protocol Version" (older versions switched off) is deliberately not among them: going
 * lower would not help.
 */
const VERSION_REFUSALS = /Invalid or unsupported protocol version|Beta version of the protocol used/;

/** True when `error` is the server refusing the protocol version of the request. */
export function isProtocolVersionRefusal(error: unknown): boolean {
  return (
    error instanceof ServerError &&
    (error.code === ErrorCode.PROTOCOL_ERROR || error.code === ErrorCode.SERVER_ERROR) &&
    VERSION_REFUSALS.test(error.serverMessage)
  );
}

/**
 * Opens a connection and runs the handshake. Without `protocolVersion` it negotiates: the highest
 * version first (5, then 4, then 3), each refusal closing that socket and retrying on a NEW one
 * (the server may or may not close it; never USE_BETA: a beta v5 is a pre-release draft). Then
 * `USE keyspace` if asked.
 *
 * Rejects with `AuthenticationError` (refused login, or credentials missing), `ArgumentError`
 * (bad options), the `ServerError` of a failed USE, or `ConnectionError` for everything else
 * (refused, timed out, TLS, no common protocol version), with the underlying error as `cause`.
 */
export async function openConnection(options: ConnectionOptions): Promise<Connection> {
  const o = resolveConnectionOptions(options);
  const refusals: string[] = [];
  for (let i = 0; i < o.versions.length; i++) {
    const version = o.versions[i]!;
    const { socket, reads } = await connectSocket(o.host, o.port, o.tls, o.connectTimeoutMs);
    const connection = new Connection(socket, version, o, reads);
    try {
      await connection.handshake();
    } catch (error) {
      await connection.close();
      if (isProtocolVersionRefusal(error)) {
        refusals.push(`v${version}: ${(error as ServerError).serverMessage}`);
        if (i + 1 < o.versions.length) continue;
        throw new ConnectionError(
          o.host,
          o.port,
          `no protocol version in [${o.versions.join(', ')}] was accepted (${refusals.join('; ')})`,
          { cause: error },
        );
      }
      if (error instanceof AuthenticationError || error instanceof ArgumentError || error instanceof ConnectionError)
        throw error;
      throw new ConnectionError(
        o.host,
        o.port,
        `handshake at protocol v${version} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (o.keyspace !== undefined) {
      try {
        await connection.useKeyspace(o.keyspace, o.connectTimeoutMs);
      } catch (error) {
        await connection.close();
        throw error;
      }
    }
    return connection;
  }
  // resolveConnectionOptions never yields an empty version list
  throw new ArgumentError('No protocol version to try');
}
