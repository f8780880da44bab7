import type { Compression } from '../compression/compression.js';
import { isCompression } from '../compression/compression.js';
import type { Envelope, PartedEnvelope } from '../envelope/envelope.js';
import { encodeEnvelopes, gatherEnvelopes } from '../envelope/envelope-codec.js';
import { ArgumentError } from '../errors/cqlwire-error.js';
import { encodeSegments, gatherSegments } from '../segment/segment-encoder.js';
import { MAX_SEGMENT_PAYLOAD } from '../segment/segment-format.js';
import type { SegmentSwitchOptions } from './frame-decoder.js';

/** Options of {@link FrameEncoder}. */
export interface FrameEncoderOptions {
  /** Largest v5 segment payload written, 1..131071 (default 131071). */
  maxSegmentPayload?: number;
}

/**
 * Envelopes → bytes for one direction of one connection, the mirror of {@link FrameDecoder}.
 * Unframed at first (with v3/v4 per-envelope lz4 after `setCompression('lz4')`), v5 segments
 * after `switchToSegments()`, packing as many envelopes per segment as fit.
 */
export class FrameEncoder {
  private readonly maxSegmentPayload: number;
  private compression: Compression = 'none';
  private segmentCompression: Compression | undefined;

  constructor(options: FrameEncoderOptions = {}) {
    const max = options.maxSegmentPayload ?? MAX_SEGMENT_PAYLOAD;
    if (!Number.isInteger(max) || max < 1 || max > MAX_SEGMENT_PAYLOAD) {
      throw new ArgumentError(`maxSegmentPayload must be an integer 1..${MAX_SEGMENT_PAYLOAD}, got ${max}`);
    }
    this.maxSegmentPayload = max;
  }

  /** 'unframed' until {@link switchToSegments}, then 'segments'. */
  get phase(): 'unframed' | 'segments' {
    return this.segmentCompression ? 'segments' : 'unframed';
  }

  /** Unframed v3/v4 body compression (native_protocol_v4.spec §5). STARTUP and OPTIONS are never compressed. */
  setCompression(compression: Compression): void {
    if (!isCompression(compression))
      throw new ArgumentError(`Unknown compression ${String(compression)}; expected 'lz4' or 'none'`);
    this.compression = compression;
  }

  /** From now on write v5 segments (native_protocol_v5.spec §2.3.1 (Initial Handshake)). */
  switchToSegments(options: SegmentSwitchOptions): void {
    if (this.segmentCompression)
      throw new ArgumentError('switchToSegments() called twice: the encoder is already writing segments');
    if (!isCompression(options.compression)) {
      throw new ArgumentError(`Unknown compression ${String(options.compression)}; expected 'lz4' or 'none'`);
    }
    this.segmentCompression = options.compression;
  }

  /** The bytes to write for these envelopes, in order, as one Buffer. */
  encode(envelopes: readonly Envelope[]): Buffer {
    if (this.segmentCompression) {
      return encodeSegments(envelopes, {
        compression: this.segmentCompression,
        maxPayloadLength: this.maxSegmentPayload,
      });
    }
    return encodeEnvelopes(envelopes, { compression: this.compression });
  }

  /**
   * The buffers to write, in order, for envelopes whose bodies come in parts: long uncompressed
   * parts are passed on as views, not copied (write them with one corked or vectored write).
   */
  gather(envelopes: readonly PartedEnvelope[]): Buffer[] {
    if (this.segmentCompression) {
      return gatherSegments(envelopes, {
        compression: this.segmentCompression,
        maxPayloadLength: this.maxSegmentPayload,
      });
    }
    return gatherEnvelopes(envelopes, { compression: this.compression });
  }
}
