import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocol/errors/index.js';
import type { DataType } from '../../../src/protocol/types/index.js';
import { parseMarshalClassName, toMarshalClassName } from '../../../src/protocol/types/index.js';

const P = 'org.apache.cassandra.db.marshal.';

describe('parseMarshalClassName', () => {
  it('maps every simple marshal class, DateType as timestamp', () => {
    const table: [string, string][] = [
      ['AsciiType', 'ascii'],
      ['LongType', 'bigint'],
      ['BytesType', 'blob'],
      ['BooleanType', 'boolean'],
      ['CounterColumnType', 'counter'],
      ['DecimalType', 'decimal'],
      ['DoubleType', 'double'],
      ['FloatType', 'float'],
      ['Int32Type', 'int'],
      ['TimestampType', 'timestamp'],
      ['DateType', 'timestamp'],
      ['UUIDType', 'uuid'],
      ['UTF8Type', 'text'],
      ['IntegerType', 'varint'],
      ['TimeUUIDType', 'timeuuid'],
      ['InetAddressType', 'inet'],
      ['SimpleDateType', 'date'],
      ['TimeType', 'time'],
      ['ShortType', 'smallint'],
      ['ByteType', 'tinyint'],
      ['DurationType', 'duration'],
    ];
    for (const [cls, kind] of table) {
      expect(parseMarshalClassName(P + cls)).toEqual({ kind });
      expect(parseMarshalClassName(cls)).toEqual({ kind });
    }
  });

  it('parses the server vector string and tolerates any whitespace', () => {
    const want: DataType = { kind: 'vector', element: { kind: 'float' }, dimension: 3 };
    expect(parseMarshalClassName(`${P}VectorType(${P}FloatType , 3)`)).toEqual(want);
    expect(parseMarshalClassName(`${P}VectorType( ${P}FloatType,3 )`)).toEqual(want);
    expect(parseMarshalClassName(`  VectorType(FloatType\t,\n3)  `)).toEqual(want);
  });

  it('parses collections, FrozenType and ReversedType', () => {
    expect(parseMarshalClassName(`${P}ReversedType(${P}Int32Type)`)).toEqual({ kind: 'int' });
    expect(
      parseMarshalClassName(`${P}ListType(${P}FrozenType(${P}MapType(${P}UTF8Type,${P}SetType(${P}Int32Type))))`),
    ).toEqual({
      kind: 'list',
      element: { kind: 'map', frozen: true, key: { kind: 'text' }, value: { kind: 'set', element: { kind: 'int' } } },
    });
    expect(parseMarshalClassName(`${P}TupleType(${P}Int32Type,${P}UTF8Type)`)).toEqual({
      kind: 'tuple',
      elements: [{ kind: 'int' }, { kind: 'text' }],
    });
  });

  it('parses UserType with hex-encoded name and field names', () => {
    // 61646472 = "addr", 737472656574 = "street", 7a6970 = "zip", c3a9 = "é"
    expect(
      parseMarshalClassName(
        `${P}FrozenType(${P}UserType(ks,61646472,737472656574:${P}UTF8Type,7a6970c3a9:${P}Int32Type))`,
      ),
    ).toEqual({
      kind: 'udt',
      keyspace: 'ks',
      name: 'addr',
      frozen: true,
      fields: [
        { name: 'street', type: { kind: 'text' } },
        { name: 'zipé', type: { kind: 'int' } },
      ],
    });
  });

  it('keeps unknown classes, with or without parameters, as custom', () => {
    expect(parseMarshalClassName('com.example.Foo')).toEqual({ kind: 'custom', className: 'com.example.Foo' });
    expect(parseMarshalClassName(`${P}CompositeType(${P}Int32Type)`)).toEqual({
      kind: 'custom',
      className: `${P}CompositeType(${P}Int32Type)`,
    });
    expect(parseMarshalClassName(`${P}ListType(com.example.Foo)`)).toEqual({
      kind: 'list',
      element: { kind: 'custom', className: 'com.example.Foo' },
    });
  });

  it('throws ProtocolError on malformed parameters of a known class', () => {
    const bad = [
      `${P}ListType(${P}Int32Type`,
      `${P}ListType(${P}Int32Type))`,
      `${P}ListType()`,
      `${P}MapType(${P}Int32Type)`,
      `${P}VectorType(${P}FloatType , 0)`,
      `${P}VectorType(${P}FloatType , -1)`,
      `${P}VectorType(${P}FloatType , 2147483648)`,
      `${P}UserType(ks,zz)`,
      `${P}UserType(ks,61,6263)`,
      `${P}ListType(${P}Int32Type,,)`,
    ];
    for (const s of bad) expect(() => parseMarshalClassName(s), s).toThrow(ProtocolError);
    expect(() => parseMarshalClassName(`${P}MapType(${P}Int32Type)`)).toThrow(
      new ProtocolError(`Malformed marshal class name "${P}MapType(${P}Int32Type)": MapType takes 2 parameters, got 1`),
    );
  });

  it('refuses absurd nesting with a ProtocolError', () => {
    const s = 'ListType('.repeat(100) + 'Int32Type' + ')'.repeat(100);
    expect(() => parseMarshalClassName(s)).toThrow(
      new ProtocolError('Marshal class name nested deeper than 64 levels'),
    );
  });
});

