import { describe, expect, it } from 'vitest';
import { DefaultRetryPolicy, RETHROW, RETRY_NEXT, RETRY_SAME } from '../../src/cluster/index.js';
import { ConnectionClosedError, ConnectionError, RequestTimeoutError } from '../../src/connection/index.js';
import {
  CqlSyntaxError,
  ErrorCode,
  InvalidRequestError,
  IsBootstrappingError,
  OverloadedError,
  ReadTimeoutError,
  ServerInternalError,
  UnavailableError,
  WriteTimeoutError,
} from '../../src/protocol/errors/index.js';

const policy = new DefaultRetryPolicy();
const decide = (error: Error, retries = 0, idempotent = false) => policy.onError({ error, retries, idempotent });

describe('DefaultRetryPolicy', () => {
  it('read timeout: retries once on the same host only when enough replicas answered without the data', () => {
    const enough = new ReadTimeoutError('rt', { consistency: 4, received: 2, blockFor: 2, dataPresent: false });
    expect(decide(enough)).toBe(RETRY_SAME);
    expect(decide(enough, 1)).toBe(RETHROW);
    expect(decide(new ReadTimeoutError('rt', { consistency: 4, received: 1, blockFor: 2, dataPresent: false }))).toBe(
      RETHROW,
    );
    expect(decide(new ReadTimeoutError('rt', { consistency: 4, received: 2, blockFor: 2, dataPresent: true }))).toBe(
      RETHROW,
    );
  });

  it('unavailable: the next host, once', () => {
    const e = new UnavailableError('ua', { consistency: 4, required: 2, alive: 1 });
    expect(decide(e)).toBe(RETRY_NEXT);
    expect(decide(e, 1)).toBe(RETHROW);
  });

  it('overloaded, bootstrapping and unreachable hosts: the next host, idempotent or not', () => {
    expect(decide(new OverloadedError(ErrorCode.OVERLOADED, 'busy'), 3)).toBe(RETRY_NEXT);
    expect(decide(new IsBootstrappingError(ErrorCode.IS_BOOTSTRAPPING, 'boot'), 1)).toBe(RETRY_NEXT);
    expect(decide(new ConnectionError('10.0.0.1', 9042, 'refused'), 2)).toBe(RETRY_NEXT);
  });

  it('write timeout: once on the same host, only for idempotent statements', () => {
    const e = new WriteTimeoutError('wt', { consistency: 4, received: 1, blockFor: 2, writeType: 'SIMPLE' });
    expect(decide(e, 0, false)).toBe(RETHROW);
    expect(decide(e, 0, true)).toBe(RETRY_SAME);
    expect(decide(e, 1, true)).toBe(RETHROW);
  });

  it('lost connection, client timeout, server error: the next host only when idempotent', () => {
    for (const e of [
      new ConnectionClosedError('10.0.0.1', 9042, 'gone'),
      new RequestTimeoutError('10.0.0.1', 9042, 100, 'QUERY request'),
      new ServerInternalError(ErrorCode.SERVER_ERROR, 'boom'),
    ]) {
      expect(decide(e, 0, false)).toBe(RETHROW);
      expect(decide(e, 0, true)).toBe(RETRY_NEXT);
    }
  });

  it('never retries request errors', () => {
    expect(decide(new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, 'bad'), 0, true)).toBe(RETHROW);
    expect(decide(new InvalidRequestError(ErrorCode.INVALID, 'bad'), 0, true)).toBe(RETHROW);
  });
});
