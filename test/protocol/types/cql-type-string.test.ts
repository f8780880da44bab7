import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/protocol/errors/index.js';
import type { DataType, UdtType } from '../../../src/protocol/types/index.js';
import { parseCqlTypeString, toCqlTypeString } from '../../../src/protocol/types/index.js';

const addr: UdtType = {
  kind: 'udt',
  keyspace: 'ks',
  name: 'addr',
  fields: [
    { name: 'street', type: { kind: 'text' } },
    { name: 'zip', type: { kind: 'int' } },
  ],
};
const Mixed: UdtType = { kind: 'udt', keyspace: 'ks', name: 'MyType', fields: [] };
const resolve = (name: string, keyspace?: string): UdtType | undefined => {
  if (keyspace !== undefined && keyspace !== 'ks') return undefined;
  return name === 'addr' ? addr : name === 'MyType' ? Mixed : undefined;
};

describe('toCqlTypeString', () => {
  it('prints types as system_schema does', () => {
    expect(toCqlTypeString({ kind: 'text' })).toBe('text');
    expect(toCqlTypeString({ kind: 'map', key: { kind: 'text' }, value: { kind: 'int' } })).toBe('map<text, int>');
    expect(toCqlTypeString({ kind: 'list', element: { kind: 'int' }, frozen: true })).toBe('frozen<list<int>>');
    expect(toCqlTypeString({ kind: 'vector', element: { kind: 'float' }, dimension: 3 })).toBe('vector<float, 3>');
    expect(toCqlTypeString({ ...addr, frozen: true })).toBe('frozen<addr>');
    expect(toCqlTypeString(Mixed)).toBe('"MyType"');
    expect(toCqlTypeString({ kind: 'tuple', elements: [{ kind: 'int' }, { kind: 'text' }, { kind: 'boolean' }] })).toBe(
      'frozen<tuple<int, text, boolean>>',
    );
    expect(
      toCqlTypeString({
        kind: 'set',
        element: { kind: 'map', key: { kind: 'uuid' }, value: { kind: 'duration' }, frozen: true },
      }),
    ).toBe('set<frozen<map<uuid, duration>>>');
    expect(toCqlTypeString({ kind: 'custom', className: "com.example.It's" })).toBe("'com.example.It''s'");
  });
});

describe('parseCqlTypeString', () => {
  it('parses simple types, varchar as text, case-insensitively', () => {
    expect(parseCqlTypeString('varchar')).toEqual({ kind: 'text' });
    expect(parseCqlTypeString('  BigInt ')).toEqual({ kind: 'bigint' });
    expect(parseCqlTypeString('duration')).toEqual({ kind: 'duration' });
  });

  it('parses nested collections with any whitespace', () => {
    expect(parseCqlTypeString('map< text ,frozen <list<int>> >')).toEqual({
      kind: 'map',
      key: { kind: 'text' },
      value: { kind: 'list', element: { kind: 'int' }, frozen: true },
    });
    expect(parseCqlTypeString('frozen<tuple<int,text , boolean>>')).toEqual({
      kind: 'tuple',
      elements: [{ kind: 'int' }, { kind: 'text' }, { kind: 'boolean' }],
    });
    expect(parseCqlTypeString('vector<float,3>')).toEqual({ kind: 'vector', element: { kind: 'float' }, dimension: 3 });
  });

  it('resolves UDT names: plain, quoted and keyspace-qualified', () => {
    expect(parseCqlTypeString('frozen<addr>', resolve)).toEqual({ ...addr, frozen: true });
    expect(parseCqlTypeString('ks.addr', resolve)).toEqual(addr);
    expect(parseCqlTypeString('list<frozen<"MyType">>', resolve)).toEqual({
      kind: 'list',
      element: { ...Mixed, frozen: true },
    });
  });

  it('parses a quoted custom class name', () => {
    expect(parseCqlTypeString("'com.example.Foo'")).toEqual({ kind: 'custom', className: 'com.example.Foo' });
    expect(parseCqlTypeString("'org.apache.cassandra.db.marshal.DurationType'")).toEqual({ kind: 'duration' });
  });

  it('round-trips what toCqlTypeString prints', () => {
    const types: DataType[] = [
      { kind: 'map', key: { kind: 'text' }, value: { kind: 'set', element: { kind: 'inet' }, frozen: true } },
      { kind: 'tuple', elements: [{ kind: 'date' }, { ...addr, frozen: true }] },
      { kind: 'vector', element: { kind: 'list', element: { kind: 'int' }, frozen: true }, dimension: 2 },
      Mixed,
    ];
    for (const t of types) expect(parseCqlTypeString(toCqlTypeString(t), resolve)).toEqual(t);
  });

  it('throws ArgumentError naming the text on unknown or malformed types', () => {
    expect(() => parseCqlTypeString('map<text, nosuch>')).toThrow(
      new ArgumentError('Invalid CQL type "map<text, nosuch>": unknown type nosuch'),
    );
    expect(() => parseCqlTypeString('other.addr', resolve)).toThrow(
      new ArgumentError('Invalid CQL type "other.addr": unknown type other.addr'),
    );
    expect(() => parseCqlTypeString('list<int')).toThrow(
      new ArgumentError('Invalid CQL type "list<int": expected ">" at 8, found the end'),
    );
    expect(() => parseCqlTypeString('int>')).toThrow(new ArgumentError('Invalid CQL type "int>": unexpected ">"'));
    expect(() => parseCqlTypeString('vector<float, 0>')).toThrow(
      new ArgumentError(
        'Invalid CQL type "vector<float, 0>": a vector dimension must be an integer in [1, 2147483647]',
      ),
    );
    expect(() => parseCqlTypeString('frozen<int>')).toThrow(
      new ArgumentError(
        'Invalid CQL type "frozen<int>": frozen<int>: only collections, tuples and user types can be frozen',
      ),
    );
    expect(() => parseCqlTypeString('')).toThrow(new ArgumentError('Invalid CQL type "": expected a type at 0'));
    expect(() => parseCqlTypeString('list<'.repeat(100) + 'int' + '>'.repeat(100))).toThrow(ArgumentError);
  });
});
