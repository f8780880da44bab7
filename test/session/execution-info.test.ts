import { describe, expect, it } from 'vitest';
import { DefaultRetryPolicy, Host, type LoadBalancingPolicy } from '../../src/cluster/index.js';
import type { Response, SendOptions } from '../../src/connection/index.js';
import { Consistency } from '../../src/protocol/consistency.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import type { RequestMessage } from '../../src/protocol/messages/index.js';
import { OptionsResolver } from '../../src/session/options-resolver.js';
import { createSession, type Session, type SessionContext } from '../../src/session/session.js';

/** A session over a fake pool that answers every request with `answer` and records what was sent. */
function fakeSession(answer: Response): {
  session: Session;
  sent: { request: RequestMessage; options: SendOptions | undefined }[];
} {
  const host = new Host('10.1.2.3', 9042);
  const sent: { request: RequestMessage; options: SendOptions | undefined }[] = [];
  const pool = {
    send: async (request: RequestMessage, options?: SendOptions) => {
      sent.push({ request, options });
      return answer;
    },
  };
  const lb: LoadBalancingPolicy = { init: () => undefined, newQueryPlan: () => [host] };
  const ctx = {
    topology: { protocolVersion: 5, markDown: () => undefined },
    pools: { get: () => pool, currentKeyspace: undefined },
    loadBalancing: lb,
    options: new OptionsResolver({
      consistency: Consistency.LOCAL_ONE,
      serialConsistency: undefined,
      fetchSize: 5000,
      requestTimeoutMs: 1000,
      retryPolicy: new DefaultRetryPolicy(),
      loadBalancing: lb,
      speculativeExecution: undefined,
    }),
    decodeOptions: {},
    onShutdown: () => undefined,
  } as unknown as SessionContext;
  return { session: createSession(ctx), sent };
}

describe('ExecutionInfo', () => {
  it('carries the warnings, the tracing id (as a Uuid) and the custom payload of the response', async () => {
    const tracing = Buffer.from('f47ac10b58cc4372a5670e02b2c3d479', 'hex');
    const payload = new Map([['k', Buffer.from('v')]]);
    const { session, sent } = fakeSession({
      message: { opcode: Opcode.RESULT, kind: 'void' },
      warnings: ['Batch is large'],
      tracingId: tracing,
      customPayload: payload,
    });
    const rs = await session.execute('INSERT INTO t (a) VALUES (1)', null, {
      tracing: true,
      customPayload: payload,
      timeoutMs: 250,
    });
    expect(rs.kind).toBe('void');
    expect(rs.info.warnings).toEqual(['Batch is large']);
    expect(rs.info.tracingId?.toString()).toBe('f47ac10b-58cc-4372-a567-0e02b2c3d479');
    expect(rs.info.customPayload).toBe(payload);
    expect(rs.info.coordinator.endpoint).toBe('10.1.2.3:9042');
    expect(sent[0]!.options).toEqual({ timeoutMs: 250, tracing: true, customPayload: payload });
    expect(sent[0]!.request).toEqual({
      opcode: Opcode.QUERY,
      query: 'INSERT INTO t (a) VALUES (1)',
      params: { consistency: Consistency.LOCAL_ONE, pageSize: 5000 },
    });
  });

  it('sends default timestamp, serial consistency, keyspace and now_in_seconds as query parameters', async () => {
    const { session, sent } = fakeSession({ message: { opcode: Opcode.RESULT, kind: 'void' } });
    await session.execute('UPDATE t SET a = ? WHERE k = 1 IF a = 0', [1.5], {
      timestamp: new Date(1_700_000_000_123),
      serialConsistency: Consistency.LOCAL_SERIAL,
      consistency: Consistency.QUORUM,
      keyspace: 'ks',
      nowInSeconds: 1_700_000_000,
      fetchSize: 10,
    });
    expect(sent[0]!.request).toEqual({
      opcode: Opcode.QUERY,
      query: 'UPDATE t SET a = ? WHERE k = 1 IF a = 0',
      params: {
        consistency: Consistency.QUORUM,
        pageSize: 10,
        serialConsistency: Consistency.LOCAL_SERIAL,
        timestamp: 1_700_000_000_123_000n,
        nowInSeconds: 1_700_000_000,
        keyspace: 'ks',
        values: [Buffer.from('3ff8000000000000', 'hex')],
      },
    });
  });
});
