import { describe, expect, it } from 'vitest';
import type { MetadataSource, TokenRange } from '../../../src/cluster/index.js';
import { ClusterMetadata, Host, type ReplicationStrategy, TokenRing } from '../../../src/cluster/index.js';
import { ArgumentError } from '../../../src/protocol/errors/index.js';

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

function host(n: number, dc: string, tokens: string[]): Host {
  const h = new Host(`10.0.0.${n}`, 9042);
  h.update({ dataCenter: dc, tokens });
  return h;
}

/** A metadata over a fixed ring and replication map (no connection: the sync API only). */
function metadataOver(hosts: Host[], replication: Record<string, ReplicationStrategy>, localDataCenter?: string) {
  const ring = new TokenRing(hosts);
  const source: MetadataSource = {
    queryControl: () => Promise.reject(new Error('not connected')),
    tokenRing: ring,
    controlGeneration: 1,
    replicationOf: (ks) => replication[ks] ?? { kind: 'other' },
    addListener: () => undefined,
  };
  return new ClusterMetadata(source, { localDataCenter });
}

const names = (r: TokenRange) => [r.start, r.end, r.replicas.map((h) => h.address.slice(7))];

/** True when `t` is in (start, end], the range wrapping when start >= end. */
function contains(r: TokenRange, t: bigint): boolean {
  return r.start < r.end ? t > r.start && t <= r.end : t > r.start || t <= r.end;
}

// ring: -100(A) 0(B) 100(C) 200(A) 300(D, dc2) 400(B)
const A = host(1, 'dc1', ['-100', '200']);
const B = host(2, 'dc1', ['0', '400']);
const C = host(3, 'dc1', ['100']);
const D = host(4, 'dc2', ['300']);

