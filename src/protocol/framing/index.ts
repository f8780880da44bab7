export type { FrameDecoderOptions, SegmentSwitchOptions } from './frame-decoder.js';
export { FrameDecoder } from './frame-decoder.js';
export type { FrameEncoderOptions } from './frame-encoder.js';
export { FrameEncoder } from './frame-encoder.js';
