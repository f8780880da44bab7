import type { Compression } from '../compression/compression.js';
import { LZ4_INPUT_PREFIX, lz4DecompressPrefixed } from '../compression/lz4-block.js';
import type { Envelope } from '../envelope/envelope.js';
import {
  DEFAULT_MAX_ENVELOPE_SIZE,
  decodeEnvelopeHeader,
  ENVELOPE_HEADER_LENGTH,
  type EnvelopeHeaderLimits,
  envelopeFromHeader,
} from '../envelope/envelope-header.js';
import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import { ChunkQueue } from './chunk-queue.js';
import { SEGMENT_CRC32_SEED, segmentCrc32Update } from './crc32.js';
import { allocateEnvelopeMemory, forgetEnvelopeMemory, recycleEnvelopeMemory } from './envelope-memory.js';
import {
  decodeSegmentHeader,
  MAX_SEGMENT_PAYLOAD,
  SEGMENT_HEADER_CRC_LENGTH,
  SEGMENT_TRAILER_LENGTH,
  segmentHeaderLength,
} from './segment-format.js';

/** What the decoder saw of one segment (for diagnostics and tests). */
export interface SegmentInfo {
  /** Offset of the segment's first byte in the stream this decoder's queue has consumed. */
  offset: number;
  headerLength: number;
  payloadLength: number;
  uncompressedLength: number;
  selfContained: boolean;
}

/** Options of {@link SegmentDecoder}. */
export interface SegmentDecoderOptions {
  compression: Compression;
  /** Largest accepted payload (compressed and uncompressed); default and ceiling 131071. */
  maxSegmentPayload?: number;
  /** Largest accepted envelope, header + body; default 256 MiB. */
  maxEnvelopeSize?: number;
  /** If set, every envelope must carry this direction. */
  expectResponses?: boolean;
  /** Called once per verified segment, before its envelopes are handed out. */
  onSegment?: (segment: SegmentInfo) => void;
  /**
   * Gather every split envelope into one buffer kept for the next one; such an envelope's body is
   * then valid only until the next `next()` call (see `FrameDecoderOptions.reuseGatherBuffer`).
   */
  reuseGatherBuffer?: boolean;
}

/**
 * A split envelope is gathered into a buffer of its declared size when that is at most this
 * (a page of rows arrives without any regrowth copy); a larger declared size starts here and
 * grows with the bytes received, so a hostile header cannot make us set aside more than this.
 */
const INITIAL_GATHER_CAP = 2 * 1024 * 1024;

/**
 * Incremental v5 segment decoder (native_protocol_v5.spec §2 (Frame Format); the spec's "frames"):
 * bytes in, envelopes out, whatever the chunk boundaries. Per segment it checks the header CRC24
 * before believing the lengths, and the payload CRC32 before decompressing. Self-contained payloads
 * yield their envelopes as views; slices of a large envelope are gathered into one buffer sized
 * from the envelope's own header (checked against `maxEnvelopeSize` first). Self-contained segments
 * arriving while slices are being gathered are decoded independently, as the server and the Java
 * driver do (native_protocol_v5.spec §1 (Overview) describes self-contained frames and split
 * envelopes).
 */
export class SegmentDecoder {
  private readonly queue: ChunkQueue;
  private readonly compression: Compression;
  private readonly headerLength: number;
  private readonly maxPayload: number;
  private readonly limits: EnvelopeHeaderLimits;
  private readonly onSegment: ((segment: SegmentInfo) => void) | undefined;
  private readonly scratch = Buffer.allocUnsafe(16);
  /** The self-contained payload being split into envelopes, and the read position in it. */
  private payload: Buffer | undefined;
  private payloadPos = 0;
  /** The large envelope being gathered from slices, and how much of it has arrived. */
  private gathering: Buffer | undefined;
  private gathered = 0;
  /** The declared size of the envelope being gathered (header + body). */
  private gatherTarget = 0;
  private failure: ProtocolError | undefined;
  private readonly reuseGatherBuffer: boolean;
  /** Where a compressed payload waits for the decompressor (see `compressedInput`). */
  private compressedScratch: Buffer | undefined;
  /** With `reuseGatherBuffer`: the buffer the last split envelope was gathered into. */
  private spareGather: Buffer | undefined;

