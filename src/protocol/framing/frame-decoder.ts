import type { Compression } from '../compression/compression.js';
import { isCompression } from '../compression/compression.js';
import type { Envelope } from '../envelope/envelope.js';
import { decompressEnvelopeBody } from '../envelope/envelope-codec.js';
import { EnvelopeFlag } from '../envelope/envelope-flag.js';
import {
  DEFAULT_MAX_ENVELOPE_SIZE,
  decodeEnvelopeHeader,
  ENVELOPE_HEADER_LENGTH,
  envelopeFromHeader,
  envelopeHeaderLength,
} from '../envelope/envelope-header.js';
import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import { ChunkQueue } from '../segment/chunk-queue.js';
import { allocateEnvelopeMemory, ENVELOPE_MEMORY_MIN } from '../segment/envelope-memory.js';
import { SegmentDecoder, type SegmentInfo } from '../segment/segment-decoder.js';
import { MAX_SEGMENT_PAYLOAD } from '../segment/segment-format.js';

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest accepted envelope, header + body (default 256 MiB, the limit of native_protocol_v5.spec §2.4.1.5). */
  maxEnvelopeSize?: number;
  /** Largest accepted v5 segment payload, 1..131071 (default 131071: 17 bits, native_protocol_v5.spec §2.1). */
  maxSegmentPayload?: number;
  /** true on the client (decoding responses), false in a server (decoding requests). */
  expectResponses: boolean;
  /** Called once per verified v5 segment (diagnostics, tests). */
  onSegment?: (segment: SegmentInfo) => void;
  /**
   * v5: gather every envelope split over several segments into one buffer kept for the next one
   * (no allocation per large envelope); such an envelope's body is then valid only until the next
   * `next()` call. For embedders that use each envelope at once (a proxy forwarding it, a byte
   * counter), never for a client that hands out rows backed by the body. Default false.
   */
  reuseGatherBuffer?: boolean;
  /**
   * Pushed chunks are views of a read buffer the caller reuses (net's `onread`): the decoder then
   * copies whatever it hands out or keeps, and the caller must call `retainUnconsumed()` after
   * draining `next()` and before the buffer is reused. Saves allocating every read. Default false.
   */
  transientChunks?: boolean;
}

/** Options of {@link FrameDecoder.switchToSegments}. */
export interface SegmentSwitchOptions {
  compression: Compression;
}

/**
 * Bytes → envelopes for one direction of one connection, used alike by the client and the
 * embedded server. Push chunks as they arrive, then call `next()` until it returns undefined.
 *
 * It starts unframed (bare envelopes, native_protocol_v5.spec §2.3.1 (Initial Handshake)), where v3/v4 bodies
 * flagged COMPRESSED are decompressed once `setCompression('lz4')` was called (native_protocol_v4.spec §5
 * (Compression)). The first envelope may carry a v1/v2 8-byte header, which is how Cassandra
 * answers a too-old version (its `ProtocolVersion.decode`). After
 * `switchToSegments()` the bytes are v5 segments, starting with any bytes already received
 * beyond the last envelope returned. Bodies are views into the received chunks unless an
 * envelope spanned chunks. Malformed bytes throw a `ProtocolError`, and every later call throws it
 * again: a connection must be closed after one.
 */
export class FrameDecoder {
  private readonly queue = new ChunkQueue();
  private readonly maxEnvelopeSize: number;
  private readonly maxSegmentPayload: number;
  private readonly expectResponses: boolean;
  private readonly onSegment: ((segment: SegmentInfo) => void) | undefined;
  private readonly reuseGatherBuffer: boolean;
  private readonly scratch = Buffer.allocUnsafe(ENVELOPE_HEADER_LENGTH);
  private compression: Compression = 'none';
  private segments: SegmentDecoder | undefined;
  private decodedCount = 0;
  private failure: ProtocolError | undefined;

  constructor(options: FrameDecoderOptions) {
    const maxEnvelopeSize = options.maxEnvelopeSize ?? DEFAULT_MAX_ENVELOPE_SIZE;
    if (
      !Number.isInteger(maxEnvelopeSize) ||
      maxEnvelopeSize < ENVELOPE_HEADER_LENGTH ||
      maxEnvelopeSize > 0xffffffff
    ) {
      throw new ArgumentError(
        `maxEnvelopeSize must be an integer ${ENVELOPE_HEADER_LENGTH}..2^32-1, got ${maxEnvelopeSize}`,
      );
    }
    const maxSegmentPayload = options.maxSegmentPayload ?? MAX_SEGMENT_PAYLOAD;
    if (!Number.isInteger(maxSegmentPayload) || maxSegmentPayload < 1 || maxSegmentPayload > MAX_SEGMENT_PAYLOAD) {
      throw new ArgumentError(
        `maxSegmentPayload must be an integer 1..${MAX_SEGMENT_PAYLOAD}, got ${maxSegmentPayload}`,
      );
    }
    if (typeof options.expectResponses !== 'boolean') {
      throw new ArgumentError(`expectResponses must be true or false, got ${String(options.expectResponses)}`);
    }
    this.maxEnvelopeSize = maxEnvelopeSize;
    this.maxSegmentPayload = maxSegmentPayload;
    this.expectResponses = options.expectResponses;
    this.onSegment = options.onSegment;
    this.reuseGatherBuffer = options.reuseGatherBuffer === true;
    this.queue.transient = options.transientChunks === true;
  }

