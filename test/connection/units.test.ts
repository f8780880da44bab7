import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  PlainTextAuthenticator,
  PlainTextAuthProvider,
  resolveConnectionOptions,
  StreamIdPool,
} from '../../src/connection/index.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';

describe('StreamIdPool', () => {
  it('highWater is one more than the highest id ever handed out; freed ids come back first', () => {
    const pool = new StreamIdPool();
    expect(pool.highWater).toBe(0);
    const ids = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(pool.highWater).toBe(3);
    pool.release(ids[1]!);
    pool.release(ids[0]!);
    expect([pool.acquire(), pool.acquire()]).toEqual([0, 1]);
    expect(pool.highWater).toBe(3);
    expect(pool.acquire()).toBe(3);
    expect(pool.highWater).toBe(4);
  });

  it('hands out 0..32767 once each, then -1', () => {
    const pool = new StreamIdPool();
    const seen = new Set<number>();
    for (let i = 0; i < 32_768; i++) seen.add(pool.acquire());
    expect(seen.size).toBe(32_768);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(32_767);
    expect(pool.acquire()).toBe(-1);
    expect(pool.used).toBe(32_768);
  });

  it('reuses the most recently released id first', () => {
    const pool = new StreamIdPool();
    expect([pool.acquire(), pool.acquire(), pool.acquire()]).toEqual([0, 1, 2]);
    pool.release(0);
    pool.release(2);
    expect(pool.used).toBe(1);
    expect([pool.acquire(), pool.acquire(), pool.acquire()]).toEqual([2, 0, 3]);
  });

  it('refuses a capacity outside 1..32768', () => {
    expect(() => new StreamIdPool(32_769)).toThrow(ArgumentError);
    expect(() => new StreamIdPool(0)).toThrow('Stream id capacity must be 1..32768, got 0');
  });
});

describe('PlainTextAuthenticator', () => {
  it('answers with the SASL PLAIN token \\0user\\0password', () => {
    const auth = new PlainTextAuthProvider('alice', 'pässword').newAuthenticator();
    // 00 | 61 6c 69 63 65 "alice" | 00 | 70 c3 a4 73 73 77 6f 72 64 "pässword" in UTF-8
    expect(Buffer.from(auth.initialResponse() as Buffer).toString('hex')).toBe('00616c6963650070c3a47373776f7264');
  });

  it('keeps the password out of util.inspect and JSON', () => {
    const provider = new PlainTextAuthProvider('alice', 'hunter2');
    const auth = new PlainTextAuthenticator('alice', 'hunter2');
    for (const o of [provider, auth]) {
      expect(inspect(o, { showHidden: true, depth: 10 })).not.toContain('hunter2');
      expect(JSON.stringify(o)).not.toContain('hunter2');
    }
    const options = resolveConnectionOptions({ host: 'h', credentials: { username: 'alice', password: 'hunter2' } });
    expect(inspect(options, { showHidden: true, depth: 10 })).not.toContain('hunter2');
    const error = new AuthenticationError('h', 9042, 'Provided username alice and/or password are incorrect');
    expect(error.message).toBe(
      'Authentication with h:9042 failed: Provided username alice and/or password are incorrect',
    );
  });
});

describe('resolveConnectionOptions', () => {
  it('applies the defaults', () => {
    const o = resolveConnectionOptions({ host: '10.0.0.1' });
    expect([
      o.port,
      o.versions,
      o.compression,
      o.connectTimeoutMs,
      o.requestTimeoutMs,
      o.heartbeatIntervalMs,
      o.heartbeatTimeoutMs,
    ]).toEqual([9042, [5, 4, 3], 'none', 5_000, 12_000, 30_000, 12_000]);
  });

  it('pins a given protocolVersion and starts negotiation at maxProtocolVersion', () => {
    expect(resolveConnectionOptions({ host: 'h', protocolVersion: 4 }).versions).toEqual([4]);
    expect(resolveConnectionOptions({ host: 'h', maxProtocolVersion: 4 }).versions).toEqual([4, 3]);
  });

  it('names the bad value', () => {
    expect(() => resolveConnectionOptions({ host: 'h', port: 70000 })).toThrow(
      'port must be an integer 1..65535, got 70000',
    );
    expect(() => resolveConnectionOptions({ host: 'h', protocolVersion: 6 as 5 })).toThrow(
      'protocolVersion must be 3, 4 or 5, got 6',
    );
    expect(() => resolveConnectionOptions({ host: 'h', compression: 'snappy' as 'lz4' })).toThrow(
      "compression must be 'lz4' or 'none', got snappy",
    );
    expect(() => resolveConnectionOptions({ host: 'h', requestTimeoutMs: -1 })).toThrow(
      'requestTimeoutMs must be a number of milliseconds from 0 to 2147483647, got -1',
    );
    expect(() => resolveConnectionOptions({ host: 'h', connectTimeoutMs: 0 })).toThrow(
      'connectTimeoutMs must be a number of milliseconds from 1 to 2147483647, got 0',
    );
    expect(() => resolveConnectionOptions({ host: '' })).toThrow(ArgumentError);
  });
});
