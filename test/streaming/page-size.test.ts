import { describe, expect, it } from 'vitest';
import { createResultStream } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { collectIds, FakeSource, range } from './support/fake-source.js';

describe('maxPageBytes', () => {
  it('measures bytes per row on each page and asks for as many rows as fit the budget next', async () => {
    // a row is 8 bytes of id cell + 4 + payload: ids < 100 have 988-byte payloads (1000 bytes a row),
    // later ids 88-byte payloads (100 bytes a row)
    const source = new FakeSource({ rows: 400, payloadBytes: (id) => (id < 100 ? 988 : 88) });
    const stream = createResultStream<TestRow>(source, { fetchSize: 50, maxPageBytes: 10_000, prefetchPages: 0 });
    expect(await collectIds(stream)).toEqual(range(0, 400));
    const sizes = source.requests.map((r) => r.pageSize);
    // page 1 at fetchSize (nothing measured yet): 50 rows of 1000 bytes -> 10 rows fit; 10 a page
    // until the small rows come (ids 100+, 100 bytes: 100 fit): the size only doubles per page, and
    // never passes fetchSize
    expect(sizes.slice(0, 10)).toEqual([50, 10, 10, 10, 10, 10, 10, 20, 40, 50]);
    expect(new Set(sizes.slice(9))).toEqual(new Set([50]));
  });

  it('shrinks at once when rows grow, never below one row a page', async () => {
    const source = new FakeSource({ rows: 45, payloadBytes: (id) => (id < 20 ? 0 : 5000) });
    const stream = createResultStream<TestRow>(source, { fetchSize: 20, maxPageBytes: 1000, prefetchPages: 0 });
    expect(await collectIds(stream)).toEqual(range(0, 45));
    const sizes = source.requests.map((r) => r.pageSize);
    // 12-byte rows: 83 fit but fetchSize caps at 20; then 20 rows of 5012 bytes: none fit, so 1
    expect(sizes).toEqual([20, 20, 1, 1, 1, 1, 1]);
  });
});
