import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../src/cluster/index.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import { type ScanOptions, type ScanSession, startTableScan } from '../../src/scan/index.js';
import { StreamError } from '../../src/streaming/index.js';
import { keyOf, type ScanCluster, startScanCluster } from './support/scan-cluster.js';

let c: ScanCluster;

beforeAll(async () => {
  c = await startScanCluster({ server: { nodes: 2, tokensPerNode: 4 }, partitions: 200, rowsPerPartition: 5 });
});
afterAll(async () => {
  await c.close();
});
afterEach(() => {
  c.server.clearPrimes();
});

function scanRequests(): number {
  return c.server.activityLog.filter((e) => e.opcode === 'EXECUTE' && e.query?.includes('FROM scans.items') === true)
    .length;
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits (at most 2 s) until the server has logged nothing new for 50 ms: a scan cancelled by the
 * test before may still have requests on the wire, which would be counted against the next test.
 */
async function serverQuiet(): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const last = c.server.activityLog.at(-1);
    await tick(50);
    if (c.server.activityLog.at(-1) === last) return;
  }
}

describe('memory stays bounded: at most concurrency x (1 + prefetchPages) pages held', () => {
  for (const prefetchPages of [0, 1, 2]) {
    it(`a slow consumer, concurrency 4, prefetchPages ${prefetchPages}`, async () => {
      let fetched = 0;
      const session: ScanSession<Host> = {
        async fetchPage(statement, params, options) {
          const result = await c.session.fetchPage(statement, params as bigint[], options);
          if (result.page.length > 0) fetched++;
          return result;
        },
      };
      const scan = await startTableScan<Record<string, unknown>, Host>(
        {
          session,
          metadata: c.cluster.metadata,
          hosts: { isUp: (h) => h.isUp, isLocal: () => true },
          allHosts: c.cluster.hosts,
          keyspace: undefined,
        },
        'scans.items',
        { concurrency: 4, splits: 16, fetchSize: 10, prefetchPages },
      );
      let consumed = 0;
      let most = 0;
      let rows = 0;
      for await (const page of scan.pages()) {
        rows += page.length;
        await tick(3); // a slow consumer: every range would run ahead if nothing held it back
        // pages fetched and not yet passed on: the one in hand and those waiting behind it
        most = Math.max(most, fetched - consumed);
        consumed++;
      }
      expect(rows).toBe(c.keys.length);
      expect(most).toBeLessThanOrEqual(4 * (1 + prefetchPages));
      // and the bound is reached: the ranges do run ahead as far as allowed
      expect(most).toBeGreaterThanOrEqual(4 * (1 + prefetchPages) - 1);
    });
  }
});

describe('stopping a scan', () => {
  it('cancel() while pages are in flight: the iteration ends, nothing more is requested; twice is harmless', async () => {
    c.server.prime({ when: { query: 'FROM scans.items' }, then: { delayMs: 20 } });
    const scan = await c.session.scanTable('scans.items', { concurrency: 3, fetchSize: 10 });
    const it = scan[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    scan.cancel();
    scan.cancel();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    await tick(10); // requests already on the wire reach the log
    const sent = scanRequests();
    await tick(60);
    expect(scanRequests()).toBe(sent);
  });

  it('break stops it and the checkpoint stays exact', async () => {
    const scan = await c.session.scanTable('scans.items', { fetchSize: 7 });
    const got: string[] = [];
    for await (const row of scan) {
      got.push(keyOf(row));
      if (got.length === 30) break;
    }
    const rest = await c.session.scanTable('scans.items', { checkpoint: scan.checkpoint() });
    for await (const row of rest) got.push(keyOf(row));
    expect(got.sort()).toEqual(c.keys);
  });

  it('an already aborted signal: nothing is sent, the first next() rejects with StreamError(cause: reason)', async () => {
    c.server.clearActivityLog();
    const reason = new Error('no time left');
    const scan = await c.session.scanTable('scans.items', { signal: AbortSignal.abort(reason) });
    const error = await scan[Symbol.asyncIterator]()
      .next()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).cause).toBe(reason);
    expect((error as StreamError).checkpoint).toMatchObject({ done: '', inProgress: [], rowsFetched: 0 });
    expect(scanRequests()).toBe(0);
  });

  it('a signal aborted mid-scan ends it with a StreamError and stops fetching', async () => {
    c.server.prime({ when: { query: 'FROM scans.items' }, then: { delayMs: 5 } });
    const controller = new AbortController();
    const scan = await c.session.scanTable('scans.items', { signal: controller.signal, fetchSize: 10 });
    let n = 0;
    const error = await (async () => {
      try {
        for await (const _row of scan) if (++n === 25) controller.abort('stop');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).cause).toBe('stop');
    expect(n).toBe(25);
    expect(scan.progress.rowsFetched).toBe(25);
  });

  it('one consumer at a time', async () => {
    const scan = await c.session.scanTable('scans.items');
    scan[Symbol.asyncIterator]();
    expect(() => scan.pages()).toThrow(ArgumentError);
    scan.cancel();
  });
});

