import { describe, expect, it } from 'vitest';
import { ArgumentError, ProtocolError } from '../../../src/protocol/errors/index.js';
import type { DataType, UdtType } from '../../../src/protocol/types/index.js';
import { decodeValue, encodeValue } from '../../../src/protocol/types/index.js';

const T = (kind: string): DataType => ({ kind }) as DataType;
const INT = T('int');
const TEXT = T('text');

const decodeHex = (t: DataType, h: string): unknown => {
  const b = Buffer.from(h.replace(/\s+/g, ''), 'hex');
  return decodeValue(t, b, 0, b.length);
};

describe('bad bytes are ProtocolErrors', () => {
  it('fixed-width values of the wrong length', () => {
    expect(() => decodeHex(INT, '000001')).toThrow(new ProtocolError('Invalid int value: expected 4 bytes, got 3'));
    expect(() => decodeHex(T('bigint'), '00')).toThrow(
      new ProtocolError('Invalid bigint value: expected 8 bytes, got 1'),
    );
    expect(() => decodeHex(T('uuid'), '00'.repeat(15))).toThrow(
      new ProtocolError('Invalid uuid value: expected 16 bytes, got 15'),
    );
    expect(() => decodeHex(T('inet'), '7f0000')).toThrow(
      new ProtocolError('Invalid inet value: has 3 bytes; an address has 4 or 16'),
    );
    for (const k of [
      'smallint',
      'tinyint',
      'float',
      'double',
      'boolean',
      'timestamp',
      'date',
      'time',
      'timeuuid',
      'counter',
    ]) {
      expect(() => decodeHex(T(k), '00'.repeat(17)), k).toThrow(ProtocolError);
    }
  });

  it('a time outside the day, a decimal without its unscaled part', () => {
    expect(() => decodeHex(T('time'), '00004e94914f0000')).toThrow(
      new ProtocolError('Invalid time value: 86400000000000 ns is not within a day'),
    );
    expect(() => decodeHex(T('time'), 'ffffffffffffffff')).toThrow(ProtocolError);
    expect(() => decodeHex(T('decimal'), '00000001')).toThrow(
      new ProtocolError(
        'Invalid decimal value: needs a 4-byte scale and at least 1 byte of unscaled value, got 4 bytes',
      ),
    );
  });

  it('durations: truncated vints, trailing bytes, mixed signs, months past int32', () => {
    expect(() => decodeHex(T('duration'), '02 04')).toThrow(
      new ProtocolError('Invalid duration value: truncated [unsigned vint]'),
    );
    expect(() => decodeHex(T('duration'), '02 04 fc')).toThrow(
      new ProtocolError('Invalid duration value: truncated [unsigned vint]'),
    );
    expect(() => decodeHex(T('duration'), '02 04 06 00')).toThrow(
      new ProtocolError('Invalid duration value: 1 bytes left after the three vints'),
    );
    expect(() => decodeHex(T('duration'), '02 01 00')).toThrow(
      new ProtocolError('Invalid duration value: months 1, days -1 and nanoseconds 0 do not share a sign'),
    );
    // months = zigzag(2^32) = 2^31, one past int32
    expect(() => decodeHex(T('duration'), 'f1 00 00 00 00 00 00')).toThrow(
      new ProtocolError('Invalid duration value: months 2147483648 or days 0 outside int32'),
    );
  });

  it('collections: a count past the end is refused before allocating', () => {
    const list: DataType = { kind: 'list', element: INT };
    expect(() => decodeHex(list, '7fffffff')).toThrow(
      new ProtocolError('Invalid list<int> value: count 2147483647 does not fit 4 bytes'),
    );
    expect(() => decodeHex(list, 'ffffffff')).toThrow(
      new ProtocolError('Invalid list<int> value: count -1 does not fit 4 bytes'),
    );
    expect(() => decodeHex(list, '000001')).toThrow(
      new ProtocolError('Invalid list<int> value: needs a 4-byte count, got 3 bytes'),
    );
    expect(() => decodeHex(list, '00000001 00000008 00000001')).toThrow(
      new ProtocolError('Invalid list<int> value: element of 8 bytes runs past the value'),
    );
    expect(() => decodeHex(list, '00000001 00000004 00000001 00')).toThrow(
      new ProtocolError('Invalid list<int> value: 1 bytes left after 1 elements'),
    );
    expect(() => decodeHex(list, '00000001 00000003 000001')).toThrow(
      new ProtocolError('Invalid int value: expected 4 bytes, got 3'),
    );
    const map: DataType = { kind: 'map', key: TEXT, value: INT };
    expect(() => decodeHex(map, '00000002 00000001 61 00000004 00000001')).toThrow(
      new ProtocolError('Invalid map<text, int> value: count 2 does not fit 17 bytes'),
    );
    expect(() => decodeHex(map, '00000001 00000001 61 000000')).toThrow(
      new ProtocolError('Invalid map<text, int> value: truncated element length at 9'),
    );
  });

  it('a cell that does not fit its buffer', () => {
    expect(() => decodeValue(INT, Buffer.alloc(4), 2, 4)).toThrow(
      new ProtocolError('int value of 4 bytes at 2 does not fit a buffer of 4'),
    );
  });

  it('tuples and UDTs with extra or truncated components', () => {
    const tuple: DataType = { kind: 'tuple', elements: [INT] };
    expect(() => decodeHex(tuple, '00000004 00000001 00000000')).toThrow(
      new ProtocolError('Invalid frozen<tuple<int>> value: 4 bytes left after 1 components'),
    );
    const udt: UdtType = { kind: 'udt', keyspace: 'ks', name: 'u', fields: [{ name: 'a', type: INT }] };
    expect(() => decodeHex(udt, '00000009 00')).toThrow(
      new ProtocolError('Invalid u value: element of 9 bytes runs past the value'),
    );
  });

  it('vectors of the wrong size, with lengths past the end', () => {
    const vf: DataType = { kind: 'vector', element: T('float'), dimension: 3 };
    expect(() => decodeHex(vf, '3f800000')).toThrow(
      new ProtocolError('Invalid vector<float, 3> value: expected 12 bytes, got 4'),
    );
    const vt: DataType = { kind: 'vector', element: TEXT, dimension: 2 };
    expect(() => decodeHex(vt, '05 61')).toThrow(
      new ProtocolError('Invalid vector<text, 2> value: element length 5 runs past the value'),
    );
    expect(() => decodeHex(vt, '01 61 02 62 63 00')).toThrow(
      new ProtocolError('Invalid vector<text, 2> value: 1 bytes left after 2 elements'),
    );
    expect(() => decodeHex(vt, 'ff ff')).toThrow(
      new ProtocolError('Invalid vector<text, 2> value: truncated [unsigned vint]'),
    );
    const huge: DataType = { kind: 'vector', element: TEXT, dimension: 2147483647 };
    expect(() => decodeHex(huge, '0161')).toThrow(
      new ProtocolError('Invalid vector<text, 2147483647> value: 2147483647 elements cannot fit 2 bytes'),
    );
  });

  it('invalid UTF-8 in text decodes lossily, as Node does', () => {
    expect(decodeHex(TEXT, '61ff62')).toBe('a\ufffdb');
  });
});

