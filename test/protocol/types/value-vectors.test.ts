import { describe, expect, it } from 'vitest';
import type { DataType } from '../../../src/protocol/types/index.js';
import {
  BigDecimal,
  Duration,
  decodeValue,
  encodeValue,
  LocalDate,
  LocalTime,
  Uuid,
} from '../../../src/protocol/types/index.js';

const hex = (s: string): string => s.replace(/\s+/g, '').toLowerCase();
const enc = (t: DataType, v: unknown): string => encodeValue(t, v)!.toString('hex');
const dec = (t: DataType, h: string): unknown => {
  const b = Buffer.from(hex(h), 'hex');
  return decodeValue(t, b, 0, b.length);
};

const INT: DataType = { kind: 'int' };
const TEXT: DataType = { kind: 'text' };

describe('value vectors (native_protocol_v5.spec §5), byte for byte', () => {
  it('varint table (spec), 2^63 and -2^63', () => {
    const table: [bigint, string][] = [
      [0n, '00'],
      [1n, '01'],
      [127n, '7f'],
      [128n, '0080'],
      [129n, '0081'],
      [-1n, 'ff'],
      [-128n, '80'],
      [-129n, 'ff7f'],
      [1n << 63n, '00 80 00 00 00 00 00 00 00'],
      [-(1n << 63n), '80 00 00 00 00 00 00 00'],
    ];
    for (const [v, h] of table) {
      expect(enc({ kind: 'varint' }, v)).toBe(hex(h));
      expect(dec({ kind: 'varint' }, h)).toBe(v);
    }
  });

  it('decimal 123.45 and -0.001', () => {
    expect(enc({ kind: 'decimal' }, '123.45')).toBe(hex('00000002 3039')); // scale 2, unscaled 12345
    expect(enc({ kind: 'decimal' }, BigDecimal.fromString('-0.001'))).toBe(hex('00000003 ff')); // scale 3, unscaled -1
    expect(String(dec({ kind: 'decimal' }, '00000002 3039'))).toBe('123.45');
    expect(String(dec({ kind: 'decimal' }, '00000003 ff'))).toBe('-0.001');
  });

  it('date 1970-01-01, 1969-12-31, 2024-02-29 and the range ends 0 and 2^32-1', () => {
    const table: [string, string][] = [
      ['1970-01-01', '80000000'],
      ['1969-12-31', '7fffffff'],
      ['2024-02-29', '80004d46'],
      ['-5877641-06-23', '00000000'],
      ['+5881580-07-11', 'ffffffff'],
    ];
    for (const [text, h] of table) {
      expect(enc({ kind: 'date' }, text)).toBe(h);
      expect(String(dec({ kind: 'date' }, h))).toBe(text);
    }
  });

  it('time 12:34:56.789', () => {
    expect(enc({ kind: 'time' }, '12:34:56.789')).toBe(hex('00 00 29 32 7B 04 8F 40'));
    expect(dec({ kind: 'time' }, '00 00 29 32 7B 04 8F 40')).toEqual(LocalTime.fromString('12:34:56.789'));
  });

  it('duration 1mo2d3ns, -1d and 1h', () => {
    const table: [Duration, string][] = [
      [new Duration(1, 2, 3n), '02 04 06'],
      [new Duration(0, -1, 0n), '00 01 00'],
      [new Duration(0, 0, 3600000000000n), '00 00 FC 06 8C 61 71 40 00'],
    ];
    for (const [d, h] of table) {
      expect(enc({ kind: 'duration' }, d)).toBe(hex(h));
      expect(dec({ kind: 'duration' }, h)).toEqual(d);
    }
    expect(enc({ kind: 'duration' }, '1h')).toBe(hex('00 00 FC 06 8C 61 71 40 00'));
  });

  it('vector<float,3> [1,2,3] and vector<text,2> [a, bc]', () => {
    const vf: DataType = { kind: 'vector', element: { kind: 'float' }, dimension: 3 };
    expect(enc(vf, [1, 2, 3])).toBe(hex('3F800000 40000000 40400000'));
    expect(enc(vf, new Float32Array([1, 2, 3]))).toBe(hex('3F800000 40000000 40400000'));
    expect(dec(vf, '3F800000 40000000 40400000')).toEqual(new Float32Array([1, 2, 3]));
    const vt: DataType = { kind: 'vector', element: TEXT, dimension: 2 };
    expect(enc(vt, ['a', 'bc'])).toBe(hex('01 61 02 62 63')); // [unsigned vint] length + UTF-8, per element
    expect(dec(vt, '01 61 02 62 63')).toEqual(['a', 'bc']);
  });

  it('list<int> [1,2], map<text,int> {a:1}, tuple<int,text> (1, null)', () => {
    const l = '00000002 00000004 00000001 00000004 00000002';
    expect(enc({ kind: 'list', element: INT }, [1, 2])).toBe(hex(l));
    expect(dec({ kind: 'list', element: INT }, l)).toEqual([1, 2]);
    const m = '00000001 00000001 61 00000004 00000001';
    expect(enc({ kind: 'map', key: TEXT, value: INT }, new Map([['a', 1]]))).toBe(hex(m));
    expect(enc({ kind: 'map', key: TEXT, value: INT }, { a: 1 })).toBe(hex(m));
    expect(dec({ kind: 'map', key: TEXT, value: INT }, m)).toEqual(new Map([['a', 1]]));
    const t = '00000004 00000001 FFFFFFFF';
    expect(enc({ kind: 'tuple', elements: [INT, TEXT] }, [1, null])).toBe(hex(t));
    expect(dec({ kind: 'tuple', elements: [INT, TEXT] }, t)).toEqual([1, null]);
  });

  it('smallint -2, tinyint -2, double 1.5, float 1.5', () => {
    expect(enc({ kind: 'smallint' }, -2)).toBe('fffe');
    expect(dec({ kind: 'smallint' }, 'fffe')).toBe(-2);
    expect(enc({ kind: 'tinyint' }, -2)).toBe('fe');
    expect(dec({ kind: 'tinyint' }, 'fe')).toBe(-2);
    expect(enc({ kind: 'double' }, 1.5)).toBe(hex('3F F8 00 00 00 00 00 00'));
    expect(dec({ kind: 'double' }, '3FF8000000000000')).toBe(1.5);
    expect(enc({ kind: 'float' }, 1.5)).toBe(hex('3F C0 00 00'));
    expect(dec({ kind: 'float' }, '3FC00000')).toBe(1.5);
  });

  it('timestamp 2024-02-29T00:00Z and uuid 550e8400-e29b-41d4-a716-446655440000', () => {
    expect(enc({ kind: 'timestamp' }, new Date('2024-02-29T00:00:00Z'))).toBe(hex('00 00 01 8D F2 29 28 00'));
    expect(dec({ kind: 'timestamp' }, '0000018DF2292800')).toEqual(new Date('2024-02-29T00:00:00Z'));
    const u = '550e8400-e29b-41d4-a716-446655440000';
    expect(enc({ kind: 'uuid' }, u)).toBe(hex('55 0E 84 00 E2 9B 41 D4 A7 16 44 66 55 44 00 00'));
    expect(dec({ kind: 'uuid' }, '550E8400E29B41D4A716446655440000')).toEqual(Uuid.fromString(u));
  });

  it('date encodes from a LocalDate too', () => {
    expect(enc({ kind: 'date' }, new LocalDate(-1))).toBe('7fffffff');
  });
});
