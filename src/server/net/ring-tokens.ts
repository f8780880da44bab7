/**
 * Murmur3 tokens for the nodes of a cluster: `tokensPerNode` tokens each, interleaved around
 * the ring [-2^63, 2^63) so every node owns the same share (like vnodes from an even allocator).
 * Returned as the decimal strings system.local / system.peers carry (set<text>).
 */
export function ringTokens(nodeCount: number, tokensPerNode: number): string[][] {
  const total = BigInt(nodeCount * tokensPerNode);
  const span = 1n << 64n;
  const min = -(1n << 63n);
  const out: string[][] = Array.from({ length: nodeCount }, () => []);
  for (let i = 0n; i < total; i++) {
    const token = min + (span * i) / total;
    out[Number(i % BigInt(nodeCount))]!.push(token.toString());
  }
  return out;
}
