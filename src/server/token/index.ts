// The Murmur3 partitioner lives in the protocol layer so the client's token-aware routing and
// the embedded server compute the very same tokens; the server keeps this import path.

export type { Token } from '../../protocol/token/index.js';
export {
  compareTokens,
  MAX_TOKEN,
  MIN_TOKEN,
  murmur3Token,
  murmur3TokenHalves,
  serializePartitionKey,
  splitPartitionKey,
  tokenFromBigInt,
  tokenHalves,
  tokenToBigInt,
} from '../../protocol/token/index.js';
