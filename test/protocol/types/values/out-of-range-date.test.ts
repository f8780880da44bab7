import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../src/protocol/errors/index.js';
import type { DataType } from '../../../../src/protocol/types/index.js';
import {
  createValueDecoder,
  decodeValue,
  encodeValue,
  MAX_DATE_MS,
  OutOfRangeDate,
} from '../../../../src/protocol/types/index.js';
import { timestampText } from '../../../../src/protocol/types/value-json.js';
import { recordedRowsByQuery } from '../../../cluster/metadata/recorded-rows.js';

const TIMESTAMP: DataType = { kind: 'timestamp' };

function int64(ms: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(ms);
  return b;
}

const decode = (ms: bigint): unknown => decodeValue(TIMESTAMP, int64(ms), 0, 8);

describe('timestamps beyond what a Date can hold', () => {
  it('decode to a plain Date up to ±8.64e15 ms and to an OutOfRangeDate one millisecond past', () => {
    for (const ms of [0n, -1n, 1709210096789n, BigInt(MAX_DATE_MS), -BigInt(MAX_DATE_MS)]) {
      const d = decode(ms);
      expect(d).not.toBeInstanceOf(OutOfRangeDate);
      expect((d as Date).getTime()).toBe(Number(ms));
    }
    for (const ms of [BigInt(MAX_DATE_MS) + 1n, -BigInt(MAX_DATE_MS) - 1n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      const d = decode(ms);
      expect(d).toBeInstanceOf(OutOfRangeDate);
      expect(d).toBeInstanceOf(Date);
      expect((d as OutOfRangeDate).milliseconds).toBe(ms);
      expect((d as Date).getTime()).toBeNaN();
    }
  });

  it('print in expanded ISO 8601, continuing where Date stops', () => {
    expect(new OutOfRangeDate(BigInt(MAX_DATE_MS) + 1n).toISOString()).toBe('+275760-09-13T00:00:00.001Z');
    expect(new Date(MAX_DATE_MS).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    expect(new OutOfRangeDate(-BigInt(MAX_DATE_MS) - 1n).toISOString()).toBe('-271821-04-19T23:59:59.999Z');
    expect(new OutOfRangeDate(2n ** 63n - 1n).toISOString()).toBe('+292278994-08-17T07:12:55.807Z');
    expect(new OutOfRangeDate(-(2n ** 63n)).toISOString()).toBe('-292275055-05-16T16:47:04.192Z');
    const d = new OutOfRangeDate(9223372036854775n);
    expect(String(d)).toBe('+294247-01-10T04:00:54.775Z');
    expect(d.toJSON()).toBe('+294247-01-10T04:00:54.775Z');
    expect(timestampText(d)).toBe('+294247-01-10T04:00:54.775Z');
    expect(timestampText(new Date(Number.NaN))).toBe('Invalid Date');
  });

  it('encode back to the same 64-bit value', () => {
    for (const ms of [9223372036854775n, 2n ** 63n - 1n, -(2n ** 63n), -BigInt(MAX_DATE_MS) - 1n]) {
      expect(encodeValue(TIMESTAMP, new OutOfRangeDate(ms))?.toString('hex')).toBe(int64(ms).toString('hex'));
    }
    expect(() => encodeValue(TIMESTAMP, new OutOfRangeDate(2n ** 63n), { column: 'ts' })).toThrow(ArgumentError);
    expect(() => encodeValue(TIMESTAMP, new Date(Number.NaN), { column: 'ts' })).toThrow(ArgumentError);
  });

  it('decode the recorded system_schema.dropped_columns row of Cassandra 5.0.2 without throwing', () => {
    const rows = recordedRowsByQuery('5.0.2-schema-v5').get('SELECT * FROM system_schema.dropped_columns')!;
    expect(rows.map((r) => [r.get('table_name'), r.get('column_name'), String(r.get('dropped_time'))])).toEqual([
      ['local', 'thrift_version', '+294247-01-10T04:00:54.775Z'],
      ['statics', 'dropped_col', new Date('2026-12-04T15:15:41.578Z').toString()],
    ]);
    expect((rows[0]!.get('dropped_time') as OutOfRangeDate).milliseconds).toBe(9223372036854775n);
    expect(rows[0]!.toJSON().dropped_time).toBe('+294247-01-10T04:00:54.775Z');
    expect(JSON.stringify(rows[1]!.toJSON().dropped_time)).toBe('"2026-12-04T15:15:41.578Z"');
  });

  it('decode inside collections too', () => {
    const list: DataType = { kind: 'list', element: TIMESTAMP };
    const bytes = encodeValue(list, [new Date(5), new OutOfRangeDate(9223372036854775n)])!;
    const back = createValueDecoder(list)(bytes, 0, bytes.length) as Date[];
    expect(back[0]).toEqual(new Date(5));
    expect((back[1] as OutOfRangeDate).milliseconds).toBe(9223372036854775n);
  });
});