  /** 'unframed' until {@link switchToSegments}, then 'segments'. */
  get phase(): 'unframed' | 'segments' {
    return this.segments ? 'segments' : 'unframed';
  }

  /** Bytes taken off the stream so far (envelopes returned plus segment framing read). */
  get consumedBytes(): number {
    return this.queue.consumed;
  }

  /** Bytes received but not yet returned as envelopes (0 at a clean message boundary). */
  get pendingBytes(): number {
    return this.segments ? this.segments.pendingBytes : this.queue.length;
  }

  /** Unframed v3/v4 body compression: 'lz4' once STARTUP asked for it (native_protocol_v4.spec §5 (Compression)). */
  setCompression(compression: Compression): void {
    if (!isCompression(compression))
      throw new ArgumentError(`Unknown compression ${String(compression)}; expected 'lz4' or 'none'`);
    this.compression = compression;
  }

  /**
   * From now on the stream is v5 segments (after READY/AUTHENTICATE answered a v5 STARTUP,
   * native_protocol_v5.spec §2.3.1 (Initial Handshake)).
   * Bytes received past the last envelope returned are decoded as segments.
   */
  switchToSegments(options: SegmentSwitchOptions): void {
    if (this.failure) throw this.failure;
    if (this.segments)
      throw new ArgumentError('switchToSegments() called twice: the decoder is already decoding segments');
    if (!isCompression(options.compression)) {
      throw new ArgumentError(`Unknown compression ${String(options.compression)}; expected 'lz4' or 'none'`);
    }
    this.segments = new SegmentDecoder(
      {
        compression: options.compression,
        maxSegmentPayload: this.maxSegmentPayload,
        maxEnvelopeSize: this.maxEnvelopeSize,
        expectResponses: this.expectResponses,
        onSegment: this.onSegment,
        reuseGatherBuffer: this.reuseGatherBuffer,
      },
      this.queue,
    );
  }

  /** Adds received bytes (kept as they are, not copied). */
  push(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    if (!Buffer.isBuffer(chunk)) throw new ArgumentError('FrameDecoder.push() takes a Buffer');
    this.queue.push(chunk);
  }

  /**
   * With `transientChunks`: copies the bytes received but not yet decoded out of the caller's
   * read buffer (call it after `next()` returned undefined, before the buffer is reused).
   */
  retainUnconsumed(): void {
    this.queue.retainUnconsumed();
  }

  /** The next complete envelope, or undefined until more bytes arrive. */
  next(): Envelope | undefined {
    if (this.failure) throw this.failure;
    try {
      const envelope = this.segments ? this.segments.next() : this.nextUnframed();
      if (envelope) this.decodedCount++;
      return envelope;
    } catch (error) {
      this.failure =
        error instanceof ProtocolError
          ? error
          : new ProtocolError(`Malformed envelope: ${(error as Error).message}`, { cause: error });
      throw this.failure;
    }
  }

  private nextUnframed(): Envelope | undefined {
    const queue = this.queue;
    if (queue.length === 0) return undefined;
    queue.peekInto(this.scratch, 1);
    // only the very first envelope may be a v1/v2 one (a version error from the server)
    const headerLength = envelopeHeaderLength(this.scratch[0]!, this.decodedCount === 0);
    if (queue.length < headerLength) return undefined;
    queue.peekInto(this.scratch, headerLength);
    const h = decodeEnvelopeHeader(this.scratch, 0, {
      allowLegacy: this.decodedCount === 0,
      expectResponses: this.expectResponses,
      maxEnvelopeSize: this.maxEnvelopeSize,
    });
    if (queue.length < headerLength + h.bodyLength) return undefined;
    queue.skip(headerLength);
    let body: Buffer;
    if (queue.transient && h.bodyLength >= ENVELOPE_MEMORY_MIN) {
      // copied anyway (the chunks are a reused read buffer): into envelope memory of its own,
      // which its holder may recycle (a stream with recyclePages)
      body = allocateEnvelopeMemory(h.bodyLength).subarray(0, h.bodyLength);
      queue.takeInto(body, 0, h.bodyLength);
    } else body = queue.take(h.bodyLength);
    // native_protocol_v4.spec §5: v3/v4 bodies flagged COMPRESSED; in v5 the flag is deprecated and ignored
    if (this.compression === 'lz4' && (h.flags & EnvelopeFlag.COMPRESSED) !== 0 && h.version < 5) {
      body = decompressEnvelopeBody(body, this.maxEnvelopeSize - headerLength);
    }
    return envelopeFromHeader(h, body);
  }
}
