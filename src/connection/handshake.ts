import { Opcode, opcodeName } from '../protocol/envelope/index.js';
import { BadCredentialsError } from '../protocol/errors/index.js';
import type { ResponseMessage } from '../protocol/messages/index.js';
import type { Connection } from './connection.js';
import type { ResolvedConnectionOptions } from './connection-options.js';
import { DRIVER_NAME, DRIVER_VERSION } from './driver-info.js';
import { AuthenticationError, ConnectionError } from './errors.js';

/** The CQL version every Cassandra since 2.0 accepts in STARTUP (PROTOCOL.md §5.1). */
const CQL_VERSION = '3.0.0';
/** SASL rounds allowed before giving up on a server that keeps challenging. */
const MAX_AUTH_ROUNDS = 32;

/** What the node said in SUPPORTED, kept on the connection for the layers above. */
export interface HandshakeResult {
  supported: Map<string, string[]>;
  /** The server-side authenticator class when the node asked for authentication. */
  authenticator: string | undefined;
}

function unexpected(connection: Connection, step: string, message: ResponseMessage): ConnectionError {
  return new ConnectionError(
    connection.host,
    connection.port,
    `unexpected ${opcodeName(message.opcode)} in answer to ${step}`,
  );
}

/**
 * OPTIONS → SUPPORTED, STARTUP → READY | AUTHENTICATE, then the SASL exchange
 * (PROTOCOL.md §1, §5.1–5.3). For v5 the framing switch is armed before STARTUP so the
 * connection flips both directions to segments the moment READY/AUTHENTICATE is decoded (§2.8);
 * for v3/v4 with lz4 the envelope compression is on from STARTUP's answer (§2.9: the server
 * compresses even READY). Server errors reject as their `ServerError` subclass; the caller
 * closes the connection on any failure (§1: even a v5 STARTUP error switches the server).
 */
export async function performHandshake(
  connection: Connection,
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
  connection: Connection,
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
