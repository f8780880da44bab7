import { describe, expect, it } from 'vitest';
import {
  type AuthProvider,
  authProviderFor,
  checkMilliseconds,
  ExponentialBackoff,
  PlainTextAuthProvider,
} from '../../src/connection/index.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';

describe('checkMilliseconds, the one millisecond check', () => {
  it('takes 0 (or 1) to 2147483647 and returns the value', () => {
    expect([0, 1, 1.5, 2147483647].map((v) => checkMilliseconds('timeoutMs', v))).toEqual([0, 1, 1.5, 2147483647]);
    expect(checkMilliseconds('connectTimeoutMs', 1, 1)).toBe(1);
  });

  it.each([
    ['timeoutMs', -1, 0, 'timeoutMs must be a number of milliseconds from 0 to 2147483647, got -1'],
    ['timeoutMs', 2147483648, 0, 'timeoutMs must be a number of milliseconds from 0 to 2147483647, got 2147483648'],
    ['timeoutMs', Number.NaN, 0, 'timeoutMs must be a number of milliseconds from 0 to 2147483647, got NaN'],
    ['timeoutMs', '5', 0, 'timeoutMs must be a number of milliseconds from 0 to 2147483647, got 5'],
    ['connectTimeoutMs', 0, 1, 'connectTimeoutMs must be a number of milliseconds from 1 to 2147483647, got 0'],
  ] as const)('%s = %j (min %d) is an ArgumentError in the one wording', (name, value, min, message) => {
    expect(() => checkMilliseconds(name, value, min)).toThrow(new ArgumentError(message));
  });
});

describe('ExponentialBackoff, the one backoff', () => {
  it('doubles from its base, capped; a cap below the base caps every delay', () => {
    const b = new ExponentialBackoff({ baseDelayMs: 100 }, { baseDelayMs: 1, maxDelayMs: 350 });
    expect([1, 2, 3, 4].map((n) => b.delayMs(n))).toEqual([100, 200, 350, 350]);
    expect(new ExponentialBackoff({ baseDelayMs: 10_000 }, { baseDelayMs: 100, maxDelayMs: 2000 }).delayMs(1)).toBe(
      2000,
    );
  });

  it('names its options with the prefix it is given', () => {
    expect(() => new ExponentialBackoff({ maxDelayMs: -5 }, undefined, 'retry')).toThrow(
      new ArgumentError('retry.maxDelayMs must be a number of milliseconds from 0 to 2147483647, got -5'),
    );
  });
});

describe('authProviderFor, the one credentials helper', () => {
  it('an auth provider wins; credentials become a PlainTextAuthProvider; neither gives undefined', () => {
    const own: AuthProvider = new PlainTextAuthProvider('own', 'x');
    expect(authProviderFor({ username: 'u', password: 'p' }, own)).toBe(own);
    const made = authProviderFor({ username: 'u', password: 'p' }, undefined);
    expect(made).toBeInstanceOf(PlainTextAuthProvider);
    expect((made as PlainTextAuthProvider).username).toBe('u');
    expect(authProviderFor(undefined, undefined)).toBeUndefined();
  });

  it('bad credentials are an ArgumentError that does not show the password', () => {
    const bad = { username: 42, password: 'secret-pw' } as unknown as { username: string; password: string };
    expect(() => authProviderFor(bad, undefined)).toThrow(
      new ArgumentError('credentials must be { username: string, password: string }'),
    );
  });
});
