import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import type { ScanCheckpoint, ScanOptions } from '../../src/scan/index.js';
import { StreamError } from '../../src/streaming/index.js';
import { seededRandom } from '../support/seeded-random.js';
import { keyOf, type ScanCluster, startScanCluster } from './support/scan-cluster.js';

let c: ScanCluster;

beforeAll(async () => {
  c = await startScanCluster({
    server: { nodes: 3, tokensPerNode: 8 },
    replication: "{'class': 'SimpleStrategy', 'replication_factor': 2}",
    replicasPerRange: 2,
    partitions: 250,
    rowsPerPartition: 6,
  });
  await c.session.execute('CREATE TABLE scans.other (pk1 int, pk2 text, ck int, v text, PRIMARY KEY ((pk1, pk2), ck))');
});
afterAll(async () => {
  await c.close();
});
afterEach(() => {
  c.server.clearPrimes();
});

type CutKind = 'row' | 'page' | 'failure' | 'abort';

/**
 * Runs one scan (from `checkpoint` if given) and stops it at a random point of the given kind;
 * returns the rows received and the checkpoint to continue from (undefined once the scan ended).
 */
async function cutScan(
  kind: CutKind,
  random: () => number,
  checkpoint: ScanCheckpoint | undefined,
): Promise<{ rows: string[]; next: ScanCheckpoint | undefined }> {
  const fetchSize = 5 + Math.floor(random() * 40);
  const options: ScanOptions = {
    fetchSize,
    concurrency: 1 + Math.floor(random() * 6),
    prefetchPages: Math.floor(random() * 3),
    retry: false,
    ...(checkpoint === undefined ? { splits: 30 } : { checkpoint }),
  };
  const rows: string[] = [];
  const stopAt = Math.floor(random() * 400);
  if (kind === 'failure') {
    c.server.prime({
      when: { query: 'FROM scans.items', afterPages: 1 + Math.floor(random() * 3), times: 1 },
      then: { error: { code: 'OVERLOADED' } },
    });
  }
  const controller = new AbortController();
  const scan = await c.session.scanTable(
    'scans.items',
    kind === 'abort' ? { ...options, signal: controller.signal } : options,
  );
  try {
    if (kind === 'page') {
      let pages = 0;
      for await (const page of scan.pages()) {
        for (const row of page) rows.push(keyOf(row));
        if (++pages === Math.floor(stopAt / 20)) {
          const next = roundTrip(scan.checkpoint());
          scan.cancel();
          return { rows, next };
        }
      }
    } else {
      let cut: ScanCheckpoint | undefined;
      for await (const row of scan) {
        rows.push(keyOf(row));
        if (rows.length !== stopAt) continue;
        if (kind === 'abort') controller.abort(new Error('enough'));
        if (kind === 'row') {
          cut = roundTrip(scan.checkpoint());
          break;
        }
      }
      if (cut !== undefined) return { rows, next: cut };
    }
  } catch (error) {
    expect(error).toBeInstanceOf(StreamError);
    const e = error as StreamError;
    expect(e.checkpoint).toBeDefined();
    expect(e.totalRowsFetched).toBe((checkpoint?.rowsFetched ?? 0) + rows.length);
    return { rows, next: roundTrip(e.checkpoint as ScanCheckpoint) };
  }
  const final = scan.checkpoint();
  const finished = final.done === `0-${final.splits.count - 1}` && final.inProgress.length === 0;
  return { rows, next: finished ? undefined : roundTrip(final) };
}

/** Checkpoints are plain JSON: through a file and back. */
function roundTrip(checkpoint: ScanCheckpoint): ScanCheckpoint {
  return JSON.parse(JSON.stringify(checkpoint)) as ScanCheckpoint;
}

