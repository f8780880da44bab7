import { describe, expect, it } from 'vitest';
import { createResultStream, StreamError } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { collectIds, FakeSource, range, settle, stateNextId } from './support/fake-source.js';

describe('maxPages and pageCallback', () => {
  it('maxPages yields exactly that many pages and asks for no page beyond them', async () => {
    const source = new FakeSource({ rows: 1000 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, maxPages: 3, prefetchPages: 2 });
    expect(await collectIds(stream)).toEqual(range(0, 30));
    await settle();
    expect(source.calls.length).toBe(3);
    expect(stream.pageNumber).toBe(3);
    // the stream stopped early: its paging state continues where it stopped
    expect(stateNextId(stream.pagingState)).toBe(30);
    const rest = createResultStream<TestRow>(new FakeSource({ rows: 45 }), {
      fetchSize: 10,
      pagingState: stream.pagingState!,
    });
    expect(await collectIds(rest)).toEqual(range(30, 45));
  });

  it('maxPages larger than the data ends with the data', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 15 }), { fetchSize: 10, maxPages: 5 });
    expect(await collectIds(stream)).toEqual(range(0, 15));
    expect(stream.pageNumber).toBe(2);
  });

  it("pageCallback runs once per page, in order, with (pageNumber, running total), before that page's rows", async () => {
    const events: string[] = [];
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 25 }), {
      fetchSize: 10,
      pageCallback: async (n, total) => {
        events.push(`page ${n} total ${total}`);
        await settle(1);
      },
    });
    for await (const row of stream) if (row.id % 10 === 0 || row.id === 24) events.push(`row ${row.id}`);
    expect(events).toEqual([
      'page 1 total 10',
      'row 0',
      'page 2 total 20',
      'row 10',
      'page 3 total 25',
      'row 20',
      'row 24',
    ]);
  });

  it('a pageCallback that throws ends the stream with that error; the position is the page before', async () => {
    const source = new FakeSource({ rows: 100 });
    const boom = new Error('callback failed');
    const stream = createResultStream<TestRow>(source, {
      fetchSize: 10,
      pageCallback: (n) => {
        if (n === 3) throw boom;
      },
    });
    const ids: number[] = [];
    const error = (await (async () => {
      for await (const row of stream) ids.push(row.id);
    })().then(
      () => undefined,
      (e: unknown) => e,
    )) as StreamError;
    expect(ids).toEqual(range(0, 20));
    expect(error).toBeInstanceOf(StreamError);
    expect(error.cause).toBe(boom);
    expect([error.pageNumber, error.totalRowsFetched, stateNextId(error.pagingState)]).toEqual([2, 20, 20]);
    expect(error.message).toBe('pageCallback threw on page 3 after 2 page(s) and 20 row(s): callback failed');
    await settle();
    // the prefetch in flight (page 4) was aborted and nothing else was asked for
    expect(source.calls.length).toBe(4);
    expect(source.calls[3]!.request.signal.aborted).toBe(true);
  });

  it('a pageCallback that rejects ends the stream in pages() too', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 100 }), {
      fetchSize: 10,
      pageCallback: (n) => (n === 1 ? Promise.reject(new TypeError('bad')) : undefined),
    });
    const error = (await stream
      .pages()
      .next()
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as StreamError;
    expect(error).toBeInstanceOf(StreamError);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect([error.pageNumber, error.totalRowsFetched]).toEqual([0, 0]);
  });
});
