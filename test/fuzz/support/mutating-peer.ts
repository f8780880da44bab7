import { createServer, type Server, type Socket } from 'node:net';
import type { Compression } from '../../../src/protocol/compression/index.js';
import { type Envelope, Opcode } from '../../../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../../../src/protocol/framing/index.js';
import { recordedEnvelopes } from '../../protocol/messages/recorded-envelopes.js';
import { loadFixture } from '../../support/fixtures.js';
import { chunked, type Mutation, mutate } from './mutation.js';

/** The server side of one recorded connection: the bodies a real Cassandra answered with. */
export interface RecordedAnswers {
  fixture: string;
  version: 4 | 5;
  compression: Compression;
  /** SUPPORTED, READY and the RESULT Rows of `SELECT release_version FROM system.local`. */
  supported: Envelope;
  ready: Envelope;
  rows: Envelope;
  query: string;
}

/** Loads the handshake and first Rows answer of a v4/v5 recording. */
export function recordedAnswers(fixture: string): RecordedAnswers {
  const f = loadFixture(fixture);
  const responses = recordedEnvelopes(f, 's2c');
  const pick = (n: number): Envelope => {
    const x = f.expect.exchanges[n]!;
    const e = responses[x.s2c_index]!;
    return {
      version: e.version,
      isResponse: true,
      flags: e.flags,
      stream: e.stream,
      opcode: e.opcode as Envelope['opcode'],
      body: e.body,
    };
  };
  const rowsExchange = f.expect.exchanges.findIndex((x) => x.response.kind === 'ROWS');
  const query = /"(.*)"/.exec(f.expect.exchanges[rowsExchange]!.text)![1]!;
  return {
    fixture,
    version: f.protocol_version as 4 | 5,
    compression: f.compression === 'lz4' ? 'lz4' : 'none',
    supported: pick(0),
    ready: pick(1),
    rows: pick(rowsExchange),
    query,
  };
}

/** What the peer does to one of its answers (0 SUPPORTED, 1 READY, 2 RESULT). */
export interface PeerFault {
  /** Which answer is affected; -1 for none (a clean run). */
  answer: number;
  /** mutate its bytes; close the socket instead of answering; never answer; append random bytes. */
  action: 'mutate' | 'close' | 'silent' | 'append';
  mutations: Mutation[];
  appended: Uint8Array;
  /** Where the answer's bytes are cut into separate writes. */
  cuts: number[];
}

/** One accepted connection of the peer; `closed` resolves when the client's socket has gone. */
export interface PeerSocket {
  closed: Promise<void>;
  isClosed(): boolean;
}

export interface MutatingPeer {
  port: number;
  /** Resolves with the peer side of the first connection accepted. */
  accepted: Promise<PeerSocket>;
  close(): Promise<void>;
}

/**
 * A one-connection CQL peer on 127.0.0.1 that answers our client's OPTIONS, STARTUP and one QUERY
 * with a real Cassandra's recorded bodies, encoded for the client's stream ids with our own
 * framing (v4 bare envelopes with lz4 or not, v5 segments after READY), and then damages one
 * answer as `fault` says. Anything else the client sends gets no answer.
 */
export async function startMutatingPeer(answers: RecordedAnswers, fault: PeerFault): Promise<MutatingPeer> {
  let resolveAccepted!: (s: PeerSocket) => void;
  const accepted = new Promise<PeerSocket>((resolve) => (resolveAccepted = resolve));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {
      // the client may reset the socket at any point of a damaged exchange: expected, not a failure
    });
    let closed = false;
    const closedPromise = new Promise<void>((resolve) =>
      socket.once('close', () => {
        closed = true;
        sockets.delete(socket);
        resolve();
      }),
    );
    resolveAccepted({ closed: closedPromise, isClosed: () => closed });
    const decoder = new FrameDecoder({ expectResponses: false });
    const encoder = new FrameEncoder();
    let answered = 0;
    const send = (template: Envelope, stream: number, afterEncode?: () => void): void => {
      const index = answered++;
      const bytes = encoder.encode([{ ...template, stream }]);
      afterEncode?.();
      if (index !== fault.answer) {
        socket.write(bytes);
        return;
      }
      switch (fault.action) {
        case 'close':
          socket.destroy();
          return;
        case 'silent':
          return;
        case 'append':
          socket.write(Buffer.concat([bytes, fault.appended]));
          return;
        case 'mutate':
          for (const chunk of chunked(mutate(bytes, fault.mutations), fault.cuts)) socket.write(chunk);
      }
    };
    const handle = (request: Envelope): void => {
      switch (request.opcode) {
        case Opcode.OPTIONS:
          send(answers.supported, request.stream);
          return;
        case Opcode.STARTUP:
          if (answers.version < 5 && answers.compression === 'lz4') {
            // native_protocol_v4.spec §5: from STARTUP on, both directions compress (the READY included)
            decoder.setCompression('lz4');
            encoder.setCompression('lz4');
          }
          send(answers.ready, request.stream, () => {
            if (answers.version >= 5) {
              // native_protocol_v5.spec §2.3.1: READY is the last bare envelope; everything after it is segments
              decoder.switchToSegments({ compression: answers.compression });
              encoder.switchToSegments({ compression: answers.compression });
            }
          });
          return;
        case Opcode.QUERY:
          send(answers.rows, request.stream);
          return;
        default:
          return;
      }
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
        for (let e = decoder.next(); e !== undefined; e = decoder.next()) handle(e);
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('mutating peer has no port');
  return {
    port: address.port,
    accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
