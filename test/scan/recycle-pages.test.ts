import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import type { Row } from '../../src/protocol/rows/index.js';
import type { ScanCheckpoint } from '../../src/scan/index.js';
import { keyOf, type ScanCluster, startScanCluster } from './support/scan-cluster.js';

let c: ScanCluster;

beforeAll(async () => {
  c = await startScanCluster({ server: { nodes: 3, tokensPerNode: 4 } });
});

afterAll(async () => {
  await c.close();
});

describe('scanTable({ recyclePages: true })', () => {
  for (const [what, prefetchPages, concurrency] of [
    ['no prefetch, one range at a time', 0, 1],
    ['prefetch 1, 6 ranges in flight', 1, 6],
    ['prefetch 2, 12 ranges in flight', 2, 12],
  ] as const) {
    it(`reads every row exactly once (${what})`, async () => {
      const scan = await c.session.scanTable('scans.items', {
        recyclePages: true,
        fetchSize: 37,
        prefetchPages,
        concurrency,
        splits: 24,
      });
      const keys: string[] = [];
      for await (const row of scan) keys.push(keyOf(row));
      expect(keys.sort()).toEqual(c.keys);
    });
  }

  it("a row kept past its page throws an ArgumentError; the range's last page stays readable", async () => {
    const scan = await c.session.scanTable('scans.items', {
      recyclePages: true,
      fetchSize: 10,
      concurrency: 4,
      splits: 12,
    });
    let first: Row | undefined;
    let firstKey = '';
    let last: Row | undefined;
    let lastKey = '';
    for await (const page of scan.pages()) {
      if (first === undefined) {
        first = page.row(0);
        firstKey = keyOf(first);
      }
      last = page.row(page.length - 1);
      lastKey = keyOf(last);
    }
    // 2,000 rows in 12 ranges of 10-row pages: the first page handed out was not its range's last
    expect(() => keyOf(first!)).toThrow(ArgumentError);
    expect(() => keyOf(first!)).toThrow(/read after the stream moved past its page/);
    expect(firstKey).not.toBe('');
    // the page handed out last is the last of its range: never recycled
    expect(keyOf(last!)).toBe(lastKey);
  });

  it('a checkpoint taken mid-scan resumes with exactly the rows not yet received', async () => {
    const scan = await c.session.scanTable('scans.items', { recyclePages: true, fetchSize: 25, splits: 16 });
    const seen: string[] = [];
    let checkpoint: ScanCheckpoint | undefined;
    for await (const row of scan) {
      seen.push(keyOf(row));
      if (seen.length === 777) {
        checkpoint = JSON.parse(JSON.stringify(scan.checkpoint())) as ScanCheckpoint;
        break;
      }
    }
    const rest = await c.session.scanTable('scans.items', {
      recyclePages: true,
      fetchSize: 25,
      splits: 16,
      checkpoint,
    });
    for await (const row of rest) seen.push(keyOf(row));
    expect(seen.sort()).toEqual(c.keys);
  });

  it('recyclePages must be a boolean', async () => {
    await expect(c.session.scanTable('scans.items', { recyclePages: 'yes' as never })).rejects.toThrow(
      /recyclePages must be true or false, got yes/,
    );
  });
});