describe('resume from a checkpoint yields exactly the rows not yet received', () => {
  for (const kind of ['row', 'page', 'failure', 'abort'] as const) {
    it(`scans cut at random ${kind}s, resumed until done: the union is the table`, async () => {
      const random = seededRandom(kind.length * 7919 + 3);
      let totalCuts = 0;
      for (let round = 0; round < 4; round++) {
        const all: string[] = [];
        let checkpoint: ScanCheckpoint | undefined;
        let cuts = 0;
        do {
          const { rows, next } = await cutScan(kind, random, checkpoint);
          all.push(...rows);
          if (next !== undefined) expect(next.rowsFetched).toBe(all.length);
          checkpoint = next;
          cuts++;
        } while (checkpoint !== undefined && cuts < 60);
        expect(checkpoint).toBeUndefined();
        expect(all.sort()).toEqual(c.keys);
        totalCuts += cuts - 1;
      }
      // the scans were really cut
      expect(totalCuts).toBeGreaterThanOrEqual(4);
    });
  }

  it('mixed cuts: rows, then pages, then a failure, then an abort, then to the end', async () => {
    const random = seededRandom(99);
    const all: string[] = [];
    let checkpoint: ScanCheckpoint | undefined;
    for (const kind of ['row', 'page', 'failure', 'abort', 'row', 'row', 'row', 'row', 'row', 'row'] as const) {
      const { rows, next } = await cutScan(kind, random, checkpoint);
      all.push(...rows);
      checkpoint = next;
      if (checkpoint === undefined) break;
    }
    if (checkpoint !== undefined) {
      const rest = await c.session.scanTable('scans.items', { checkpoint });
      for await (const row of rest) all.push(keyOf(row));
    }
    expect(all.sort()).toEqual(c.keys);
  });

  it('a checkpoint taken mid-page says how many rows past its paging state were received', async () => {
    const scan = await c.session.scanTable('scans.items', { splits: 30, concurrency: 1, fetchSize: 10 });
    let n = 0;
    for await (const _row of scan) if (++n === 13) break;
    const cp = scan.checkpoint();
    expect(cp.done).toBe('');
    expect(cp.inProgress).toHaveLength(1);
    expect(cp.inProgress[0]!.rows).toBe(3);
    expect(cp.inProgress[0]!.pagingState).toMatch(/^[0-9a-f]+$/);
    expect(cp.rowsFetched).toBe(13);
    expect(scan.progress).toEqual({ rangesTotal: cp.splits.count, rangesDone: 0, rowsFetched: 13, pagesFetched: 2 });
  });
});

describe('a checkpoint of another scan is refused with ArgumentError, before anything is sent', () => {
  let base: ScanCheckpoint;
  beforeAll(async () => {
    const scan = await c.session.scanTable('scans.items', { columns: ['pk1', 'pk2', 'ck'], splits: 40, fetchSize: 20 });
    let n = 0;
    for await (const _row of scan) if (++n === 50) break;
    base = scan.checkpoint();
  });

  const refusals: [string, (cp: ScanCheckpoint) => [string, ScanOptions], RegExp][] = [
    [
      'another table',
      (cp) => ['scans.other', { checkpoint: cp, columns: ['pk1', 'pk2', 'ck'] }],
      /not of scans\.other/,
    ],
    ['another column list', (cp) => ['scans.items', { checkpoint: cp }], /columns \[pk1, pk2, ck\], not/],
    [
      'another split count',
      (cp) => ['scans.items', { checkpoint: cp, columns: ['pk1', 'pk2', 'ck'], splits: 41 }],
      /40 splits, not 41/,
    ],
    [
      'another shard',
      (cp) => ['scans.items', { checkpoint: cp, columns: ['pk1', 'pk2', 'ck'], shard: { index: 1, count: 2 } }],
      /shard 0\/1, not 1\/2/,
    ],
    [
      'another split list (hash)',
      (cp) => [
        'scans.items',
        { checkpoint: { ...cp, splits: { ...cp.splits, hash: '0000000000000000' } }, columns: ['pk1', 'pk2', 'ck'] },
      ],
      /another split list/,
    ],
    [
      'another ring (cuts)',
      (cp) => [
        'scans.items',
        { checkpoint: { ...cp, splits: { ...cp.splits, cuts: '1*3' } }, columns: ['pk1', 'pk2', 'ck'] },
      ],
      /another split list/,
    ],
    ['another format', (cp) => ['scans.items', { checkpoint: { ...cp, format: 'x' } }], /checkpoint\.format/],
    [
      'a malformed done list',
      (cp) => ['scans.items', { checkpoint: { ...cp, done: '5-2' }, columns: ['pk1', 'pk2', 'ck'] }],
      /checkpoint\.done/,
    ],
  ];

  for (const [what, make, message] of refusals) {
    it(what, async () => {
      c.server.clearActivityLog();
      const [table, options] = make(base);
      const attempt = c.session.scanTable(table, options);
      await expect(attempt).rejects.toBeInstanceOf(ArgumentError);
      await expect(attempt).rejects.toThrow(message);
      expect(c.server.activityLog.filter((e) => e.opcode === 'EXECUTE')).toEqual([]);
    });
  }
});
