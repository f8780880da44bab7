/**
 * The raw+decode client's own framing, written for the benchmark with no library code on the
 * receive path: socket chunks in, whole response envelopes out, for the three wire
 * configurations of the stream part. v4: envelopes straight on the socket
 * (native_protocol_v4.spec §2). v5: segments (native_protocol_v5.spec §2 (Frame Format)), each
 * header checked against its CRC24 before its lengths are believed and each payload against its
 * CRC32 before it is used, as a correct client must; lz4 payloads (§2.2) are decompressed with
 * `lz4-napi` directly. An envelope that lies whole inside one chunk or one payload is handed out as
 * a view; a split one is gathered into one reused buffer (grown when a larger one comes).
 */
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';

/** The stream part's wire configurations: v5 uncompressed segments, v5 lz4 segments, v4 envelopes. */
export const WIRE_CONFIGS = ['v5', 'v5-lz4', 'v4'] as const;
/** One of {@link WIRE_CONFIGS}. */
export type WireConfig = (typeof WIRE_CONFIGS)[number];

/** Called once per complete envelope: its 9-byte header at `start`, its body up to `end`. */
export type EnvelopeSink = (bytes: Buffer, start: number, end: number) => void;

/** Bytes of a v4/v5 envelope header (version, flags, stream, opcode, length). */
export const ENVELOPE_HEADER_BYTES = 9;
/** The largest envelope this client accepts (the server's pages are far below it). */
const MAX_ENVELOPE_BYTES = 256 * 1024 * 1024;
/** A segment's payload length is 17 bits (native_protocol_v5.spec §2.1). */
const MAX_SEGMENT_PAYLOAD = 131071;

/**
 * CRC24 of a segment header: Cassandra's parameters (init 0x875060, polynomial 0x1974F0B, MSB
 * first, no reflection, no final XOR) over the header data bytes in wire order.
 */
export function headerCrc24(bytes: Uint8Array, offset: number, length: number): number {
  let crc = 0x875060;
  for (let i = offset; i < offset + length; i++) {
    crc ^= bytes[i]! << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if ((crc & 0x1000000) !== 0) crc ^= 0x1974f0b;
    }
  }
  return crc & 0xffffff;
}

