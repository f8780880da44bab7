import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PrimitiveWriter } from '../../../src/protocol/primitives/index.js';
import type { RowColumn } from '../../../src/protocol/rows/index.js';
import { decodeRowsPage, RowsShape } from '../../../src/protocol/rows/index.js';
import type { UdtType } from '../../../src/protocol/types/index.js';
import {
  BigDecimal,
  Duration,
  encodeValue,
  InetAddress,
  LocalDate,
  LocalTime,
  parseCqlTypeString,
  TimeUuid,
  Uuid,
} from '../../../src/protocol/types/index.js';
import { jsonOf } from '../../../src/protocol/types/value-json.js';

const addr: UdtType = {
  kind: 'udt',
  keyspace: 'ks',
  name: 'addr',
  fields: [
    { name: 'street', type: { kind: 'text' } },
    { name: 'n', type: { kind: 'bigint' } },
  ],
};

/** One column of every CQL type, with the value bound to it and the JSON expected back. */
const EVERY_TYPE: readonly [name: string, type: string, value: unknown, json: unknown][] = [
  ['c_ascii', 'ascii', 'abc', 'abc'],
  ['c_bigint', 'bigint', -9007199254740993n, '-9007199254740993'],
  ['c_blob', 'blob', Buffer.from([0xca, 0xfe]), '0xcafe'],
  ['c_boolean', 'boolean', true, true],
  ['c_counter', 'counter', 42n, '42'],
  ['c_date', 'date', LocalDate.of(2024, 1, 31), '2024-01-31'],
  ['c_decimal', 'decimal', BigDecimal.fromString('-12.340'), '-12.340'],
  ['c_double', 'double', 0.1, 0.1],
  ['c_duration', 'duration', Duration.fromString('1y2mo3d4h5m6s7ms8us9ns'), '1y2mo3d4h5m6s7ms8us9ns'],
  ['c_float', 'float', 1.5, 1.5],
  ['c_inet', 'inet', InetAddress.fromString('::1'), '::1'],
  ['c_int', 'int', -7, -7],
  ['c_smallint', 'smallint', 300, 300],
  ['c_text', 'text', 'zoë "quoted"', 'zoë "quoted"'],
  ['c_time', 'time', LocalTime.of(13, 14, 15, 16), '13:14:15.000000016'],
  ['c_timestamp', 'timestamp', new Date(Date.UTC(2024, 0, 31, 12)), '2024-01-31T12:00:00.000Z'],
  [
    'c_timeuuid',
    'timeuuid',
    TimeUuid.fromString('50554d6e-29bb-11e5-b345-feff819cdc9f'),
    '50554d6e-29bb-11e5-b345-feff819cdc9f',
  ],
  ['c_tinyint', 'tinyint', -8, -8],
  ['c_uuid', 'uuid', Uuid.fromString('1b4e28ba-2fa1-11d2-883f-0016d3cca427'), '1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
  ['c_varint', 'varint', -(10n ** 30n), `-1${'0'.repeat(30)}`],
  ['c_list', 'list<bigint>', [1n, 2n], ['1', '2']],
  ['c_set', 'set<varint>', new Set([3n, 4n]), ['3', '4']],
  ['c_map', 'map<bigint, counter>', new Map([[5n, 6n]]), { '5': '6' }],
  [
    'c_map_uuid',
    'map<uuid, frozen<list<int>>>',
    new Map([[Uuid.fromString('00000000-0000-0000-0000-000000000001'), [1]]]),
    { '00000000-0000-0000-0000-000000000001': [1] },
  ],
  ['c_tuple', 'tuple<int, bigint, blob>', [1, 2n, Buffer.from('A')], [1, '2', '0x41']],
  ['c_udt', 'addr', { street: 'Main', n: 9n }, { street: 'Main', n: '9' }],
  ['c_vector', 'vector<float, 3>', new Float32Array([1, 2.5, -3]), [1, 2.5, -3]],
  ['c_vector_bigint', 'vector<bigint, 2>', [7n, 8n], ['7', '8']],
  ['c_null', 'bigint', null, null],
];

function pageOfEveryType() {
  const columns: RowColumn[] = EVERY_TYPE.map(([name, type]) => ({
    name,
    type: parseCqlTypeString(type, (n) => (n === 'addr' ? addr : undefined)),
  }));
  const w = new PrimitiveWriter();
  EVERY_TYPE.forEach(([, , value], j) => w.bytes(encodeValue(columns[j]!.type, value)));
  const content = w.finishCopy();
  return decodeRowsPage(new RowsShape(columns), content, 0, content.length, 1);
}

describe('JSON.stringify(row)', () => {
  it('writes every CQL type without throwing: bigints, counters and varints as strings, blobs as hex', () => {
    const row = pageOfEveryType().row(0);
    const parsed = JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
    expect(parsed).toEqual(Object.fromEntries(EVERY_TYPE.map(([name, , , json]) => [name, json])));
    expect(Object.keys(parsed)).toEqual(EVERY_TYPE.map(([name]) => name));
  });

  it('is the same text as JSON.stringify of the row inside an array or object', () => {
    const row = pageOfEveryType().row(0);
    expect(JSON.stringify({ rows: [row] })).toBe(`{"rows":[${JSON.stringify(row)}]}`);
  });
});

describe('util.inspect', () => {
  it.each([
    [Uuid.fromString('1B4E28BA-2FA1-11D2-883F-0016D3CCA427'), 'Uuid 1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
    [TimeUuid.fromString('50554d6e-29bb-11e5-b345-feff819cdc9f'), 'TimeUuid 50554d6e-29bb-11e5-b345-feff819cdc9f'],
    [LocalDate.of(2024, 1, 31), 'LocalDate 2024-01-31'],
    [new LocalDate(-2147483648), 'LocalDate -5877641-06-23'],
    [LocalTime.of(1, 2, 3, 4), 'LocalTime 01:02:03.000000004'],
    [Duration.fromString('-3w2h'), 'Duration -21d2h'],
    [new Duration(0, 0, 0n), 'Duration ""'],
    [BigDecimal.fromString('1.50E+3'), 'BigDecimal 1.50E+3'],
    [InetAddress.fromString('10.0.0.1'), 'InetAddress 10.0.0.1'],
    [InetAddress.fromString('2001:db8:0:0:0:0:0:1'), 'InetAddress 2001:db8::1'],
  ])('shows %s as its class name and canonical text', (value, shown) => {
    expect(inspect(value)).toBe(shown);
    expect(inspect({ v: value })).toBe(`{ v: ${shown} }`);
  });

  it('colours the value like a special value when asked for colours', () => {
    expect(inspect(LocalDate.of(2024, 1, 31), { colors: true })).toBe('\u001b[36mLocalDate 2024-01-31\u001b[39m');
  });

  it('shows a row as its columns with the values in their canonical text', () => {
    const row = pageOfEveryType().row(0);
    const shown = inspect(row, { breakLength: Number.POSITIVE_INFINITY });
    expect(shown.startsWith('Row { c_ascii: ')).toBe(true);
    expect(shown).toContain('c_bigint: -9007199254740993n');
    expect(shown).toContain('c_date: LocalDate 2024-01-31');
    expect(shown).toContain('c_uuid: Uuid 1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(shown).toContain('c_timeuuid: TimeUuid 50554d6e-29bb-11e5-b345-feff819cdc9f');
    expect(shown).toContain('c_decimal: BigDecimal -12.340');
    expect(shown).toContain('c_map: Map(1) { 5n => 6n }');
    expect(shown).not.toContain('w0');
    expect(shown).not.toContain('days:');
  });
});

describe('the JSON form of a map decoded in the driver shape (a plain object)', () => {
  it('keeps its entries', () => {
    const json = jsonOf(parseCqlTypeString('map<text, bigint>'));
    expect(json({ a: 1n, b: 2n })).toEqual({ a: '1', b: '2' });
    expect(json(new Map([['a', 1n]]))).toEqual({ a: '1' });
  });
});