describe('bad values are ArgumentErrors naming column, type and value', () => {
  const enc = (t: DataType, v: unknown, column?: string): unknown =>
    encodeValue(t, v, column === undefined ? undefined : { column });

  it('integers out of range or of the wrong JS type', () => {
    expect(() => enc(INT, 2147483648, 'age')).toThrow(
      new ArgumentError('Column "age" (int): 2147483648 is out of range [-2147483648, 2147483647]'),
    );
    expect(() => enc(INT, 1.5, 'age')).toThrow(new ArgumentError('Column "age" (int): 1.5 is not an integer'));
    expect(() => enc(INT, '1', 'age')).toThrow(
      new ArgumentError('Column "age" (int): "1" is not an integer (number, bigint or Long)'),
    );
    expect(() => enc(T('smallint'), 40000n)).toThrow(
      new ArgumentError('Value (smallint): 40000n is out of range [-32768, 32767]'),
    );
    expect(() => enc(T('tinyint'), -129, 'b')).toThrow(
      new ArgumentError('Column "b" (tinyint): -129 is out of range [-128, 127]'),
    );
    expect(() => enc(T('bigint'), 1n << 63n, 'n')).toThrow(
      new ArgumentError(
        'Column "n" (bigint): 9223372036854775808n is out of range [-9223372036854775808, 9223372036854775807]',
      ),
    );
    expect(() => enc(T('bigint'), 2 ** 60, 'n')).toThrow(
      new ArgumentError(
        'Column "n" (bigint): 1152921504606847000 is not a safe integer; pass a bigint or a string to keep every digit',
      ),
    );
    expect(() => enc(T('varint'), 'x1', 'v')).toThrow(
      new ArgumentError('Column "v" (varint): "x1" is not an integer (number, bigint, Long or decimal string)'),
    );
  });

  it('floats, booleans, strings and bytes of the wrong type', () => {
    expect(() => enc(T('float'), 1e39, 'f')).toThrow(
      new ArgumentError('Column "f" (float): 1e+39 is out of range for a 32-bit float (±3.4028234663852886e+38)'),
    );
    expect(() => enc(T('double'), '1.5', 'd')).toThrow(new ArgumentError('Column "d" (double): "1.5" is not a number'));
    expect(() => enc(T('boolean'), 1, 'ok')).toThrow(new ArgumentError('Column "ok" (boolean): 1 is not a boolean'));
    expect(() => enc(TEXT, 5, 'name')).toThrow(new ArgumentError('Column "name" (text): 5 is not a string'));
    expect(() => enc(T('ascii'), 'café', 'a')).toThrow(
      new ArgumentError('Column "a" (ascii): "café" has characters outside US-ASCII'),
    );
    expect(() => enc(T('blob'), 'abc', 'b')).toThrow(
      new ArgumentError('Column "b" (blob): "abc" is not a Buffer, Uint8Array or ArrayBuffer'),
    );
  });

  it('dates, times, durations, decimals, inets and uuids that do not parse', () => {
    expect(() => enc(T('date'), '2023-02-30', 'd')).toThrow(
      new ArgumentError(
        'Column "d" (date): "2023-02-30" is invalid: "2023-02-30" is not a valid date in the range of the CQL date type',
      ),
    );
    expect(() => enc(T('date'), 5, 'd')).toThrow(
      new ArgumentError('Column "d" (date): 5 is not a LocalDate, a YYYY-MM-DD string or a Date'),
    );
    expect(() => enc(T('time'), 86400000000000, 't')).toThrow(
      new ArgumentError(
        'Column "t" (time): 86400000000000 is invalid: LocalTime 86400000000000 ns is not in [0, 86399999999999]',
      ),
    );
    expect(() => enc(T('duration'), '1x', 'du')).toThrow(ArgumentError);
    expect(() => enc(T('decimal'), NaN, 'x')).toThrow(
      new ArgumentError('Column "x" (decimal): NaN is invalid: NaN cannot be a decimal'),
    );
    expect(() => enc(T('inet'), Buffer.alloc(5), 'ip')).toThrow(
      new ArgumentError('Column "ip" (inet): <Buffer 00 00 00 00 00> has 5 bytes; an address has 4 or 16'),
    );
    expect(() => enc(T('uuid'), 'nope', 'id')).toThrow(
      new ArgumentError('Column "id" (uuid): "nope" is invalid: "nope" is not a uuid (8-4-4-4-12 hex digits)'),
    );
    expect(() => enc(T('timeuuid'), '550e8400-e29b-41d4-a716-446655440000', 'tid')).toThrow(
      new ArgumentError(
        'Column "tid" (timeuuid): "550e8400-e29b-41d4-a716-446655440000" is not a version 1 (time-based) uuid',
      ),
    );
    expect(() => enc(T('timestamp'), true, 'ts')).toThrow(
      new ArgumentError('Column "ts" (timestamp): true is not a Date or milliseconds since the epoch'),
    );
    expect(() => enc(T('timestamp'), new Date(NaN), 'ts')).toThrow(
      new ArgumentError('Column "ts" (timestamp): Invalid Date is an invalid Date'),
    );
    expect(() => enc(T('timestamp'), '2024-01-01', 'ts')).toThrow(
      new ArgumentError(
        'Column "ts" (timestamp): "2024-01-01" is not an ISO-8601 timestamp with a time zone, e.g. "2024-06-01T12:30:00Z", "2024-06-01 12:30:00.250+02:00"',
      ),
    );
  });

  it('collections: wrong container, null elements, and the path to a bad element', () => {
    const list: DataType = { kind: 'list', element: INT };
    expect(() => enc(list, 'abc', 'l')).toThrow(
      new ArgumentError('Column "l" (list<int>): "abc" is not an Array or a Set'),
    );
    expect(() => enc(list, [1, null], 'l')).toThrow(
      new ArgumentError('Column "l"[1] (int): null is not allowed: collections cannot contain null'),
    );
    expect(() => enc(list, [1, 2 ** 31], 'l')).toThrow(
      new ArgumentError('Column "l"[1] (int): 2147483648 is out of range [-2147483648, 2147483647]'),
    );
    const map: DataType = { kind: 'map', key: TEXT, value: INT };
    expect(() => enc(map, { a: 'x' }, 'm')).toThrow(
      new ArgumentError('Column "m"{a} (int): "x" is not an integer (number, bigint or Long)'),
    );
    expect(() => enc(map, new Map([['a', null]]), 'm')).toThrow(
      new ArgumentError('Column "m"{a} (int): null is not allowed: map values cannot be null'),
    );
    expect(() => enc(map, [1], 'm')).toThrow(
      new ArgumentError('Column "m" (map<text, int>): [ 1 ] is not a Map or a plain object'),
    );
  });

  it('tuples, UDTs and vectors of the wrong shape', () => {
    const tuple: DataType = { kind: 'tuple', elements: [INT, TEXT] };
    expect(() => enc(tuple, [1], 't')).toThrow(
      new ArgumentError('Column "t" (frozen<tuple<int, text>>): [ 1 ] has 1 elements; the tuple has 2'),
    );
    const udt: UdtType = {
      kind: 'udt',
      keyspace: 'ks',
      name: 'addr',
      fields: [
        { name: 'street', type: TEXT },
        { name: 'zip', type: INT },
      ],
    };
    expect(() => enc(udt, { stret: 'x' }, 'home')).toThrow(
      new ArgumentError(
        'Column "home" (addr): { stret: \'x\' } has a field "stret" that addr does not have (fields: street, zip)',
      ),
    );
    expect(() => enc(udt, { zip: 'x' }, 'home')).toThrow(
      new ArgumentError('Column "home".zip (int): "x" is not an integer (number, bigint or Long)'),
    );
    const vf: DataType = { kind: 'vector', element: T('float'), dimension: 3 };
    expect(() => enc(vf, [1, 2], 'emb')).toThrow(
      new ArgumentError('Column "emb" (vector<float, 3>): [ 1, 2 ] has 2 elements; the vector has 3'),
    );
    expect(() => enc(vf, [1, null, 3], 'emb')).toThrow(
      new ArgumentError('Column "emb"[1] (float): null is not allowed: vector elements cannot be null'),
    );
    expect(() => enc(vf, 'x', 'emb')).toThrow(
      new ArgumentError('Column "emb" (vector<float, 3>): "x" is not an Array or a typed array'),
    );
  });
});