  /**
   * `queue` lets a caller hand over bytes it already holds (the switch to framing,
   * native_protocol_v5.spec §2.3.1 (Initial Handshake)).
   */
  constructor(options: SegmentDecoderOptions, queue: ChunkQueue = new ChunkQueue()) {
    const maxPayload = options.maxSegmentPayload ?? MAX_SEGMENT_PAYLOAD;
    if (!Number.isInteger(maxPayload) || maxPayload < 1 || maxPayload > MAX_SEGMENT_PAYLOAD) {
      throw new ArgumentError(`maxSegmentPayload must be an integer 1..${MAX_SEGMENT_PAYLOAD}, got ${maxPayload}`);
    }
    const maxEnvelopeSize = options.maxEnvelopeSize ?? DEFAULT_MAX_ENVELOPE_SIZE;
    if (!Number.isInteger(maxEnvelopeSize) || maxEnvelopeSize < ENVELOPE_HEADER_LENGTH) {
      throw new ArgumentError(`maxEnvelopeSize must be an integer ≥ ${ENVELOPE_HEADER_LENGTH}, got ${maxEnvelopeSize}`);
    }
    this.queue = queue;
    this.compression = options.compression;
    this.headerLength = segmentHeaderLength(options.compression);
    this.maxPayload = maxPayload;
    this.limits = { allowLegacy: false, expectResponses: options.expectResponses, maxEnvelopeSize };
    this.onSegment = options.onSegment;
    this.reuseGatherBuffer = options.reuseGatherBuffer === true;
  }

  /** Adds received bytes. */
  push(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    this.queue.push(chunk);
  }

  /** The next complete envelope, or undefined until more bytes arrive. */
  next(): Envelope | undefined {
    if (this.failure) throw this.failure;
    try {
      return this.decodeNext();
    } catch (error) {
      this.failure =
        error instanceof ProtocolError
          ? error
          : new ProtocolError(`Malformed segment: ${(error as Error).message}`, { cause: error });
      throw this.failure;
    }
  }

  /** Bytes received but not yet returned as envelopes (0 at a clean message boundary). */
  get pendingBytes(): number {
    return this.queue.length + (this.payload ? this.payload.length - this.payloadPos : 0) + this.gathered;
  }

  private decodeNext(): Envelope | undefined {
    for (;;) {
      if (this.payload) {
        const envelope = this.nextFromPayload(this.payload);
        if (envelope) return envelope;
        this.payload = undefined;
      }
      const envelope = this.readSegment();
      if (envelope === null) return undefined; // need more bytes
      if (envelope) return envelope;
    }
  }

