import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { type Envelope, EnvelopeFlag, Opcode } from '../../src/protocol/envelope/index.js';
import { ErrorCode } from '../../src/protocol/errors/index.js';
import { FrameDecoder, FrameEncoder } from '../../src/protocol/framing/index.js';
import {
  decodePlainToken,
  decodeRequestBody,
  type OutgoingResponseMessage,
  type RequestMessage,
  type ResponsePrefix,
  readRequestPrefix,
  writeResponseBody,
  writeResponsePrefix,
} from '../../src/protocol/messages/index.js';
import { PrimitiveReader } from '../../src/protocol/primitives/primitive-reader.js';
import { PrimitiveWriter } from '../../src/protocol/primitives/primitive-writer.js';
import type { ProtocolVersion } from '../../src/protocol/protocol-version.js';

/**
 * A small CQL peer for the connection tests, built on our own framing and message codecs: it
 * answers the handshake like Cassandra 4.1/5.0 does (version refusals, SUPPORTED, STARTUP,
 * PasswordAuthenticator, v5 framing switch, v4 lz4) and hands QUERY to the test. Loopback only.
 * By default a QUERY is answered with a Void RESULT whose warnings hold the query text, which
 * lets tests check that every answer reached the request that asked for it.
 */
export interface FakePeerOptions {
  /** Versions accepted (default 3, 4, 5). Others get Cassandra's refusal. */
  versions?: readonly number[];
  /** Versions refused as beta ("Beta version of the protocol used"), like a server where v5 is v5-beta. */
  betaVersions?: readonly number[];
  /** COMPRESSION offered in SUPPORTED (default ['lz4']). */
  compression?: readonly string[];
  /** Turns on PasswordAuthenticator. */
  credentials?: { username: string; password: string };
  /** Answer heartbeats / OPTIONS after the handshake (default true). */
  answerOptions?: boolean;
  /** Serve TLS with this key and certificate. */
  tls?: { key: Buffer; cert: Buffer };
  /** Decides the answer to a QUERY; the default echoes the text as a warning. */
  onQuery?: (query: string, reply: Reply, peerConnection: PeerConnection) => void;
}

/** Sends the answer to one request; call at most once. */
export type Reply = (message: OutgoingResponseMessage, prefix?: ResponsePrefix) => void;

/** What the peer saw on one accepted socket. */
export interface PeerConnection {
  socket: Socket;
  /** Version of each request, in arrival order. */
  requestVersions: number[];
  /** Opcode of each request, in arrival order. */
  requestOpcodes: number[];
  /** Flags of each request, in arrival order. */
  requestFlags: number[];
  /** Stream id of each request, in arrival order. */
  requestStreams: number[];
  /** Text of each QUERY, in arrival order. */
  queries: string[];
  startupOptions: Map<string, string> | undefined;
  /** Pushes an EVENT on stream −1. */
  pushEvent(message: OutgoingResponseMessage): void;
  /** Writes raw bytes (garbage tests). */
  writeRaw(bytes: Buffer): void;
}

export interface FakePeer {
  port: number;
  connections: PeerConnection[];
  close(): Promise<void>;
}

const PASSWORD_AUTHENTICATOR = 'org.apache.cassandra.auth.PasswordAuthenticator';

function defaultOnQuery(query: string, reply: Reply): void {
  reply({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: [query] });
}

