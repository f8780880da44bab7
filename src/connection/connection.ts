// Client side: the driver's end of one connection to a Cassandra node (the embedded server's end lives in src/server/net).
import type { Socket } from 'node:net';
import { type ConnectionMeter, channels } from '../diagnostics/index.js';
import type { Compression } from '../protocol/compression/compression.js';
import { type Envelope, EnvelopeFlag, Opcode, opcodeName } from '../protocol/envelope/index.js';
import { ArgumentError, createServerError, ProtocolError } from '../protocol/errors/index.js';
import { FrameDecoder, FrameEncoder } from '../protocol/framing/index.js';
import {
  type EventMessage,
  type RequestMessage,
  writeRequestBody,
  writeRequestPrefix,
} from '../protocol/messages/index.js';
import { PrimitiveWriter } from '../protocol/primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import { AbortWatch } from './abort-watch.js';
import { type CloseListener, ConnectionListeners, type EventListener } from './connection-listeners.js';
import type { ResolvedConnectionOptions, SendOptions } from './connection-options.js';
import { decodeResponse } from './decode-response.js';
import { ConnectionClosedError, formatEndpoint, RequestCancelledError, RequestTimeoutError } from './errors.js';
import { type HandshakeChannel, type HandshakeResult, performHandshake } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { checkMilliseconds } from './milliseconds.js';
import { PendingRequest, RequestQueue } from './pending-request.js';
import type { ReadBuffer } from './read-buffer.js';
import type { Response } from './response.js';
import { StreamIdPool } from './stream-id-pool.js';

/** A settled promise: `then` on it queues a microtask (see `Connection.assign`). */
const SETTLED = Promise.resolve();

/** A request body above this leaves the shared writer to be replaced, so one huge BATCH does not pin memory. */
const WRITER_KEEP_LIMIT = 64 * 1024;

/**
 * One socket to one Cassandra node, multiplexing up to 32,768 requests by stream id
 * (native_protocol_v5.spec §2.4.1.3 (stream)) with a FIFO queue beyond that. Made by
 * `openConnection()`, which runs the handshake; `send()` is the whole request API.
 *
 * Write path: every request sent within one synchronous run goes out in a single `socket.write`,
 * through the `FrameEncoder` (which packs them into as few v5 segments as fit). Read path: socket chunks go
 * straight into the `FrameDecoder`; bodies stay views into those chunks.
 */
export class Connection {
  readonly host: string;
  readonly port: number;
  readonly protocolVersion: ProtocolVersion;
  /** `host:port` as printed in errors. */
  readonly endpoint: string;

  private readonly socket: Socket;
  private readonly options: ResolvedConnectionOptions;
  private readonly decoder: FrameDecoder;
  private readonly encoder = new FrameEncoder();
  private readonly ids = new StreamIdPool();
  /** Stream id → its request (settled ones included: their id waits for the late answer). */
  private readonly slots: (PendingRequest | undefined)[] = new Array<PendingRequest | undefined>(StreamIdPool.MAX_IDS);
  private readonly queue = new RequestQueue();
  /** One 'abort' listener per signal of the requests in flight. */
  private readonly aborts = new AbortWatch((signal) => this.cancelAll(signal));
  private queuedLive = 0;
  private writeBatch: Envelope[] = [];
  /** `#flush` bound once, so scheduling a flush allocates nothing. */
  private readonly flushQueued = (): void => this.#flush();
  private flushScheduled = false;
  private awaitingDrain = false;
  private writer = new PrimitiveWriter(1024);
  /** An AUTH_RESPONSE is in the write batch: wipe its bytes once written. */
  private secretQueued = false;
  private readonly heartbeat: Heartbeat;
  private readonly listeners = new ConnectionListeners();
  private readonly socketClosed: Promise<void>;
  private closed = false;
  private currentKeyspace: string | undefined = undefined;
  private negotiatedCompression: Compression = 'none';
  /**
   * Set by the v5 handshake just before STARTUP: switch to segments on READY/AUTHENTICATE
   * (native_protocol_v5.spec §2.3.1 (Initial Handshake)).
   */
  private pendingSegmentSwitch: Compression | undefined = undefined;
  private handshakeResult: HandshakeResult | undefined = undefined;
  private handshakeStarted = false;
  private lastWrite = Date.now();
  private readonly transientReads: boolean;
  /** The cluster's counters for this node (bytes, open connections), when given. */
  private readonly meter: ConnectionMeter | undefined;
  /** Counted as open (handshake done) and not yet counted as closed. */
  private opened = false;

