import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import { createResultStream, Page } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { collectIds, encodeState, FakeSource, range, settle, stateNextId } from './support/fake-source.js';

describe('ResultStream iteration', () => {
  it('hands out every row once, in order, across pages, and ends when the server says no more pages', async () => {
    const source = new FakeSource({ rows: 25 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    expect(await collectIds(stream)).toEqual(range(0, 25));
    expect(stream.pageNumber).toBe(3);
    expect(stream.totalRowsFetched).toBe(25);
    expect(stream.pagingState).toBeUndefined();
    expect(source.requests.map((r) => [stateNextId(r.pagingState), r.pageSize])).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ]);
    expect(source.sentIds).toEqual(range(0, 25));
  });

  it('rows read their cells by getter, get(name), get(index) and toObject', async () => {
    const source = new FakeSource({ rows: 2, payloadBytes: (id) => id + 1 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const seen: unknown[] = [];
    for await (const row of stream) seen.push([row.id, row.get('payload'), row.get(0), row.toObject()]);
    expect(seen).toEqual([
      [0, 'a', 0, { id: 0, payload: 'a' }],
      [1, 'aa', 1, { id: 1, payload: 'aa' }],
    ]);
    expect(stream.columns?.map((c) => c.name)).toEqual(['id', 'payload']);
  });

  it('pages() yields Page objects numbered from 1 with their rows and paging state', async () => {
    const source = new FakeSource({ rows: 25 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const seen: [number, number, number | undefined, number[], number, number][] = [];
    for await (const page of stream.pages()) {
      expect(page).toBeInstanceOf(Page);
      const ids = [...page].map((r) => r.id);
      seen.push([
        page.pageNumber,
        page.length,
        page.pagingState && stateNextId(page.pagingState),
        ids,
        stream.pageNumber,
        stream.totalRowsFetched,
      ]);
      expect(page.rows.map((r) => r.id)).toEqual(ids);
      expect(page.row(0).id).toBe(ids[0]);
    }
    expect(seen).toEqual([
      [1, 10, 10, range(0, 10), 1, 10],
      [2, 10, 20, range(10, 20), 2, 20],
      [3, 5, undefined, range(20, 25), 3, 25],
    ]);
  });

  it('tracks the resume position per row: pagingState moves when a page is fully received', async () => {
    const source = new FakeSource({ rows: 30 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const it = stream[Symbol.asyncIterator]();
    const positions: [number, number, number, number][] = [];
    for (let i = 0; i < 15; i++) {
      await it.next();
      if (i === 8 || i === 9 || i === 14)
        positions.push([
          stream.totalRowsFetched,
          stream.rowsPastPagingState,
          stateNextId(stream.pagingState),
          stream.pageNumber,
        ]);
    }
    expect(positions).toEqual([
      [9, 9, 0, 1], // mid page 1: the state is still the start
      [10, 0, 10, 1], // last row of page 1 received: the state moves past it
      [15, 5, 10, 2], // 5 rows into page 2
    ]);
    await it.return!();
    // resuming from pagingState and skipping rowsPastPagingState continues right after row 14
    const resumed = createResultStream<TestRow>(new FakeSource({ rows: 30 }), {
      fetchSize: 7,
      pagingState: stream.pagingState!,
    });
    const ids = await collectIds(resumed);
    expect(ids.slice(stream.rowsPastPagingState)).toEqual(range(15, 30));
  });

  it('starts from a given pagingState and reports it as the position until a page is delivered', async () => {
    const source = new FakeSource({ rows: 30 });
    const start = encodeState(20, 99);
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, pagingState: start });
    expect(stream.pagingState).toBe(start);
    expect(await collectIds(stream)).toEqual(range(20, 30));
    expect(source.requests[0]!.pagingState).toBe(start);
  });

  it('requests the first page at once, before any next()', async () => {
    const source = new FakeSource({ rows: 5, mode: 'manual' });
    createResultStream<TestRow>(source, { fetchSize: 10, prefetchPages: 0 });
    expect(source.calls.length).toBe(1);
    expect(source.calls[0]!.request.attempt).toBe(1);
  });

  it('skips empty pages that carry a paging state: invisible to pageNumber, pageCallback and maxPages', async () => {
    // requests 0 and 2 and 3 answer with zero rows and a paging state
    const source = new FakeSource({
      rows: 30,
      script: (_r, i) => (i === 0 || i === 2 || i === 3 ? { kind: 'empty' } : { kind: 'page' }),
    });
    const calls: [number, number][] = [];
    const stream = createResultStream<TestRow>(source, {
      fetchSize: 10,
      maxPages: 2,
      pageCallback: (n, total) => {
        calls.push([n, total]);
      },
    });
    const pages: [number, number[]][] = [];
    for await (const page of stream.pages()) pages.push([page.pageNumber, [...page].map((r) => r.id)]);
    expect(pages).toEqual([
      [1, range(0, 10)],
      [2, range(10, 20)],
    ]);
    expect(calls).toEqual([
      [1, 10],
      [2, 20],
    ]);
    expect(source.calls.length).toBe(5);
    expect(stream.pageNumber).toBe(2);
  });

  it('an empty last page (no paging state) ends the stream', async () => {
    const source = new FakeSource({ rows: 20 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    // the fake's page at id 20 has no rows: 20 rows in pages of 10 give a final empty page only when asked
    expect(await collectIds(stream)).toEqual(range(0, 20));
    expect(stream.pageNumber).toBe(2);
    const empty = new FakeSource({ rows: 0 });
    const none = createResultStream<TestRow>(empty, {});
    expect(await collectIds(none)).toEqual([]);
    expect(none.pageNumber).toBe(0);
    expect(empty.calls.length).toBe(1);
  });

  it('a second concurrent consumer is refused at once with ArgumentError', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 5 }), {});
    const first = stream[Symbol.asyncIterator]() as AsyncIterator<TestRow, undefined>;
    expect(() => stream[Symbol.asyncIterator]()).toThrow(ArgumentError);
    expect(() => stream.pages()).toThrow(/already has a consumer/);
    expect(() => stream.toReadable()).toThrow(ArgumentError);
    expect((await first.next()).value?.id).toBe(0);
    await first.return!();
  });

  it('a consumer that finished releases the stream; a later iteration sees the end', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 3 }), {});
    expect(await collectIds(stream)).toEqual([0, 1, 2]);
    expect(await collectIds(stream)).toEqual([]);
  });

  it('next() calls made without waiting are answered in order', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 4 }), { fetchSize: 2 });
    const it = stream[Symbol.asyncIterator]();
    const results = await Promise.all([it.next(), it.next(), it.next(), it.next(), it.next()]);
    expect(results.map((r) => (r.done ? 'done' : r.value.id))).toEqual([0, 1, 2, 3, 'done']);
    await settle();
  });
});
