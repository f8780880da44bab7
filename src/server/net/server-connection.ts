// Embedded server: one client connection as the server sees it (the client's side: src/connection/connection.ts).

import type { Socket } from 'node:net';
import type { Envelope, PartedEnvelope } from '../../protocol/envelope/index.js';
import { EnvelopeFlag, Opcode } from '../../protocol/envelope/index.js';
import type { ErrorResponse } from '../../protocol/errors/index.js';
import { ErrorCode, ProtocolError } from '../../protocol/errors/index.js';
import { FrameDecoder, FrameEncoder } from '../../protocol/framing/index.js';
import type { OutgoingResponseMessage } from '../../protocol/messages/index.js';
import { encodeResponseBodyParts, readRequestPrefix } from '../../protocol/messages/index.js';
import { PrimitiveReader } from '../../protocol/primitives/index.js';
import type { ProtocolVersion } from '../../protocol/protocol-version.js';
import type { PreparedShape } from './backend.js';
import type { ConnectionPhase, NodeView, RequestContext } from './contracts.js';
import { downgradeError } from './error-response.js';
import { handleEnvelope } from './request-handler.js';
import { negotiateVersion } from './version-negotiation.js';

/**
 * One client connection to one node: reads envelopes through the shared framing code, hands
 * each request to the request handler, and writes responses back. Responses may be sent out of
 * order (each carries its request's stream id); all responses produced within one tick go out
 * in one socket write. Bad bytes end in an ERROR where Cassandra answers one, then a close; the
 * process never crashes because of a client.
 */
