// biome-ignore-all assist/source/organizeImports: the internal export below must stay a statement of its own (merged into the public one, stripInternal would drop murmur3Token from the .d.ts too)
/** Cassandra's Murmur3Partitioner tokens: shared by the client (token-aware routing) and the embedded server. */
export { murmur3Token } from './murmur3.js';
export { serializePartitionKey, splitPartitionKey } from './partition-key.js';
export type { Token } from './token-value.js';
export { compareTokens, MAX_TOKEN, MIN_TOKEN, tokenFromBigInt, tokenToBigInt } from './token-value.js';
/**
 * @internal The embedded server's allocation-free hashing: the token lands in one module-level
 * scratch object, read right after the call. Published by no entry point.
 */
export { murmur3TokenHalves, tokenHalves } from './murmur3.js';
