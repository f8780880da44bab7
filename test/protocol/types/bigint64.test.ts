import { describe, expect, it } from 'vitest';
import { readInt64BigInt } from '../../../src/protocol/types/bigint64.js';

describe('readInt64BigInt (the bigint/counter decoders)', () => {
  const values = [
    0n,
    1n,
    -1n,
    255n,
    256n,
    -256n,
    2n ** 31n,
    -(2n ** 31n) - 1n,
    2n ** 63n - 1n,
    -(2n ** 63n),
    1234567890123456789n,
  ];
  it('reads what Buffer.writeBigInt64BE wrote, at any offset', () => {
    const buf = Buffer.alloc(3 + 8 * values.length);
    values.forEach((v, i) => buf.writeBigInt64BE(v, 3 + 8 * i));
    expect(values.map((_, i) => readInt64BigInt(buf, 3 + 8 * i))).toEqual(values);
  });
  it('agrees with Buffer.readBigInt64BE on seeded random bytes', () => {
    const buf = Buffer.alloc(8 * 500);
    let seed = 12345;
    for (let i = 0; i < buf.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      buf[i] = seed >>> 24;
    }
    for (let o = 0; o + 8 <= buf.length; o += 8) expect(readInt64BigInt(buf, o)).toBe(buf.readBigInt64BE(o));
  });
});
