import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RETRY_NEXT, type RetryContext, type RetryDecision, type RetryPolicy } from '../../src/cluster/index.js';
import { OverloadedError } from '../../src/protocol/errors/index.js';
import type { Row } from '../../src/protocol/rows/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { StreamError } from '../../src/streaming/index.js';

/**
 * Who retries a stream's page: the stream's `retry` option alone. The cluster's retry policy
 * decides for execute/batch/prepare and is never consulted for a page request.
 */

interface IdRow extends Row {
  readonly id: number;
}

const ROWS = 500;
const QUERY = 'SELECT id FROM layer.t';

/** A retry policy that says "next host" and counts how often it was asked. */
class CountingPolicy implements RetryPolicy {
  readonly asked: string[] = [];
  onError(context: RetryContext): RetryDecision {
    this.asked.push(context.error.constructor.name);
    return RETRY_NEXT;
  }
}

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;
const policy = new CountingPolicy();

/** Page requests the server received for QUERY, in order. */
function pageRequests(): { node: number; pagingState: string | undefined }[] {
  return server.activityLog
    .filter((e) => (e.opcode === 'QUERY' || e.opcode === 'EXECUTE') && e.query === QUERY)
    .map((e) => ({ node: e.node, pagingState: e.pagingState?.toString('hex') }));
}

async function ids(rows: AsyncIterable<IdRow>): Promise<number[]> {
  const out: number[] = [];
  for await (const row of rows) out.push(row.id);
  return out.sort((a, b) => a - b);
}

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  cluster = new Cluster({ contactPoints: server.contactPoints, retryPolicy: policy, requestTimeoutMs: 2_000 });
  session = await cluster.connect();
  await session.execute(
    "CREATE KEYSPACE layer WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}",
  );
  await session.execute('CREATE TABLE layer.t (id int PRIMARY KEY)');
  server.load('layer', 't', { count: ROWS, generate: (i) => ({ id: i }) });
}, 30_000);

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

beforeEach(() => {
  server.clearPrimes();
  server.clearActivityLog();
  policy.asked.length = 0;
});

describe('a stream page is retried by the stream alone', () => {
  it("an OVERLOADED page goes to another host under the stream's rule; the cluster's policy is not asked", async () => {
    server.prime({ when: { query: QUERY, afterPages: 1, times: 1 }, then: { error: { code: 'OVERLOADED' } } });
    const stream = await session.executeStream<IdRow>(QUERY, undefined, { fetchSize: 100 });
    expect(await ids(stream)).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    const requests = pageRequests();
    expect(requests[2]!.pagingState).toBe(requests[1]!.pagingState); // page 2 asked twice, same state
    expect(requests[2]!.node).not.toBe(requests[1]!.node); // the second time of another host, at once
    expect(policy.asked).toEqual([]);
  });

  it('retry: false asks a failed page once, of one host, and the stream fails with its error', async () => {
    server.prime({ when: { query: QUERY, afterPages: 1, times: 1 }, then: { error: { code: 'OVERLOADED' } } });
    const stream = await session.executeStream<IdRow>(QUERY, undefined, { fetchSize: 100, retry: false });
    const error = (await ids(stream).then(
      () => undefined,
      (e: unknown) => e,
    )) as StreamError;
    expect(error).toBeInstanceOf(StreamError);
    expect(error.cause).toBeInstanceOf(OverloadedError);
    expect([error.pageNumber, error.totalRowsFetched]).toEqual([1, 100]);
    expect(pageRequests().length).toBe(2);
    expect(policy.asked).toEqual([]);
  });

  it("execute() still retries under the cluster's policy", async () => {
    server.prime({ when: { query: QUERY, times: 1 }, then: { error: { code: 'OVERLOADED' } } });
    const rs = await session.execute(QUERY, undefined, { fetchSize: 10 });
    expect(rs.rows.length).toBe(10);
    expect(policy.asked).toEqual(['OverloadedError']);
  });
});
