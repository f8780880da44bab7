/**
 * The raw-socket client: "the transport limit". One connection, built only on `src/protocol`
 * (framing, message codecs), no session, no row objects. It pages through a query and counts rows
 * by walking each cell's [bytes] length (native_protocol_v5.spec §4.2.5.2 (Rows): every cell is an
 * [int] length then the value), never decoding a value. Whatever a real client does on top of this
 * is overhead.
 */

import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { Envelope } from '../src/protocol/envelope/index.js';
import { Opcode } from '../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../src/protocol/framing/index.js';
import type { BoundValue, RequestMessage, ResponseMessage } from '../src/protocol/messages/index.js';
import { decodeResponseBody, encodeRequestBody, readResponsePrefix } from '../src/protocol/messages/index.js';
import { PrimitiveReader } from '../src/protocol/primitives/index.js';

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

/** Options of {@link RawClient.connect}. */
export interface RawClientOptions {
  host: string;
  port: number;
  /** 'none' (default) or 'lz4'. */
  compression?: 'none' | 'lz4';
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

/** One protocol v5 connection with stream-id multiplexing, just enough for the benchmarks. */
export class RawClient {
  // Each envelope is used at once (walked, counted, dropped) and a page is only asked for after the
  // previous one was walked, so a split page can be gathered into one reused buffer: the raw
  // client measures the transport, not its own allocation. (Small answers are never split.)
  private readonly decoder = new FrameDecoder({ expectResponses: true, reuseGatherBuffer: true });
  private readonly encoder = new FrameEncoder();
  private readonly pending = new Map<number, (e: Envelope) => void>();
  private readonly free: number[] = [];
  private nextStream = 1;
  private failure: Error | undefined;
  private outgoing: Envelope[] = [];
  private flushScheduled = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk);
        for (let e = this.decoder.next(); e !== undefined; e = this.decoder.next()) this.dispatch(e);
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /**
   * Connects and runs STARTUP (v5, then CRC segments from the next frame on:
   * native_protocol_v5.spec §2.3.1 (Initial Handshake)).
   */
  static async connect(options: RawClientOptions): Promise<RawClient> {
    const socket = connect({ host: options.host, port: options.port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    const compression = options.compression ?? 'none';
    const startup = new Map([['CQL_VERSION', '3.0.0']]);
    if (compression === 'lz4') startup.set('COMPRESSION', 'lz4');
    const ready = await client.request({ opcode: Opcode.STARTUP, options: startup });
    if (ready.opcode !== Opcode.READY) {
      socket.destroy();
      throw new Error(`STARTUP answered with opcode ${ready.opcode}, expected READY`);
    }
    client.decoder.switchToSegments({ compression });
    client.encoder.switchToSegments({ compression });
    return client;
  }

  /** Sends one request and decodes its response (ERROR responses become a thrown Error). */
  async request(msg: RequestMessage): Promise<ResponseMessage> {
    const e = await this.send(msg);
    const r = new PrimitiveReader(e.body, 0);
    readResponsePrefix(r, e.flags);
    const res = decodeResponseBody(e.opcode, e.body, 5, r.offset);
    if (res.opcode === Opcode.ERROR) throw new Error(`server error 0x${res.code.toString(16)}: ${res.message}`);
    return res;
  }

  /** PREPARE. */
  async prepare(query: string): Promise<RawPrepared> {
    const res = await this.request({ opcode: Opcode.PREPARE, query });
    if (res.opcode !== Opcode.RESULT || res.kind !== 'prepared')
      throw new Error(`PREPARE of ${query} did not return Prepared`);
    return { id: res.id, resultMetadataId: res.resultMetadataId };
  }

  /** EXECUTE with encoded values; returns the rows it walked (0 for a non-Rows result). */
  async execute(p: RawPrepared, values: readonly BoundValue[], columnCount: number): Promise<number> {
    const res = await this.request({
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
      const res = await this.request({
        opcode: Opcode.QUERY,
        query,
        params: { consistency: CONSISTENCY_ONE, pageSize, ...(pagingState ? { pagingState } : {}) },
      });
      if (res.opcode !== Opcode.RESULT || res.kind !== 'rows') throw new Error(`${query} did not return Rows`);
      const r = res;
      const walk = walkRows(r.body, r.rowsOffset, r.rowCount, r.metadata.columnCount);
      rows += walk.rows;
      cellBytes += walk.cellBytes;
      pages++;
      // The paging state is a view into a received chunk: copy it before the next read reuses memory.
      pagingState = r.metadata.pagingState ? Buffer.from(r.metadata.pagingState) : undefined;
    } while (pagingState !== undefined);
    return { rows, cellBytes, pages };
  }

  /** Closes the socket. */
  close(): void {
    this.socket.destroy();
  }

  private send(msg: RequestMessage): Promise<Envelope> {
    if (this.failure) return Promise.reject(this.failure);
    const stream = this.free.pop() ?? this.nextStream++;
    if (stream > MAX_STREAM) return Promise.reject(new Error('out of stream ids'));
    return new Promise<Envelope>((resolve) => {
      this.pending.set(stream, resolve);
      this.outgoing.push({
        version: 5,
        isResponse: false,
        flags: 0,
        stream,
        opcode: msg.opcode,
        body: encodeRequestBody(msg, 5),
      });
      // Coalesce every request queued in this tick into one write, as the client's connections do.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        process.nextTick(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.outgoing;
    this.outgoing = [];
    if (batch.length > 0) this.socket.write(this.encoder.encode(batch));
  }

  private dispatch(e: Envelope): void {
    if (e.stream < 0) return; // server event: not asked for, ignored
    const resolve = this.pending.get(e.stream);
    if (resolve === undefined) return;
    this.pending.delete(e.stream);
    this.free.push(e.stream);
    resolve(e);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    // Each pending request gets a local ERROR envelope, so `request()` throws with the cause.
    for (const [stream, resolve] of this.pending) {
      this.pending.delete(stream);
      resolve({ version: 5, isResponse: true, flags: 0, stream, opcode: Opcode.ERROR, body: errorBody(err.message) });
    }
  }
}

/** An ERROR body (code 0x0000 server error) carrying a local failure to a pending request. */
function errorBody(message: string): Buffer {
  const text = Buffer.from(`local: ${message}`);
  const b = Buffer.alloc(4 + 2 + text.length);
  b.writeInt32BE(0, 0);
  b.writeUInt16BE(text.length, 4);
  text.copy(b, 6);
  return b;
}
