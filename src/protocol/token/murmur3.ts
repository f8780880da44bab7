/**
 * Cassandra's Murmur3Partitioner token: the first 64 bits of MurmurHash3 x64/128 (seed 0) over
 * the serialised partition key, as `org.apache.cassandra.utils.MurmurHash.hash3_x64_128` computes
 * them. 64-bit arithmetic is done on two unsigned 32-bit halves held in module-level registers,
 * so hashing allocates nothing and uses no BigInt (the server hashes every inserted row).
 */

// 64-bit "registers": [hi, lo] as unsigned 32-bit numbers. Module-level scratch, reused.
let rH = 0;
let rL = 0;

/** r = a * b mod 2^64 (16-bit limbs so every partial product is exact in a double). */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a48 = ah >>> 16,
    a32 = ah & 0xffff,
    a16 = al >>> 16,
    a00 = al & 0xffff;
  const b48 = bh >>> 16,
    b32 = bh & 0xffff,
    b16 = bl >>> 16,
    b00 = bl & 0xffff;
  let c00 = a00 * b00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * b00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * b16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * b00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * b16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * b32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += a48 * b00 + a32 * b16 + a16 * b32 + a00 * b48;
  c48 &= 0xffff;
  rH = ((c48 << 16) | c32) >>> 0;
  rL = ((c16 << 16) | c00) >>> 0;
}

/** r = rotl64(x, n), 0 < n < 64. */
function rotl(h: number, l: number, n: number): void {
  if (n >= 32) {
    const t = h;
    h = l;
    l = t;
    n -= 32;
  }
  if (n === 0) {
    rH = h >>> 0;
    rL = l >>> 0;
    return;
  }
  rH = ((h << n) | (l >>> (32 - n))) >>> 0;
  rL = ((l << n) | (h >>> (32 - n))) >>> 0;
}

/** r = a + b mod 2^64. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  rL = lo >>> 0;
  rH = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

// Constants of MurmurHash3 x64/128 as [hi, lo].
const C1H = 0x87c37b91,
  C1L = 0x114253d5;
const C2H = 0x4cf5ad43,
  C2L = 0x2745937f;
const F1H = 0xff51afd7,
  F1L = 0xed558ccd;
const F2H = 0xc4ceb9fe,
  F2L = 0x1a85ec53;

/** r = fmix64(x). */
function fmix(h: number, l: number): void {
  // k ^= k >>> 33
  l = (l ^ (h >>> 1)) >>> 0;
  mul(h, l, F1H, F1L);
  h = rH;
  l = (rL ^ (rH >>> 1)) >>> 0;
  mul(h, l, F2H, F2L);
  h = rH;
  l = (rL ^ (rH >>> 1)) >>> 0;
  rH = h;
  rL = l;
}

/**
 * Sign-extended XOR of one tail byte into a 64-bit lane, as Java's `((long) key.get(i)) << shift`
 * does: a byte ≥ 0x80 is negative in Java, so every bit above it is set too. This is Cassandra's
 * known deviation from reference Murmur3 and must be kept for tokens to match.
 */
let tH = 0;
let tL = 0;
function tailXor(byte: number, shift: number): void {
  const signed = (byte << 24) >> 24;
  if (shift < 32) {
    tL = (tL ^ (signed << shift)) >>> 0;
    if (signed < 0) tH = (tH ^ 0xffffffff) >>> 0;
  } else {
    tH = (tH ^ (signed << (shift - 32))) >>> 0;
  }
}

/**
 * @internal The token's two halves after `murmur3TokenHalves`; read right after the call.
 * Mutable scratch shared by every caller: never published by an entry point.
 */
export const tokenHalves = { hi: 0, lo: 0 };

/**
 * @internal Computes the Murmur3 token of `key[offset, offset+length)` into `tokenHalves` (signed hi as
 * int32, lo as uint32). Long.MIN_VALUE is normalised to Long.MAX_VALUE as
 * `Murmur3Partitioner.normalize` does (MIN_VALUE is reserved as the ring's minimum token).
 */
