import { describe, expect, it } from 'vitest';
import { crc24, crc32Table, segmentCrc32 } from '../../../src/protocol/segment/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
/** The 3 little-endian bytes a CRC24 is written as. */
const le24 = (v: number): string => Buffer.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff]).toString('hex');

describe('CRC24 of segment headers (native_protocol_v5.spec §2.1, SegmentCodecHeaderTest answers)', () => {
  const vectors: [string, string, string][] = [
    ['#1 uncompressed, len 5, self-contained', '050002', '19999a'],
    ['#2 lz4, C=5, U=12, self-contained', '0500180004', '9e0838'],
    ['#3 lz4, C=5, U=131071, self-contained', '0500feff07', 'ae6cdc'],
    ['#5 len 0, not self-contained', '000000', '77e77d'],
    ['#6 len 0, self-contained', '000002', '6a36c4'],
    ['#7 len 1, self-contained', '010002', '7256ac'],
    ['#8 len 9, self-contained', '090002', 'a4c8c1'],
    ['#9 len 131071, not self-contained', 'ffff01', '3891fe'],
    ['#10 len 131071, self-contained', 'ffff03', '254047'],
    ['#11 len 37858, not self-contained', 'e29300', '9c1ec3'],
  ];
  for (const [name, header, crc] of vectors) {
    it(`${name}: ${header} -> ${crc}`, () => {
      expect(le24(crc24(hex(header)))).toBe(crc);
    });
  }

  it('covers only the given range of a larger buffer', () => {
    expect(le24(crc24(hex('ff 050002 ff'), 1, 3))).toBe('19999a');
  });
});

describe('seeded payload CRC32 (native_protocol_v5.spec §2.1; Cassandra Crc.crc32)', () => {
  const le32 = (v: number): string => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v, 0);
    return b.toString('hex');
  };
  it('#4 payload 01 -> trailer 0B 2B 9B BA', () => {
    expect(le32(segmentCrc32(hex('01')))).toBe('0b2b9bba');
  });
  it('#12 empty payload -> D3 7E 77 44', () => {
    expect(segmentCrc32(Buffer.alloc(0))).toBe(0x44777ed3);
  });
  it('#13 "123456789" -> 0xE2A261A7', () => {
    expect(segmentCrc32(Buffer.from('123456789'))).toBe(0xe2a261a7);
  });
  it('the table fallback gives the standard check value and the same seeded values', () => {
    expect(crc32Table(Buffer.from('123456789'), 0)).toBe(0xcbf43926);
    const seed = crc32Table(hex('fa2d55ca'), 0);
    expect(crc32Table(Buffer.from('123456789'), seed)).toBe(0xe2a261a7);
    expect(crc32Table(Buffer.alloc(0), seed)).toBe(0x44777ed3);
  });
});
