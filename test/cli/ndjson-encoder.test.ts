import { describe, expect, it } from 'vitest';
import { NdjsonEncoder } from '../../src/cli/ndjson-encoder.js';
import type { DataType } from '../../src/index.js';
import { LocalDate, Uuid } from '../../src/index.js';

const col = (name: string, type: DataType) => ({ name, type });

describe('NdjsonEncoder', () => {
  it('writes one object per line with keys in column order, null as null and "" as ""', () => {
    const e = new NdjsonEncoder([col('id', { kind: 'int' }), col('a', { kind: 'text' }), col('b', { kind: 'text' })]);
    expect(e.values([1, null, ''])).toBe('{"id":1,"a":null,"b":""}\n');
  });

  it('writes bigint, varint, counter and decimal as strings so no digit is lost', () => {
    const e = new NdjsonEncoder([
      col('b', { kind: 'bigint' }),
      col('v', { kind: 'varint' }),
      col('c', { kind: 'counter' }),
    ]);
    expect(e.values([9007199254740993n, -1n, 0n])).toBe('{"b":"9007199254740993","v":"-1","c":"0"}\n');
  });

  it('writes text with quotes, newlines and non-ASCII as JSON strings on one line', () => {
    const e = new NdjsonEncoder([col('t', { kind: 'text' })]);
    expect(e.values(['a"b\r\nc é'])).toBe('{"t":"a\\"b\\r\\nc é"}\n');
  });

  it('writes other scalars as canonical strings and collections as JSON', () => {
    const e = new NdjsonEncoder([
      col('u', { kind: 'uuid' }),
      col('d', { kind: 'date' }),
      col('x', { kind: 'blob' }),
      col('s', { kind: 'set', element: { kind: 'bigint' } }),
      col('f', { kind: 'double' }),
    ]);
    expect(
      e.values([
        Uuid.fromString('00000000-0000-0000-0000-000000000001'),
        LocalDate.of(1970, 1, 1),
        Buffer.from('hi'),
        new Set([5n]),
        Number.POSITIVE_INFINITY,
      ]),
    ).toBe('{"u":"00000000-0000-0000-0000-000000000001","d":"1970-01-01","x":"0x6869","s":["5"],"f":"Infinity"}\n');
  });

  it('escapes column names as JSON keys', () => {
    const e = new NdjsonEncoder([col('we"ird', { kind: 'int' })]);
    expect(e.rows({ length: 2, cell: (r) => r })).toBe('{"we\\"ird":0}\n{"we\\"ird":1}\n');
  });
});
