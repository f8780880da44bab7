import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../src/protocol/errors/index.js';
import { InetAddress, TimeUuid, Uuid } from '../../../../src/protocol/types/index.js';

describe('Uuid and TimeUuid', () => {
  it('print lower-case 8-4-4-4-12 and keep their bytes', () => {
    const u = Uuid.fromString('550E8400-E29B-41D4-A716-446655440000');
    expect(u.toString()).toBe('550e8400-e29b-41d4-a716-446655440000');
    expect(u.toBuffer().toString('hex')).toBe('550e8400e29b41d4a716446655440000');
    expect(u.version).toBe(4);
    expect(new Uuid(Buffer.from('00550e8400e29b41d4a716446655440000', 'hex'), 1).equals(u)).toBe(true);
  });

  it('TimeUuid gives the time it carries', () => {
    const t = TimeUuid.fromString('d2177dd0-eaa2-11de-a572-001b779c76e3');
    expect(t.version).toBe(1);
    expect(t.getDate().toISOString()).toBe('2009-12-17T00:26:29.805Z');
    expect(t.timestamp).toBe(0x1deeaa2d2177dd0n);
    const made = TimeUuid.fromDate(new Date('1955-11-05T06:15:00.001Z'), 7);
    expect(made.version).toBe(1);
    expect(made.getDate().toISOString()).toBe('1955-11-05T06:15:00.001Z');
  });

  it('random uuids are version 4, variant 10', () => {
    const r = Uuid.random().toBuffer();
    expect(r[6]! >> 4).toBe(4);
    expect(r[8]! >> 6).toBe(2);
  });

  it('refuses malformed text and short buffers', () => {
    expect(() => Uuid.fromString('550e8400e29b41d4a716446655440000')).toThrow(
      new ArgumentError('"550e8400e29b41d4a716446655440000" is not a uuid (8-4-4-4-12 hex digits)'),
    );
    expect(() => new Uuid(Buffer.alloc(15))).toThrow(new ArgumentError('A uuid needs 16 bytes at offset 0, got 15'));
  });
});

describe('InetAddress', () => {
  it('prints IPv4 dotted and IPv6 compressed lower-case', () => {
    expect(InetAddress.fromBytes(Buffer.from('c0a8012a', 'hex')).toString()).toBe('192.168.1.42');
    expect(InetAddress.fromString('2001:DB8:0:0:0:FF00:42:8329').toString()).toBe('2001:db8::ff00:42:8329');
    expect(InetAddress.fromString('::1').family).toBe(6);
    expect(InetAddress.fromString('10.0.0.1').toBuffer().toString('hex')).toBe('0a000001');
    expect(InetAddress.fromString('::1').equals(InetAddress.fromString('0:0::1'))).toBe(true);
  });

  it('refuses other lengths and non-addresses', () => {
    expect(() => InetAddress.fromBytes(Buffer.alloc(5))).toThrow(
      new ArgumentError('An inet address has 4 or 16 bytes, not 5'),
    );
    expect(() => InetAddress.fromString('example.com')).toThrow(ArgumentError);
  });
});
