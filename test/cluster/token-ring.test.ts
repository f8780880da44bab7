import { describe, expect, it } from 'vitest';
import { Host, parseReplication, TokenRing } from '../../src/cluster/index.js';

function host(n: number, dc: string, tokens: string[]): Host {
  const h = new Host(`10.0.0.${n}`, 9042);
  h.update({ dataCenter: dc, tokens });
  return h;
}

// ring: -100(A) 0(B) 100(C) 200(A) 300(D, dc2) 400(B)
const A = host(1, 'dc1', ['-100', '200']);
const B = host(2, 'dc1', ['0', '400']);
const C = host(3, 'dc1', ['100']);
const D = host(4, 'dc2', ['300']);
const ring = new TokenRing([A, B, C, D]);

describe('TokenRing', () => {
  it('gives a token to the first ring token at or after it, wrapping past the largest', () => {
    const owner = (t: bigint): Host => ring.replicas(t, 'ks_other', { kind: 'other' })[0]!;
    expect(owner(-100n)).toBe(A);
    expect(owner(-99n)).toBe(B);
    expect(owner(0n)).toBe(B);
    expect(owner(150n)).toBe(A);
    expect(owner(250n)).toBe(D);
    expect(owner(401n)).toBe(A); // wraps to -100
    expect(owner(-(2n ** 63n))).toBe(A);
  });

  it('SimpleStrategy: the next RF distinct hosts along the ring', () => {
    const simple2 = { kind: 'simple', replicationFactor: 2 } as const;
    expect(ring.replicas(50n, 'ks2', simple2)).toEqual([C, A]);
    expect(ring.replicas(350n, 'ks2', simple2)).toEqual([B, A]);
    expect(ring.replicas(150n, 'ks3', { kind: 'simple', replicationFactor: 3 })).toEqual([A, D, B]);
    expect(ring.replicas(150n, 'ks9', { kind: 'simple', replicationFactor: 9 })).toEqual([A, D, B, C]);
  });

  it('NetworkTopologyStrategy: RF distinct hosts per data center, in ring order', () => {
    const nts = {
      kind: 'network',
      dataCenters: new Map([
        ['dc1', 2],
        ['dc2', 1],
      ]),
    } as const;
    expect(ring.replicas(150n, 'nts', nts)).toEqual([A, D, B]);
    expect(ring.replicas(-50n, 'nts', nts)).toEqual([B, C, D]);
  });

  it('is empty without tokens, and ignores tokens that are not Murmur3 numbers', () => {
    const odd = new Host('10.0.0.9', 9042);
    odd.update({ tokens: ['abc'] });
    const r = new TokenRing([odd]);
    expect(r.isEmpty).toBe(true);
    expect(r.replicas(1n, 'ks', { kind: 'other' })).toEqual([]);
  });
});

describe('parseReplication', () => {
  it('reads SimpleStrategy and NetworkTopologyStrategy, short or qualified, with transient factors', () => {
    expect(
      parseReplication(
        new Map([
          ['class', 'org.apache.cassandra.locator.SimpleStrategy'],
          ['replication_factor', '3'],
        ]),
      ),
    ).toEqual({ kind: 'simple', replicationFactor: 3 });
    expect(
      parseReplication(
        new Map([
          ['class', 'NetworkTopologyStrategy'],
          ['dc1', '3/1'],
          ['dc2', '0'],
          ['dc3', '2'],
        ]),
      ),
    ).toEqual({
      kind: 'network',
      dataCenters: new Map([
        ['dc1', 3],
        ['dc3', 2],
      ]),
    });
    expect(parseReplication(new Map([['class', 'org.apache.cassandra.locator.LocalStrategy']]))).toEqual({
      kind: 'other',
    });
    expect(parseReplication(new Map([['class', 'SimpleStrategy']]))).toEqual({ kind: 'other' });
  });
});
