import { describe, expect, it } from 'vitest';
import type { ClusterTopology, LoadBalancingPolicy, RetryPolicy } from '../../src/cluster/index.js';
import { ClusterMetrics, Host, NoHostAvailableError, RETRY_NEXT } from '../../src/cluster/index.js';
import type { Response } from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { RequestExecutor, type RequestPlan } from '../../src/session/request-executor.js';
import type { SessionPools } from '../../src/session/session-pools.js';

/**
 * The request path's metrics, recorded with one host lookup per attempt and the clock read once at
 * the request's start and once per attempt's end: the counts must stay exact (one request, one
 * latency per request and per attempt, nothing left in flight) on success, retry and failure.
 */
function setup(fail: ReadonlySet<string>) {
  const metrics = new ClusterMetrics();
  const hosts = [new Host('127.0.0.1', 9042), new Host('127.0.0.2', 9042), new Host('127.0.0.3', 9042)];
  const topology = { metrics, markDown: () => undefined, protocolVersion: 5 } as unknown as ClusterTopology;
  const sent: string[] = [];
  const pools = {
    currentKeyspace: undefined,
    get: (host: Host) => ({
      send: async (): Promise<Response> => {
        sent.push(host.address);
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (fail.has(host.address)) throw new Error(`down ${host.address}`);
        return { message: { opcode: Opcode.RESULT, kind: 'void' } } as unknown as Response;
      },
    }),
  } as unknown as SessionPools;
  const policy: LoadBalancingPolicy = { init: () => undefined, newQueryPlan: () => [...hosts] };
  const executor = new RequestExecutor(topology, pools, policy);
  const retryPolicy: RetryPolicy = { onError: () => RETRY_NEXT };
  const plan = (): RequestPlan => ({
    request: { opcode: Opcode.QUERY, query: 'SELECT v FROM ks.t', params: { consistency: 1 } },
    sendOptions: { timeoutMs: 1000 },
    routing: undefined,
    idempotent: true,
    retryPolicy,
  });
  return { metrics, executor, plan, sent };
}

describe('RequestExecutor metrics', () => {
  it('counts one request, one attempt and one latency each when the first host answers', async () => {
    const { metrics, executor, plan } = setup(new Set());
    for (let i = 0; i < 3; i++) await executor.run(plan());
    const m = metrics.snapshot();
    expect(m.requests).toBe(3);
    expect(m.inFlight).toBe(0);
    expect(metrics.latency.count).toBe(3);
    expect(m.hosts['127.0.0.1:9042']).toMatchObject({ requests: 3, inFlight: 0, retries: 0, errors: {} });
    // the attempt's latency is the request's: the first attempt starts with the request, and the
    // request ends with its answering attempt (the same two clock reads)
    expect(m.latency.max).toBeGreaterThan(0);
    expect(m.hosts['127.0.0.1:9042']!.latency.max).toBe(m.latency.max);
  });

  it('counts each attempt of a retried request on its own host, with its error and the retry', async () => {
    const { metrics, executor, plan, sent } = setup(new Set(['127.0.0.1']));
    const executed = await executor.run(plan());
    expect(sent).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(executed.tried.map((h) => h.address)).toEqual(['127.0.0.1', '127.0.0.2']);
    const m = metrics.snapshot();
    expect(m).toMatchObject({ requests: 1, inFlight: 0, retries: 1, errors: {} });
    expect(metrics.latency.count).toBe(1);
    expect(m.hosts['127.0.0.1:9042']).toMatchObject({ requests: 1, inFlight: 0, retries: 1, errors: { Error: 1 } });
    expect(m.hosts['127.0.0.2:9042']).toMatchObject({ requests: 1, inFlight: 0, retries: 0, errors: {} });
    // the request spans both attempts: at least their sum (each rounded to the microsecond)
    const first = m.hosts['127.0.0.1:9042']!.latency.max;
    const second = m.hosts['127.0.0.2:9042']!.latency.max;
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(m.latency.max).toBeGreaterThanOrEqual(first + second - 0.002);
  });

  it('counts a request every host failed as one NoHostAvailableError, each host with its own error', async () => {
    const { metrics, executor, plan } = setup(new Set(['127.0.0.1', '127.0.0.2', '127.0.0.3']));
    const error = await executor.run(plan()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoHostAvailableError);
    expect([...(error as NoHostAvailableError).errors.keys()]).toEqual([
      '127.0.0.1:9042',
      '127.0.0.2:9042',
      '127.0.0.3:9042',
    ]);
    const m = metrics.snapshot();
    expect(m).toMatchObject({ requests: 1, inFlight: 0, retries: 2, errors: { NoHostAvailableError: 1 } });
    expect(metrics.latency.count).toBe(1);
    for (const h of ['127.0.0.1:9042', '127.0.0.2:9042', '127.0.0.3:9042'])
      expect(m.hosts[h]).toMatchObject({ requests: 1, inFlight: 0, errors: { Error: 1 } });
  });
});
