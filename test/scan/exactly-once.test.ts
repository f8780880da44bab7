import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_TOKEN } from '../../src/protocol/token/index.js';
import type { ScanOptions } from '../../src/scan/index.js';
import {
  itemToken,
  keyOf,
  type ScanCluster,
  type ScanClusterOptions,
  startScanCluster,
} from './support/scan-cluster.js';

/** Every key a scan yields, sorted (duplicates kept, so a repeat shows). */
async function scanKeys(c: ScanCluster, options?: ScanOptions): Promise<string[]> {
  const scan = await c.session.scanTable('scans.items', options);
  const out: string[] = [];
  for await (const row of scan) out.push(keyOf(row));
  expect(scan.progress.rangesDone).toBe(scan.progress.rangesTotal);
  expect(scan.progress.rowsFetched).toBe(out.length);
  return out.sort();
}

const CLUSTERS: [string, ScanClusterOptions][] = [
  ['1 node, 1 token, rf 1', { server: { nodes: 1, tokensPerNode: 1 } }],
  ['1 node, 16 tokens, rf 1', { server: { nodes: 1, tokensPerNode: 16 } }],
  ['3 nodes, 1 token each, rf 1', { server: { nodes: 3, tokensPerNode: 1 } }],
  [
    '3 nodes, 16 tokens each, SimpleStrategy rf 2',
    {
      server: { nodes: 3, tokensPerNode: 16 },
      replication: "{'class': 'SimpleStrategy', 'replication_factor': 2}",
      replicasPerRange: 2,
    },
  ],
  [
    '3 nodes, 256 tokens each, SimpleStrategy rf 3',
    {
      server: { nodes: 3, tokensPerNode: 256 },
      replication: "{'class': 'SimpleStrategy', 'replication_factor': 3}",
      replicasPerRange: 3,
    },
  ],
  [
    'two data centers (2 + 2 nodes, 8 tokens each), NetworkTopologyStrategy dc1: 2, dc2: 1',
    {
      server: { nodes: 4, tokensPerNode: 8, dataCenter: ['dc1', 'dc1', 'dc2', 'dc2'] },
      client: { localDataCenter: 'dc1' },
      replication: "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}",
      replicasPerRange: 3,
    },
  ],
];

const SCANS: [string, ScanOptions][] = [
  ['defaults', {}],
  ['7 splits, one range at a time, 13-row pages', { splits: 7, concurrency: 1, fetchSize: 13 }],
  [
    '100 splits, 8 in flight, 50-row pages, no prefetch',
    { splits: 100, concurrency: 8, fetchSize: 50, prefetchPages: 0 },
  ],
  ['3 splits, 32 in flight, pages of 1 row', { splits: 3, concurrency: 32, fetchSize: 1 }],
];

for (const [name, options] of CLUSTERS) {
  describe(`every row exactly once: ${name}`, () => {
    let c: ScanCluster;
    beforeAll(async () => {
      c = await startScanCluster({ partitions: 300, rowsPerPartition: 4, ...options });
    });
    afterAll(async () => {
      await c.close();
    });

    for (const [what, scan] of SCANS) {
      it(what, async () => {
        expect(await scanKeys(c, scan)).toEqual(c.keys);
      });
    }

    it('shards 1..5: the shards together read the table exactly once', async () => {
      for (let count = 1; count <= 5; count++) {
        const parts = await Promise.all(
          Array.from({ length: count }, (_, index) => scanKeys(c, { shard: { index, count }, fetchSize: 97 })),
        );
        expect(parts.flat().sort()).toEqual(c.keys);
      }
    });

    it('pages(): each page inside its range, rows of a range in token order', async () => {
      const scan = await c.session.scanTable('scans.items', { splits: 20, fetchSize: 30 });
      const lastToken = new Map<string, bigint>();
      let rows = 0;
      for await (const page of scan.pages()) {
        const { start, end } = page.range;
        const key = `${start}:${end}`;
        for (const row of page) {
          const t = itemToken(row.get('pk1') as number, row.get('pk2') as string);
          if (start !== MIN_TOKEN) expect(t > start).toBe(true);
          if (end !== MIN_TOKEN) expect(t <= end).toBe(true);
          expect(t >= (lastToken.get(key) ?? MIN_TOKEN)).toBe(true);
          lastToken.set(key, t);
          rows++;
        }
      }
      expect(rows).toBe(c.keys.length);
      expect(scan.progress.pagesFetched).toBeGreaterThanOrEqual(lastToken.size);
    });
  });
}
