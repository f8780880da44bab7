export { ChunkQueue } from './chunk-queue.js';
export { crc24 } from './crc24.js';
export { crc32Table, SEGMENT_CRC32_SEED, segmentCrc32, segmentCrc32Update } from './crc32.js';
export type { SegmentDecoderOptions, SegmentInfo } from './segment-decoder.js';
export { SegmentDecoder } from './segment-decoder.js';
export type { SegmentEncodeOptions } from './segment-encoder.js';
export { encodeSegment, encodeSegments, gatherSegments } from './segment-encoder.js';
export type { SegmentHeader } from './segment-format.js';
export {
  CRC_SEGMENT_HEADER_LENGTH,
  decodeSegmentHeader,
  LZ4_SEGMENT_HEADER_LENGTH,
  MAX_SEGMENT_PAYLOAD,
  SEGMENT_HEADER_CRC_LENGTH,
  SEGMENT_TRAILER_LENGTH,
  segmentHeaderLength,
  writeSegmentHeader,
} from './segment-format.js';
