import { describe, expect, it } from 'vitest';
import { ArgumentError, ErrorCode, InvalidRequestError } from '../../src/protocol/errors/index.js';
import { createResultStream, StreamError } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { FakeSource, range, settle } from './support/fake-source.js';

describe('toReadable', () => {
  it('buffers at most highWaterMark rows and fetches no page beyond 1 + prefetchPages while nobody reads', async () => {
    const source = new FakeSource({ rows: 1000 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const readable = stream.toReadable({ highWaterMark: 5 });
    readable.pause();
    readable.read(0); // start the flow without consuming
    await settle(20);
    expect(readable.readableLength).toBe(5);
    expect(readable.readableHighWaterMark).toBe(5);
    expect(source.calls.length).toBe(2);
    expect(stream.totalRowsFetched).toBe(5);
    readable.destroy();
    await settle();
    expect(source.calls.length).toBe(2);
  });

  it('destroy() while the prefetch is in flight aborts it and ends the stream', async () => {
    const source = new FakeSource({ rows: 1000, mode: 'manual' });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const readable = stream.toReadable({ highWaterMark: 5 });
    readable.pause();
    readable.read(0);
    source.calls[0]!.answer();
    await settle();
    expect(readable.readableLength).toBe(5);
    expect(source.calls.length).toBe(2);
    expect(source.calls[1]!.request.signal.aborted).toBe(false);
    readable.destroy();
    await settle();
    expect(source.calls[1]!.request.signal.aborted).toBe(true);
    source.calls[1]!.answer(); // late: ignored
    await settle();
    expect(stream.pageNumber).toBe(1);
    expect(source.calls.length).toBe(2);
  });

  it('delivers every row in order as an object-mode stream', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 95 }), { fetchSize: 10 });
    const ids: number[] = [];
    for await (const row of stream.toReadable({ highWaterMark: 3 })) ids.push((row as TestRow).id);
    expect(ids).toEqual(range(0, 95));
    expect(stream.totalRowsFetched).toBe(95);
    expect(stream.pageNumber).toBe(10);
  });

  it('destroy() with the first page in flight aborts that request', async () => {
    const source = new FakeSource({ rows: 1000, mode: 'manual' });
    const readable = createResultStream<TestRow>(source, { fetchSize: 10 }).toReadable();
    readable.read(0);
    await settle();
    expect(source.calls[0]!.request.signal.aborted).toBe(false);
    readable.destroy();
    await settle();
    expect(source.calls[0]!.request.signal.aborted).toBe(true);
    expect(readable.destroyed).toBe(true);
  });

  it('a stream failure destroys the Readable with the StreamError', async () => {
    const invalid = new InvalidRequestError(ErrorCode.INVALID, 'nope');
    const source = new FakeSource({
      rows: 100,
      script: (_r, i) => (i === 1 ? { kind: 'error', error: invalid } : { kind: 'page' }),
    });
    const readable = createResultStream<TestRow>(source, { fetchSize: 10 }).toReadable();
    const ids: number[] = [];
    const error = (await (async () => {
      for await (const row of readable) ids.push((row as TestRow).id);
    })().then(
      () => undefined,
      (e: unknown) => e,
    )) as StreamError;
    expect(ids).toEqual(range(0, 10));
    expect(error).toBeInstanceOf(StreamError);
    expect(error.cause).toBe(invalid);
  });

  it('refuses a highWaterMark that is not a positive integer', () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 1 }), {});
    expect(() => stream.toReadable({ highWaterMark: 0 })).toThrow(
      new ArgumentError('highWaterMark must be a positive integer, got 0'),
    );
    stream.cancel();
  });
});
