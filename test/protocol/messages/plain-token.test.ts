import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/protocol/errors/cqlwire-error.js';
import { decodePlainToken, encodePlainToken } from '../../../src/protocol/messages/plain-token.js';
import { hex } from './hex.js';

describe('SASL PLAIN token', () => {
  it('encodes an empty authzid, the user and the password, NUL-separated (SASL PLAIN, RFC 4616)', () => {
    expect(encodePlainToken('cassandra', 'cassandra').toString('hex')).toBe('0063617373616e6472610063617373616e647261');
  });

  it('encodes UTF-8', () => {
    expect(encodePlainToken('zoë', 'пароль').toString('hex')).toBe(
      hex('00 7A6FC3AB 00 D0BFD0B0D180D0BED0BBD18C').toString('hex'),
    );
  });

  it('decodes what it encodes', () => {
    expect(decodePlainToken(encodePlainToken('zoë', 'p@ss word'))).toEqual({
      authzid: '',
      username: 'zoë',
      password: 'p@ss word',
    });
    expect(decodePlainToken(encodePlainToken('', ''))).toEqual({ authzid: '', username: '', password: '' });
  });

  it('scans from the end as the server does: the last field is the password, the one before the user', () => {
    expect(decodePlainToken(Buffer.from('admin\0bob\0secret'))).toEqual({
      authzid: 'admin',
      username: 'bob',
      password: 'secret',
    });
    expect(decodePlainToken(Buffer.from('a\0b\0c\0d'))).toEqual({ authzid: 'a\0b', username: 'c', password: 'd' });
  });

  it('is null when a separator is missing', () => {
    expect(decodePlainToken(Buffer.from('nopassword'))).toBeNull();
    expect(decodePlainToken(Buffer.from('user\0pass'))).toBeNull();
    expect(decodePlainToken(Buffer.from('\0'))).toBeNull();
    expect(decodePlainToken(Buffer.alloc(0))).toBeNull();
  });

  it('refuses a NUL inside the user or the password', () => {
    expect(() => encodePlainToken('a\0b', 'p')).toThrow(ArgumentError);
    expect(() => encodePlainToken('a', 'p\0q')).toThrow(
      new ArgumentError('The password must not contain a NUL character'),
    );
  });

  it('leaves no copy of the password in the shared Buffer pool that later small Buffers use', () => {
    const password = 'pool-probe-5e1d-secret';
    const needle = Buffer.alloc(Buffer.byteLength(password));
    needle.write(password);
    // small allocUnsafe Buffers come from the current pool slab: look at the slab before and after
    const before = Buffer.allocUnsafe(8).buffer;
    const token = encodePlainToken('user', password);
    const after = Buffer.allocUnsafe(8).buffer;
    expect(token.buffer).not.toBe(before);
    expect(Buffer.from(before).indexOf(needle)).toBe(-1);
    expect(Buffer.from(after).indexOf(needle)).toBe(-1);
  });
});
