export type { Compression } from './compression.js';
export { isCompression } from './compression.js';
export { lz4CompressBlock, lz4DecompressBlock } from './lz4-block.js';
