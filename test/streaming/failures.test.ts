import { describe, expect, it } from 'vitest';
import { NoHostAvailableError } from '../../src/cluster/index.js';
import { ConnectionClosedError, RequestTimeoutError } from '../../src/connection/index.js';
import {
  ErrorCode,
  InvalidRequestError,
  IsBootstrappingError,
  OverloadedError,
  ReadTimeoutError,
  UnavailableError,
} from '../../src/protocol/errors/index.js';
import {
  createResultStream,
  isRetryableStreamError,
  PageTimeoutError,
  StreamError,
} from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { collectIds, FakeSource, range, settle, stateNextId } from './support/fake-source.js';

const overloaded = (): OverloadedError =>
  Object.assign(new OverloadedError(ErrorCode.OVERLOADED, 'busy'), { coordinator: '127.0.0.2:9042' });
const closed = (): ConnectionClosedError => new ConnectionClosedError('127.0.0.3', 9042, 'peer went away');
const fast = { baseDelayMs: 1, maxDelayMs: 2 };

async function failureOf(stream: AsyncIterable<TestRow>, ids: number[]): Promise<StreamError> {
  try {
    for await (const row of stream) ids.push(row.id);
  } catch (e) {
    return e as StreamError;
  }
  throw new Error('the stream ended without an error');
}