describe('scanTable() rejects bad arguments with ArgumentError before anything is sent', () => {
  const bad: [string, string, ScanOptions | undefined, RegExp][] = [
    ['an unknown table', 'scans.nope', undefined, /no table or view scans\.nope/],
    ['an unknown keyspace', 'nokeyspace.items', undefined, /no table or view nokeyspace\.items/],
    ['no keyspace at all', 'items', undefined, /names no keyspace/],
    [
      'an unknown column',
      'scans.items',
      { columns: ['pk1', 'nope'] },
      /has no column "nope"; its columns: pk1, pk2, ck, v/,
    ],
    ['a column twice', 'scans.items', { columns: ['v', 'v'] }, /names a column twice/],
    ['concurrency 0', 'scans.items', { concurrency: 0 }, /concurrency must be an integer from 1 to 256/],
    ['splits 0', 'scans.items', { splits: 0 }, /splits must be an integer from 1/],
    ['a shard past its count', 'scans.items', { shard: { index: 2, count: 2 } }, /0 <= index < count/],
    ['a bad fetchSize', 'scans.items', { fetchSize: -1 }, /fetchSize/],
    ['a bad prefetchPages', 'scans.items', { prefetchPages: 1.5 }, /prefetchPages/],
    ['an unknown option', 'scans.items', { maxPages: 3 } as ScanOptions, /Unknown scanTable option "maxPages"/],
    ['a non-object checkpoint', 'scans.items', { checkpoint: 'x' as never }, /checkpoint must be/],
    ['an empty profile', 'scans.items', { profile: '' }, /profile must be a non-empty string/],
  ];
  for (const [what, table, options, message] of bad) {
    it(what, async () => {
      await serverQuiet();
      c.server.clearActivityLog();
      const attempt = c.session.scanTable(table, options);
      await expect(attempt).rejects.toBeInstanceOf(ArgumentError);
      await expect(attempt).rejects.toThrow(message);
      expect(scanRequests()).toBe(0);
    });
  }
});

describe('an empty table', () => {
  it('every range ends on its first (empty) page: no rows, every range done', async () => {
    await c.session.execute('CREATE TABLE IF NOT EXISTS scans.empty (id int PRIMARY KEY, v text)');
    const scan = await c.session.scanTable('scans.empty', { splits: 10 });
    const rows: unknown[] = [];
    for await (const row of scan) rows.push(row);
    expect(rows).toEqual([]);
    expect(scan.progress).toEqual({ rangesTotal: 10, rangesDone: 10, rowsFetched: 0, pagesFetched: 0 });
    expect(scan.checkpoint()).toMatchObject({ done: '0-9', inProgress: [] });
  });
});

describe('naming and columns', () => {
  it("a table of the session's keyspace, quoted names, a column subset in the order given", async () => {
    const session = await c.cluster.connect('scans');
    const scan = await session.scanTable('"items"', { columns: ['v', 'pk2'] });
    let rows = 0;
    for await (const row of scan) {
      expect(Object.keys(row.toObject())).toEqual(['v', 'pk2']);
      rows++;
    }
    expect(rows).toBe(c.keys.length);
    expect(scan.checkpoint().columns).toEqual(['v', 'pk2']);
    await session.shutdown();
  });
});
