export { crc24 } from './crc24.js';
export { SEGMENT_CRC32_SEED, segmentCrc32, segmentCrc32Update, crc32Table } from './crc32.js';
export type { SegmentHeader } from './segment-format.js';
export {
  CRC_SEGMENT_HEADER_LENGTH,
  LZ4_SEGMENT_HEADER_LENGTH,
  MAX_SEGMENT_PAYLOAD,
  SEGMENT_HEADER_CRC_LENGTH,
  SEGMENT_TRAILER_LENGTH,
  decodeSegmentHeader,
  segmentHeaderLength,
  writeSegmentHeader,
} from './segment-format.js';
export type { SegmentEncodeOptions } from './segment-encoder.js';
export { encodeSegment, encodeSegments, gatherSegments } from './segment-encoder.js';
export type { SegmentDecoderOptions, SegmentInfo } from './segment-decoder.js';
export { SegmentDecoder } from './segment-decoder.js';
export { ChunkQueue } from './chunk-queue.js';
