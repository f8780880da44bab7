import { describe, expect, it } from 'vitest';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { PrimeSet } from '../../src/server/net/priming.js';

const query = (node = 0) => ({ node, opcode: Opcode.QUERY, queries: ['SELECT * FROM ks.t'], pageNumber: 1 });

describe('prime when.every', () => {
  it('applies to the n-th, 2n-th, ... matching request only, and counts only matching ones', () => {
    const primes = new PrimeSet();
    primes.add({ when: { node: 1, every: 3 }, then: { delayMs: 200 } });
    const applied: number[] = [];
    for (let i = 1; i <= 9; i++) {
      expect(primes.match(query(0))).toBeUndefined(); // another node: not counted
      if (primes.match(query(1)) !== undefined) applied.push(i);
    }
    expect(applied).toEqual([3, 6, 9]);
  });

  it('with times: stops after that many applications', () => {
    const primes = new PrimeSet();
    primes.add({ when: { every: 2, times: 2 }, then: { delayMs: 10 } });
    const applied = [1, 2, 3, 4, 5, 6, 7, 8].filter(() => primes.match(query()) !== undefined);
    expect(applied).toEqual([2, 4]);
  });

  it('refuses every: 0', () => {
    expect(() => new PrimeSet().add({ when: { every: 0 }, then: { delayMs: 1 } })).toThrow(
      'prime: when.every must be a positive integer, got 0',
    );
  });
});
