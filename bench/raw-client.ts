/**
 * The raw-socket client: one connection built only on `src/protocol` (framing, message codecs),
 * no session, no row objects. The benchmarks use it as "the transport limit": it pages through a
 * query and counts rows by walking each cell's [bytes] length (native_protocol_v5.spec §4.2.5.2
 * (Rows): every cell is an [int] length then the value), never decoding a value, so whatever a
 * real client does on top of this is overhead. The embedded server's tests use it to speak to the
 * server byte for byte (`record: true`): any protocol version, hand-made bytes, and a record of
 * every chunk, segment and envelope the server sent, checked by the decoder the client library
 * uses.
 */

import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { connect as tlsConnect } from 'node:tls';
import type { Envelope } from '../src/protocol/envelope/index.js';
import { Opcode } from '../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../src/protocol/framing/index.js';
import type { BoundValue, RequestMessage, ResponseMessage } from '../src/protocol/messages/index.js';
import { decodeResponseBody, encodeRequestBody, readResponsePrefix } from '../src/protocol/messages/index.js';
import { PrimitiveReader } from '../src/protocol/primitives/index.js';
import type { ProtocolVersion } from '../src/protocol/protocol-version.js';

/** What a walk over a Rows page found. */
export interface PageWalk {
  rows: number;
  /** Bytes of cell values (length prefixes excluded). */
  cellBytes: number;
}

/** A prepared statement as the raw client keeps it. */
export interface RawPrepared {
  id: Buffer;
  resultMetadataId: Buffer | undefined;
}

/** Options of {@link RawClient.open} and {@link RawClient.connect}. */
export interface RawClientOptions {
  host: string;
  port: number;
  /** The protocol version of every envelope; default 5. */
  version?: ProtocolVersion;
  /** `connect` only: 'none' (default) or 'lz4'. */
  compression?: 'none' | 'lz4';
  /** TLS options: the connection is made with `tls.connect`. */
  tls?: ConnectionOptions;
  /**
   * Keep what the server sent: every chunk (`raw`), every v5 segment (`segments`) and a copy of
   * every envelope no request claimed (`received`), and leave a decoding failure for the test to
   * see. Off (the benchmarks), each envelope is used at once and a split page is gathered into
   * one reused buffer: the client measures the transport, not its own allocation.
   */
  record?: boolean;
}

/** A response as `request` and `response` return it: the envelope and its decoded message. */
export interface RawResponse {
  envelope: Envelope;
  message: ResponseMessage;
}

const CONSISTENCY_ONE = 0x0001;
/** Stream ids are signed 16-bit; the client uses 1..32767. */
const MAX_STREAM = 32767;

/**
 * Walks a Rows page's cells from `rowsOffset`: per row, per column, one [int] length and a skip.
 * This is the least a client can do and still know where each row ends.
 */
export function walkRows(body: Buffer, rowsOffset: number, rowCount: number, columnCount: number): PageWalk {
  let off = rowsOffset;
  let cellBytes = 0;
  const end = body.length;
  for (let i = 0; i < rowCount; i++) {
    for (let c = 0; c < columnCount; c++) {
      if (off + 4 > end) throw new RangeError(`Rows page truncated at row ${i}, column ${c}`);
      const len = (body[off]! << 24) | (body[off + 1]! << 16) | (body[off + 2]! << 8) | body[off + 3]!;
      off += 4;
      if (len > 0) {
        off += len;
        cellBytes += len;
      }
    }
  }
  if (off > end) throw new RangeError('Rows page truncated in its last cell');
  return { rows: rowCount, cellBytes };
}

/** A request waiting for the envelope on its stream. */
interface Waiting {
  resolve(e: Envelope): void;
  reject(err: Error): void;
}

/**
 * One connection with stream-id multiplexing. Requests queued within one tick go out in one
 * write, encoded together (as the client's connections do); `writeRaw`, a framing switch and
 * `close` send what is queued first, so bytes keep their order on the wire.
 */
export class RawClient {
  /** v5 segments received, as the decoder verified them (`record` only). */
  readonly segments: { selfContained: boolean; payloadLength: number }[] = [];
  readonly decoder: FrameDecoder;
  readonly encoder = new FrameEncoder();
  /** Envelopes no request was waiting for (events, answers to `send`), in arrival order (`record` only). */
  readonly received: Envelope[] = [];
  /** Every chunk the server sent (`record` only). */
  readonly raw: Buffer[] = [];
  /** True once the socket closed. */
  closed = false;
  private readonly record: boolean;
  private readonly pending = new Map<number, Waiting>();
  private readonly free: number[] = [];
  private nextStream = 1;
  private failure: Error | undefined;
  private outgoing: Envelope[] = [];
  private flushScheduled = false;
  private wakers: (() => void)[] = [];

