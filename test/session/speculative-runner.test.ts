import { getEventListeners, once } from 'node:events';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DefaultRetryPolicy, Host, NoHostAvailableError } from '../../src/cluster/index.js';
import type { Response, SendOptions } from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { InvalidRequestError } from '../../src/protocol/errors/index.js';
import type { RequestPlan } from '../../src/session/request-executor.js';
import {
  type ExecutionAnswer,
  type PlanExecution,
  QueryPlanCursor,
  runSpeculatively,
} from '../../src/session/speculative-execution.js';
import { LatencyHistogram } from '../../src/session/speculative-histogram.js';
import {
  PercentileSpeculativeExecutionPolicy,
  resolveSpeculativeExecution,
} from '../../src/session/speculative-policy.js';
import { runTsxScript } from '../support/run-tsx-script.js';

function hosts(n: number): Host[] {
  return Array.from({ length: n }, (_, i) => new Host(`127.0.0.${i + 1}`, 9042));
}

function plan(idempotent: boolean, signal?: AbortSignal): RequestPlan {
  return {
    request: { opcode: Opcode.QUERY, query: 'SELECT v FROM ks.t', params: { consistency: 1 } },
    sendOptions: signal === undefined ? { timeoutMs: 1000 } : { timeoutMs: 1000, signal },
    routing: undefined,
    idempotent,
    retryPolicy: new DefaultRetryPolicy(),
  };
}

/** An execution written as an async function, reporting to the run's sink as the executor's does. */
function reporting(
  body: (plan: RequestPlan, cursor: QueryPlanCursor, sendOptions: SendOptions) => Promise<ExecutionAnswer | undefined>,
): PlanExecution<RequestPlan> {
  return (plan, cursor, sendOptions, startedAt, sink) => {
    body(plan, cursor, sendOptions).then(
      (executed) => sink.executionEnded(executed, startedAt),
      (error: unknown) => sink.executionFailed(error),
    );
  };
}

/**
 * A fake execution: takes the cursor's next host, waits that host's latency (or rejects as a
 * cancelled send when its signal aborts), and answers, or fails with the host's error.
 */
function fakeExecution(latencyMs: Record<string, number>, failWith: Record<string, Error> = {}) {
  const started: string[] = [];
  const cancelled: string[] = [];
  const execution = reporting(async (_plan, cursor, sendOptions) => {
    const host = cursor.next();
    if (host === undefined) return undefined;
    cursor.tried(host);
    started.push(host.address);
    await new Promise<void>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        resolve();
      }, latencyMs[host.address] ?? 0);
      sendOptions.signal?.addEventListener('abort', () => {
        if (done) return; // as a connection: an answered request is not cancelled
        clearTimeout(timer);
        cancelled.push(host.address);
        reject(new Error(`cancelled ${host.address}`));
      });
    });
    const failure = failWith[host.address];
    if (failure !== undefined) throw failure;
    return { response: { message: { opcode: Opcode.RESULT } } as unknown as Response, host, tried: cursor.triedHosts };
  });
  return { execution, started, cancelled };
}

