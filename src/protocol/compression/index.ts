export type { Compression } from './compression.js';
export { isCompression } from './compression.js';
export type { Lz4Binding, Lz4Loader } from './lz4-binding.js';
export { isLz4Available, LZ4_PACKAGE, lz4Binding, setLz4Loader } from './lz4-binding.js';
export { lz4CompressBlock, lz4DecompressBlock } from './lz4-block.js';
