import { describe, expect, it } from 'vitest';
import { ArgumentError, ProtocolError } from '../../../src/protocol/errors/index.js';
import { PrimitiveReader, PrimitiveWriter } from '../../../src/protocol/primitives/index.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';
import type { DataType } from '../../../src/protocol/types/index.js';
import { readTypeOption, writeTypeOption } from '../../../src/protocol/types/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const write = (t: DataType, v: ProtocolVersion): string => {
  const w = new PrimitiveWriter();
  writeTypeOption(w, t, v);
  return w.finish().toString('hex');
};
const read = (bytes: Buffer, v: ProtocolVersion = 5): DataType => {
  const r = new PrimitiveReader(bytes);
  const t = readTypeOption(r, v);
  expect(r.remaining).toBe(0);
  return t;
};
const str = (s: string): string => {
  const b = Buffer.from(s, 'utf8');
  return b.length.toString(16).padStart(4, '0') + b.toString('hex');
};

const VECTOR_CLASS = 'org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType , 3)';
const DURATION_CLASS = 'org.apache.cassandra.db.marshal.DurationType';

describe('readTypeOption', () => {
  it('reads every simple id, with 0x000A and 0x000D both as text', () => {
    const ids: [number, string][] = [
      [0x01, 'ascii'],
      [0x02, 'bigint'],
      [0x03, 'blob'],
      [0x04, 'boolean'],
      [0x05, 'counter'],
      [0x06, 'decimal'],
      [0x07, 'double'],
      [0x08, 'float'],
      [0x09, 'int'],
      [0x0a, 'text'],
      [0x0b, 'timestamp'],
      [0x0c, 'uuid'],
      [0x0d, 'text'],
      [0x0e, 'varint'],
      [0x0f, 'timeuuid'],
      [0x10, 'inet'],
      [0x11, 'date'],
      [0x12, 'time'],
      [0x13, 'smallint'],
      [0x14, 'tinyint'],
      [0x15, 'duration'],
    ];
    for (const [id, kind] of ids) expect(read(Buffer.from([0, id]))).toEqual({ kind });
  });

  it('reads a UDT with its keyspace, name and fields in order', () => {
    const bytes = hex(
      '0030' + // UDT
        str('ks') +
        str('addr') + // keyspace, name
        '0002' + // 2 fields
        str('street') +
        '000d' + // street varchar
        str('zip') +
        '0009', // zip int
    );
    expect(read(bytes)).toEqual({
      kind: 'udt',
      keyspace: 'ks',
      name: 'addr',
      fields: [
        { name: 'street', type: { kind: 'text' } },
        { name: 'zip', type: { kind: 'int' } },
      ],
    });
  });

  it('reads map<text, frozen list<int>> and tuple<int, text, boolean>', () => {
    expect(read(hex('0021 000d 0020 0009'))).toEqual({
      kind: 'map',
      key: { kind: 'text' },
      value: { kind: 'list', element: { kind: 'int' } },
    });
    expect(read(hex('0031 0003 0009 000d 0004'))).toEqual({
      kind: 'tuple',
      elements: [{ kind: 'int' }, { kind: 'text' }, { kind: 'boolean' }],
    });
  });

  it('parses the CUSTOM vector class name the server sends (VectorType.toString)', () => {
    expect(read(hex('0000' + str(VECTOR_CLASS)))).toEqual({ kind: 'vector', element: { kind: 'float' }, dimension: 3 });
  });

  it('reads a v4 CUSTOM DurationType as duration', () => {
    expect(read(hex('0000' + str(DURATION_CLASS)), 4)).toEqual({ kind: 'duration' });
  });

  it('keeps an unknown class as custom with its name', () => {
    expect(read(hex('0000' + str('com.example.MyType')))).toEqual({ kind: 'custom', className: 'com.example.MyType' });
  });

  it('throws ProtocolError on an unknown id, naming it', () => {
    expect(() => read(hex('0016'))).toThrow(new ProtocolError('Unknown [option] type id 0x0016 at offset 0'));
    expect(() => read(hex('0020 00ff'))).toThrow(new ProtocolError('Unknown [option] type id 0x00ff at offset 2'));
  });

  it('throws ProtocolError when truncated', () => {
    expect(() => read(hex('00'))).toThrow(ProtocolError);
    expect(() => read(hex('0021 000d'))).toThrow(ProtocolError);
    expect(() => read(hex('0000 0010 6f7267'))).toThrow(ProtocolError);
  });

  it('refuses a UDT field count larger than the bytes left, before allocating', () => {
    expect(() => read(hex('0030' + str('ks') + str('t') + 'ffff'))).toThrow(
      new ProtocolError('Truncated UDT field list: needs 262140 bytes at offset 11, 0 left'),
    );
    expect(() => read(hex('0031 ffff 0009'))).toThrow(ProtocolError);
  });

  it('refuses nesting deeper than 64 levels instead of overflowing the stack', () => {
    const deep = Buffer.concat([Buffer.from('0020'.repeat(100000), 'hex'), hex('0009')]);
    expect(() => read(deep)).toThrow(new ProtocolError('[option] nested deeper than 64 levels'));
  });

  it('throws ProtocolError on a malformed vector class name', () => {
    expect(() =>
      read(
        hex('0000' + str('org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType , x)')),
      ),
    ).toThrow(ProtocolError);
  });
});

