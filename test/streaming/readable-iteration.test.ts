import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ErrorCode, InvalidRequestError } from '../../src/protocol/errors/index.js';
import { createResultStream, StreamError } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { FakeSource, range, settle } from './support/fake-source.js';

/** The Readable's lifecycle events, in the order they were emitted. */
function recordEvents(readable: NodeJS.EventEmitter): string[] {
  const events: string[] = [];
  readable.on('end', () => events.push('end'));
  readable.on('close', () => events.push('close'));
  return events;
}

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('for await over toReadable()', () => {
  it('hands every row straight from the pages, buffering none, then emits end and close', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 95 }), { fetchSize: 10 });
    const readable = stream.toReadable({ highWaterMark: 3 });
    const events = recordEvents(readable);
    const ids: number[] = [];
    const buffered: number[] = [];
    for await (const row of readable) {
      ids.push((row as TestRow).id);
      buffered.push(readable.readableLength);
    }
    expect(ids).toEqual(range(0, 95));
    expect(buffered.every((n) => n === 0)).toBe(true);
    expect(stream.totalRowsFetched).toBe(95);
    expect(stream.pagingState).toBeUndefined();
    await settle();
    expect(events).toEqual(['end', 'close']);
    expect(readable.destroyed).toBe(true);
  });

  it('gives read() nothing while the loop runs: the stream has one consumer', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 30 }), { fetchSize: 10 });
    const readable = stream.toReadable();
    const ids: number[] = [];
    const stolen: unknown[] = [];
    for await (const row of readable) {
      ids.push((row as TestRow).id);
      const other: unknown = readable.read();
      if (other !== null) stolen.push(other);
    }
    expect(stolen).toEqual([]);
    expect(ids).toEqual(range(0, 30));
  });

  it('a second for await while the first runs throws an ArgumentError; the first reads on', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 25 }), { fetchSize: 10 });
    const readable = stream.toReadable();
    const ids: number[] = [];
    let second: unknown;
    for await (const row of readable) {
      ids.push((row as TestRow).id);
      if (ids.length === 3) {
        try {
          readable[Symbol.asyncIterator]();
        } catch (error) {
          second = error;
        }
      }
    }
    expect(second).toBeInstanceOf(ArgumentError);
    expect((second as Error).message).toMatch(/already being read by a for await loop/);
    expect(ids).toEqual(range(0, 25));
    // after the end, a new loop finds the Readable ended, as Node's iterator does
    const after: unknown[] = [];
    for await (const row of readable) after.push(row);
    expect(after).toEqual([]);
  });

  it('break destroys the Readable and cancels the stream: the page in flight is aborted, no end', async () => {
    const source = new FakeSource({ rows: 1000 });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10 });
    const readable = stream.toReadable();
    const events = recordEvents(readable);
    let seen = 0;
    for await (const _row of readable) {
      if (++seen === 15) break;
    }
    expect(readable.destroyed).toBe(true);
    await settle();
    expect(events).toEqual(['close']);
    expect(source.calls.at(-1)!.request.signal.aborted).toBe(true);
    expect(stream.totalRowsFetched).toBe(15);
    expect(stream.rowsPastPagingState).toBe(5);
  });

  it('a stream failure throws the StreamError from the loop and destroys the Readable with it', async () => {
    const invalid = new InvalidRequestError(ErrorCode.INVALID, 'nope');
    const source = new FakeSource({
      rows: 100,
      script: (_r, i) => (i === 1 ? { kind: 'error', error: invalid } : { kind: 'page' }),
    });
    const readable = createResultStream<TestRow>(source, { fetchSize: 10 }).toReadable();
    const emitted: unknown[] = [];
    readable.on('error', (e) => emitted.push(e));
    const ids: number[] = [];
    const error = await caught(async () => {
      for await (const row of readable) ids.push((row as TestRow).id);
    });
    expect(ids).toEqual(range(0, 10));
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).cause).toBe(invalid);
    await settle();
    expect(emitted).toEqual([error]);
    expect(readable.destroyed).toBe(true);
  });

  it('a stream failure with no error listener is only the loop’s error (no unhandled error event)', async () => {
    const source = new FakeSource({
      rows: 100,
      script: (_r, i) => (i === 2 ? { kind: 'error', error: new Error('gone') } : { kind: 'page' }),
    });
    const readable = createResultStream<TestRow>(source, { fetchSize: 10 }).toReadable();
    const error = await caught(async () => {
      for await (const _row of readable) {
        // read on
      }
    });
    expect(error).toBeInstanceOf(StreamError);
    await settle(5); // an unhandled 'error' event would fail the test run here
    expect(readable.destroyed).toBe(true);
  });

  it('destroy() during the loop makes it throw ERR_STREAM_PREMATURE_CLOSE, as Node’s iterator does', async () => {
    const source = new FakeSource({ rows: 1000 });
    const readable = createResultStream<TestRow>(source, { fetchSize: 10 }).toReadable();
    let seen = 0;
    const error = await caught(async () => {
      for await (const _row of readable) if (++seen === 3) readable.destroy();
    });
    expect(seen).toBe(3);
    expect((error as NodeJS.ErrnoException).code).toBe('ERR_STREAM_PREMATURE_CLOSE');
    expect(source.calls.at(-1)!.request.signal.aborted).toBe(true);
  });

  it('destroy(error) during the loop makes it throw that error', async () => {
    const readable = createResultStream<TestRow>(new FakeSource({ rows: 1000 }), { fetchSize: 10 }).toReadable();
    readable.on('error', () => undefined);
    const mine = new Error('consumer gave up');
    let seen = 0;
    const error = await caught(async () => {
      for await (const _row of readable) if (++seen === 12) readable.destroy(mine);
    });
    expect(error).toBe(mine);
    expect(seen).toBe(12);
  });

  it('cancel() on the stream during the loop ends it quietly, with end and close', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 1000 }), { fetchSize: 10 });
    const readable = stream.toReadable();
    const events = recordEvents(readable);
    let seen = 0;
    for await (const _row of readable) if (++seen === 4) stream.cancel();
    expect(seen).toBe(4);
    await settle();
    expect(events).toEqual(['end', 'close']);
  });

  it('a Readable already read from is iterated by Node’s iterator: the buffered rows first, none lost', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 57 }), { fetchSize: 10 });
    const readable = stream.toReadable({ highWaterMark: 4 });
    readable.read(0);
    await settle();
    expect(readable.readableLength).toBe(4);
    const first = readable.read() as TestRow;
    const ids = [first.id];
    for await (const row of readable) ids.push((row as TestRow).id);
    expect(ids).toEqual(range(0, 57));
  });

  it('works as the source of a pipeline stage written as an async generator', async () => {
    const stream = createResultStream<TestRow>(new FakeSource({ rows: 42 }), { fetchSize: 10 });
    const ids: number[] = [];
    await pipeline(stream.toReadable(), async (source: AsyncIterable<TestRow>) => {
      for await (const row of source) ids.push(row.id);
    });
    expect(ids).toEqual(range(0, 42));
  });
});
