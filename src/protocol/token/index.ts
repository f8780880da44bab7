/** Cassandra's Murmur3Partitioner tokens: shared by the client (token-aware routing) and the embedded server. */
export { murmur3Token, murmur3TokenHalves, tokenHalves } from './murmur3.js';
export { serializePartitionKey, splitPartitionKey } from './partition-key.js';
export type { Token } from './token-value.js';
export { compareTokens, MAX_TOKEN, MIN_TOKEN, tokenFromBigInt, tokenToBigInt } from './token-value.js';
