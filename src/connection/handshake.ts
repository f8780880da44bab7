// Client side: the handshake the driver runs on a new connection (the embedded server answers it in src/server/net).
import type { Compression } from '../protocol/compression/compression.js';
import { Opcode, opcodeName } from '../protocol/envelope/index.js';
import { BadCredentialsError } from '../protocol/errors/index.js';
import type { RequestMessage, ResponseMessage } from '../protocol/messages/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { ResolvedConnectionOptions, SendOptions } from './connection-options.js';
import { DRIVER_NAME, DRIVER_VERSION } from './driver-info.js';
import { AuthenticationError, ConnectionError } from './errors.js';
import type { Response } from './response.js';

/** The CQL version every Cassandra since 2.0 accepts in STARTUP (native_protocol_v5.spec §4.1.1 (STARTUP)). */
const CQL_VERSION = '3.0.0';
/** SASL rounds allowed before giving up on a server that keeps challenging. */
const MAX_AUTH_ROUNDS = 32;

/** What the node said in SUPPORTED, kept on the connection for the layers above. */
export interface HandshakeResult {
  supported: Map<string, string[]>;
  /** The server-side authenticator class when the node asked for authentication. */
  authenticator: string | undefined;
}

/**
 * What the handshake may do with its connection, handed down by the connection itself: send, and
 * the two framing switches only the handshake throws. The handshake never sees the connection.
 */
export interface HandshakeChannel {
  readonly host: string;
  readonly port: number;
  /** `host:port` as printed in errors. */
  readonly endpoint: string;
  readonly protocolVersion: ProtocolVersion;
  send(request: RequestMessage, options?: SendOptions): Promise<Response>;
  /** v5: switch both directions to segments once READY or AUTHENTICATE answers STARTUP. */
  armSegmentSwitch(compression: Compression): void;
  /** v3/v4: compress envelope bodies from STARTUP's answer on. */
  enableEnvelopeCompression(compression: Compression): void;
}

function unexpected(connection: HandshakeChannel, step: string, message: ResponseMessage): ConnectionError {
  return new ConnectionError(
    connection.host,
    connection.port,
    `unexpected ${opcodeName(message.opcode)} in answer to ${step}`,
  );
}

/**
 * OPTIONS → SUPPORTED, STARTUP → READY | AUTHENTICATE, then the SASL exchange
 * (native_protocol_v5.spec §4.1.1-§4.1.3, §4.2.2-§4.2.4, §4.2.7-§4.2.8). For v5 the framing switch
 * is armed before STARTUP so the connection flips both directions to segments the moment
 * READY/AUTHENTICATE is decoded (native_protocol_v5.spec §2.3.1 (Initial Handshake)); for v3/v4
 * with lz4 the envelope compression is on from STARTUP's answer (native_protocol_v5.spec §2.3.2
 * says the STARTUP response may already be compressed, and Cassandra's v4 `Envelope.Compressor`
 * does compress READY). Server errors reject as their `ServerError` subclass; the caller closes the
 * connection on any failure (Cassandra's `InitialConnectionHandler` switches to framing after any
 * answer to a v5 STARTUP, an error too).
 */
export async function performHandshake(
  connection: HandshakeChannel,
  options: ResolvedConnectionOptions,
): Promise<HandshakeResult> {
  const timeoutMs = options.connectTimeoutMs;
  const supportedReply = (await connection.send({ opcode: Opcode.OPTIONS }, { timeoutMs })).message;
  if (supportedReply.opcode !== Opcode.SUPPORTED) throw unexpected(connection, 'OPTIONS', supportedReply);
  const supported = supportedReply.options;

  const offered = (supported.get('COMPRESSION') ?? []).map((c) => c.toLowerCase());
  const compression = options.compression === 'lz4' && offered.includes('lz4') ? 'lz4' : 'none';
  const startup = new Map<string, string>([
    ['CQL_VERSION', CQL_VERSION],
    ['DRIVER_NAME', DRIVER_NAME],
    ['DRIVER_VERSION', DRIVER_VERSION],
  ]);
  if (compression === 'lz4') startup.set('COMPRESSION', 'lz4');
  if (connection.protocolVersion >= 5) connection.armSegmentSwitch(compression);
  else if (compression === 'lz4') connection.enableEnvelopeCompression('lz4');

  const startupReply = (await connection.send({ opcode: Opcode.STARTUP, options: startup }, { timeoutMs })).message;
  if (startupReply.opcode === Opcode.READY) return { supported, authenticator: undefined };
  if (startupReply.opcode !== Opcode.AUTHENTICATE) throw unexpected(connection, 'STARTUP', startupReply);
  const authenticator = startupReply.authenticator;
  await authenticate(connection, options, authenticator, timeoutMs);
  return { supported, authenticator };
}

async function authenticate(
  connection: HandshakeChannel,
  options: ResolvedConnectionOptions,
  serverAuthenticator: string,
  timeoutMs: number,
): Promise<void> {
  const { host, port } = connection;
  if (options.authProvider === undefined) {
    throw new AuthenticationError(
      host,
      port,
      `the node requires authentication with ${serverAuthenticator}, but no credentials or authProvider were given`,
      { authenticator: serverAuthenticator },
    );
  }
  const auth = options.authProvider.newAuthenticator(connection.endpoint, serverAuthenticator);
  let token = await auth.initialResponse();
  for (let round = 0; round < MAX_AUTH_ROUNDS; round++) {
    let reply: ResponseMessage;
    try {
      reply = (await connection.send({ opcode: Opcode.AUTH_RESPONSE, token }, { timeoutMs })).message;
    } catch (error) {
      if (error instanceof BadCredentialsError) {
        // The server's message names the user at most; the password never reaches this object.
        throw new AuthenticationError(host, port, error.serverMessage, {
          authenticator: serverAuthenticator,
          serverMessage: error.serverMessage,
        });
      }
      throw error;
    }
    if (reply.opcode === Opcode.AUTH_SUCCESS) {
      auth.onSuccess(reply.token);
      return;
    }
    if (reply.opcode !== Opcode.AUTH_CHALLENGE) throw unexpected(connection, 'AUTH_RESPONSE', reply);
    token = await auth.evaluateChallenge(reply.token);
  }
  throw new AuthenticationError(host, port, `the SASL exchange did not finish within ${MAX_AUTH_ROUNDS} rounds`, {
    authenticator: serverAuthenticator,
  });
}