describe('speculative execution (the runner, with a fake execution)', () => {
  it('the first answer wins: a speculative execution on the next host answers, the slow one is cancelled', async () => {
    const h = hosts(3);
    const fake = fakeExecution({ '127.0.0.1': 2_000, '127.0.0.2': 5 });
    const speculated: string[] = [];
    const executed = await runSpeculatively(
      plan(true),
      { delayMs: 20, maxExtra: 2 },
      new QueryPlanCursor(h),
      fake.execution,
      { speculating: (host) => speculated.push(host.address) },
    );
    expect(executed.host).toBe(h[1]);
    expect(executed.tried.map((x) => x.address)).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(fake.started).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(speculated).toEqual(['127.0.0.2']);
    expect(fake.cancelled).toEqual(['127.0.0.1']);
  });

  it('never speculates a non-idempotent request', async () => {
    const fake = fakeExecution({ '127.0.0.1': 80 });
    const executed = await runSpeculatively(
      plan(false),
      { delayMs: 5, maxExtra: 2 },
      new QueryPlanCursor(hosts(3)),
      fake.execution,
    );
    expect(executed.host.address).toBe('127.0.0.1');
    expect(fake.started).toEqual(['127.0.0.1']);
  });

  it('starts at most maxExtra executions on top of the first, each on the next host', async () => {
    const fake = fakeExecution({ '127.0.0.1': 150, '127.0.0.2': 150, '127.0.0.3': 150, '127.0.0.4': 150 });
    const executed = await runSpeculatively(
      plan(true),
      { delayMs: 10, maxExtra: 2 },
      new QueryPlanCursor(hosts(4)),
      fake.execution,
    );
    expect(fake.started).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(executed.host.address).toBe('127.0.0.1');
    expect(fake.cancelled.sort()).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('an error the retry policy gives up on ends the request and cancels the others', async () => {
    const invalid = new InvalidRequestError(0x2200, 'bad');
    const fake = fakeExecution({ '127.0.0.1': 200, '127.0.0.2': 5 }, { '127.0.0.2': invalid });
    await expect(
      runSpeculatively(plan(true), { delayMs: 10, maxExtra: 1 }, new QueryPlanCursor(hosts(2)), fake.execution),
    ).rejects.toBe(invalid);
    expect(fake.cancelled).toEqual(['127.0.0.1']);
  });

  it('NoHostAvailableError when every execution ran out of hosts', async () => {
    const execution = reporting(async (_plan, cursor) => {
      const host = cursor.next();
      if (host !== undefined) cursor.errors.set(host.endpoint, new Error(`down ${host.address}`));
      return undefined;
    });
    const error = await runSpeculatively(
      plan(true),
      { delayMs: 10, maxExtra: 1 },
      new QueryPlanCursor(hosts(1)),
      execution,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoHostAvailableError);
    expect([...(error as NoHostAvailableError).errors.keys()]).toEqual(['127.0.0.1:9042']);
  });

  it('an execution that reports at once (no host left) settles the run before anything is armed', async () => {
    let delaysAsked = 0;
    const policy = {
      maxExtra: 1,
      nextDelayMs: (): number => {
        delaysAsked++;
        return 10;
      },
    };
    const execution: PlanExecution<RequestPlan> = (_plan, cursor, _sendOptions, startedAt, sink) => {
      expect(cursor.next()).toBeUndefined();
      sink.executionEnded(undefined, startedAt);
    };
    await expect(runSpeculatively(plan(true), policy, new QueryPlanCursor([]), execution)).rejects.toBeInstanceOf(
      NoHostAvailableError,
    );
    expect(delaysAsked).toBe(0);
  });

  it('tells the observer how the request ended before its promise settles', async () => {
    const seen: string[] = [];
    const observer = {
      requestEnded: (
        _plan: RequestPlan,
        executed: ExecutionAnswer | undefined,
        error: unknown,
        startedAt: number,
        endedAt: number,
      ) => {
        const message = String((error as Error | undefined)?.message);
        const ended =
          endedAt > startedAt && endedAt <= performance.now() ? 'ended after it started' : `ended at ${endedAt}`;
        seen.push(`${executed?.host.address ?? 'none'} ${message} ${startedAt} ${ended}`);
      },
    };
    // the request's start (the first execution's too, and what the delay counts from)
    const startedAt = performance.now();
    const answered = runSpeculatively(
      plan(true),
      { delayMs: 50, maxExtra: 1 },
      new QueryPlanCursor(hosts(2)),
      fakeExecution({ '127.0.0.1': 1 }).execution,
      observer,
      startedAt,
    ).then(() => seen.push('resolved'));
    await answered;
    const invalid = new InvalidRequestError(0x2200, 'bad');
    await runSpeculatively(
      plan(false),
      { delayMs: 50, maxExtra: 1 },
      new QueryPlanCursor(hosts(1)),
      fakeExecution({}, { '127.0.0.1': invalid }).execution,
      observer,
      startedAt + 0.5,
    ).catch(() => seen.push('rejected'));
    expect(seen).toEqual([
      `127.0.0.1 undefined ${startedAt} ended after it started`,
      'resolved',
      `none Server error INVALID (0x2200): bad ${startedAt + 0.5} ended after it started`,
      'rejected',
    ]);
  });

  it('an answer that arrived while the event loop was held past the delay is read before speculating', async () => {
    // a socket pair on loopback: the "node" writes its answer, then the loop is held 60 ms (a GC
    // pause, a long synchronous task); the request's 20 ms delay is long gone when the loop runs on
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = tcpConnect(port, '127.0.0.1');
    await once(client, 'connect');
    const [node] = await accepted;
    try {
      const h = hosts(2);
      const started: string[] = [];
      const execution = reporting(async (_plan, cursor) => {
        const host = cursor.next()!;
        cursor.tried(host);
        started.push(host.address);
        if (host === h[0]) await once(client, 'data');
        return {
          response: { message: { opcode: Opcode.RESULT } } as unknown as Response,
          host,
          tried: cursor.triedHosts,
        };
      });
      // from the check phase, so that the next phase the loop runs is its timers, then its poll
      await new Promise((resolve) => setImmediate(resolve));
      const speculated: string[] = [];
      const run = runSpeculatively(plan(true), { delayMs: 20, maxExtra: 1 }, new QueryPlanCursor(h), execution, {
        speculating: (host) => speculated.push(host.address),
      });
      node.write('answer');
      const heldUntil = performance.now() + 60;
      while (performance.now() < heldUntil) {
        // the event loop held
      }
      const executed = await run;
      expect(executed.host).toBe(h[0]);
      expect(speculated).toEqual([]);
      expect(started).toEqual(['127.0.0.1']);
    } finally {
      client.destroy();
      node.destroy();
      server.close();
    }
  });

  it("the caller's signal cancels every execution", async () => {
    const controller = new AbortController();
    const fake = fakeExecution({ '127.0.0.1': 500, '127.0.0.2': 500 });
    const run = runSpeculatively(
      plan(true, controller.signal),
      { delayMs: 10, maxExtra: 1 },
      new QueryPlanCursor(hosts(2)),
      fake.execution,
    );
    setTimeout(() => controller.abort(new Error('stop')), 40);
    await expect(run).rejects.toThrow(/cancelled 127\.0\.0\./);
    expect(fake.cancelled.sort()).toEqual(['127.0.0.1', '127.0.0.2']);
  });
  it('requests sharing a caller signal put one listener on it, none once done; its abort cancels those in flight only', async () => {
    const controller = new AbortController();
    const fake = fakeExecution({ '127.0.0.1': 1, '127.0.0.2': 500, '127.0.0.3': 500 });
    const signal = controller.signal;
    const done = await runSpeculatively(
      plan(true, signal),
      { delayMs: 50, maxExtra: 1 },
      new QueryPlanCursor(hosts(1)),
      fake.execution,
    );
    expect(done.host.address).toBe('127.0.0.1');
    // nothing left on the signal once its requests are done
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      runSpeculatively(
        plan(true, signal),
        { delayMs: 10_000, maxExtra: 1 },
        new QueryPlanCursor([hosts(3)[1 + (i % 2)]!]),
        fake.execution,
      ).catch((e: unknown) => e),
    );
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    controller.abort(new Error('shutting down'));
    const errors = await Promise.all(inFlight);
    expect(errors.every((e) => e instanceof Error && /cancelled 127\.0\.0\.[23]/.test(e.message))).toBe(true);
    expect(fake.cancelled).toHaveLength(20);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('a long-lived caller signal keeps no request alive past its answer (no full collections for it)', async () => {
    const run = await runTsxScript('test/session/support/speculation-retention-script.ts', [], 60_000, ['--expose-gc']);
    expect(run.code, run.out).toBe(0);
    expect(run.out).not.toContain('MaxListenersExceededWarning');
    const report = JSON.parse(run.out.trim().split('\n').at(-1) ?? '') as { requests: number; majors: number };
    expect(report.requests).toBe(200_000);
    // a listener added and removed per request on the signal ran 10 here
    expect(report.majors).toBeLessThanOrEqual(1);
  });
});

describe('speculative execution policies', () => {
  it('the histogram reports percentiles within its bucket precision and forgets two windows back', () => {
    let now = 0;
    const h = new LatencyHistogram(1000, () => now);
    for (let i = 1; i <= 100; i++) h.record(i); // 1..100 ms
    expect(h.count).toBe(100);
    const p50 = h.percentile(50)!;
    const p99 = h.percentile(99)!;
    expect(p50).toBeGreaterThanOrEqual(50);
    expect(p50).toBeLessThanOrEqual(50 * 1.04);
    expect(p99).toBeGreaterThanOrEqual(99);
    expect(p99).toBeLessThanOrEqual(99 * 1.04);
    now = 1500; // next window: the old one still counts
    h.record(1);
    expect(h.count).toBe(101);
    now = 3600; // two windows later: all gone
    expect(h.count).toBe(0);
    expect(h.percentile(99)).toBeUndefined();
  });

  it('the percentile policy waits for minSamples, then waits the pXX of recent latencies', () => {
    const policy = new PercentileSpeculativeExecutionPolicy({ percentile: 90, maxExtra: 2, minSamples: 10 });
    for (let i = 0; i < 9; i++) policy.recordLatency(10);
    expect(policy.nextDelayMs(1)).toBeUndefined();
    policy.recordLatency(10);
    const delay = policy.nextDelayMs(1)!;
    expect(delay).toBeGreaterThanOrEqual(10);
    expect(delay).toBeLessThanOrEqual(11);
    expect(policy.nextDelayMs(2)).toBe(delay);
    expect(policy.nextDelayMs(3)).toBeUndefined();
  });

  it('the percentile policy keeps time by the clock readings it is given, unless it has a clock of its own', () => {
    // default clock: the readings passed in are its time (the session reads performance.now())
    const shared = new PercentileSpeculativeExecutionPolicy({ percentile: 90, minSamples: 5, windowMs: 1000 });
    const t = performance.now();
    for (let i = 0; i < 5; i++) shared.recordLatency(10, t);
    expect(shared.nextDelayMs(1, t)).toBeGreaterThanOrEqual(10);
    // two windows after the readings the latencies were recorded at: all aged out
    expect(shared.nextDelayMs(1, t + 2000 + 200)).toBeUndefined();

    // a clock of its own: readings passed in are ignored
    let now = 0;
    const own = new PercentileSpeculativeExecutionPolicy({ percentile: 90, minSamples: 5, windowMs: 1000 }, () => now);
    for (let i = 0; i < 5; i++) own.recordLatency(10, 1e9);
    expect(own.nextDelayMs(1, 1e9)).toBeGreaterThanOrEqual(10);
    now = 2200;
    expect(own.nextDelayMs(1, 0)).toBeUndefined();
  });

  it('hands the policy the start of the previous execution and the time of the answer', async () => {
    const asked: [number, number | undefined][] = [];
    const recorded: [number, number | undefined][] = [];
    const policy = {
      maxExtra: 1,
      nextDelayMs: (n: number, now?: number): number => {
        asked.push([n, now]);
        return 1000;
      },
      recordLatency: (latencyMs: number, now?: number): void => {
        recorded.push([latencyMs, now]);
      },
    };
    const startedAt = performance.now();
    const answered = await runSpeculatively(
      plan(true),
      policy,
      new QueryPlanCursor(hosts(1)),
      reporting(async (_plan, cursor) => {
        const host = cursor.next()!;
        await new Promise((r) => setTimeout(r, 5));
        return { response: {} as Response, host, tried: [host] };
      }),
      undefined,
      startedAt,
    );
    expect(answered.host.address).toBe('127.0.0.1');
    expect(asked).toEqual([[1, startedAt]]);
    expect(recorded).toHaveLength(1);
    const [latencyMs, at] = recorded[0]!;
    expect(at).toBeGreaterThan(startedAt);
    expect(latencyMs).toBeCloseTo(at! - startedAt, 6);
    expect(latencyMs).toBeGreaterThanOrEqual(4);
  });

  it('resolves the option forms and names a bad one', () => {
    expect(resolveSpeculativeExecution(undefined)).toBeUndefined();
    expect(resolveSpeculativeExecution({ delayMs: 50 })).toMatchObject({ delayMs: 50, maxExtra: 1 });
    expect(resolveSpeculativeExecution({ percentile: 99, maxExtra: 2 })).toBeInstanceOf(
      PercentileSpeculativeExecutionPolicy,
    );
    expect(() => resolveSpeculativeExecution({ delayMs: 50, maxExtra: 0 })).toThrow(
      'speculativeExecution.maxExtra must be an integer from 1 to 16, got 0',
    );
    expect(() => resolveSpeculativeExecution({ percentile: 100 })).toThrow(
      'speculativeExecution.percentile must be a number between 0 and 100 (e.g. 99), got 100',
    );
    expect(() => resolveSpeculativeExecution({ delayMs: 5, percentile: 9 })).toThrow('not both');
  });
});
