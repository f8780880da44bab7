import { describe, expect, it } from 'vitest';
import { NoHostAvailableError } from '../../src/cluster/index.js';
import type { ResultStream } from '../../src/streaming/index.js';
import { createResultStream, StreamError } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { FakeSource, settle, stateNextId } from './support/fake-source.js';

/**
 * Reads the 10 rows of the first page (answered by hand), then calls next() once more, which
 * waits on the second page's request; returns the iterator and that waiting next().
 */
async function readFirstPageThenWait(
  source: FakeSource,
  stream: ResultStream<TestRow>,
): Promise<{ it: AsyncIterator<TestRow>; waiting: Promise<IteratorResult<TestRow>> }> {
  const it = stream[Symbol.asyncIterator]();
  const first = it.next();
  source.calls[0]!.answer();
  await first;
  for (let i = 1; i < 10; i++) await it.next();
  const waiting = it.next();
  await settle();
  return { it, waiting };
}

describe('the signal a page attempt gets', () => {
  it('a source of its own gets a fresh signal per attempt, so listeners it leaves on one die with it', async () => {
    const source = new FakeSource({ rows: 30 });
    let n = 0;
    for await (const _ of createResultStream<TestRow>(source, { fetchSize: 10 })) n++;
    expect(n).toBe(30);
    const signals = new Set(source.calls.map((c) => c.request.signal));
    expect(signals.size).toBe(source.calls.length);
    expect(source.calls.length).toBeGreaterThanOrEqual(3);
  });
});

describe('cancel, break and abort', () => {
  it('cancel() with a page in flight aborts that request, resolves the waiting next() as done and drops the late page', async () => {
    const source = new FakeSource({ rows: 100, mode: 'manual' });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, prefetchPages: 0 });
    const { it, waiting } = await readFirstPageThenWait(source, stream);
    const inFlight = source.calls[1]!.request;
    expect(inFlight.signal.aborted).toBe(false);
    stream.cancel();
    expect(inFlight.signal.aborted).toBe(true);
    expect(await waiting).toEqual({ done: true, value: undefined });
    // the answer that comes anyway is ignored
    source.calls[1]!.answer();
    await settle();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(stream.totalRowsFetched).toBe(10);
    expect(stream.pageNumber).toBe(1);
    stream.cancel();
    expect(source.calls.length).toBe(2);
  });

  it('break out of for await cancels the prefetch in flight and stops fetching', async () => {
    const source = new FakeSource({ rows: 100, mode: 'manual' });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    source.calls[0]!.answer();
    let n = 0;
    for await (const row of stream) {
      n = row.id;
      if (row.id === 3) break;
    }
    expect(n).toBe(3);
    expect(source.calls.length).toBe(2);
    expect(source.calls[1]!.request.signal.aborted).toBe(true);
    expect(source.calls[1]!.settled).toBe(true);
    await settle();
    expect(source.calls.length).toBe(2);
    expect(stream.totalRowsFetched).toBe(4);
    expect(stream.rowsPastPagingState).toBe(4);
    expect(stream.pagingState).toBeUndefined();
  });

  it('no row leaves after cancel, even from the page in hand', async () => {
    const source = new FakeSource({ rows: 100 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    stream.cancel();
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('an aborted signal rejects the waiting next() with StreamError(cause = reason) and aborts the request', async () => {
    const source = new FakeSource({ rows: 100, mode: 'manual' });
    const controller = new AbortController();
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, signal: controller.signal });
    const { it, waiting } = await readFirstPageThenWait(source, stream);
    const reason = new Error('user gave up');
    controller.abort(reason);
    const error = await waiting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamError);
    const se = error as StreamError;
    expect(se.cause).toBe(reason);
    expect(se.totalRowsFetched).toBe(10);
    expect(se.pageNumber).toBe(1);
    expect(stateNextId(se.pagingState)).toBe(10);
    expect(se.message).toBe('Stream aborted by its signal after 1 page(s) and 10 row(s): user gave up');
    expect(source.calls[1]!.request.signal.aborted).toBe(true);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('an abort mid-page stops the rows at once; the error names the last fully delivered page', async () => {
    const source = new FakeSource({ rows: 100 });
    const controller = new AbortController();
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, signal: controller.signal });
    const it = stream[Symbol.asyncIterator]();
    for (let i = 0; i < 13; i++) await it.next();
    controller.abort();
    const error = (await it.next().then(
      () => undefined,
      (e: unknown) => e,
    )) as StreamError;
    expect(error).toBeInstanceOf(StreamError);
    expect((error.cause as Error).name).toBe('AbortError');
    expect([error.pageNumber, error.totalRowsFetched, stateNextId(error.pagingState)]).toEqual([1, 10, 10]);
  });

  it('a signal aborted before the stream starts sends nothing and fails the first next()', async () => {
    const source = new FakeSource({ rows: 10 });
    const stream = createResultStream<TestRow>(source, { signal: AbortSignal.abort(new Error('too late')) });
    expect(source.calls.length).toBe(0);
    const error = (await stream[Symbol.asyncIterator]()
      .next()
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as StreamError;
    expect(error).toBeInstanceOf(StreamError);
    expect((error.cause as Error).message).toBe('too late');
    expect([error.pageNumber, error.totalRowsFetched, error.pagingState]).toEqual([0, 0, undefined]);
  });

  it('Symbol.asyncDispose cancels (await using)', async () => {
    const source = new FakeSource({ rows: 100, mode: 'manual' });
    {
      await using stream = createResultStream<TestRow>(source, { fetchSize: 10 });
      expect(stream.pageNumber).toBe(0);
    }
    expect(source.calls[0]!.request.signal.aborted).toBe(true);
  });

  it('cancel during a backoff between retries ends the stream without another attempt', async () => {
    const source = new FakeSource({
      rows: 100,
      script: () => ({ kind: 'error', error: new NoHostAvailableError(new Map()) }),
    });
    const stream = createResultStream<TestRow>(source, { retry: { baseDelayMs: 10_000 } });
    const it = stream[Symbol.asyncIterator]();
    const waiting = it.next();
    await settle();
    expect(source.calls.length).toBe(1);
    stream.cancel();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(source.calls.length).toBe(1);
  });
});

describe('one signal shared by many streams', () => {
  it('aborts all of them through one listener (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const sources = Array.from({ length: 30 }, () => new FakeSource({ rows: 100, mode: 'manual' }));
      const streams = sources.map((s) => createResultStream<TestRow>(s, { signal: controller.signal }));
      const pending = streams.map((s) =>
        s[Symbol.asyncIterator]()
          .next()
          .then(
            () => 'resolved',
            (e: unknown) => (e instanceof StreamError ? 'StreamError' : 'other'),
          ),
      );
      controller.abort();
      expect(new Set(await Promise.all(pending))).toEqual(new Set(['StreamError']));
      expect(sources.every((s) => s.calls[0]!.request.signal.aborted)).toBe(true);
      await settle();
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