describe('ClusterMetadata.tokenRanges and replicas', () => {
  it('cuts the ring at every token, the wrapping range first, with the primary owner only by default', () => {
    const m = metadataOver([A, B, C, D], {});
    expect(m.tokenRanges().map(names)).toEqual([
      [400n, -100n, ['1']],
      [-100n, 0n, ['2']],
      [0n, 100n, ['3']],
      [100n, 200n, ['1']],
      [200n, 300n, ['4']],
      [300n, 400n, ['2']],
    ]);
  });

  it('every token, the ring ends and every boundary, lies in exactly one range, owned by its primary', () => {
    const m = metadataOver([A, B, C, D], { ks: { kind: 'simple', replicationFactor: 2 } });
    const ranges = m.tokenRanges('ks');
    for (const t of [MIN, MIN + 1n, -101n, -100n, -99n, 0n, 1n, 99n, 100n, 300n, 400n, 401n, MAX - 1n, MAX]) {
      const holding = ranges.filter((r) => contains(r, t));
      expect(holding.length, String(t)).toBe(1);
      expect(holding[0]!.replicas, String(t)).toEqual(m.replicas('ks', t));
    }
  });

  it('lists replicas per strategy: SimpleStrategy rf 2, two-DC NetworkTopologyStrategy, local DC first', () => {
    const nts: ReplicationStrategy = {
      kind: 'network',
      dataCenters: new Map([
        ['dc1', 2],
        ['dc2', 1],
      ]),
    };
    const m = metadataOver([A, B, C, D], { s2: { kind: 'simple', replicationFactor: 2 }, nts });
    expect(m.tokenRanges('s2').map(names)).toEqual([
      [400n, -100n, ['1', '2']],
      [-100n, 0n, ['2', '3']],
      [0n, 100n, ['3', '1']],
      [100n, 200n, ['1', '4']],
      [200n, 300n, ['4', '2']],
      [300n, 400n, ['2', '1']],
    ]);
    expect(m.tokenRanges('nts').map((r) => names(r)[2])).toEqual([
      ['1', '2', '4'],
      ['2', '3', '4'],
      ['3', '1', '4'],
      ['1', '4', '2'],
      ['4', '2', '1'],
      ['2', '1', '4'],
    ]);
    const local2 = metadataOver([A, B, C, D], { nts }, 'dc2');
    expect(local2.tokenRanges('nts').map((r) => names(r)[2])).toEqual([
      ['4', '1', '2'],
      ['4', '2', '3'],
      ['4', '3', '1'],
      ['4', '1', '2'],
      ['4', '2', '1'],
      ['4', '2', '1'],
    ]);
    expect(local2.replicas('nts', 150n).map((h) => h.address)).toEqual(['10.0.0.4', '10.0.0.1', '10.0.0.2']);
  });

  it('a one-token ring is one range covering every token; an empty ring has none', () => {
    const solo = host(9, 'dc1', ['42']);
    const m = metadataOver([solo], { ks: { kind: 'simple', replicationFactor: 3 } });
    const [only, ...rest] = m.tokenRanges('ks');
    expect(rest).toEqual([]);
    expect([only!.start, only!.end, only!.replicas]).toEqual([42n, 42n, [solo]]);
    for (const t of [MIN, 41n, 42n, 43n, MAX]) expect(contains(only!, t)).toBe(true);
    expect(metadataOver([], {}).tokenRanges('ks')).toEqual([]);
    expect(metadataOver([], {}).replicas('ks', 0n)).toEqual([]);
  });

  it('a token at -2^63 ends the range that wraps; (MIN, next] follows it', () => {
    const a = host(1, 'dc1', [String(MIN), '0']);
    const b = host(2, 'dc1', ['-5', '5']);
    const ranges = metadataOver([a, b], {}).tokenRanges();
    expect(ranges.map(names)).toEqual([
      [5n, MIN, ['1']],
      [MIN, -5n, ['2']],
      [-5n, 0n, ['1']],
      [0n, 5n, ['2']],
    ]);
    for (const t of [MIN, MIN + 1n, MAX, 6n]) expect(ranges.filter((r) => contains(r, t)).length, String(t)).toBe(1);
  });

  it('vnodes: 3 hosts x 16 tokens give 48 ranges that chain around the ring, rf 3 on every range', () => {
    const hosts = [0, 1, 2].map((n) =>
      host(
        n + 1,
        'dc1',
        Array.from({ length: 16 }, (_, i) => String(MIN + (2n ** 64n * BigInt(i * 3 + n)) / 48n)),
      ),
    );
    const ranges = metadataOver(hosts, { ks: { kind: 'simple', replicationFactor: 3 } }).tokenRanges('ks');
    expect(ranges.length).toBe(48);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end);
    expect(ranges[0]!.start).toBe(ranges[47]!.end);
    for (const r of ranges) expect(new Set(r.replicas).size).toBe(3);
  });

  it('NetworkTopologyStrategy puts replicas on distinct racks while it can, as Cassandra does', () => {
    const racked = (n: number, rack: string, token: string) => {
      const h = host(n, 'dc1', [token]);
      h.update({ rack });
      return h;
    };
    // ring order: 1(r1) 2(r1) 3(r2) 4(r2) 5(r3)
    const hosts = [
      racked(1, 'r1', '10'),
      racked(2, 'r1', '20'),
      racked(3, 'r2', '30'),
      racked(4, 'r2', '40'),
      racked(5, 'r3', '50'),
    ];
    const nts = (rf: number): ReplicationStrategy => ({ kind: 'network', dataCenters: new Map([['dc1', rf]]) });
    const m = metadataOver(hosts, { two: nts(2), three: nts(3), four: nts(4), nine: nts(9) });
    const at = (ks: string, t: bigint) => m.replicas(ks, t).map((h) => h.address.slice(7));
    expect(at('two', 5n)).toEqual(['1', '3']); // node 2 shares node 1's rack: skipped
    expect(at('three', 5n)).toEqual(['1', '3', '5']);
    // four replicas over three racks: one rack repeat allowed, taken by the first node met on a used rack
    expect(at('four', 5n)).toEqual(['1', '2', '3', '5']);
    expect(at('three', 45n)).toEqual(['5', '1', '3']);
    expect(at('nine', 5n)).toEqual(['1', '2', '3', '4', '5']); // fewer nodes than the RF: every node
  });

  it('returns a new array each call over the same frozen ranges, and refuses bad arguments', () => {
    const m = metadataOver([A, B], {});
    const first = m.tokenRanges();
    first.pop();
    expect(m.tokenRanges().length).toBe(4);
    expect(Object.isFrozen(m.tokenRanges()[0])).toBe(true);
    expect(() => m.replicas('ks', 2n ** 63n)).toThrow(ArgumentError);
    expect(() => m.replicas('ks', 5 as unknown as bigint)).toThrow(ArgumentError);
    expect(() => m.tokenRanges('')).toThrow(ArgumentError);
  });
});
