import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocol/errors/index.js';
import { PrimitiveReader, PrimitiveWriter, UNSET } from '../../../src/protocol/primitives/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const written = (f: (w: PrimitiveWriter) => void): string => {
  const w = new PrimitiveWriter(16);
  f(w);
  return w.finish().toString('hex');
};

describe('unsigned vint (native_protocol_v5.spec §3)', () => {
  const table: [bigint, string][] = [
    [0n, '00'],
    [127n, '7f'],
    [128n, '8080'],
    [255n, '80ff'],
    [256000n, 'c3e800'],
    [2n ** 32n, 'f100000000'],
    [2n ** 56n - 1n, 'feffffffffffffff'],
    [2n ** 56n, 'ff0100000000000000'],
    [2n ** 64n - 1n, 'ffffffffffffffffff'],
  ];
  for (const [value, bytes] of table) {
    it(`${value} <-> ${bytes}`, () => {
      expect(written((w) => w.unsignedVint(value))).toBe(bytes);
      const r = new PrimitiveReader(hex(bytes));
      expect(r.unsignedVintBig()).toBe(value);
      expect(r.remaining).toBe(0);
    });
  }
});

describe('signed vint (zigzag)', () => {
  const table: [bigint, string][] = [
    [0n, '00'],
    [-1n, '01'],
    [1n, '02'],
    [-2n, '03'],
    [2n, '04'],
    [-64n, '7f'],
    [64n, '8080'],
  ];
  for (const [value, bytes] of table) {
    it(`${value} <-> ${bytes}`, () => {
      expect(written((w) => w.vint(value))).toBe(bytes);
      expect(new PrimitiveReader(hex(bytes)).vintBig()).toBe(value);
    });
  }
  it('round-trips the int64 bounds', () => {
    for (const v of [2n ** 63n - 1n, -(2n ** 63n)]) {
      const b = new PrimitiveWriter().vint(v).finishCopy();
      expect(new PrimitiveReader(b).vintBig()).toBe(v);
    }
  });
});

describe('[value], [inet] and lists', () => {
  it('writes null as -1 and not set as -2 (native_protocol_v5.spec §3 [value])', () => {
    expect(written((w) => w.value(null))).toBe('ffffffff');
    expect(written((w) => w.value(UNSET))).toBe('fffffffe');
    expect(new PrimitiveReader(hex('ffffffff')).value()).toBe(null);
    expect(new PrimitiveReader(hex('fffffffe')).value()).toBe(UNSET);
  });
  it('rejects a [value] length below -2', () => {
    expect(() => new PrimitiveReader(hex('fffffffd')).value()).toThrow(ProtocolError);
  });
  it('encodes 127.0.0.1:9042 as an [inet] (native_protocol_v5.spec §3)', () => {
    expect(written((w) => w.inet('127.0.0.1', 9042))).toBe('047f0000010000' + '2352');
    expect(new PrimitiveReader(hex('04 7f000001 00002352')).inet()).toEqual({ address: '127.0.0.1', port: 9042 });
  });
  it('formats IPv6 addresses as node:net does', () => {
    const b = new PrimitiveWriter().inetAddr('2001:db8::1').finishCopy();
    expect(b.toString('hex')).toBe('1020010db8000000000000000000000001');
    expect(new PrimitiveReader(b).inetAddr()).toBe('2001:db8::1');
    expect(new PrimitiveReader(new PrimitiveWriter().inetAddr('::').finishCopy()).inetAddr()).toBe('::');
  });
  it('encodes the REGISTER event list (native_protocol_v5.spec §4.1.8)', () => {
    expect(written((w) => w.stringList(['TOPOLOGY_CHANGE', 'STATUS_CHANGE', 'SCHEMA_CHANGE']))).toBe(
      '0003000f544f504f4c4f47595f4348414e4745000d5354415455535f4348414e4745000d534348454d415f4348414e4745',
    );
  });
  it('round-trips maps and non-ASCII strings', () => {
    const b = new PrimitiveWriter()
      .stringMap(
        new Map([
          ['CQL_VERSION', '3.0.0'],
          ['é', 'ü→'],
        ]),
      )
      .stringMultimap({ COMPRESSION: ['lz4', 'snappy'] })
      .bytesMap(
        new Map([
          ['k', Buffer.from([1, 2])],
          ['n', null],
        ]),
      )
      .longString('日本語')
      .finishCopy();
    const r = new PrimitiveReader(b);
    expect([...r.stringMap()]).toEqual([
      ['CQL_VERSION', '3.0.0'],
      ['é', 'ü→'],
    ]);
    expect([...r.stringMultimap()]).toEqual([['COMPRESSION', ['lz4', 'snappy']]]);
    const bm = r.bytesMap();
    expect(bm.get('k')?.toString('hex')).toBe('0102');
    expect(bm.get('n')).toBe(null);
    expect(r.longString()).toBe('日本語');
    expect(r.remaining).toBe(0);
  });
});

describe('bad bytes', () => {
  it('a [bytes] length past the end is a ProtocolError, not an allocation', () => {
    expect(() => new PrimitiveReader(hex('7fffffff 00')).bytes()).toThrow(ProtocolError);
  });
  it('a [string list] count past the end fails before allocating its array', () => {
    expect(() => new PrimitiveReader(hex('ffff 0001 41')).stringList()).toThrow(/Truncated \[string list\]/);
  });
  it('a vint whose extra bytes are missing is a ProtocolError', () => {
    expect(() => new PrimitiveReader(hex('ff 00 00')).unsignedVintBig()).toThrow(ProtocolError);
  });
  it('an [inetaddr] of size 5 is a ProtocolError', () => {
    expect(() => new PrimitiveReader(hex('05 0102030405')).inetAddr()).toThrow(/Invalid \[inetaddr\] size 5/);
  });
  it('views are not copies', () => {
    const buf = hex('00000002 abcd');
    const v = new PrimitiveReader(buf).bytes()!;
    expect(v.buffer).toBe(buf.buffer);
    expect(v.byteOffset).toBe(buf.byteOffset + 4);
  });
});
