/**
 * A Murmur3 token as two 32-bit halves (signed high, unsigned low) so that comparing tokens on
 * the hot path needs neither BigInt nor an allocation.
 */
export interface Token {
  readonly hi: number;
  readonly lo: number;
}

/** Long.MIN_VALUE: the ring's minimum token, never the token of a key (spec of Murmur3Partitioner). */
export const MIN_TOKEN = -(2n ** 63n);
/** Long.MAX_VALUE. */
export const MAX_TOKEN = 2n ** 63n - 1n;

/** Signed comparison of two tokens given as halves. */
export function compareTokens(aHi: number, aLo: number, bHi: number, bLo: number): number {
  if (aHi !== bHi) return aHi < bHi ? -1 : 1;
  if (aLo !== bLo) return aLo < bLo ? -1 : 1;
  return 0;
}

export function tokenToBigInt(t: Token): bigint {
  return (BigInt(t.hi) << 32n) | BigInt(t.lo);
}

export function tokenFromBigInt(v: bigint): Token {
  const u = BigInt.asUintN(64, v);
  return { hi: Number(BigInt.asIntN(32, u >> 32n)), lo: Number(u & 0xffffffffn) };
}
