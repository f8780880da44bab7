import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { connect as tlsConnect } from 'node:tls';
import type { Envelope } from '../../../../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../../../../src/protocol/framing/index.js';
import type { RequestMessage, ResponseMessage } from '../../../../src/protocol/messages/index.js';
import { decodeResponseBody, encodeRequestBody } from '../../../../src/protocol/messages/index.js';
import type { ProtocolVersion } from '../../../../src/protocol/protocol-version.js';

/**
 * A test client on a raw socket that speaks only through our framing and message codecs, so the
 * bytes the server writes are checked by the same decoder the client library uses.
 */
export class RawClient {
  /** v5 segments received, as the decoder verified them. */
  readonly segments: { selfContained: boolean; payloadLength: number }[] = [];
  readonly decoder = new FrameDecoder({
    expectResponses: true,
    onSegment: (s) => this.segments.push({ selfContained: s.selfContained, payloadLength: s.payloadLength }),
  });
  readonly encoder = new FrameEncoder();
  readonly received: Envelope[] = [];
  readonly raw: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  private nextStream = 1;

  private constructor(
    readonly socket: Socket,
    public version: ProtocolVersion,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      this.decoder.push(chunk);
      try {
        for (let e = this.decoder.next(); e !== undefined; e = this.decoder.next()) {
          this.received.push({ ...e, body: Buffer.from(e.body) });
        }
      } catch {
        // left for the test to see in `raw`
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Opens a client, adds it to `opened` (for the test's cleanup) and runs STARTUP. */
  static async ready(
    opened: RawClient[],
    port: number,
    host = '127.0.0.1',
    version: ProtocolVersion = 5,
  ): Promise<RawClient> {
    const c = await RawClient.open(port, host, version);
    opened.push(c);
    await c.startup();
    return c;
  }

  static async open(
    port: number,
    host = '127.0.0.1',
    version: ProtocolVersion = 5,
    tls?: ConnectionOptions,
  ): Promise<RawClient> {
    const socket = tls === undefined ? connect({ port, host }) : tlsConnect({ ...tls, port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once(tls === undefined ? 'connect' : 'secureConnect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket, version);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits (bounded) until `test` holds. */
  async until(test: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends one request; returns its stream id. */
  send(msg: RequestMessage, stream = this.nextStream++, flags = 0): number {
    const body = encodeRequestBody(msg, this.version);
    this.socket.write(
      this.encoder.encode([{ version: this.version, isResponse: false, flags, stream, opcode: msg.opcode, body }]),
    );
    return stream;
  }

  /** Sends a request and waits for the response on its stream. */
  async request(msg: RequestMessage, timeoutMs = 5000): Promise<{ envelope: Envelope; message: ResponseMessage }> {
    const stream = this.send(msg);
    return this.response(stream, timeoutMs);
  }

  async response(stream: number, timeoutMs = 5000): Promise<{ envelope: Envelope; message: ResponseMessage }> {
    await this.until(() => this.received.some((e) => e.stream === stream), `a response on stream ${stream}`, timeoutMs);
    const i = this.received.findIndex((e) => e.stream === stream);
    const envelope = this.received.splice(i, 1)[0]!;
    return { envelope, message: decodeResponseBody(envelope.opcode, envelope.body, this.version) };
  }

  /** After READY/AUTHENTICATE to a v5 STARTUP: both directions in segments. */
  switchToSegments(compression: 'none' | 'lz4'): void {
    this.decoder.switchToSegments({ compression });
    this.encoder.switchToSegments({ compression });
  }

  /** v4 lz4: compress requests, decompress responses. */
  setCompression(compression: 'none' | 'lz4'): void {
    this.decoder.setCompression(compression);
    this.encoder.setCompression(compression);
  }

  /** OPTIONS-less handshake: STARTUP, READY, framing switch. */
  async startup(compression: 'none' | 'lz4' = 'none'): Promise<void> {
    const options = new Map([['CQL_VERSION', '3.0.0']]);
    if (compression === 'lz4') options.set('COMPRESSION', 'lz4');
    if (this.version < 5 && compression === 'lz4') this.decoder.setCompression('lz4');
    const { message } = await this.request({ opcode: 0x01, options });
    if (message.opcode !== 0x02) throw new Error(`expected READY, got opcode ${message.opcode}`);
    if (this.version >= 5) this.switchToSegments(compression);
    else if (compression === 'lz4') this.encoder.setCompression('lz4');
  }

  close(): void {
    this.socket.destroy();
  }
}
