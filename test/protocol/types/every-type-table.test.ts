import { describe, expect, it } from 'vitest';
import type { DataType, UdtType } from '../../../src/protocol/types/index.js';
import {
  createValueDecoder,
  Duration,
  decodeValue,
  encodeValue,
  parseCqlTypeString,
} from '../../../src/protocol/types/index.js';
import { loadTypesTable } from '../../support/fixtures.js';
import { formatFixtureValue } from './fixture-value-format.js';

const table = loadTypesTable();
const addr: UdtType = {
  kind: 'udt',
  keyspace: 'fx_types',
  name: 'addr',
  fields: [
    { name: 'street', type: { kind: 'text' } },
    { name: 'zip', type: { kind: 'int' } },
  ],
};

/** The table's cql_type with its notes removed ("frozen<addr>, addr = (...)", "vector<...> (5.0.2 only)"). */
function columnType(cqlType: string): DataType {
  const clean = cqlType.replace(/,\s*addr = .*$/, '').replace(/\s*\(5\.0\.2 only\)$/, '');
  return parseCqlTypeString(clean, (name) => (name === 'addr' ? addr : undefined));
}

const withBytes = table.columns.filter((c) => c.value_hex !== undefined);

describe('the real-Cassandra every-type table (index.json)', () => {
  it('holds every column we expect to check', () => {
    expect(withBytes.map((c) => c.column)).toEqual([
      'c_ascii',
      'c_bigint',
      'c_blob',
      'c_boolean',
      'c_date',
      'c_decimal',
      'c_double',
      'c_duration',
      'c_float',
      'c_inet4',
      'c_inet6',
      'c_int',
      'c_smallint',
      'c_text',
      'c_time',
      'c_timestamp',
      'c_timeuuid',
      'c_tinyint',
      'c_uuid',
      'c_varint',
      'c_varint_neg',
      'c_varint_m1',
      'c_list',
      'c_set',
      'c_map',
      'c_tuple',
      'c_udt',
      'c_vector',
    ]);
  });

  for (const c of withBytes) {
    it(`${c.column} (${c.cql_type}) decodes to the expected value and re-encodes to the same bytes`, () => {
      const type = columnType(c.cql_type);
      const bytes = Buffer.from(c.value_hex!, 'hex');
      // decode from the middle of a larger buffer, as the Rows decoder does
      const framed = Buffer.concat([Buffer.from('aabbcc', 'hex'), bytes, Buffer.from('dd', 'hex')]);
      const value = createValueDecoder(type)(framed, 3, bytes.length);
      expect(formatFixtureValue(type, value)).toBe(c.expected);
      expect(encodeValue(type, value, { column: c.column })!.toString('hex')).toBe(c.value_hex);
    });
  }

  it('c_duration is the duration 1 month, 2 days, 11045006007008 ns and prints as Cassandra does', () => {
    const d = decodeValue({ kind: 'duration' }, Buffer.from('0204fc14173b51b5c0', 'hex'), 0, 9);
    expect(d).toEqual(new Duration(1, 2, 11045006007008n));
    expect(String(d)).toBe('1mo2d3h4m5s6ms7us8ns');
  });

  it('the counter decodes to 42 and re-encodes', () => {
    const counter = table.counter as { expected: string; value_hex: string };
    const v = decodeValue({ kind: 'counter' }, Buffer.from(counter.value_hex, 'hex'), 0, 8);
    expect(String(v)).toBe(counter.expected);
    expect(encodeValue({ kind: 'counter' }, v)!.toString('hex')).toBe(counter.value_hex);
  });
});
