// biome-ignore-all assist/source/organizeImports: the internal export below must stay a statement of its own, so that stripInternal drops it alone from the .d.ts
export type { Compression } from './compression.js';
export { isCompression } from './compression.js';
export type { Lz4Binding, Lz4Loader } from './lz4-binding.js';
export { isLz4Available, LZ4_PACKAGE, lz4Binding } from './lz4-binding.js';
export { lz4CompressBlock, lz4DecompressBlock } from './lz4-block.js';
/** @internal Tests replace how the lz4 binding is loaded; published by no entry point. */
export { setLz4Loader } from './lz4-binding.js';