describe('toMarshalClassName', () => {
  it('prints the server forms', () => {
    expect(toMarshalClassName({ kind: 'vector', element: { kind: 'float' }, dimension: 3 })).toBe(
      `${P}VectorType(${P}FloatType , 3)`,
    );
    expect(toMarshalClassName({ kind: 'duration' })).toBe(`${P}DurationType`);
    expect(toMarshalClassName({ kind: 'timestamp' })).toBe(`${P}TimestampType`);
    expect(toMarshalClassName({ kind: 'map', key: { kind: 'text' }, value: { kind: 'int' }, frozen: true })).toBe(
      `${P}FrozenType(${P}MapType(${P}UTF8Type,${P}Int32Type))`,
    );
    expect(
      toMarshalClassName({
        kind: 'udt',
        keyspace: 'ks',
        name: 'addr',
        fields: [{ name: 'zip', type: { kind: 'int' } }],
      }),
    ).toBe(`${P}UserType(ks,61646472,7a6970:${P}Int32Type)`);
  });

  it('wraps only the outermost frozen type, as the server does (nothing frozen inside a frozen type, tuple or vector)', () => {
    const frozenSet: DataType = { kind: 'set', element: { kind: 'int' }, frozen: true };
    expect(toMarshalClassName({ kind: 'list', element: frozenSet, frozen: true })).toBe(
      `${P}FrozenType(${P}ListType(${P}SetType(${P}Int32Type)))`,
    );
    expect(toMarshalClassName({ kind: 'list', element: frozenSet })).toBe(
      `${P}ListType(${P}FrozenType(${P}SetType(${P}Int32Type)))`,
    );
    expect(toMarshalClassName({ kind: 'tuple', elements: [frozenSet] })).toBe(
      `${P}TupleType(${P}SetType(${P}Int32Type))`,
    );
    expect(toMarshalClassName({ kind: 'vector', element: frozenSet, dimension: 2 })).toBe(
      `${P}VectorType(${P}SetType(${P}Int32Type) , 2)`,
    );
  });

  it('round-trips through parseMarshalClassName', () => {
    const trees: DataType[] = [
      { kind: 'list', element: { kind: 'set', element: { kind: 'uuid' }, frozen: true } },
      { kind: 'tuple', elements: [{ kind: 'varint' }, { kind: 'vector', element: { kind: 'text' }, dimension: 2 }] },
      { kind: 'udt', keyspace: 'ks', name: 'ünï', frozen: true, fields: [{ name: 'a b', type: { kind: 'blob' } }] },
      { kind: 'custom', className: 'com.example.Foo' },
    ];
    for (const t of trees) expect(parseMarshalClassName(toMarshalClassName(t))).toEqual(t);
  });
});