  /**
   * Reads one whole segment off the queue. Returns null if it has not fully arrived, an envelope
   * when a slice completed one, undefined when it set up a self-contained payload (or absorbed a
   * slice) and the caller should loop.
   */
  private readSegment(): Envelope | null | undefined {
    const queue = this.queue;
    const prefix = this.headerLength + SEGMENT_HEADER_CRC_LENGTH;
    if (queue.length < prefix) return null;
    queue.peekInto(this.scratch, prefix);
    const header = decodeSegmentHeader(this.scratch, 0, this.compression);
    const { payloadLength, uncompressedLength, selfContained } = header;
    if (payloadLength > this.maxPayload || uncompressedLength > this.maxPayload) {
      throw new ProtocolError(
        `Segment declares ${payloadLength} payload bytes (${uncompressedLength} uncompressed), above the limit of ${this.maxPayload}`,
      );
    }
    if (queue.length < prefix + payloadLength + SEGMENT_TRAILER_LENGTH) return null;
    const offset = queue.consumed;
    queue.skip(prefix);
    // native_protocol_v5.spec §2.1/§2.2: CRC32 over the payload exactly as transmitted, checked before
    // anything in it is believed (and before decompressing); computed in place over the received
    // chunks.
    queue.peekInto(this.scratch, SEGMENT_TRAILER_LENGTH, payloadLength);
    const expected = this.scratch.readUInt32LE(0);
    const actual = queue.checksum(payloadLength, segmentCrc32Update, SEGMENT_CRC32_SEED) >>> 0;
    if (expected !== actual) {
      throw new ProtocolError(
        `Segment payload CRC32 mismatch: trailer says 0x${expected.toString(16).padStart(8, '0')}, computed 0x${actual.toString(16).padStart(8, '0')} (${payloadLength} bytes)`,
      );
    }
    this.onSegment?.({ offset, headerLength: header.headerLength, payloadLength, uncompressedLength, selfContained });
    if (!selfContained && uncompressedLength === 0) {
      // A raw slice of a large envelope: copied once, from the chunks straight into the envelope.
      const envelope = this.addSlice(queue, payloadLength);
      queue.skip(SEGMENT_TRAILER_LENGTH);
      return envelope;
    }
    let payload: Buffer;
    if (uncompressedLength > 0) {
      // native_protocol_v5.spec §2.2 (LZ4 Compressed Format): the compressed bytes go from the
      // chunks straight behind the decompressor's size prefix in this decoder's scratch (no copy
      // of their own), which is wiped afterwards: a compressed AUTH_RESPONSE keeps the password's
      // bytes as literals, and the scratch outlives the segment
      const input = this.compressedInput(payloadLength);
      queue.takeInto(input, LZ4_INPUT_PREFIX, payloadLength);
      queue.skip(SEGMENT_TRAILER_LENGTH);
      try {
        payload = lz4DecompressPrefixed(input, uncompressedLength, this.maxPayload);
      } finally {
        input.fill(0);
      }
    } else if (queue.transient && selfContained) {
      // copied anyway (the chunks are a reused read buffer): into envelope memory, recyclable if
      // this payload turns out to hold a single envelope (nextFromPayload forgets it otherwise)
      payload = allocateEnvelopeMemory(payloadLength).subarray(0, payloadLength);
      queue.takeInto(payload, 0, payloadLength);
      queue.skip(SEGMENT_TRAILER_LENGTH);
    } else {
      // native_protocol_v5.spec §2.2: uncompressed length 0 means the payload was sent raw
      payload = queue.take(payloadLength);
      queue.skip(SEGMENT_TRAILER_LENGTH);
    }
    if (selfContained) {
      this.payload = payload;
      this.payloadPos = 0;
      return undefined;
    }
    return this.addSlice(payload, payload.length);
  }

  /**
   * A view of exactly `LZ4_INPUT_PREFIX + payloadLength` bytes of this decoder's scratch for a
   * compressed payload (memory of its own, never the shared pool; grown on demand up to the
   * largest payload this decoder accepts).
   */
  private compressedInput(payloadLength: number): Buffer {
    const size = LZ4_INPUT_PREFIX + payloadLength;
    let scratch = this.compressedScratch;
    if (scratch === undefined || scratch.length < size) {
      scratch = Buffer.allocUnsafeSlow(Math.max(size, Math.min(LZ4_INPUT_PREFIX + this.maxPayload, 2 * size)));
      scratch.fill(0);
      this.compressedScratch = scratch;
    }
    return scratch.subarray(0, size);
  }

  /** The next envelope of a self-contained payload, or undefined when it is exhausted. */
  private nextFromPayload(payload: Buffer): Envelope | undefined {
    const pos = this.payloadPos;
    const left = payload.length - pos;
    if (left === 0) return undefined;
    // native_protocol_v5.spec §1 (Overview): a self-contained segment holds whole envelopes only.
    if (left < ENVELOPE_HEADER_LENGTH) {
      throw new ProtocolError(`Self-contained segment ends with ${left} bytes, less than an envelope header`);
    }
    const h = decodeEnvelopeHeader(payload, pos, this.limits);
    const end = pos + ENVELOPE_HEADER_LENGTH + h.bodyLength;
    if (end > payload.length) {
      throw new ProtocolError(
        `Envelope on stream ${h.stream} declares ${h.bodyLength} body bytes but its self-contained segment holds only ${left - ENVELOPE_HEADER_LENGTH}`,
      );
    }
    this.payloadPos = end;
    // a body sharing its memory with other envelopes must never be recycled with one of them
    if (pos !== 0 || end !== payload.length) forgetEnvelopeMemory(payload);
    return envelopeFromHeader(h, payload.subarray(pos + ENVELOPE_HEADER_LENGTH, end));
  }

