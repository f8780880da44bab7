import Long from 'long';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocol/errors/index.js';
import type { DataType, UdtType } from '../../../src/protocol/types/index.js';
import {
  BigDecimal,
  createValueDecoder,
  Duration,
  decodeValue,
  encodeValue,
  fixedValueLength,
  InetAddress,
  LocalDate,
  LocalTime,
  MAX_OMITTED_COMPONENTS,
  TimeUuid,
  Uuid,
} from '../../../src/protocol/types/index.js';

const T = (kind: string): DataType => ({ kind }) as DataType;
const INT = T('int');
const TEXT = T('text');

/** Encodes, decodes, and returns [value back, bytes]. */
function roundTrip(type: DataType, value: unknown, options?: { bigint?: 'bigint' | 'long' }): [unknown, string] {
  const b = encodeValue(type, value);
  if (b === null) throw new Error('unexpected null');
  return [decodeValue(type, b, 0, b.length, options), b.toString('hex')];
}

describe('value round trips', () => {
  it('integers at their bounds', () => {
    for (const v of [-2147483648, -1, 0, 2147483647]) expect(roundTrip(INT, v)[0]).toBe(v);
    for (const v of [-32768, 32767]) expect(roundTrip(T('smallint'), v)[0]).toBe(v);
    for (const v of [-128, 127]) expect(roundTrip(T('tinyint'), v)[0]).toBe(v);
    for (const v of [-(1n << 63n), -1n, 0n, (1n << 63n) - 1n]) {
      expect(roundTrip(T('bigint'), v)[0]).toBe(v);
      expect(roundTrip(T('counter'), v)[0]).toBe(v);
    }
    expect(roundTrip(T('bigint'), '9223372036854775807')).toEqual([9223372036854775807n, '7fffffffffffffff']);
    expect(roundTrip(T('bigint'), Long.fromString('-9223372036854775808'))).toEqual([-(1n << 63n), '8000000000000000']);
  });

  it('bigint and counter as Long on request', () => {
    const [v, h] = roundTrip(T('bigint'), -1234567890123456789n, { bigint: 'long' });
    expect(h).toBe('eeddef0b82167eeb');
    expect(Long.isLong(v)).toBe(true);
    expect(String(v)).toBe('-1234567890123456789');
    expect(String(roundTrip(T('counter'), (1n << 63n) - 1n, { bigint: 'long' })[0])).toBe('9223372036854775807');
  });

  it('varints of every size, negative ones included', () => {
    for (const v of [
      0n,
      1n,
      -1n,
      255n,
      -256n,
      1n << 47n,
      -(1n << 47n),
      (1n << 48n) - 1n,
      10n ** 40n,
      -(10n ** 40n),
      -(1n << 64n),
    ]) {
      expect(roundTrip(T('varint'), v)[0]).toBe(v);
    }
    expect(roundTrip(T('varint'), -(1n << 47n))[1]).toBe('800000000000');
    expect(roundTrip(T('varint'), 1n << 47n)[1]).toBe('00800000000000');
  });

  it('floats and doubles: NaN, ±Infinity, -0, extremes', () => {
    for (const t of [T('float'), T('double')]) {
      expect(roundTrip(t, NaN)[0]).toBeNaN();
      expect(roundTrip(t, Infinity)[0]).toBe(Infinity);
      expect(roundTrip(t, -Infinity)[0]).toBe(-Infinity);
      expect(Object.is(roundTrip(t, -0)[0], -0)).toBe(true);
    }
    expect(roundTrip(T('float'), -0)[1]).toBe('80000000');
    expect(roundTrip(T('double'), Number.MAX_VALUE)[0]).toBe(Number.MAX_VALUE);
    expect(roundTrip(T('double'), Number.MIN_VALUE)[0]).toBe(Number.MIN_VALUE);
    expect(roundTrip(T('float'), 3.4028234663852886e38)[0]).toBe(3.4028234663852886e38);
    expect(roundTrip(T('float'), 0.1)[0]).toBe(Math.fround(0.1));
  });

  it('text with non-ASCII, ascii, empty strings and blobs', () => {
    expect(roundTrip(TEXT, 'héllo ✓ 日本 😀')).toEqual([
      'héllo ✓ 日本 😀',
      '68c3a96c6c6f20e29c9320e697a5e69cac20f09f9880',
    ]);
    expect(roundTrip(T('ascii'), 'plain')[0]).toBe('plain');
    for (const t of [TEXT, T('ascii')]) expect(decodeValue(t, Buffer.alloc(0), 0, 0)).toBe('');
    expect(encodeValue(TEXT, '')!.length).toBe(0);
    expect(roundTrip(T('blob'), Buffer.from([0, 1, 255]))[0]).toEqual(Buffer.from([0, 1, 255]));
    expect(roundTrip(T('blob'), new Uint8Array([9, 8]))[1]).toBe('0908');
    expect(decodeValue(T('blob'), Buffer.alloc(0), 0, 0)).toEqual(Buffer.alloc(0));
  });

  it('a blob decodes as a view of the cell, without copying', () => {
    const body = Buffer.from('0011223344', 'hex');
    const v = createValueDecoder(T('blob'))(body, 1, 3) as Buffer;
    expect(v.toString('hex')).toBe('112233');
    body[2] = 0xff;
    expect(v.toString('hex')).toBe('11ff33');
  });

  it('booleans, including non-1 true bytes from the wire', () => {
    expect(roundTrip(T('boolean'), true)).toEqual([true, '01']);
    expect(roundTrip(T('boolean'), false)).toEqual([false, '00']);
    expect(decodeValue(T('boolean'), Buffer.from([0x7f]), 0, 1)).toBe(true);
  });

  it('timestamps: Date, ms number, bigint; negative and the Date range ends', () => {
    expect(roundTrip(T('timestamp'), -1)).toEqual([new Date(-1), 'ffffffffffffffff']);
    expect(roundTrip(T('timestamp'), 1709210096789n)[0]).toEqual(new Date(1709210096789));
    for (const ms of [8.64e15, -8.64e15]) expect(roundTrip(T('timestamp'), new Date(ms))[0]).toEqual(new Date(ms));
  });

  it('dates at 0 and 2^32-1, times at both ends, from strings and classes', () => {
    expect(roundTrip(T('date'), new LocalDate(-0x80000000))[1]).toBe('00000000');
    expect(roundTrip(T('date'), new LocalDate(0x7fffffff))[1]).toBe('ffffffff');
    expect(roundTrip(T('date'), new Date('2024-02-29T23:59:59Z'))[0]).toEqual(new LocalDate(19782));
    expect(roundTrip(T('time'), '00:00:00')).toEqual([new LocalTime(0), '0000000000000000']);
    expect(roundTrip(T('time'), 86399999999999n)).toEqual([new LocalTime(86399999999999), '00004e94914effff']);
  });

  it('durations: positive, negative, zero, int32/int64 extremes', () => {
    for (const d of [
      new Duration(0, 0, 0n),
      new Duration(-1, -2, -3n),
      new Duration(2147483647, 2147483647, (1n << 63n) - 1n),
      new Duration(-2147483648, -2147483648, -(1n << 63n)),
    ])
      expect(roundTrip(T('duration'), d)[0]).toEqual(d);
    expect(roundTrip(T('duration'), new Duration(0, 0, 0n))[1]).toBe('000000');
  });

  it('decimals: negative, large, exponent forms, from numbers and bigints', () => {
    for (const s of ['-12345.6789', '0', '1E+3', '-1E-7', '123456789012345678901234567890.123456789']) {
      expect(String(roundTrip(T('decimal'), s)[0])).toBe(s);
    }
    expect(String(roundTrip(T('decimal'), 0.1)[0])).toBe('0.1');
    expect(roundTrip(T('decimal'), -5n)).toEqual([new BigDecimal(-5n, 0), '00000000fb']);
  });

  it('inet, uuid and timeuuid from strings, classes and bytes', () => {
    expect(roundTrip(T('inet'), '::1')).toEqual([InetAddress.fromString('::1'), '00000000000000000000000000000001']);
    expect(roundTrip(T('inet'), Buffer.from([10, 0, 0, 1]))[0]).toEqual(InetAddress.fromString('10.0.0.1'));
    const u = Uuid.random();
    expect(roundTrip(T('uuid'), u)[0]).toEqual(u);
    const t = TimeUuid.fromDate(new Date(1700000000000));
    const back = roundTrip(T('timeuuid'), t)[0] as TimeUuid;
    expect(back).toBeInstanceOf(TimeUuid);
    expect(back.getDate().getTime()).toBe(1700000000000);
    expect(roundTrip(T('uuid'), Buffer.alloc(16, 0xab))[1]).toBe('ab'.repeat(16));
  });

  it('nested collections, sets from Arrays, maps from objects', () => {
    const t: DataType = {
      kind: 'map',
      key: TEXT,
      value: { kind: 'list', element: { kind: 'set', element: INT, frozen: true }, frozen: true },
    };
    const v = new Map([
      ['a', [new Set([1, 2]), new Set<number>()]],
      ['b', []],
    ]);
    expect(roundTrip(t, v)[0]).toEqual(v);
    expect(roundTrip({ kind: 'set', element: TEXT }, ['x', 'y'])[0]).toEqual(new Set(['x', 'y']));
    expect(roundTrip({ kind: 'list', element: INT }, new Set([3]))[0]).toEqual([3]);
    expect(roundTrip({ kind: 'list', element: INT }, [])).toEqual([[], '00000000']);
  });

  it('empty collections decode from zero bytes; empty scalars decode to null', () => {
    expect(decodeValue({ kind: 'list', element: INT }, Buffer.alloc(0), 0, 0)).toEqual([]);
    expect(decodeValue({ kind: 'set', element: INT }, Buffer.alloc(0), 0, 0)).toEqual(new Set());
    expect(decodeValue({ kind: 'map', key: INT, value: INT }, Buffer.alloc(0), 0, 0)).toEqual(new Map());
    for (const k of [
      'int',
      'bigint',
      'varint',
      'float',
      'double',
      'boolean',
      'timestamp',
      'date',
      'time',
      'uuid',
      'timeuuid',
      'inet',
      'decimal',
      'duration',
      'smallint',
      'tinyint',
      'counter',
    ]) {
      expect(decodeValue(T(k), Buffer.alloc(0), 0, 0), k).toBeNull();
    }
    expect(decodeValue({ kind: 'tuple', elements: [INT] }, Buffer.alloc(0), 0, 0)).toBeNull();
    expect(decodeValue({ kind: 'vector', element: T('float'), dimension: 2 }, Buffer.alloc(0), 0, 0)).toBeNull();
  });

  it('null and undefined encode to null', () => {
    expect(encodeValue(INT, null)).toBeNull();
    expect(encodeValue({ kind: 'list', element: INT }, undefined)).toBeNull();
  });

  it('UDTs: missing fields are null, and missing trailing fields on the wire decode as null', () => {
    const udt: UdtType = {
      kind: 'udt',
      keyspace: 'ks',
      name: 'addr',
      fields: [
        { name: 'street', type: TEXT },
        { name: 'zip', type: INT },
        { name: 'tags', type: { kind: 'set', element: TEXT } },
      ],
    };
    expect(roundTrip(udt, { zip: 5 })).toEqual([
      { street: null, zip: 5, tags: null },
      'ffffffff0000000400000005ffffffff',
    ]);
    // only the first field present on the wire
    expect(decodeValue(udt, Buffer.from('0000000161', 'hex'), 0, 5)).toEqual({ street: 'a', zip: null, tags: null });
    expect(roundTrip(udt, new Map<string, unknown>([['street', 's']]))[0]).toEqual({
      street: 's',
      zip: null,
      tags: null,
    });
  });

  it('tuples with null components, and missing trailing components decode as null', () => {
    const t: DataType = { kind: 'tuple', elements: [INT, TEXT, { kind: 'tuple', elements: [T('boolean')] }] };
    expect(roundTrip(t, [null, 'x', [true]])[0]).toEqual([null, 'x', [true]]);
    expect(decodeValue(t, Buffer.from('00000004 00000007'.replace(/ /g, ''), 'hex'), 0, 8)).toEqual([7, null, null]);
  });

  it('vectors of fixed and variable elements, nested', () => {
    const vi: DataType = { kind: 'vector', element: T('bigint'), dimension: 2 };
    expect(fixedValueLength(vi)).toBe(16);
    expect(roundTrip(vi, [1n, -1n])).toEqual([[1n, -1n], '0000000000000001ffffffffffffffff']);
    const vv: DataType = { kind: 'vector', element: { kind: 'list', element: INT }, dimension: 2 };
    expect(fixedValueLength(vv)).toBeUndefined();
    expect(roundTrip(vv, [[1], []])).toEqual([[[1], []], '0c' + '00000001000000040000000104' + '00000000']);
    const big: DataType = { kind: 'vector', element: TEXT, dimension: 1 };
    const long = 'x'.repeat(200);
    expect(roundTrip(big, [long])).toEqual([[long], '80c8' + '78'.repeat(200)]);
    const vf: DataType = { kind: 'vector', element: T('float'), dimension: 2 };
    expect(roundTrip(vf, [NaN, -0])[1]).toBe('7fc0000080000000');
    expect(
      roundTrip({ kind: 'vector', element: { kind: 'vector', element: T('float'), dimension: 1 }, dimension: 2 }, [
        [1],
        [2],
      ])[1],
    ).toBe('3f80000040000000');
  });

  it('custom types are opaque bytes', () => {
    expect(roundTrip({ kind: 'custom', className: 'com.example.X' }, Buffer.from('beef', 'hex'))).toEqual([
      Buffer.from('beef', 'hex'),
      'beef',
    ]);
  });

  it('fixed lengths follow the vector element rule (native_protocol_v5.spec §5.25)', () => {
    const want: [string, number | undefined][] = [
      ['boolean', 1],
      ['tinyint', 1],
      ['smallint', 2],
      ['int', 4],
      ['float', 4],
      ['date', 4],
      ['bigint', 8],
      ['counter', 8],
      ['double', 8],
      ['timestamp', 8],
      ['time', 8],
      ['uuid', 16],
      ['timeuuid', 16],
      ['text', undefined],
      ['varint', undefined],
      ['decimal', undefined],
      ['duration', undefined],
      ['inet', undefined],
      ['blob', undefined],
    ];
    for (const [k, n] of want) expect(fixedValueLength(T(k)), k).toBe(n);
  });
});