  /**
   * Takes over a connected socket. Use `openConnection()`, which also runs the handshake. With
   * `reads`, the socket reads into that reused buffer and the decoder copies what it keeps;
   * without, reads arrive as 'data' chunks the decoder may keep views of.
   */
  constructor(
    socket: Socket,
    protocolVersion: ProtocolVersion,
    options: ResolvedConnectionOptions,
    reads?: ReadBuffer,
  ) {
    this.socket = socket;
    this.protocolVersion = protocolVersion;
    this.options = options;
    this.host = options.host;
    this.port = options.port;
    this.endpoint = formatEndpoint(options.host, options.port);
    this.transientReads = reads !== undefined;
    this.meter = options.meter;
    this.decoder = new FrameDecoder({
      expectResponses: true,
      maxEnvelopeSize: options.maxEnvelopeSize,
      transientChunks: this.transientReads,
    });
    this.heartbeat = new Heartbeat(
      {
        ping: (timeoutMs) => this.send({ opcode: Opcode.OPTIONS }, { timeoutMs }),
        lastWriteAt: () => this.lastWrite,
        onDead: (reason, cause) => this.terminate(new ConnectionClosedError(this.host, this.port, reason, { cause })),
      },
      options.heartbeatIntervalMs,
      options.heartbeatTimeoutMs,
    );
    if (options.onEvent !== undefined) this.listeners.add('event', options.onEvent);
    this.socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (reads !== undefined) reads.attach((chunk) => this.onData(chunk));
    else socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (cause: Error) =>
      this.terminate(new ConnectionClosedError(this.host, this.port, `socket error: ${cause.message}`, { cause })),
    );
    socket.on('close', () => this.terminate(new ConnectionClosedError(this.host, this.port, 'the socket closed')));
  }

  /** Requests holding a stream id (including timed-out ones awaiting their late answer) plus those queued for one. */
  get inFlight(): number {
    return this.ids.used + this.queuedLive;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** When bytes were last handed to the socket (ms since the epoch; heartbeats count idleness from it). */
  get lastWriteAt(): number {
    return this.lastWrite;
  }

  /** The keyspace of the last successful USE on this connection. */
  get keyspace(): string | undefined {
    return this.currentKeyspace;
  }

  /** The compression in use: 'lz4' only if it was asked for and the node offered it. */
  get compression(): Compression {
    return this.negotiatedCompression;
  }

  on(event: 'close', listener: CloseListener): this;
  on(event: 'event', listener: EventListener): this;
  on(event: 'close' | 'event', listener: CloseListener | EventListener): this {
    this.listeners.add(event, listener);
    return this;
  }

  off(event: 'close' | 'event', listener: CloseListener | EventListener): this {
    this.listeners.remove(event, listener);
    return this;
  }

  /**
   * Sends one request; resolves with the decoded answer, rejects with the `ServerError`
   * subclass of an ERROR answer, `RequestTimeoutError`, `RequestCancelledError`,
   * `ConnectionClosedError` (or the `ProtocolError` that closed the connection), or an
   * `ArgumentError` for a request that cannot be encoded.
   */
  send(request: RequestMessage, options?: SendOptions): Promise<Response> {
    if (this.closed)
      return Promise.reject(new ConnectionClosedError(this.host, this.port, 'send() after the connection closed'));
    let req: PendingRequest;
    try {
      req = this.encodeRequest(request, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new RequestCancelledError(this.host, this.port, signal.reason));
    return new Promise<Response>((resolve, reject) => {
      req.resolve = resolve;
      req.reject = reject;
      this.start(req, signal);
    });
  }

  /** `USE "keyspace"`; `keyspace` is quoted as given (case-sensitive). */
  async useKeyspace(keyspace: string, timeoutMs?: number): Promise<void> {
    if (typeof keyspace !== 'string' || keyspace.length === 0)
      throw new ArgumentError(`keyspace must be a non-empty string, got ${String(keyspace)}`);
    await this.send(
      { opcode: Opcode.QUERY, query: `USE "${keyspace.replace(/"/g, '""')}"`, params: { consistency: 0x0001 } },
      timeoutMs !== undefined ? { timeoutMs } : undefined,
    );
  }

  /**
   * Closes the connection: every pending and queued request rejects with
   * `ConnectionClosedError`, timers stop, the socket is destroyed. Resolves once the socket has
   * closed. Calling it again is harmless.
   */
  close(): Promise<void> {
    this.terminate(new ConnectionClosedError(this.host, this.port, 'close() was called'), true);
    return this.socketClosed;
  }

  /**
   * Runs the handshake (OPTIONS, STARTUP, authentication; see `performHandshake`) once, right
   * after construction, and starts the heartbeats when it succeeded. `openConnection()` calls it;
   * on a rejection the caller closes the connection.
   */
  async handshake(): Promise<void> {
    if (this.handshakeStarted) throw new ArgumentError(`The handshake with ${this.endpoint} was already run`);
    this.handshakeStarted = true;
    const channel: HandshakeChannel = {
      host: this.host,
      port: this.port,
      endpoint: this.endpoint,
      protocolVersion: this.protocolVersion,
      send: (request, options) => this.send(request, options),
      armSegmentSwitch: (compression) => this.#armSegmentSwitch(compression),
      enableEnvelopeCompression: (compression) => this.#enableEnvelopeCompression(compression),
    };
    this.handshakeResult = await performHandshake(channel, this.options);
    if (!this.closed) {
      this.heartbeat.start();
      this.opened = true;
      if (this.meter !== undefined) this.meter.connections++;
      if (channels.connectionOpen.hasSubscribers)
        channels.connectionOpen.publish({ endpoint: this.endpoint, protocolVersion: this.protocolVersion });
    }
  }

  /** Arms the v5 framing switch for the STARTUP answer (handshake only). */
  #armSegmentSwitch(compression: Compression): void {
    this.pendingSegmentSwitch = compression;
    this.negotiatedCompression = compression;
  }

  /**
   * v3/v4 per-envelope lz4 from STARTUP on (handshake only; STARTUP itself is never compressed,
   * native_protocol_v4.spec §5 (Compression)).
   */
  #enableEnvelopeCompression(compression: Compression): void {
    this.decoder.setCompression(compression);
    this.encoder.setCompression(compression);
    this.negotiatedCompression = compression;
  }

  /** What the node answered to OPTIONS during the handshake (CQL_VERSION, COMPRESSION, PROTOCOL_VERSIONS, ...). */
  get supported(): ReadonlyMap<string, readonly string[]> {
    return this.handshakeResult?.supported ?? new Map();
  }

  /** The node's authenticator class, when it asked for authentication. */
  get authenticator(): string | undefined {
    return this.handshakeResult?.authenticator;
  }

  private encodeRequest(request: RequestMessage, options: SendOptions | undefined): PendingRequest {
    const version = this.protocolVersion;
    const w = this.writer.reset();
    let flags = 0;
    if (options?.customPayload !== undefined) {
      if (version < 4)
        throw new ArgumentError(
          `A custom payload needs protocol v4 or later; the connection to ${this.endpoint} speaks v${version}`,
        );
      flags |= writeRequestPrefix(w, { customPayload: options.customPayload });
    }
    if (options?.tracing === true) flags |= EnvelopeFlag.TRACING;
    writeRequestBody(w, request, version);
    // an AUTH_RESPONSE carries the password: kept out of the shared pool and wiped once written
    const secret = request.opcode === Opcode.AUTH_RESPONSE;
    if (secret) this.secretQueued = true;
    const body = secret ? w.finishSecret() : w.finishCopy();
    if (body.length > WRITER_KEEP_LIMIT) this.writer = new PrimitiveWriter(1024);
    const timeoutMs = options?.timeoutMs;
    return new PendingRequest(
      version,
      flags,
      request.opcode,
      body,
      timeoutMs === undefined ? this.options.requestTimeoutMs : checkMilliseconds('timeoutMs', timeoutMs),
    );
  }

  private start(req: PendingRequest, signal: AbortSignal | undefined): void {
    if (req.timeoutMs > 0) req.timer = setTimeout(Connection.#onRequestTimeout, req.timeoutMs, this, req);
    if (signal !== undefined) {
      req.signal = signal;
      this.aborts.watch(signal);
    }
    const id = this.ids.acquire();
    if (id < 0) {
      this.queue.push(req);
      this.queuedLive++;
    } else {
      this.assign(req, id);
    }
  }

  private assign(req: PendingRequest, id: number): void {
    req.stream = id;
    this.slots[id] = req;
    this.writeBatch.push(req);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // A microtask, not nextTick: a consumer iterating a page with `for await` runs entirely in
      // microtasks, and nextTick callbacks wait until that queue drains, so the next page's
      // request (sent as the page was handed out) left only once the whole page was consumed and
      // the server sat idle meanwhile. Requests sent in one synchronous run still share a write.
      // A reaction on a settled promise rather than Node's queueMicrotask, which makes an async
      // resource and a bound function per call (and its optimized code lost their maps at every
      // full collection).
      void SETTLED.then(this.flushQueued);
    }
  }

  /**
   * Writes everything queued since the last flush in one `socket.write`. While the
   * socket's buffer is over its high-water mark the batch keeps growing instead, and goes out on 'drain':
   * the kernel is not fed faster than the peer reads, and a slow peer gets fewer, larger writes.
   */
  #flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.writeBatch.length === 0) return;
    if (this.socket.writableNeedDrain) {
      if (!this.awaitingDrain) {
        this.awaitingDrain = true;
        this.socket.once('drain', () => {
          this.awaitingDrain = false;
          this.#flush();
        });
      }
      return;
    }
    const batch = this.writeBatch;
    this.writeBatch = [];
    let bytes: Buffer;
    try {
      bytes = this.encoder.encode(batch);
    } catch (error) {
      this.terminate(error as Error);
      return;
    }
    if (this.secretQueued) {
      this.secretQueued = false;
      this.socket.write(bytes, () => Connection.#wipeSecrets(bytes, batch));
    } else {
      this.socket.write(bytes);
    }
    this.lastWrite = Date.now();
    if (this.meter !== undefined) this.meter.bytesOut += bytes.length;
  }

  /**
   * Once a batch holding an authentication token has gone to the kernel, zero the encoded bytes
   * and the token's body, so no copy of the password outlives the handshake in memory that other
   * Buffers share (util.inspect with showHidden prints a Buffer's whole ArrayBuffer).
   */
  static #wipeSecrets(bytes: Buffer, batch: readonly Envelope[]): void {
    bytes.fill(0);
    for (const req of batch) if (req.opcode === Opcode.AUTH_RESPONSE) req.body.fill(0);
  }

  /** A request's timer fired (static, so arming the timer allocates no closure). */
  static #onRequestTimeout(connection: Connection, req: PendingRequest): void {
    connection.#timeOut(req);
  }

  /** A request's timer fired: reject it, but keep its id until the late answer comes. */
  #timeOut(req: PendingRequest): void {
    if (req.settled) return;
    req.timer = undefined;
    this.abandon(req);
    req.reject(new RequestTimeoutError(this.host, this.port, req.timeoutMs, `${opcodeName(req.opcode)} request`));
  }

  /** `signal` aborted: cancels every request in flight or queued that was sent with it. */
  private cancelAll(signal: AbortSignal): void {
    const slots = this.slots;
    const end = this.ids.highWater;
    for (let id = 0; id < end; id++) {
      const req = slots[id];
      if (req?.signal === signal) this.cancel(req, signal);
    }
    this.queue.forEach((req) => {
      if (req.signal === signal) this.cancel(req, signal);
    });
  }

  private cancel(req: PendingRequest, signal: AbortSignal): void {
    if (req.settled) return;
    this.abandon(req);
    req.reject(new RequestCancelledError(this.host, this.port, signal.reason));
  }

  /** Settles without an answer; a sent request keeps its slot (and id) for the late answer. */
  private abandon(req: PendingRequest): void {
    this.settle(req);
    if (req.stream < 0) this.queuedLive--; // still queued: skipped when its turn comes
  }

  /** Settles `req` (see `PendingRequest.settle`) and stops watching its signal. */
  private settle(req: PendingRequest): void {
    req.settle();
    const signal = req.signal;
    if (signal !== undefined) {
      req.signal = undefined;
      this.aborts.unwatch(signal);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.meter !== undefined) this.meter.bytesIn += chunk.length;
    try {
      this.decoder.push(chunk);
      for (let envelope = this.decoder.next(); envelope !== undefined; envelope = this.decoder.next()) {
        this.dispatch(envelope);
        if (this.closed) return;
      }
      // the chunk's memory is about to be reused for the next read: keep what is still undecoded
      if (this.transientReads) this.decoder.retainUnconsumed();
    } catch (error) {
      this.terminate(
        error instanceof ProtocolError
          ? error
          : new ProtocolError(`Undecodable bytes from ${this.endpoint}: ${(error as Error).message}`, { cause: error }),
      );
    }
  }

  private dispatch(envelope: Envelope): void {
    const stream = envelope.stream;
    if (this.pendingSegmentSwitch !== undefined && stream >= 0) {
      // native_protocol_v5.spec §2.3.1 (Initial Handshake): READY or AUTHENTICATE to a v5 STARTUP means
      // both directions are framed from the very next byte, so switch here, before the decoder reads on.
      if (envelope.opcode === Opcode.READY || envelope.opcode === Opcode.AUTHENTICATE) {
        this.decoder.switchToSegments({ compression: this.pendingSegmentSwitch });
        this.encoder.switchToSegments({ compression: this.pendingSegmentSwitch });
      }
      this.pendingSegmentSwitch = undefined;
    }
    if (stream < 0) {
      if (envelope.opcode !== Opcode.EVENT) {
        throw new ProtocolError(
          `${opcodeName(envelope.opcode)} on stream ${stream} from ${this.endpoint}: negative streams carry only EVENTs`,
        );
      }
      this.listeners.emitEvent(decodeResponse(envelope, this.protocolVersion).message as EventMessage);
      return;
    }
    const req = this.slots[stream];
    if (req === undefined) {
      throw new ProtocolError(
        `${opcodeName(envelope.opcode)} on stream ${stream} from ${this.endpoint}, which has no request`,
      );
    }
    if (req.settled) {
      // The late answer to a timed-out or cancelled request: only now may its id be reused.
      this.release(stream);
      return;
    }
    const response = decodeResponse(envelope, this.protocolVersion);
    this.release(stream);
    this.settle(req);
    const message = response.message;
    if (message.opcode === Opcode.ERROR) {
      const error = createServerError(message);
      error.coordinator = this.endpoint;
      req.reject(error);
      return;
    }
    if (message.opcode === Opcode.RESULT && message.kind === 'setKeyspace') this.currentKeyspace = message.keyspace;
    req.resolve(response);
  }

  /** Frees a stream id and hands it straight to the oldest live queued request, if any. */
  private release(stream: number): void {
    this.slots[stream] = undefined;
    this.ids.release(stream);
    while (this.queuedLive > 0) {
      const next = this.queue.take();
      if (next === undefined) break;
      if (next.settled) continue;
      this.queuedLive--;
      this.assign(next, this.ids.acquire());
      break;
    }
  }

  /**
   * Marks the connection closed, rejects every pending and queued request with `error`, stops
   * the timers, destroys the socket and tells the close listeners (`orderly` → no cause).
   */
  private terminate(error: Error, orderly = false): void {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat.stop();
    this.pendingSegmentSwitch = undefined;
    this.writeBatch = [];
    const slots = this.slots;
    for (let id = 0; id < slots.length; id++) {
      const req = slots[id];
      if (req === undefined) continue;
      slots[id] = undefined;
      if (!req.settled) {
        this.settle(req);
        req.reject(error);
      }
    }
    for (const req of this.queue.drain()) {
      if (!req.settled) {
        this.settle(req);
        req.reject(error);
      }
    }
    this.queuedLive = 0;
    this.socket.destroy();
    if (this.opened) {
      this.opened = false;
      if (this.meter !== undefined) this.meter.connections--;
      if (channels.connectionClose.hasSubscribers)
        channels.connectionClose.publish({ endpoint: this.endpoint, error: orderly ? undefined : error });
    }
    this.listeners.emitClose(orderly ? undefined : error);
  }
}
