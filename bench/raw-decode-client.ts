/**
 * The raw+decode client: the honest bound of the stream part. It decodes EVERY cell of every row
 * into plain JS values and builds one plain object per row, folded with `foldCqlwireRow` (so its
 * checksum equals cqlwire's), with no library code on its hot path: its own framing
 * (raw-decode-framing.ts), its own Rows reading and a decoding loop written by hand for the
 * benchmark table's columns (raw-decode-rows.ts). Only the connection setup (STARTUP, READY,
 * PREPARE) goes through `RawClient` and `src/protocol`; during a stream the socket's data events
 * come to this file's loop instead.
 *
 * Pipelined as a good client is: as soon as a page's paging state has been read from its Rows
 * metadata, the EXECUTE for the next page is written, BEFORE the page's rows are decoded (one
 * page in flight while one is decoded, as cqlwire's default `prefetchPages: 1`). It executes the
 * prepared statement as cqlwire does: in v5 with the result metadata id and Skip_metadata, in v4
 * without Skip_metadata (full metadata on every page, skipped over).
 */

import { Opcode } from '../src/protocol/envelope/index.js';
import { RawClient } from './raw-client.js';
import type { WireConfig } from './raw-decode-framing.js';
import { ENVELOPE_HEADER_BYTES, frameRequest, ResponseFramer } from './raw-decode-framing.js';
import { BENCH_COLUMNS, foldBenchRows, readRowsHead } from './raw-decode-rows.js';
import type { ReadTally } from './read-rows.js';

/** The stream id of this client's EXECUTEs (RawClient's setup requests use small ids). */
const STREAM_ID = 0x7ff0;
const OPCODE_EXECUTE = 0x0a;
const CONSISTENCY_ONE = 0x0001;
const FLAG_SKIP_METADATA = 0x02;
const FLAG_PAGE_SIZE = 0x04;
const FLAG_PAGING_STATE = 0x08;

interface Prepared {
  id: Buffer;
  /** v5: sent with every EXECUTE; replaced when the server says Metadata_changed. */
  resultMetadataId: Buffer | undefined;
}

type DataListener = (chunk: Buffer) => void;

/**
 * Takes one page's rows, copied into memory of their own (`rows` holds `count` rows from offset
 * 0). The stream's promise settling says no page follows.
 */
export type PageSink = (rows: Buffer, count: number) => void;

/** One connection of the raw+decode client in one wire configuration. */
export class RawDecodeClient {
  private readonly prepared = new Map<string, Prepared>();
  private readonly framer: ResponseFramer;
  // the stream in progress
  private statement: Prepared | undefined;
  private fetchSize = 0;
  private rows = 0;
  private pages = 0;
  private checksum = 0;
  private finished = false;
  /** Set for a stream whose pages are handed out (`streamInto`) instead of folded here. */
  private handOff: PageSink | undefined;
  /** In a hand-off stream: the paging state of the next page, until `requestNextPage` asks for it. */
  private nextPagingState: Buffer | undefined;

  private constructor(
    private readonly setup: RawClient,
    /** The wire configuration: v5 segments, v5 lz4 segments, or v4 envelopes. */
    readonly config: WireConfig,
  ) {
    this.framer = new ResponseFramer(config, (b, start, end) => this.onEnvelope(b, start, end));
  }

  /** Connects and runs the handshake through `RawClient` (STARTUP, READY, the switch to segments in v5). */
  static async connect(host: string, port: number, config: WireConfig): Promise<RawDecodeClient> {
    const setup = await RawClient.connect({
      host,
      port,
      version: config === 'v4' ? 4 : 5,
      compression: config === 'v5-lz4' ? 'lz4' : 'none',
    });
    try {
      return new RawDecodeClient(setup, config);
    } catch (err) {
      setup.close();
      throw err;
    }
  }

  /**
   * Prepares `query` (once) and pages through it to the end at `fetchSize`, every cell of every row
   * decoded and folded. One stream at a time per client.
   */
  async stream(query: string, fetchSize: number): Promise<ReadTally & { pages: number }> {
    return this.run(query, fetchSize, undefined);
  }

  /**
   * Pages through `query` as {@link stream} does, but hands each page's rows to `sink` (copied
   * out of the framing buffer, as a client handing pages to a consumer must) instead of folding
   * them, and asks for the next page only when told to ({@link requestNextPage}); resolves with
   * the rows and pages handed out (checksum 0: the consumer folds).
   */
  async streamInto(query: string, fetchSize: number, sink: PageSink): Promise<ReadTally & { pages: number }> {
    return this.run(query, fetchSize, sink);
  }

  /** In a `streamInto` stream: asks for the page after the last one handed out, if there is one and it was not asked for yet. */
  requestNextPage(): void {
    const pagingState = this.nextPagingState;
    if (pagingState === undefined) return;
    this.nextPagingState = undefined;
    this.setup.socket.write(this.executeRequest(pagingState));
  }

