// The Murmur3 partitioner lives in the protocol layer so the client's token-aware routing and
// the embedded server compute the very same tokens; the server keeps this import path.
export {
  murmur3Token, murmur3TokenHalves, tokenHalves, serializePartitionKey, splitPartitionKey, compareTokens,
  tokenToBigInt, tokenFromBigInt, MIN_TOKEN, MAX_TOKEN,
} from '../../protocol/token/index.js';
export type { Token } from '../../protocol/token/index.js';
