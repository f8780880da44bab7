import { describe, expect, it } from 'vitest';
import { lz4CompressBlock, lz4DecompressBlock } from '../../../src/protocol/compression/index.js';
import { ProtocolError } from '../../../src/protocol/errors/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');

/** A raw lz4 block (native_protocol_v5.spec §2.2 payload): 57 bytes that expand to the 114-byte QUERY envelope. */
const BLOCK_10_5 = hex(
  'ff1d0500000307000000690000005f53454c454354202a2046524f4d206b732e74205748455245206b203d2027610100' +
    '2c7027000100000000',
);
const QUERY_10_5 = Buffer.concat([
  hex('05 00 0003 07 00000069'), // v5 request, flags 0, stream 3, QUERY, body 105
  hex('0000005f'), // [long string] length 95
  Buffer.from(`SELECT * FROM ks.t WHERE k = '${'a'.repeat(64)}'`),
  hex('0001'), // consistency ONE
  hex('00000000'), // v5 query flags [int] 0
]);

describe('lz4 raw block', () => {
  it('decompresses the block to the 114-byte envelope', () => {
    expect(BLOCK_10_5.length).toBe(57);
    const out = lz4DecompressBlock(BLOCK_10_5, 114, 131071);
    expect(out.length).toBe(114);
    expect(out.toString('hex')).toBe(QUERY_10_5.toString('hex'));
  });

  it('round-trips compressible, incompressible and empty input', () => {
    const inputs = [
      Buffer.alloc(100_000, 0x61),
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)),
      Buffer.alloc(0),
    ];
    for (const input of inputs) {
      const block = lz4CompressBlock(input);
      expect(lz4DecompressBlock(block, input.length, input.length).equals(input)).toBe(true);
    }
    expect(lz4CompressBlock(Buffer.alloc(100_000, 0x61)).length).toBeLessThan(1000);
  });

  it('emits no size prefix: the empty input is the single token byte 00', () => {
    expect(lz4CompressBlock(Buffer.alloc(0)).toString('hex')).toBe('00');
  });

  it('refuses a declared length above the limit before decompressing (lz4 bomb)', () => {
    expect(() => lz4DecompressBlock(BLOCK_10_5, 114, 113)).toThrow(ProtocolError);
    expect(() => lz4DecompressBlock(hex('00'), 0xffffffff, 131071)).toThrow(
      /declares 4294967295 uncompressed bytes, above the limit of 131071/,
    );
  });

  it('rejects an output shorter or longer than declared', () => {
    expect(() => lz4DecompressBlock(BLOCK_10_5, 115, 131071)).toThrow(/decompressed to 114 bytes but declared 115/);
    expect(() => lz4DecompressBlock(BLOCK_10_5, 113, 131071)).toThrow(ProtocolError);
  });

  it('rejects garbage as a ProtocolError', () => {
    expect(() => lz4DecompressBlock(hex('ffffffff'), 100, 131071)).toThrow(ProtocolError);
    expect(() => lz4DecompressBlock(Buffer.alloc(0), 10, 131071)).toThrow(ProtocolError);
    expect(() => lz4DecompressBlock(hex('1f61ffff'), 50, 131071)).toThrow(ProtocolError);
  });

  it('rejects a negative or fractional declared length', () => {
    expect(() => lz4DecompressBlock(hex('00'), -1, 10)).toThrow(ProtocolError);
    expect(() => lz4DecompressBlock(hex('00'), 1.5, 10)).toThrow(ProtocolError);
  });
});