type Crc32 = (data: Uint8Array, previous: number) => number;
let crcTable: Int32Array | undefined;
/** IEEE CRC-32, table-driven, for a runtime without `zlib.crc32` (Node before 20.15). */
function tableCrc32(data: Uint8Array, previous: number): number {
  if (crcTable === undefined) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = ~previous;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
/** zlib's CRC-32 where the runtime has it, else the table above: the same function. */
export const crc32: Crc32 = typeof zlibCrc32 === 'function' ? zlibCrc32 : tableCrc32;
/** A payload CRC32 starts from the CRC of the bytes FA 2D 55 CA (Cassandra's `Crc.crc32` seed). */
export const PAYLOAD_CRC_SEED = crc32(Uint8Array.of(0xfa, 0x2d, 0x55, 0xca), 0);

/** `lz4-napi`'s block functions: a 4-byte little-endian uncompressed size in front of the block. */
interface Lz4Napi {
  uncompressSync(input: Buffer): Buffer;
}
let lz4: Lz4Napi | undefined;
function lz4Napi(): Lz4Napi {
  lz4 ??= createRequire(import.meta.url)('lz4-napi') as Lz4Napi;
  return lz4;
}

const HEADER = 0;
const PAYLOAD = 1;
const TRAILER = 2;

/** Socket chunks in, envelopes out (see the file comment). One instance per connection. */
export class ResponseFramer {
  /** The split envelope being gathered, how much has arrived, and its size (0 until its header is in). */
  private envelope = Buffer.allocUnsafe(1024 * 1024);
  private envelopeFilled = 0;
  private envelopeTotal = 0;
  // v5 segments split across chunks: where the reading is, the header, the trailer
  private readonly headerBytes: number;
  private state = HEADER;
  private readonly header = Buffer.allocUnsafe(8);
  private headerFilled = 0;
  private readonly trailer = Buffer.allocUnsafe(4);
  private trailerFilled = 0;
  private payloadLength = 0;
  private uncompressedLength = 0;
  private selfContained = false;
  private payloadLeft = 0;
  private payloadCrc = 0;
  /** A split segment whose payload must be whole before use (self-contained or lz4), 4 bytes in. */
  private segment = Buffer.allocUnsafe(4 + MAX_SEGMENT_PAYLOAD);
  private segmentFilled = 0;
  private gatherSegment = false;

  constructor(
    readonly config: WireConfig,
    private readonly sink: EnvelopeSink,
  ) {
    this.headerBytes = config === 'v5-lz4' ? 5 : 3;
    if (config === 'v5-lz4') lz4Napi();
  }

  /** Bytes received, in order. Throws on a corrupt or malformed stream. */
  push(chunk: Buffer): void {
    if (this.config === 'v4') this.envelopes(chunk, 0, chunk.length);
    else this.segments(chunk);
  }

  /** True between messages: nothing partly received. */
  get idle(): boolean {
    return this.envelopeFilled === 0 && this.state === HEADER && this.headerFilled === 0;
  }

  /** v4: envelopes back to back; whole ones as views, a split one gathered. */
  private envelopes(bytes: Buffer, from: number, to: number): void {
    while (from < to) {
      if (this.envelopeFilled === 0 && to - from >= ENVELOPE_HEADER_BYTES) {
        const total = envelopeSize(bytes, from);
        if (to - from >= total) {
          this.sink(bytes, from, from + total);
          from += total;
          continue;
        }
      }
      from = this.gather(bytes, from, to);
      if (this.envelopeFilled === this.envelopeTotal) this.deliverGathered();
    }
  }

  /** Copies bytes of the split envelope into the gather buffer, up to its end; returns where it stopped. */
  private gather(bytes: Buffer, from: number, to: number): number {
    if (this.envelopeFilled < ENVELOPE_HEADER_BYTES) {
      const n = Math.min(ENVELOPE_HEADER_BYTES - this.envelopeFilled, to - from);
      bytes.copy(this.envelope, this.envelopeFilled, from, from + n);
      this.envelopeFilled += n;
      from += n;
      if (this.envelopeFilled < ENVELOPE_HEADER_BYTES) return from;
      this.envelopeTotal = envelopeSize(this.envelope, 0);
      if (this.envelope.length < this.envelopeTotal) {
        const grown = Buffer.allocUnsafe(this.envelopeTotal);
        this.envelope.copy(grown, 0, 0, ENVELOPE_HEADER_BYTES);
        this.envelope = grown;
      }
    }
    const n = Math.min(this.envelopeTotal - this.envelopeFilled, to - from);
    bytes.copy(this.envelope, this.envelopeFilled, from, from + n);
    this.envelopeFilled += n;
    return from + n;
  }

  private deliverGathered(): void {
    const total = this.envelopeTotal;
    this.envelopeFilled = 0;
    this.envelopeTotal = 0;
    this.sink(this.envelope, 0, total);
  }

  /** v5: segments; one that lies whole in the chunk is used in place. */
  private segments(chunk: Buffer): void {
    const prefix = this.headerBytes + 3;
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.state === HEADER) {
        if (this.headerFilled === 0 && end - pos >= prefix) {
          this.readHeader(chunk, pos);
          const payloadAt = pos + prefix;
          if (end - payloadAt >= this.payloadLength + 4) {
            const payloadEnd = payloadAt + this.payloadLength;
            if ((crc32(chunk.subarray(payloadAt, payloadEnd), PAYLOAD_CRC_SEED) | 0) !== chunk.readInt32LE(payloadEnd))
              throw new Error('segment payload CRC32 mismatch');
            this.payload(chunk, payloadAt, payloadEnd);
            pos = payloadEnd + 4;
            continue;
          }
          pos = payloadAt;
        } else {
          const n = Math.min(prefix - this.headerFilled, end - pos);
          chunk.copy(this.header, this.headerFilled, pos, pos + n);
          this.headerFilled += n;
          pos += n;
          if (this.headerFilled < prefix) return;
          this.readHeader(this.header, 0);
        }
        this.beginSplitPayload();
      } else if (this.state === PAYLOAD) {
        const n = Math.min(this.payloadLeft, end - pos);
        this.payloadCrc = crc32(chunk.subarray(pos, pos + n), this.payloadCrc);
        if (this.gatherSegment) chunk.copy(this.segment, 4 + this.segmentFilled, pos, pos + n);
        else if (this.gather(chunk, pos, pos + n) !== pos + n) throw new Error('segment slice overruns its envelope');
        this.segmentFilled += n;
        this.payloadLeft -= n;
        pos += n;
        if (this.payloadLeft === 0) {
          this.state = TRAILER;
          this.trailerFilled = 0;
        }
      } else {
        const n = Math.min(4 - this.trailerFilled, end - pos);
        chunk.copy(this.trailer, this.trailerFilled, pos, pos + n);
        this.trailerFilled += n;
        pos += n;
        if (this.trailerFilled < 4) return;
        if ((this.payloadCrc | 0) !== this.trailer.readInt32LE(0)) throw new Error('segment payload CRC32 mismatch');
        this.state = HEADER;
        this.headerFilled = 0;
        if (this.gatherSegment) this.payload(this.segment, 4, 4 + this.payloadLength);
        else if (this.envelopeFilled === this.envelopeTotal) this.deliverGathered();
      }
    }
  }

  /** Checks the header CRC24, then reads the lengths and the self-contained flag (§2.1, §2.2). */
  private readHeader(b: Buffer, at: number): void {
    const n = this.headerBytes;
    const expected = b[at + n]! | (b[at + n + 1]! << 8) | (b[at + n + 2]! << 16);
    if (headerCrc24(b, at, n) !== expected) throw new Error('segment header CRC24 mismatch');
    const b2 = b[at + 2]!;
    this.payloadLength = b[at]! | (b[at + 1]! << 8) | ((b2 & 1) << 16);
    if (n === 5) {
      const b4 = b[at + 4]!;
      this.uncompressedLength = (b2 >>> 1) | (b[at + 3]! << 7) | ((b4 & 3) << 15);
      this.selfContained = (b4 & 4) !== 0;
    } else {
      this.uncompressedLength = 0;
      this.selfContained = (b2 & 2) !== 0;
    }
  }

  /** A segment split across chunks: its payload is gathered whole, or (an uncompressed slice) straight into the envelope. */
  private beginSplitPayload(): void {
    this.state = PAYLOAD;
    this.payloadLeft = this.payloadLength;
    this.payloadCrc = PAYLOAD_CRC_SEED;
    this.segmentFilled = 0;
    this.gatherSegment = this.selfContained || this.uncompressedLength > 0;
    if (this.payloadLength === 0) this.state = TRAILER;
  }

  /**
   * A verified payload at [from, to) of `bytes`, with 4 writable bytes before it (segment header
   * bytes already checked, or the gather buffer's head): lz4 is decompressed by writing the size
   * prefix `lz4-napi` wants there, so the compressed bytes are not copied.
   */
  private payload(bytes: Buffer, from: number, to: number): void {
    let data = bytes;
    if (this.uncompressedLength > 0) {
      bytes.writeUInt32LE(this.uncompressedLength, from - 4);
      data = lz4Napi().uncompressSync(bytes.subarray(from - 4, to));
      if (data.length !== this.uncompressedLength) throw new Error('lz4 payload decompressed to the wrong length');
      from = 0;
      to = data.length;
    }
    if (!this.selfContained) {
      if (this.gather(data, from, to) !== to) throw new Error('segment slice overruns its envelope');
      if (this.envelopeFilled === this.envelopeTotal) this.deliverGathered();
      return;
    }
    if (this.envelopeFilled !== 0) throw new Error('self-contained segment inside a split envelope');
    while (from < to) {
      const total = to - from >= ENVELOPE_HEADER_BYTES ? envelopeSize(data, from) : Number.POSITIVE_INFINITY;
      if (to - from < total) throw new Error('self-contained segment ends inside an envelope');
      this.sink(data, from, from + total);
      from += total;
    }
  }
}

