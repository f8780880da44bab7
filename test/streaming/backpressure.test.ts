import { describe, expect, it } from 'vitest';
import { createResultStream } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { collectIds, FakeSource, range, settle, stateNextId } from './support/fake-source.js';

describe('prefetch and backpressure', () => {
  for (const prefetchPages of [0, 1, 3]) {
    it(`a consumer that stops after one row leaves at most 1 + ${prefetchPages} pages fetched and no further request`, async () => {
      const source = new FakeSource({ rows: 1000 });
      const stream = createResultStream<TestRow>(source, { fetchSize: 10, prefetchPages });
      const it = stream[Symbol.asyncIterator]() as AsyncIterator<TestRow, undefined>;
      expect((await it.next()).value?.id).toBe(0);
      await settle(20);
      expect(source.calls.length).toBe(1 + prefetchPages);
      expect(source.sentIds.length).toBe(10 * (1 + prefetchPages));
      await settle(20);
      expect(source.calls.length).toBe(1 + prefetchPages);
      await it.return!();
    });
  }

  it('with prefetchPages 1 the next page is in flight while the consumer reads the current one', async () => {
    const source = new FakeSource({ rows: 100, mode: 'manual' });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const it = stream[Symbol.asyncIterator]() as AsyncIterator<TestRow, undefined>;
    const first = it.next();
    source.calls[0]!.answer();
    expect((await first).value?.id).toBe(0);
    // page 1 handed out: page 2 requested right away, with page 1's paging state
    expect(source.calls.length).toBe(2);
    expect(stateNextId(source.calls[1]!.request.pagingState)).toBe(10);
    source.calls[1]!.answer();
    await settle();
    // page 2 held unconsumed: nothing more is asked until the consumer takes it
    expect(source.calls.length).toBe(2);
    for (let i = 1; i < 10; i++) await it.next();
    expect(source.calls.length).toBe(2);
    expect((await it.next()).value?.id).toBe(10);
    expect(source.calls.length).toBe(3);
    await it.return!();
  });

  it('with prefetchPages 0 a page is requested only when the consumer needs it', async () => {
    const source = new FakeSource({ rows: 30, mode: 'manual' });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, prefetchPages: 0 });
    const it = stream[Symbol.asyncIterator]() as AsyncIterator<TestRow, undefined>;
    const first = it.next();
    source.calls[0]!.answer();
    await first;
    for (let i = 1; i < 10; i++) await it.next();
    await settle();
    expect(source.calls.length).toBe(1);
    const eleventh = it.next();
    await settle();
    expect(source.calls.length).toBe(2);
    source.calls[1]!.answer();
    expect((await eleventh).value?.id).toBe(10);
    await it.return!();
  });

  it('a slow pageCallback holds the page back: its rows wait for the callback, fetching stays bounded', async () => {
    const source = new FakeSource({ rows: 100 });
    let release: () => void = () => {};
    const calls: [number, number][] = [];
    const stream = createResultStream<TestRow>(source, {
      fetchSize: 10,
      pageCallback: (n, total) => {
        calls.push([n, total]);
        return n === 2
          ? new Promise<void>((r) => {
              release = r;
            })
          : undefined;
      },
    });
    const it = stream[Symbol.asyncIterator]() as AsyncIterator<TestRow, undefined>;
    for (let i = 0; i < 10; i++) await it.next();
    let got: number | undefined;
    const eleventh = it.next().then((r) => {
      got = r.value?.id;
    });
    await settle(20);
    expect(calls).toEqual([
      [1, 10],
      [2, 20],
    ]);
    expect(got).toBeUndefined();
    // page 2 is out of the queue (in the callback), page 3 prefetched, nothing beyond
    expect(source.calls.length).toBe(3);
    release();
    await eleventh;
    expect(got).toBe(10);
    await it.return!();
  });

  it('memory stays bounded by the pages in flight: a 200-page stream never holds more than 2 unconsumed', async () => {
    const source = new FakeSource({ rows: 2000 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    let maxAhead = 0;
    let count = 0;
    for await (const row of stream) {
      expect(row.id).toBe(count);
      count++;
      maxAhead = Math.max(maxAhead, source.sentIds.length - count);
      if (count % 10 === 5) await settle(2);
    }
    expect(count).toBe(2000);
    expect(maxAhead).toBeLessThanOrEqual(15);
    expect(source.sentIds).toEqual(range(0, 2000));
    expect(await collectIds(stream)).toEqual([]);
  });
});
