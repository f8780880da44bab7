import { describe, expect, it } from 'vitest';
import { Consistency } from '../../src/protocol/consistency.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import type { FetchPageOptions, FetchPageResult, PageFetchingSession } from '../../src/streaming/index.js';
import {
  createResultStream,
  createStreamingStatement,
  executeStream,
  isStreamingStatement,
  resolveStreamConfig,
  StreamError,
} from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { collectIds, FakeSource, range } from './support/fake-source.js';

describe('stream options', () => {
  it('defaults: fetchSize 1000, prefetch 1, unlimited pages, 3 retries', () => {
    const c = resolveStreamConfig(undefined);
    expect([c.fetchSize, c.prefetchPages, c.maxPages, c.maxPageBytes, c.timeoutMs, c.retry.maxRetries]).toEqual([
      1000,
      1,
      Infinity,
      undefined,
      undefined,
      3,
    ]);
  });

  it.each([
    [{ fetchSize: 0 }, 'fetchSize must be a positive integer (at most 2147483647), got 0'],
    [{ fetchSize: -5 }, 'fetchSize must be a positive integer (at most 2147483647), got -5'],
    [{ fetchSize: 1.5 }, 'fetchSize must be a positive integer (at most 2147483647), got 1.5'],
    [{ fetchSize: '10' }, 'fetchSize must be a positive integer (at most 2147483647), got 10'],
    [{ maxPages: 0 }, 'maxPages must be a positive integer (at most 9007199254740991), got 0'],
    [{ maxPageBytes: 0 }, 'maxPageBytes must be a positive integer (at most 9007199254740991), got 0'],
    [{ prefetchPages: -1 }, 'prefetchPages must be an integer from 0 to 1000, got -1'],
    [{ timeoutMs: 0 }, 'timeoutMs must be a number of milliseconds from 1 to 2147483647, got 0'],
    [{ consistency: 99 }, 'consistency must be one of the Consistency levels, got UNKNOWN(0x0063)'],
    [{ serialConsistency: 'QUORUM' }, 'serialConsistency must be one of the Consistency levels, got QUORUM'],
    [{ pagingState: 'abc' }, "pagingState must be a Buffer (from an earlier stream's pagingState), got string"],
    [{ pageCallback: 5 }, 'pageCallback must be a function, got number'],
    [{ signal: {} }, 'signal must be an AbortSignal'],
    [{ retry: { maxRetries: -1 } }, 'retry.maxRetries must be an integer from 0 to 100, got -1'],
    [
      { fetchsize: 10 },
      'Unknown stream option "fetchsize"; known options: fetchSize, maxPages, pageCallback, timeoutMs, signal, pagingState, prefetchPages, maxPageBytes, consistency, serialConsistency, retry',
    ],
  ])('%j is an ArgumentError', (options, message) => {
    expect(() => resolveStreamConfig(options as never)).toThrow(new ArgumentError(message));
    const source = new FakeSource({ rows: 1 });
    expect(() => createResultStream(source, options as never)).toThrow(ArgumentError);
    expect(source.calls.length).toBe(0);
  });
});

/** A stand-in for Session.fetchPage over a FakeSource, recording what it was asked. */
class FakeSession implements PageFetchingSession<string> {
  readonly asked: { statement: string; params: unknown; options: FetchPageOptions }[] = [];
  constructor(private readonly source: FakeSource) {}
  async fetchPage(statement: string, params: unknown, options: FetchPageOptions): Promise<FetchPageResult> {
    this.asked.push({ statement, params, options });
    const fetched = await this.source.fetch({
      pagingState: options.pagingState,
      pageSize: options.pageSize,
      signal: options.signal,
      attempt: 1,
      timeoutMs: options.timeoutMs,
      failedCoordinator: undefined,
    });
    return { page: fetched.page, pagingState: fetched.pagingState, coordinator: { address: '127.0.0.1', port: 9042 } };
  }
}