describe('failures and retries', () => {
  it('retries a failed page with the same paging state; the consumer sees no gap and no duplicate', async () => {
    // request 2 (page 2, first attempt) and 3 (its retry) fail, then it succeeds; page 4's first attempt fails too
    const source = new FakeSource({
      rows: 50,
      script: (_r, i) =>
        i === 1
          ? { kind: 'error', error: overloaded() }
          : i === 2
            ? { kind: 'error', error: closed() }
            : i === 5
              ? { kind: 'error', error: overloaded() }
              : { kind: 'page' },
    });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, retry: fast });
    expect(await collectIds(stream)).toEqual(range(0, 50));
    expect(source.requests.map((r) => [stateNextId(r.pagingState), r.attempt, r.failedCoordinator])).toEqual([
      [0, 1, undefined],
      [10, 1, undefined],
      [10, 2, '127.0.0.2:9042'],
      [10, 3, '127.0.0.3:9042'],
      [20, 1, undefined],
      [30, 1, undefined],
      [30, 2, '127.0.0.2:9042'],
      [40, 1, undefined],
    ]);
    // retried requests used the very same paging state buffer
    expect(source.requests[2]!.pagingState).toBe(source.requests[1]!.pagingState);
    expect(stream.pageNumber).toBe(5);
  });

  it('gives up after maxRetries: StreamError with the cause and the last fully delivered position; resuming from it completes the set', async () => {
    const source = new FakeSource({
      rows: 50,
      script: (r) => (stateNextId(r.pagingState) === 30 ? { kind: 'error', error: overloaded() } : { kind: 'page' }),
    });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, retry: { ...fast, maxRetries: 2 } });
    const ids: number[] = [];
    const error = await failureOf(stream, ids);
    expect(error).toBeInstanceOf(StreamError);
    expect(error.cause).toBeInstanceOf(OverloadedError);
    expect([error.pageNumber, error.totalRowsFetched, stateNextId(error.pagingState)]).toEqual([3, 30, 30]);
    expect(ids).toEqual(range(0, 30));
    expect(source.requests.filter((r) => stateNextId(r.pagingState) === 30).map((r) => r.attempt)).toEqual([1, 2, 3]);
    const resumed = createResultStream<TestRow>(new FakeSource({ rows: 50 }), {
      fetchSize: 7,
      pagingState: error.pagingState!,
    });
    const all = [...ids, ...(await collectIds(resumed))];
    expect(all).toEqual(range(0, 50));
  });

  it('does not retry an error that is not retryable', async () => {
    const invalid = new InvalidRequestError(ErrorCode.INVALID, 'unknown table');
    const source = new FakeSource({
      rows: 50,
      script: (_r, i) => (i === 1 ? { kind: 'error', error: invalid } : { kind: 'page' }),
    });
    const error = await failureOf(createResultStream<TestRow>(source, { fetchSize: 10, retry: fast }), []);
    expect(error.cause).toBe(invalid);
    expect(source.calls.length).toBe(2);
  });

  it('retry: false fails on the first error', async () => {
    const source = new FakeSource({
      rows: 50,
      script: (_r, i) => (i === 0 ? { kind: 'error', error: overloaded() } : { kind: 'page' }),
    });
    const error = await failureOf(createResultStream<TestRow>(source, { retry: false }), []);
    expect(error.cause).toBeInstanceOf(OverloadedError);
    expect(source.calls.length).toBe(1);
  });

  it('a shouldRetry of the caller decides', async () => {
    const seen: [string, number][] = [];
    const source = new FakeSource({
      rows: 5,
      script: (_r, i) => (i < 2 ? { kind: 'error', error: new Error(`e${i}`) } : { kind: 'page' }),
    });
    const stream = createResultStream<TestRow>(source, {
      retry: {
        ...fast,
        shouldRetry: (e, attempt) => {
          seen.push([(e as Error).message, attempt]);
          return true;
        },
      },
    });
    expect(await collectIds(stream)).toEqual(range(0, 5));
    expect(seen).toEqual([
      ['e0', 1],
      ['e1', 2],
    ]);
  });

  it('the per-page timeout aborts the hung attempt and retries it; the timeout is re-armed per page', async () => {
    const source = new FakeSource({ rows: 30, script: (_r, i) => (i === 1 ? { kind: 'hang' } : { kind: 'page' }) });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, timeoutMs: 30, retry: fast });
    expect(await collectIds(stream)).toEqual(range(0, 30));
    const hung = source.calls[1]!.request;
    expect(hung.signal.aborted).toBe(true);
    expect(hung.signal.reason).toBeInstanceOf(PageTimeoutError);
    expect(hung.timeoutMs).toBe(30);
    expect(source.requests.map((r) => [stateNextId(r.pagingState), r.attempt])).toEqual([
      [0, 1],
      [10, 1],
      [10, 2],
      [20, 1],
    ]);
  });

  it('a per-page timeout with no retries left is a StreamError caused by a RequestTimeoutError', async () => {
    const source = new FakeSource({ rows: 30, script: () => ({ kind: 'hang' }) });
    const error = await failureOf(createResultStream<TestRow>(source, { timeoutMs: 20, retry: false }), []);
    expect(error.cause).toBeInstanceOf(RequestTimeoutError);
    expect((error.cause as Error).message).toBe(
      "Page request (attempt 1) got no answer within the stream's timeoutMs of 20 ms",
    );
  });

  it('an error before the first next() is kept and delivered to it', async () => {
    const invalid = new InvalidRequestError(ErrorCode.INVALID, 'no such table');
    const source = new FakeSource({ rows: 5, script: () => ({ kind: 'error', error: invalid }) });
    const stream = createResultStream<TestRow>(source, {});
    await settle(10);
    const error = await failureOf(stream, []);
    expect(error.cause).toBe(invalid);
    expect([error.pageNumber, error.totalRowsFetched, error.pagingState]).toEqual([0, 0, undefined]);
  });

  it('an error on the prefetch comes after the rows already fetched, never instead of them', async () => {
    const source = new FakeSource({
      rows: 100,
      script: (_r, i) =>
        i === 2 ? { kind: 'error', error: new InvalidRequestError(ErrorCode.INVALID, 'x') } : { kind: 'page' },
    });
    const stream = createResultStream<TestRow>(source, { fetchSize: 10, prefetchPages: 1 });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    await settle(20); // page 2 fetched, page 3 failed while the consumer sat on row 0
    const ids = [0];
    const error = await failureOf({ [Symbol.asyncIterator]: () => it }, ids);
    expect(ids).toEqual(range(0, 20));
    expect([error.pageNumber, error.totalRowsFetched, stateNextId(error.pagingState)]).toEqual([2, 20, 20]);
  });

  it('an empty page that hands back the paging state it was given is a ProtocolError, not a hang', async () => {
    const source = new FakeSource({ rows: 5 });
    const stuck = {
      fetch: async (r: Parameters<FakeSource['fetch']>[0]) => {
        const page = await source.fetch(r);
        return {
          page: (await new FakeSource({ rows: 0 }).fetch(r)).page,
          pagingState: r.pagingState ?? page.pagingState ?? Buffer.from([1]),
        };
      },
    };
    const stream = createResultStream<TestRow>(stuck, { fetchSize: 2 });
    const error = await failureOf(stream, []);
    expect((error.cause as Error).name).toBe('ProtocolError');
  });

  it('classifies the retryable errors', () => {
    expect(
      [
        overloaded(),
        closed(),
        new IsBootstrappingError(ErrorCode.IS_BOOTSTRAPPING, 'b'),
        new ReadTimeoutError('t', { consistency: 1, received: 0, blockFor: 1, dataPresent: false }),
        new UnavailableError('u', { consistency: 1, required: 1, alive: 0 }),
        new RequestTimeoutError('h', 1, 5, 'x'),
        new NoHostAvailableError(new Map()),
      ].map(isRetryableStreamError),
    ).toEqual([true, true, true, true, true, true, true]);
    expect(
      [new InvalidRequestError(ErrorCode.INVALID, 'i'), new Error('plain'), 'str'].map(isRetryableStreamError),
    ).toEqual([false, false, false]);
  });
});