export function murmur3TokenHalves(key: Uint8Array, offset = 0, length = key.length - offset): void {
  let h1H = 0,
    h1L = 0,
    h2H = 0,
    h2L = 0;
  const nblocks = length >>> 4;
  for (let i = 0; i < nblocks; i++) {
    const p = offset + i * 16;
    // getblock: little-endian 64-bit words.
    let k1L = (key[p]! | (key[p + 1]! << 8) | (key[p + 2]! << 16) | (key[p + 3]! << 24)) >>> 0;
    let k1H = (key[p + 4]! | (key[p + 5]! << 8) | (key[p + 6]! << 16) | (key[p + 7]! << 24)) >>> 0;
    let k2L = (key[p + 8]! | (key[p + 9]! << 8) | (key[p + 10]! << 16) | (key[p + 11]! << 24)) >>> 0;
    let k2H = (key[p + 12]! | (key[p + 13]! << 8) | (key[p + 14]! << 16) | (key[p + 15]! << 24)) >>> 0;

    mul(k1H, k1L, C1H, C1L);
    rotl(rH, rL, 31);
    mul(rH, rL, C2H, C2L);
    k1H = rH;
    k1L = rL;
    h1H = (h1H ^ k1H) >>> 0;
    h1L = (h1L ^ k1L) >>> 0;
    rotl(h1H, h1L, 27);
    add(rH, rL, h2H, h2L);
    mul(rH, rL, 0, 5);
    add(rH, rL, 0, 0x52dce729);
    h1H = rH;
    h1L = rL;

    mul(k2H, k2L, C2H, C2L);
    rotl(rH, rL, 33);
    mul(rH, rL, C1H, C1L);
    k2H = rH;
    k2L = rL;
    h2H = (h2H ^ k2H) >>> 0;
    h2L = (h2L ^ k2L) >>> 0;
    rotl(h2H, h2L, 31);
    add(rH, rL, h1H, h1L);
    mul(rH, rL, 0, 5);
    add(rH, rL, 0, 0x38495ab5);
    h2H = rH;
    h2L = rL;
  }

  const tail = offset + nblocks * 16;
  const rest = length & 15;
  if (rest > 8) {
    tH = 0;
    tL = 0;
    for (let i = rest - 1; i >= 8; i--) tailXor(key[tail + i]!, (i - 8) * 8);
    mul(tH, tL, C2H, C2L);
    rotl(rH, rL, 33);
    mul(rH, rL, C1H, C1L);
    h2H = (h2H ^ rH) >>> 0;
    h2L = (h2L ^ rL) >>> 0;
  }
  if (rest > 0) {
    tH = 0;
    tL = 0;
    for (let i = Math.min(rest, 8) - 1; i >= 0; i--) tailXor(key[tail + i]!, i * 8);
    mul(tH, tL, C1H, C1L);
    rotl(rH, rL, 31);
    mul(rH, rL, C2H, C2L);
    h1H = (h1H ^ rH) >>> 0;
    h1L = (h1L ^ rL) >>> 0;
  }

  // h ^= length (length is an int, sign-extended; it is never negative here).
  h1L = (h1L ^ length) >>> 0;
  h2L = (h2L ^ length) >>> 0;
  add(h1H, h1L, h2H, h2L);
  h1H = rH;
  h1L = rL;
  add(h2H, h2L, h1H, h1L);
  h2H = rH;
  h2L = rL;
  fmix(h1H, h1L);
  h1H = rH;
  h1L = rL;
  fmix(h2H, h2L);
  h2H = rH;
  h2L = rL;
  add(h1H, h1L, h2H, h2L);
  let hi = rH | 0;
  let lo = rL;
  if (hi === -0x80000000 && lo === 0) {
    hi = 0x7fffffff;
    lo = 0xffffffff;
  }
  tokenHalves.hi = hi;
  tokenHalves.lo = lo;
}

/** The Murmur3 token of a serialised partition key, as a signed 64-bit bigint. */
export function murmur3Token(key: Uint8Array): bigint {
  murmur3TokenHalves(key);
  return (BigInt(tokenHalves.hi) << 32n) | BigInt(tokenHalves.lo);
}