  private async run(
    query: string,
    fetchSize: number,
    sink: PageSink | undefined,
  ): Promise<ReadTally & { pages: number }> {
    const statement = this.prepared.get(query) ?? (await this.prepare(query));
    const socket = this.setup.socket;
    const setupListeners = socket.listeners('data') as DataListener[];
    socket.removeAllListeners('data');
    this.statement = statement;
    this.fetchSize = fetchSize;
    this.rows = 0;
    this.pages = 0;
    this.checksum = 0;
    this.finished = false;
    this.handOff = sink;
    this.nextPagingState = undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const stop = (err?: Error): void => {
          socket.off('data', onData);
          socket.off('close', onClose);
          if (err === undefined) resolve();
          else reject(err);
        };
        const onData = (chunk: Buffer): void => {
          try {
            this.framer.push(chunk);
          } catch (err) {
            stop(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          if (this.finished) stop(this.framer.idle ? undefined : new Error('bytes after the last page'));
        };
        const onClose = (): void => stop(new Error('connection closed during the stream'));
        socket.on('data', onData);
        socket.on('close', onClose);
        socket.write(this.executeRequest(undefined));
      });
    } finally {
      this.handOff = undefined;
      for (const l of setupListeners) socket.on('data', l);
    }
    return { rows: this.rows, checksum: this.checksum, pages: this.pages };
  }

  close(): void {
    this.setup.close();
  }

  /** PREPARE through the setup connection; checks the result columns are the benchmark table's, in the loop's order. */
  private async prepare(query: string): Promise<Prepared> {
    const res = await this.setup.call({ opcode: Opcode.PREPARE, query });
    if (res.opcode !== Opcode.RESULT || res.kind !== 'prepared') throw new Error(`PREPARE of ${query} failed`);
    const columns = res.resultMetadata.columns ?? [];
    const got = columns.map((c) => `${c.name} ${c.type.kind}`).join(', ');
    const expected = BENCH_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
    if (got !== expected) throw new Error(`raw+decode reads (${expected}); ${query} returns (${got})`);
    const p: Prepared = { id: res.id, resultMetadataId: res.resultMetadataId };
    this.prepared.set(query, p);
    return p;
  }

  /** A page arrived: read its metadata, ask for the next page, then decode and fold its rows (or hand them out). */
  private onEnvelope(b: Buffer, start: number, end: number): void {
    const head = readRowsHead(b, start, end);
    if (head.stream !== STREAM_ID) throw new Error(`answer on stream ${head.stream}, expected ${STREAM_ID}`);
    if (head.columnCount !== BENCH_COLUMNS.length) throw new Error(`${head.columnCount} columns per row`);
    if (head.newMetadataId !== undefined) this.statement!.resultMetadataId = Buffer.from(head.newMetadataId);
    if (this.handOff === undefined) {
      // pipelining: the next request goes out before this page's rows are decoded
      if (head.pagingState !== undefined) this.setup.socket.write(this.executeRequest(head.pagingState));
      this.checksum += foldBenchRows(b, head.rowsOffset, end, head.rowCount);
    } else {
      // the framing buffer is reused for the next envelope: the paging state and rows are copied
      this.nextPagingState = head.pagingState === undefined ? undefined : Buffer.from(head.pagingState);
      const rows = Buffer.allocUnsafe(end - head.rowsOffset);
      b.copy(rows, 0, head.rowsOffset, end);
      this.handOff(rows, head.rowCount);
    }
    this.rows += head.rowCount;
    this.pages++;
    if (head.pagingState === undefined) this.finished = true;
  }

  /**
   * EXECUTE of the current statement (native_protocol_v5.spec §4.1.6 and §4.1.4's parameters):
   * consistency ONE, page size, the paging state when given; v5 with the result metadata id and
   * Skip_metadata, v4 without (cqlwire does the same).
   */
  private executeRequest(pagingState: Buffer | undefined): Buffer {
    const p = this.statement!;
    const v5 = this.config !== 'v4';
    const metadataId = v5 ? (p.resultMetadataId ?? Buffer.alloc(0)) : undefined;
    const bodyLength =
      2 +
      p.id.length +
      (metadataId === undefined ? 0 : 2 + metadataId.length) +
      2 +
      (v5 ? 4 : 1) +
      4 +
      (pagingState === undefined ? 0 : 4 + pagingState.length);
    const e = Buffer.allocUnsafe(ENVELOPE_HEADER_BYTES + bodyLength);
    e[0] = v5 ? 5 : 4;
    e[1] = 0;
    e.writeInt16BE(STREAM_ID, 2);
    e[4] = OPCODE_EXECUTE;
    e.writeInt32BE(bodyLength, 5);
    let off = e.writeUInt16BE(p.id.length, ENVELOPE_HEADER_BYTES);
    off += p.id.copy(e, off);
    if (metadataId !== undefined) {
      off = e.writeUInt16BE(metadataId.length, off);
      off += metadataId.copy(e, off);
    }
    off = e.writeUInt16BE(CONSISTENCY_ONE, off);
    const flags = FLAG_PAGE_SIZE | (pagingState === undefined ? 0 : FLAG_PAGING_STATE) | (v5 ? FLAG_SKIP_METADATA : 0);
    off = v5 ? e.writeInt32BE(flags, off) : e.writeUInt8(flags, off);
    off = e.writeInt32BE(this.fetchSize, off);
    if (pagingState !== undefined) {
      off = e.writeInt32BE(pagingState.length, off);
      pagingState.copy(e, off);
    }
    return frameRequest(this.config, e);
  }
}