export class ServerConnection<P extends PreparedShape> implements RequestContext<P> {
  phase: ConnectionPhase = 'new';
  version: ProtocolVersion = 4;
  keyspace: string | undefined = undefined;
  /** v3/v4 per-envelope lz4 or v5 segment lz4, as STARTUP asked. */
  compression: 'none' | 'lz4' = 'none';
  readonly registered = new Set<string>();
  readonly timers = new Set<NodeJS.Timeout>();
  private readonly decoder = new FrameDecoder({ expectResponses: false });
  private readonly encoder = new FrameEncoder();
  private pending: PartedEnvelope[] = [];
  private out: Buffer[] = [];
  private flushScheduled = false;
  private head: Buffer | undefined;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly node: NodeView<P>,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.onClosed());
    socket.on('close', () => this.onClosed());
  }

  /** Closes the connection at once (node stop, server stop, primed close). */
  destroy(): void {
    this.clearTimers();
    this.phase = 'closed';
    this.pending = [];
    this.out = [];
    this.socket.destroy();
  }

  /** Sends what is queued, then closes our side (a primed "close the connection"). */
  closeAfterFlush(): void {
    this.flush();
    this.phase = 'closed';
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private onClosed(): void {
    this.clearTimers();
    this.phase = 'closed';
  }

  private onData(chunk: Buffer): void {
    if (this.phase === 'closed' || this.phase === 'rejected') return;
    try {
      if (this.phase === 'new' && !this.negotiate(chunk)) return;
      if (this.head === undefined) this.decoder.push(chunk);
      else {
        this.decoder.push(this.head);
        this.head = undefined;
      }
      for (;;) {
        if ((this.phase as ConnectionPhase) === 'closed') return;
        const envelope = this.decoder.next();
        if (envelope === undefined) break;
        this.dispatch(envelope);
      }
    } catch (err) {
      this.failFraming(err);
    }
  }

  /**
   * Reads the version of the first envelope before anything else (Cassandra's
   * `ProtocolVersion.decode`): an unsupported one is answered with an unframed ERROR on stream 0
   * and nothing more is read; like Cassandra we leave the closing to the client.
   */
  private negotiate(chunk: Buffer): boolean {
    const bytes = this.head === undefined ? chunk : Buffer.concat([this.head, chunk]);
    if (bytes.length < 2) {
      this.head = bytes;
      return false;
    }
    this.head = bytes;
    const decision = negotiateVersion(bytes[0]!, bytes[1]!, this.node.options.protocolVersions);
    if (!decision.ok) {
      this.phase = 'rejected';
      this.head = undefined;
      this.socket.write(decision.reply);
      return false;
    }
    this.version = decision.version;
    this.phase = 'unstarted';
    return true;
  }

  private dispatch(envelope: Envelope): void {
    if (envelope.version !== this.version) {
      // Cassandra: every envelope on a connection must keep the version of the first one.
      this.sendError(envelope.stream, {
        code: ErrorCode.PROTOCOL_ERROR,
        message: `Invalid message version. Got ${envelope.version}/v${envelope.version} but previous messages on this connection had version ${this.version}/v${this.version}`,
      });
      return;
    }
    let bodyOffset = 0;
    try {
      if ((envelope.flags & EnvelopeFlag.CUSTOM_PAYLOAD) !== 0) {
        const r = new PrimitiveReader(envelope.body);
        readRequestPrefix(r, envelope.flags);
        bodyOffset = r.offset;
      }
    } catch (err) {
      this.sendError(envelope.stream, { code: ErrorCode.PROTOCOL_ERROR, message: (err as Error).message });
      return;
    }
    handleEnvelope(this, envelope, bodyOffset);
  }

  /** Framing broke (bad header, CRC, size): answer once if still unframed, then close. */
  private failFraming(err: unknown): void {
    if (this.phase === 'closed') return;
    const message = err instanceof ProtocolError ? err.message : `Unexpected error: ${String(err)}`;
    if (this.decoder.phase === 'unframed') this.sendError(0, { code: ErrorCode.PROTOCOL_ERROR, message });
    this.closeAfterFlush();
  }

  /**
   * Queues a response; it goes out with everything else produced in this tick. A Rows page's
   * cells are not copied here: they go to the socket as views of the store (see `flush`).
   */
  send(stream: number, msg: OutgoingResponseMessage, flags = 0, headCapacity = 64, prefix?: Buffer): void {
    if (this.phase === 'closed') return;
    const bodyParts = encodeResponseBodyParts(msg, this.version, headCapacity);
    if (prefix !== undefined) bodyParts.unshift(prefix);
    this.queue({ version: this.version, isResponse: true, flags, stream, opcode: msg.opcode, bodyParts });
  }

  /** Queues an ERROR, converted to what the connection's version can carry (and a tracing id in front). */
  sendError(stream: number, error: ErrorResponse, tracingId?: Buffer): void {
    const message: OutgoingResponseMessage = { opcode: Opcode.ERROR, ...downgradeError(error, this.version) };
    if (tracingId === undefined) this.send(stream, message);
    else this.send(stream, message, EnvelopeFlag.TRACING, 64, tracingId);
  }

  /** Queues an encoded envelope. */
  private queue(envelope: PartedEnvelope): void {
    if (this.phase === 'closed') return;
    this.pending.push(envelope);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  /**
   * Encodes what is queued in the current framing mode; called before a framing switch so the
   * STARTUP answer goes out unframed and everything after it in the new mode
   * (native_protocol_v5.spec §2.3.1 (Initial Handshake)).
   */
  seal(): void {
    if (this.pending.length === 0) return;
    const envelopes = this.pending;
    this.pending = [];
    for (const b of this.encoder.gather(envelopes)) this.out.push(b);
  }

  /** After READY/AUTHENTICATE: v4 lz4 per envelope, or v5 segments in both directions. */
  switchFraming(): void {
    this.seal();
    if (this.version >= 5) {
      this.encoder.switchToSegments({ compression: this.compression });
      this.decoder.switchToSegments({ compression: this.compression });
    } else if (this.compression === 'lz4') {
      this.encoder.setCompression('lz4');
      this.decoder.setCompression('lz4');
    }
  }

  /**
   * Writes everything queued in one go (one vectored write). Long pieces are views of the
   * store's slab or rows; that is safe because the store never modifies bytes it has handed
   * out (a new layout or an updated row gets new buffers).
   */
  flush(): void {
    this.flushScheduled = false;
    if (this.phase === 'closed' && this.socket.destroyed) return;
    try {
      this.seal();
    } catch (err) {
      // An encoder failure is our bug, not the client's: drop the connection, never the process.
      this.out = [];
      this.node.reportInternalError(err);
      this.destroy();
      return;
    }
    const out = this.out;
    if (out.length === 0) return;
    this.out = [];
    if (this.socket.destroyed || !this.socket.writable) return;
    if (out.length === 1) this.socket.write(out[0]!);
    else {
      this.socket.cork();
      for (const b of out) this.socket.write(b);
      this.socket.uncork();
    }
  }
}