  /**
   * Adds a non-self-contained slice (native_protocol_v5.spec §1) of `length` bytes, either a Buffer or the next bytes
   * of the queue (consumed here); returns the envelope once all of it has arrived. The gathering
   * buffer is sized from the envelope's declared length up to a cap, then grows with the bytes
   * actually received (doubling, capped at the declared size), so a 20-byte slice declaring a
   * 200 MiB envelope costs at most the cap, not 200 MiB.
   */
  private addSlice(slice: Buffer | ChunkQueue, length: number): Envelope | undefined {
    if (this.gathering === undefined) {
      if (length < ENVELOPE_HEADER_LENGTH) {
        throw new ProtocolError(`First slice of a split envelope has ${length} bytes, less than the envelope header`);
      }
      // The header's own length (checked against maxEnvelopeSize) is the target size.
      let headerBytes: Buffer;
      if (Buffer.isBuffer(slice)) headerBytes = slice;
      else {
        slice.peekInto(this.scratch, ENVELOPE_HEADER_LENGTH);
        headerBytes = this.scratch;
      }
      const h = decodeEnvelopeHeader(headerBytes, 0, this.limits);
      const total = ENVELOPE_HEADER_LENGTH + h.bodyLength;
      if (length > total) {
        throw new ProtocolError(
          `Slice of ${length} bytes is longer than its ${total}-byte envelope (stream ${h.stream})`,
        );
      }
      if (length === total) return this.envelopeFrom(Buffer.isBuffer(slice) ? slice : slice.take(length));
      this.gatherTarget = total;
      const spare = this.spareGather;
      const capacity = Math.min(total, Math.max(2 * length, INITIAL_GATHER_CAP));
      this.gathering = this.reuseGatherBuffer
        ? spare !== undefined && spare.length >= total
          ? spare
          : Buffer.allocUnsafe(capacity)
        : allocateEnvelopeMemory(capacity);
      this.gathered = 0;
    }
    const total = this.gatherTarget;
    if (this.gathered + length > total) {
      throw new ProtocolError(
        `Slice of ${length} bytes overruns its envelope: ${this.gathered} of ${total} bytes already gathered`,
      );
    }
    let target = this.gathering;
    if (this.gathered + length > target.length) {
      let capacity = target.length * 2;
      while (capacity < this.gathered + length) capacity *= 2;
      const grown = this.reuseGatherBuffer
        ? Buffer.allocUnsafe(Math.min(total, capacity))
        : allocateEnvelopeMemory(Math.min(total, capacity));
      target.copy(grown, 0, 0, this.gathered);
      if (!this.reuseGatherBuffer) recycleEnvelopeMemory(target); // nothing else ever saw it
      target = grown;
      this.gathering = grown;
    }
    if (Buffer.isBuffer(slice)) slice.copy(target, this.gathered);
    else slice.takeInto(target, this.gathered, length);
    this.gathered += length;
    if (this.gathered < total) return undefined;
    if (this.reuseGatherBuffer) this.spareGather = target;
    this.gathering = undefined;
    this.gathered = 0;
    return this.envelopeFrom(target.length === total ? target : target.subarray(0, total));
  }

  private envelopeFrom(bytes: Buffer): Envelope {
    return envelopeFromHeader(decodeEnvelopeHeader(bytes, 0, this.limits), bytes.subarray(ENVELOPE_HEADER_LENGTH));
  }
}