  private constructor(
    readonly socket: Socket,
    /** The version of the envelopes sent and expected. */
    public version: ProtocolVersion,
    record: boolean,
  ) {
    this.record = record;
    this.decoder = record
      ? new FrameDecoder({
          expectResponses: true,
          onSegment: (s) => this.segments.push({ selfContained: s.selfContained, payloadLength: s.payloadLength }),
        })
      : new FrameDecoder({ expectResponses: true, reuseGatherBuffer: true });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => {
      this.closed = true;
      this.fail(new Error('connection closed'));
      this.wake();
    });
  }

  /** Opens the socket only: the caller drives the handshake (see `startup`). */
  static async open(options: RawClientOptions): Promise<RawClient> {
    const { host, port, tls } = options;
    const socket = tls === undefined ? connect({ host, port }) : tlsConnect({ ...tls, host, port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once(tls === undefined ? 'connect' : 'secureConnect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket, options.version ?? 5, options.record === true);
  }

  /** Opens the socket and runs STARTUP (see `startup`). */
  static async connect(options: RawClientOptions): Promise<RawClient> {
    const client = await RawClient.open(options);
    try {
      await client.startup(options.compression ?? 'none');
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  /**
   * STARTUP without OPTIONS; after READY, v5 frames both directions in segments
   * (native_protocol_v5.spec §2.3.1 (Initial Handshake)) and v4 with lz4 compresses.
   */
  async startup(compression: 'none' | 'lz4' = 'none'): Promise<void> {
    const options = new Map([['CQL_VERSION', '3.0.0']]);
    if (compression === 'lz4') options.set('COMPRESSION', 'lz4');
    // v4: the server compresses its answer to STARTUP already.
    if (this.version < 5 && compression === 'lz4') this.decoder.setCompression('lz4');
    const { message } = await this.request({ opcode: Opcode.STARTUP, options });
    if (message.opcode !== Opcode.READY)
      throw new Error(`STARTUP answered with opcode ${message.opcode}, expected READY`);
    if (this.version >= 5) this.switchToSegments(compression);
    else if (compression === 'lz4') this.encoder.setCompression('lz4');
  }

  /** Waits (bounded) until `test` holds; checked on every arrival and every 50 ms. */
  async until(test: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.wakers.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Writes bytes as they are, after what is queued. */
  writeRaw(bytes: Buffer): void {
    this.flush();
    this.socket.write(bytes);
  }

  /** Queues one request (sent at the end of this tick); returns its stream id. */
  send(msg: RequestMessage, stream = this.takeStream(), flags = 0): number {
    this.outgoing.push({
      version: this.version,
      isResponse: false,
      flags,
      stream,
      opcode: msg.opcode,
      body: encodeRequestBody(msg, this.version),
    });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
    return stream;
  }

  /** Sends a request and waits (bounded) for the response on its stream; an ERROR is returned, not thrown. */
  async request(msg: RequestMessage, timeoutMs = 5000): Promise<RawResponse> {
    return this.response(this.send(msg), timeoutMs);
  }

  /** Waits for the response on `stream`, received already or still to come; `undefined`: no time limit. */
  async response(stream: number, timeoutMs: number | undefined = 5000): Promise<RawResponse> {
    const i = this.received.findIndex((e) => e.stream === stream);
    const envelope = i >= 0 ? this.received.splice(i, 1)[0]! : await this.awaitStream(stream, timeoutMs);
    return { envelope, message: this.decode(envelope) };
  }

  /** Sends a request and returns its answer (no time limit); an ERROR answer is thrown. */
  async call(msg: RequestMessage): Promise<ResponseMessage> {
    // The answer cannot have arrived before the wait starts: straight to the wait, no other layer.
    const message = this.decode(await this.awaitStream(this.send(msg), undefined));
    if (message.opcode === Opcode.ERROR)
      throw new Error(`server error 0x${message.code.toString(16)}: ${message.message}`);
    return message;
  }

  /** PREPARE. */
  async prepare(query: string): Promise<RawPrepared> {
    const res = await this.call({ opcode: Opcode.PREPARE, query });
    if (res.opcode !== Opcode.RESULT || res.kind !== 'prepared')
      throw new Error(`PREPARE of ${query} did not return Prepared`);
    return { id: res.id, resultMetadataId: res.resultMetadataId };
  }

  /** EXECUTE with encoded values; returns the rows it walked (0 for a non-Rows result). */
  async execute(p: RawPrepared, values: readonly BoundValue[], columnCount: number): Promise<number> {
    const res = await this.call({
      opcode: Opcode.EXECUTE,
      id: p.id,
      ...(p.resultMetadataId ? { resultMetadataId: p.resultMetadataId } : {}),
      params: { consistency: CONSISTENCY_ONE, values, skipMetadata: true },
    });
    if (res.opcode !== Opcode.RESULT || res.kind !== 'rows') return 0;
    return walkRows(res.body, res.rowsOffset, res.rowCount, columnCount).rows;
  }

  /** Pages through a QUERY to the end; returns rows and cell bytes walked. */
  async countAll(query: string, pageSize: number): Promise<PageWalk & { pages: number }> {
    let rows = 0;
    let cellBytes = 0;
    let pages = 0;
    let pagingState: Buffer | undefined;
    do {
      const res = await this.call({
        opcode: Opcode.QUERY,
        query,
        params: { consistency: CONSISTENCY_ONE, pageSize, ...(pagingState ? { pagingState } : {}) },
      });
      if (res.opcode !== Opcode.RESULT || res.kind !== 'rows') throw new Error(`${query} did not return Rows`);
      const walk = walkRows(res.body, res.rowsOffset, res.rowCount, res.metadata.columnCount);
      rows += walk.rows;
      cellBytes += walk.cellBytes;
      pages++;
      // The paging state is a view into a received chunk: copy it before the next read reuses memory.
      pagingState = res.metadata.pagingState ? Buffer.from(res.metadata.pagingState) : undefined;
    } while (pagingState !== undefined);
    return { rows, cellBytes, pages };
  }

  /** After READY/AUTHENTICATE to a v5 STARTUP: both directions in segments. */
  switchToSegments(compression: 'none' | 'lz4'): void {
    this.flush();
    this.decoder.switchToSegments({ compression });
    this.encoder.switchToSegments({ compression });
  }

  /** v4 lz4: compress requests, decompress responses. */
  setCompression(compression: 'none' | 'lz4'): void {
    this.flush();
    this.decoder.setCompression(compression);
    this.encoder.setCompression(compression);
  }

  /** Sends what is queued, then closes the socket. */
  close(): void {
    this.flush();
    this.socket.destroy();
  }

  private takeStream(): number {
    const stream = this.free.pop() ?? this.nextStream++;
    if (stream > MAX_STREAM) throw new Error('out of stream ids');
    return stream;
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.outgoing;
    if (batch.length === 0) return;
    this.outgoing = [];
    if (!this.socket.destroyed) this.socket.write(this.encoder.encode(batch));
  }

  private awaitStream(stream: number, timeoutMs: number | undefined): Promise<Envelope> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Envelope>((resolve, reject) => {
      if (timeoutMs === undefined) {
        this.pending.set(stream, { resolve, reject });
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(stream);
        reject(new Error(`timed out waiting for a response on stream ${stream}`));
      }, timeoutMs);
      this.pending.set(stream, {
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
  }

  private decode(e: Envelope): ResponseMessage {
    const r = new PrimitiveReader(e.body, 0);
    readResponsePrefix(r, e.flags);
    return decodeResponseBody(e.opcode, e.body, this.version, r.offset);
  }

  private onData(chunk: Buffer): void {
    if (this.record) this.raw.push(chunk);
    try {
      this.decoder.push(chunk);
      for (let e = this.decoder.next(); e !== undefined; e = this.decoder.next()) this.dispatch(e);
    } catch (err) {
      // Recording: left for the test to see in `raw`. Otherwise the requests fail with it.
      if (!this.record) this.fail(err instanceof Error ? err : new Error(String(err)));
    }
    this.wake();
  }

  private dispatch(e: Envelope): void {
    const waiting = this.pending.get(e.stream);
    if (waiting !== undefined) {
      this.pending.delete(e.stream);
      // Recording, ids are never reused: a test can tell every request's answer apart.
      if (!this.record) this.free.push(e.stream);
      waiting.resolve(e);
    } else if (this.record) {
      this.received.push({ ...e, body: Buffer.from(e.body) });
    }
  }

  private wake(): void {
    if (this.wakers.length === 0) return;
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const [stream, waiting] of this.pending) {
      this.pending.delete(stream);
      waiting.reject(err);
    }
  }
}
