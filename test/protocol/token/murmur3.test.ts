import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  compareTokens,
  murmur3Token,
  murmur3TokenHalves,
  serializePartitionKey,
  splitPartitionKey,
  tokenFromBigInt,
  tokenHalves,
  tokenToBigInt,
} from '../../../src/protocol/token/index.js';

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

describe('Murmur3 token', () => {
  // Tokens of int partition keys 0..9 as Cassandra reports them with `SELECT token(pk)`
  // (quoted in several public test suites of Cassandra-compatible servers).
  const intVectors: [number, bigint][] = [
    [0, -3485513579396041028n],
    [1, -4069959284402364209n],
    [2, -3248873570005575792n],
    [3, 9010454139840013625n],
    [4, -2729420104000364805n],
    [5, -7509452495886106294n],
    [6, 2705480034054113608n],
    [7, 1634052884888577606n],
    [8, -3799847372828181882n],
    [9, 3728482343045213994n],
  ];
  for (const [key, token] of intVectors) {
    it(`token of int key ${key} is ${token}`, () => {
      expect(murmur3Token(int32(key))).toBe(token);
    });
  }

  // Text keys: the UTF-8 bytes are the key.
  const textVectors: [string, bigint][] = [
    ['a', -8839064797231613815n],
    ['ab', -7815133031266706642n],
    ['abc', -5434086359492102041n],
    ['hello', -3758069500696749310n],
  ];
  for (const [key, token] of textVectors) {
    it(`token of text key '${key}' is ${token}`, () => {
      expect(murmur3Token(Buffer.from(key, 'utf8'))).toBe(token);
    });
  }

  it('the empty key hashes to 0', () => {
    expect(murmur3Token(Buffer.alloc(0))).toBe(0n);
  });

  it('matches the cassandra-driver tokenizer on random keys of every tail length, high bytes included', () => {
    // cassandra-driver's Murmur3Tokenizer is an independent port of Cassandra's hash, including
    // the sign extension of tail bytes >= 0x80 that we must reproduce.
    const require = createRequire(import.meta.url);
    const { Murmur3Tokenizer } = require('cassandra-driver/lib/tokenizer.js') as {
      Murmur3Tokenizer: new () => { hash(b: Buffer): { getValue(): { toString(): string } } };
    };
    const tokenizer = new Murmur3Tokenizer();
    let seed = 12345;
    for (let len = 0; len < 80; len++) {
      const key = Buffer.alloc(len);
      for (let i = 0; i < len; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        key[i] = ((seed >>> 16) & 0xff) | (0x80 * (i & 1));
      }
      const expected = BigInt(tokenizer.hash(key).getValue().toString());
      expect({ len, token: murmur3Token(key) }).toEqual({ len, token: expected });
    }
  });

  it('hashes a sub-range of a buffer without copying it', () => {
    const big = Buffer.concat([Buffer.from('xx'), int32(1), Buffer.from('yy')]);
    murmur3TokenHalves(big, 2, 4);
    expect(tokenToBigInt(tokenHalves)).toBe(-4069959284402364209n);
  });
});

describe('partition key serialisation', () => {
  it('a single component is its bytes unchanged', () => {
    const k = int32(7);
    expect(serializePartitionKey([k])).toBe(k);
  });

  it('a composite key is length, bytes, 0x00 per component', () => {
    const key = serializePartitionKey([int32(1), Buffer.from('ab')]);
    expect(key.toString('hex')).toBe(
      '0004' +
        '00000001' +
        '00' + // component 1: length 4, int 1, end-of-component
        '0002' +
        '6162' +
        '00', // component 2: length 2, 'ab', end-of-component
    );
    expect(splitPartitionKey(key, 2)!.map((b) => b.toString('hex'))).toEqual(['00000001', '6162']);
  });

  it('a truncated composite key does not split', () => {
    expect(splitPartitionKey(Buffer.from('000400000001', 'hex'), 2)).toBeUndefined();
  });
});

describe('token values', () => {
  it('compares tokens signed and round-trips through bigint', () => {
    const a = tokenFromBigInt(-1n);
    const b = tokenFromBigInt(1n);
    expect(compareTokens(a.hi, a.lo, b.hi, b.lo)).toBe(-1);
    expect(tokenToBigInt(tokenFromBigInt(-(2n ** 63n)))).toBe(-(2n ** 63n));
    expect(tokenToBigInt(tokenFromBigInt(2n ** 63n - 1n))).toBe(2n ** 63n - 1n);
  });
});
