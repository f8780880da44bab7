import { describe, expect, it } from 'vitest';
import type { TableMetadata } from '../../src/cluster/index.js';
import { MIN_TOKEN } from '../../src/protocol/token/index.js';
import {
  type RangeEstimate,
  type RingRange,
  type ScanContext,
  type ScanOptions,
  startTableScan,
  type TableScan,
} from '../../src/scan/index.js';

/** A node as the scheduler sees it. */
interface FakeHost {
  readonly name: string;
  readonly dc: string;
  up: boolean;
}

const TABLE = {
  keyspace: 'ks',
  name: 't',
  columns: [{ name: 'id' }, { name: 'v' }],
  partitionKey: [{ name: 'id' }],
  column: (n: string) => (n === 'id' || n === 'v' ? { name: n } : undefined),
} as unknown as TableMetadata;

/**
 * A scan over a fake session whose page requests never answer: enough to see how the ring was cut
 * (the checkpoint) and how many ranges were started (the requests), with no server.
 */
function fakeScan(
  options: ScanOptions,
  setup: { hosts?: FakeHost[]; ring?: RingRange<FakeHost>[]; estimates?: RangeEstimate[] } = {},
): { scan: Promise<TableScan>; requests: { values: readonly bigint[]; hint: FakeHost | undefined }[] } {
  const hosts = setup.hosts ?? [
    { name: 'a', dc: 'dc1', up: true },
    { name: 'b', dc: 'dc1', up: true },
  ];
  const ring = setup.ring ?? [
    { start: 0n, end: MIN_TOKEN, replicas: [hosts[0]!] },
    { start: MIN_TOKEN, end: 0n, replicas: [hosts[1 % hosts.length]!] },
  ];
  const requests: { values: readonly bigint[]; hint: FakeHost | undefined }[] = [];
  const ctx: ScanContext<FakeHost> = {
    session: {
      fetchPage(_statement, params, o) {
        requests.push({ values: params as bigint[], hint: o.hostHint });
        return new Promise(() => undefined);
      },
    },
    metadata: {
      table: (ks, name) => Promise.resolve(ks === 'ks' && name === 't' ? TABLE : undefined),
      tokenRanges: () => ring,
      sizeEstimates: () => Promise.resolve(setup.estimates ?? []),
    },
    hosts: { isUp: (h) => h.up, isLocal: (h) => h.dc === 'dc1' },
    allHosts: hosts,
    keyspace: undefined,
  };
  return { scan: startTableScan(ctx, 'ks.t', options), requests };
}

const HEAVY_LOW_HALF: RangeEstimate[] = [
  { rangeStart: MIN_TOKEN, rangeEnd: 0n, partitionsCount: 9_000n, meanPartitionSize: 100n },
  { rangeStart: 0n, rangeEnd: MIN_TOKEN, partitionsCount: 1_000n, meanPartitionSize: 100n },
];

describe('the split plan of a scan', () => {
  it('default concurrency: 2 per local node up (remote and down nodes not counted), at most 32', async () => {
    const two = fakeScan(
      { splits: 100 },
      {
        hosts: [
          { name: 'a', dc: 'dc1', up: true },
          { name: 'b', dc: 'dc1', up: true },
          { name: 'c', dc: 'dc1', up: false },
          { name: 'r', dc: 'dc2', up: true },
        ],
      },
    );
    (await two.scan).cancel();
    expect(two.requests).toHaveLength(4);
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `n${i}`, dc: 'dc1', up: true }));
    const capped = fakeScan(
      { splits: 100 },
      { hosts: many, ring: many.map((h, i) => ({ start: BigInt(i - 1), end: BigInt(i), replicas: [h] })) },
    );
    (await capped.scan).cancel();
    expect(capped.requests).toHaveLength(32);
  });

  it('default splits: at least 4 x concurrency; balanced by the size estimates when there are some', async () => {
    const bySpan = await fakeScan({ concurrency: 3 }).scan;
    expect(bySpan.checkpoint().splits).toMatchObject({ requested: 12, count: 12, cuts: '6*2' });
    const byEstimates = await fakeScan({ concurrency: 3 }, { estimates: HEAVY_LOW_HALF }).scan;
    // in ring order, (start of ring, 0] holds 9 bytes in 10, (0, end of ring] the rest: 12 splits go 10 + 2
    expect(byEstimates.checkpoint().splits).toMatchObject({ requested: 12, count: 12, cuts: '10,2' });
    bySpan.cancel();
    byEstimates.cancel();
  });

  it('many estimated bytes: about one split per 64 MiB', async () => {
    const estimate = (partitions: bigint): RangeEstimate[] => [
      { rangeStart: MIN_TOKEN, rangeEnd: MIN_TOKEN, partitionsCount: partitions, meanPartitionSize: 64n << 20n },
    ];
    const hundred = await fakeScan({ concurrency: 2 }, { estimates: estimate(100n) }).scan;
    expect(hundred.checkpoint().splits.requested).toBe(100);
    hundred.cancel();
    // the default stops at 65,536 splits (an explicit splits may ask for more)
    const huge = await fakeScan({ concurrency: 2 }, { estimates: estimate(10_000_000n) }).scan;
    expect(huge.checkpoint().splits.requested).toBe(65_536);
    huge.cancel();
  });

  it('with shard, estimates are left out and the default is 128 splits: every process cuts the same list', async () => {
    const a = await fakeScan({ shard: { index: 0, count: 2 }, concurrency: 3 }, { estimates: HEAVY_LOW_HALF }).scan;
    const b = await fakeScan({ shard: { index: 1, count: 2 }, concurrency: 9 }).scan;
    const ca = a.checkpoint();
    const cb = b.checkpoint();
    expect(ca.splits).toEqual(cb.splits);
    expect(ca.splits).toMatchObject({ requested: 128, count: 128, cuts: '64*2' });
    expect([ca.shard, cb.shard]).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
    expect(a.progress.rangesTotal + b.progress.rangesTotal).toBe(128);
    a.cancel();
    b.cancel();
  });

  it('a resumed scan keeps the checkpoint cuts, whatever the estimates say now', async () => {
    const first = await fakeScan({ concurrency: 3 }, { estimates: HEAVY_LOW_HALF }).scan;
    const checkpoint = first.checkpoint();
    first.cancel();
    const resumed = await fakeScan({ checkpoint }).scan;
    expect(resumed.checkpoint().splits).toEqual(checkpoint.splits);
    resumed.cancel();
  });

  it('ranges are requested from a local replica up; with none, from the first replica up', async () => {
    const hosts = [
      { name: 'a', dc: 'dc1', up: true },
      { name: 'b', dc: 'dc1', up: false },
      { name: 'r', dc: 'dc2', up: true },
    ];
    const { scan, requests } = fakeScan(
      { splits: 2, concurrency: 2 },
      {
        hosts,
        ring: [
          { start: 0n, end: MIN_TOKEN, replicas: [hosts[0]!, hosts[2]!] },
          { start: MIN_TOKEN, end: 0n, replicas: [hosts[1]!, hosts[2]!] },
        ],
      },
    );
    (await scan).cancel();
    expect(requests.map((r) => [r.values, r.hint?.name])).toEqual([
      [[0n], 'a'],
      [[0n], 'r'],
    ]);
  });
});