describe('executeStream over the session seam and createStreamingStatement', () => {
  it('passes statement, params, page size, paging state, consistency and the previous coordinator to fetchPage', async () => {
    const session = new FakeSession(new FakeSource({ rows: 15 }));
    const stream = await executeStream<TestRow>(session, 'SELECT * FROM t WHERE p = ?', [7], {
      fetchSize: 10,
      consistency: Consistency.LOCAL_ONE,
      serialConsistency: Consistency.LOCAL_SERIAL,
      timeoutMs: 5000,
    });
    expect(session.asked.length).toBe(1); // the first request is sent before executeStream resolves
    expect(await collectIds(stream)).toEqual(range(0, 15));
    expect(
      session.asked.map((a) => [
        a.statement,
        a.params,
        a.options.pageSize,
        a.options.pagingState?.readInt32BE(0),
        a.options.consistency,
        a.options.serialConsistency,
        a.options.timeoutMs,
        (a.options.hostHint as { port: number } | undefined)?.port,
      ]),
    ).toEqual([
      [
        'SELECT * FROM t WHERE p = ?',
        [7],
        10,
        undefined,
        Consistency.LOCAL_ONE,
        Consistency.LOCAL_SERIAL,
        5000,
        undefined,
      ],
      // the second page asks the first page's coordinator first
      ['SELECT * FROM t WHERE p = ?', [7], 10, 10, Consistency.LOCAL_ONE, Consistency.LOCAL_SERIAL, 5000, 9042],
    ]);
  });

  it("a streaming statement carries its options; the call's options override them", async () => {
    const statement = createStreamingStatement('SELECT * FROM ts WHERE date = ?', {
      fetchSize: 4,
      consistency: Consistency.LOCAL_ONE,
      maxPages: 2,
    });
    expect(isStreamingStatement(statement)).toBe(true);
    expect(isStreamingStatement({ query: 'x', options: {} })).toBe(false);
    expect(statement.query).toBe('SELECT * FROM ts WHERE date = ?');
    const session = new FakeSession(new FakeSource({ rows: 100 }));
    const stream = await executeStream<TestRow>(session, statement, ['2024-01-01'], { maxPages: 3 });
    expect(await collectIds(stream)).toEqual(range(0, 12));
    expect(session.asked.map((a) => [a.statement, a.options.pageSize, a.options.consistency])).toEqual([
      ['SELECT * FROM ts WHERE date = ?', 4, Consistency.LOCAL_ONE],
      ['SELECT * FROM ts WHERE date = ?', 4, Consistency.LOCAL_ONE],
      ['SELECT * FROM ts WHERE date = ?', 4, Consistency.LOCAL_ONE],
    ]);
  });

  it('createStreamingStatement checks its options at once', () => {
    expect(() => createStreamingStatement('SELECT 1', { fetchSize: 0 })).toThrow(ArgumentError);
    expect(() => createStreamingStatement('  ')).toThrow(
      new ArgumentError('createStreamingStatement needs a query: got an empty string'),
    );
  });

  it('executeStream rejects only for bad arguments, before sending anything', async () => {
    const session = new FakeSession(new FakeSource({ rows: 1 }));
    await expect(executeStream(session, 'SELECT 1', undefined, { fetchSize: -1 })).rejects.toThrow(ArgumentError);
    await expect(executeStream(session, '', undefined, {})).rejects.toThrow(
      new ArgumentError('executeStream needs a query: got an empty string'),
    );
    await expect(executeStream(session, 'SELECT 1', 5, {})).rejects.toThrow(
      new ArgumentError('executeStream params must be an array or an object of named values, got number'),
    );
    expect(session.asked.length).toBe(0);
  });
});

describe("executeStream and the caller's mistakes found by the session", () => {
  it('rejects with the ArgumentError the session raises before sending, instead of a stream that can only fail', async () => {
    const wrong = new ArgumentError('Expected 1 parameter for SELECT * FROM t WHERE p = ?, got 2');
    const session: PageFetchingSession<string> = { fetchPage: () => Promise.reject(wrong) };
    await expect(executeStream(session, 'SELECT * FROM t WHERE p = ?', [1, 2])).rejects.toBe(wrong);
  });

  it('any other first-page failure reaches the consumer as a StreamError', async () => {
    const refused = new Error('connection refused');
    const session: PageFetchingSession<string> = { fetchPage: () => Promise.reject(refused) };
    const stream = await executeStream(session, 'SELECT 1', [], { retry: false });
    const error = await stream[Symbol.asyncIterator]()
      .next()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).cause).toBe(refused);
  });
});