/** Header + body bytes of the envelope whose header is at `at`. */
function envelopeSize(b: Buffer, at: number): number {
  const length = b.readInt32BE(at + 5);
  if (length < 0 || length > MAX_ENVELOPE_BYTES - ENVELOPE_HEADER_BYTES)
    throw new Error(`envelope declares ${length} body bytes`);
  return ENVELOPE_HEADER_BYTES + length;
}

/**
 * One request envelope as it goes on the wire: as is in v4, in one self-contained segment in v5
 * (with lz4, stored uncompressed: an uncompressed length of 0, native_protocol_v5.spec §2.2).
 */
export function frameRequest(config: WireConfig, envelope: Buffer): Buffer {
  if (config === 'v4') return envelope;
  const n = config === 'v5-lz4' ? 5 : 3;
  const out = Buffer.allocUnsafe(n + 3 + envelope.length + 4);
  const len = envelope.length;
  out[0] = len & 0xff;
  out[1] = (len >>> 8) & 0xff;
  if (n === 5) {
    out[2] = (len >>> 16) & 1;
    out[3] = 0;
    out[4] = 4; // self-contained
  } else {
    out[2] = ((len >>> 16) & 1) | 2; // self-contained
  }
  const crc = headerCrc24(out, 0, n);
  out[n] = crc & 0xff;
  out[n + 1] = (crc >>> 8) & 0xff;
  out[n + 2] = (crc >>> 16) & 0xff;
  envelope.copy(out, n + 3);
  out.writeInt32LE(crc32(envelope, PAYLOAD_CRC_SEED) | 0, n + 3 + len);
  return out;
}