describe('writeTypeOption', () => {
  it('writes text as 0x000D', () => {
    expect(write({ kind: 'text' }, 5)).toBe('000d');
  });

  it('writes duration as 0x0015 under v5 and as CUSTOM DurationType under v4', () => {
    expect(write({ kind: 'duration' }, 5)).toBe('0015');
    expect(write({ kind: 'duration' }, 4)).toBe('0000' + str(DURATION_CLASS));
  });

  it('writes date, time, smallint and tinyint as CUSTOM under v3', () => {
    expect(write({ kind: 'date' }, 3)).toBe('0000' + str('org.apache.cassandra.db.marshal.SimpleDateType'));
    expect(write({ kind: 'time' }, 3)).toBe('0000' + str('org.apache.cassandra.db.marshal.TimeType'));
    expect(write({ kind: 'smallint' }, 3)).toBe('0000' + str('org.apache.cassandra.db.marshal.ShortType'));
    expect(write({ kind: 'tinyint' }, 3)).toBe('0000' + str('org.apache.cassandra.db.marshal.ByteType'));
    expect(write({ kind: 'date' }, 4)).toBe('0011');
  });

  it('writes a vector as CUSTOM with "space comma space" under every version', () => {
    for (const v of [3, 4, 5] as const) {
      expect(write({ kind: 'vector', element: { kind: 'float' }, dimension: 3 }, v)).toBe('0000' + str(VECTOR_CLASS));
    }
  });

  it('writes a duration nested in a list as CUSTOM under v4', () => {
    expect(write({ kind: 'list', element: { kind: 'duration' } }, 4)).toBe('0020' + '0000' + str(DURATION_CLASS));
  });

  it('refuses a tuple of more than 65535 elements', () => {
    const elements = new Array<DataType>(65536).fill({ kind: 'int' });
    expect(() => write({ kind: 'tuple', elements }, 5)).toThrow(
      new ArgumentError('Too many tuple elements for an [option]: 65536 (at most 65535)'),
    );
  });
});

describe('[option] round trips', () => {
  const udt: DataType = {
    kind: 'udt',
    keyspace: 'ks',
    name: 'addr',
    fields: [
      { name: 'street', type: { kind: 'text' } },
      { name: 'zip', type: { kind: 'int' } },
    ],
  };
  const trees: DataType[] = [
    ...(
      [
        'ascii',
        'bigint',
        'blob',
        'boolean',
        'counter',
        'decimal',
        'double',
        'float',
        'int',
        'timestamp',
        'uuid',
        'text',
        'varint',
        'timeuuid',
        'inet',
        'date',
        'time',
        'smallint',
        'tinyint',
        'duration',
      ] as const
    ).map((kind) => ({ kind })),
    { kind: 'list', element: { kind: 'int' } },
    { kind: 'set', element: { kind: 'text' } },
    { kind: 'map', key: { kind: 'text' }, value: { kind: 'list', element: { kind: 'duration' } } },
    { kind: 'tuple', elements: [{ kind: 'int' }, udt, { kind: 'vector', element: { kind: 'text' }, dimension: 2 }] },
    udt,
    { kind: 'udt', keyspace: 'ks', name: 'empty', fields: [] },
    { kind: 'vector', element: { kind: 'float' }, dimension: 3 },
    { kind: 'vector', element: { kind: 'duration' }, dimension: 1 },
    { kind: 'list', element: { kind: 'vector', element: { kind: 'bigint' }, dimension: 4 } },
    { kind: 'custom', className: 'com.example.MyType' },
    {
      kind: 'custom',
      className: 'org.apache.cassandra.db.marshal.CompositeType(org.apache.cassandra.db.marshal.Int32Type)',
    },
  ];
  for (const v of [3, 4, 5] as const) {
    it(`every tree reads back equal under v${v}`, () => {
      for (const t of trees) {
        const w = new PrimitiveWriter();
        writeTypeOption(w, t, v);
        expect(read(w.finishCopy(), v)).toEqual(t);
      }
    });
  }
});
