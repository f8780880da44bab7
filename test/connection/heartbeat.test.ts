import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError, RequestTimeoutError } from '../../src/connection/errors.js';
import { Heartbeat, type HeartbeatChannel } from '../../src/connection/heartbeat.js';

/** A channel whose ping answers as the test says, recording every call. */
function channel(
  answer: () => Promise<unknown>,
): HeartbeatChannel & { pings: number[]; dead: string[]; lastWrite: number } {
  const c = {
    pings: [] as number[],
    dead: [] as string[],
    lastWrite: Date.now(),
    ping(timeoutMs: number): Promise<unknown> {
      c.pings.push(timeoutMs);
      return answer();
    },
    lastWriteAt: (): number => c.lastWrite,
    onDead(reason: string, cause: RequestTimeoutError): void {
      c.dead.push(`${reason} (${cause.timeoutMs} ms)`);
    },
  };
  return c;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Heartbeat, through its callbacks only', () => {
  it('pings after the idle interval and reports the node dead when the ping times out', async () => {
    const c = channel(() => Promise.reject(new RequestTimeoutError('127.0.0.1', 9042, 500, 'OPTIONS request')));
    const heartbeat = new Heartbeat(c, 1_000, 500);
    heartbeat.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(c.pings).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(c.pings).toEqual([500]);
    expect(c.dead).toEqual(['heartbeat (OPTIONS) unanswered for 500 ms, the node is considered dead (500 ms)']);
    heartbeat.stop();
  });

  it('an answered ping (or any error but a timeout) re-arms it; stop() ends it', async () => {
    let reply: () => Promise<unknown> = () => Promise.resolve('SUPPORTED');
    const c = channel(() => reply());
    const heartbeat = new Heartbeat(c, 1_000, 500);
    heartbeat.start();
    await vi.advanceTimersByTimeAsync(1_000);
    reply = () => Promise.reject(new ConnectionClosedError('127.0.0.1', 9042, 'the socket closed'));
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect([c.pings.length, c.dead]).toEqual([3, []]);
    heartbeat.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(c.pings.length).toBe(3);
  });

  it('a recent write postpones the ping: idleness counts from lastWriteAt', async () => {
    const c = channel(() => Promise.resolve('SUPPORTED'));
    const heartbeat = new Heartbeat(c, 1_000, 500);
    heartbeat.start();
    await vi.advanceTimersByTimeAsync(600);
    c.lastWrite = Date.now(); // a request went out at t=600
    await vi.advanceTimersByTimeAsync(400);
    expect(c.pings).toEqual([]); // t=1000: idle only 400 ms
    await vi.advanceTimersByTimeAsync(600);
    expect(c.pings).toEqual([500]); // t=1600: idle 1000 ms
    heartbeat.stop();
  });

  it('interval 0 never pings', async () => {
    const c = channel(() => Promise.resolve('SUPPORTED'));
    new Heartbeat(c, 0, 500).start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(c.pings).toEqual([]);
  });
});