export async function startFakePeer(options: FakePeerOptions = {}): Promise<FakePeer> {
  const accepted = options.versions ?? [3, 4, 5];
  const beta = options.betaVersions ?? [];
  const offered = options.compression ?? ['lz4'];
  const connections: PeerConnection[] = [];
  const sockets = new Set<Socket>();

  const onSocket = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const decoder = new FrameDecoder({ expectResponses: false });
    const encoder = new FrameEncoder();
    let version: number | undefined;
    let out: Buffer[] | undefined; // collects answers written while a chunk is processed: one write per chunk
    const write = (bytes: Buffer): void => {
      if (out !== undefined) out.push(bytes);
      else if (!socket.destroyed) socket.write(bytes);
    };
    const encodeReply = (
      stream: number,
      v: number,
      message: OutgoingResponseMessage,
      prefix?: ResponsePrefix,
      extraFlags = 0,
    ): Buffer => {
      const w = new PrimitiveWriter(64);
      const flags = (prefix !== undefined ? writeResponsePrefix(w, prefix) : 0) | extraFlags;
      writeResponseBody(w, message, v as ProtocolVersion);
      const envelope: Envelope = {
        version: v,
        isResponse: true,
        flags,
        stream,
        opcode: message.opcode,
        body: w.finishCopy(),
      };
      return encoder.encode([envelope]);
    };
    const conn: PeerConnection = {
      socket,
      requestVersions: [],
      requestOpcodes: [],
      requestFlags: [],
      requestStreams: [],
      queries: [],
      startupOptions: undefined,
      pushEvent: (message) => write(encodeReply(-1, version ?? 4, message)),
      writeRaw: (bytes) => write(bytes),
    };
    connections.push(conn);

    const handle = (envelope: Envelope): void => {
      conn.requestVersions.push(envelope.version);
      conn.requestOpcodes.push(envelope.opcode);
      conn.requestFlags.push(envelope.flags);
      conn.requestStreams.push(envelope.stream);
      const stream = envelope.stream;
      if (beta.includes(envelope.version)) {
        // as Cassandra's ProtocolVersion.decode answers a beta version: encoded with it, USE_BETA set
        write(
          encodeReply(
            stream,
            envelope.version,
            {
              opcode: Opcode.ERROR,
              code: ErrorCode.PROTOCOL_ERROR,
              message: `Beta version of the protocol used (${envelope.version}/v${envelope.version}-beta), but USE_BETA flag is unset`,
            },
            undefined,
            EnvelopeFlag.USE_BETA,
          ),
        );
        return;
      }
      if (!accepted.includes(envelope.version)) {
        const max = Math.max(...accepted);
        write(
          encodeReply(stream, max, {
            opcode: Opcode.ERROR,
            code: ErrorCode.PROTOCOL_ERROR,
            message: `Invalid or unsupported protocol version (${envelope.version}); supported versions are (${accepted.map((v) => `${v}/v${v}`).join(', ')})`,
          }),
        );
        return;
      }
      version ??= envelope.version;
      const v = version as ProtocolVersion;
      const r = new PrimitiveReader(envelope.body);
      readRequestPrefix(r, envelope.flags);
      const request: RequestMessage = decodeRequestBody(envelope.opcode, envelope.body, v, r.offset);
      const reply: Reply = (message, prefix) => write(encodeReply(stream, v, message, prefix));
      switch (request.opcode) {
        case Opcode.OPTIONS:
          if (conn.startupOptions !== undefined && options.answerOptions === false) return;
          reply({
            opcode: Opcode.SUPPORTED,
            options: new Map([
              ['CQL_VERSION', ['3.4.7']],
              ['COMPRESSION', [...offered]],
              ['PROTOCOL_VERSIONS', accepted.map((n) => `${n}/v${n}`)],
            ]),
          });
          return;
        case Opcode.STARTUP: {
          conn.startupOptions = request.options;
          const compression = request.options.get('COMPRESSION') === 'lz4' ? 'lz4' : 'none';
          if (v < 5 && compression === 'lz4') {
            decoder.setCompression('lz4');
            encoder.setCompression('lz4'); // native_protocol_v4.spec §5: even the READY is compressed
          }
          if (options.credentials !== undefined)
            reply({ opcode: Opcode.AUTHENTICATE, authenticator: PASSWORD_AUTHENTICATOR });
          else reply({ opcode: Opcode.READY });
          if (v >= 5) {
            decoder.switchToSegments({ compression });
            encoder.switchToSegments({ compression });
          }
          return;
        }
        case Opcode.AUTH_RESPONSE: {
          const parsed = request.token === null ? null : decodePlainToken(request.token);
          const expected = options.credentials!;
          if (parsed !== null && parsed.username === expected.username && parsed.password === expected.password) {
            reply({ opcode: Opcode.AUTH_SUCCESS, token: null });
          } else {
            reply({
              opcode: Opcode.ERROR,
              code: ErrorCode.BAD_CREDENTIALS,
              message: `Provided username ${parsed?.username ?? ''} and/or password are incorrect`,
            });
          }
          return;
        }
        case Opcode.QUERY: {
          conn.queries.push(request.query);
          const match = /^USE "(.*)"$/.exec(request.query);
          if (match !== null) {
            reply({ opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: match[1]!.replace(/""/g, '"') });
            return;
          }
          (options.onQuery ?? defaultOnQuery)(request.query, reply, conn);
          return;
        }
        case Opcode.REGISTER:
          reply({ opcode: Opcode.READY });
          return;
        default:
          reply({
            opcode: Opcode.ERROR,
            code: ErrorCode.INVALID,
            message: `fake peer does not handle opcode ${request.opcode}`,
          });
      }
    };

    socket.on('data', (chunk: Buffer) => {
      out = [];
      try {
        decoder.push(chunk);
        for (let e = decoder.next(); e !== undefined; e = decoder.next()) handle(e);
      } catch {
        socket.destroy();
      }
      const bytes = out;
      out = undefined;
      if (bytes.length > 0 && !socket.destroyed) socket.write(Buffer.concat(bytes));
    });
  };
  const server: Server = options.tls !== undefined ? createTlsServer(options.tls, onSocket) : createServer(onSocket);

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake peer has no port');
  return {
    port: address.port,
    connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