describe('UDT field names that collide with Object.prototype', () => {
  const udt: UdtType = {
    kind: 'udt',
    keyspace: 'ks',
    name: 'odd',
    fields: [
      { name: '__proto__', type: INT },
      { name: 'constructor', type: TEXT },
    ],
  };

  it('a field named __proto__ decodes as an own property and leaves the prototype alone', () => {
    const v = decodeValue(udt, Buffer.from('00000004 00000007 ffffffff'.replace(/ /g, ''), 'hex'), 0, 12) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')!.value).toBe(7);
    expect(v.constructor).toBeNull();
  });

  it('an absent field named constructor encodes as null, not as Object', () => {
    expect(encodeValue(udt, {})!.toString('hex')).toBe('ffffffffffffffff');
  });
});

describe('tuples and UDTs with missing trailing components', () => {
  it('decode up to 1,024 missing components as null and refuse more (no 65,535-slot value from 8 bytes)', () => {
    const tupleOf = (n: number): DataType => ({
      kind: 'tuple',
      elements: Array.from({ length: n }, () => ({ kind: 'int' })),
    });
    const cell = Buffer.from('00000004 0000002a'.replace(/ /g, ''), 'hex'); // component 0 = 42, the rest left out
    const ok = createValueDecoder(tupleOf(MAX_OMITTED_COMPONENTS + 1))(cell, 0, cell.length) as unknown[];
    expect(ok.length).toBe(MAX_OMITTED_COMPONENTS + 1);
    expect(ok[0]).toBe(42);
    expect(ok[MAX_OMITTED_COMPONENTS]).toBe(null);
    expect(() => createValueDecoder(tupleOf(MAX_OMITTED_COMPONENTS + 2))(cell, 0, cell.length)).toThrow(ProtocolError);
    const udt: DataType = {
      kind: 'udt',
      keyspace: 'ks',
      name: 'wide',
      fields: Array.from({ length: 2000 }, (_, i) => ({ name: `f${i}`, type: { kind: 'int' } })),
    };
    expect(() => createValueDecoder(udt)(cell, 0, cell.length)).toThrow(
      /Invalid UDT ks.wide value: it leaves out 1999 of its 2000 components/,
    );
  });
});
