import { describe, expect, it } from 'vitest';
import { type Envelope, Opcode } from '../../../src/protocol/envelope/index.js';
import { ProtocolError } from '../../../src/protocol/errors/index.js';
import {
  decodeSegmentHeader,
  encodeSegment,
  encodeSegments,
  SegmentDecoder,
  type SegmentInfo,
  writeSegmentHeader,
} from '../../../src/protocol/segment/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const ascii = (s: string): string => Buffer.from(s).toString('hex');

// v5 envelopes of a plain (CRC) connection, written out field by field
const AUTH_RESPONSE = hex(
  '05 00 0000 0f 00000018' + // v5 request, stream 0, AUTH_RESPONSE, 24 body bytes
    '00000014' + // [bytes] 20
    '00' +
    ascii('cassandra') +
    '00' +
    ascii('cassandra'), // SASL PLAIN token
);
const QUERY = hex(
  '05 00 0001 07 00000032' + // v5 request, stream 1, QUERY, 50 body bytes
    '00000028' +
    ascii('SELECT release_version FROM system.local') + // [long string]
    '0001' + // consistency ONE
    '00000000', // v5 query flags [int] 0
);
const OPTIONS_2 = hex('05 00 0002 05 00000000'); // v5 request, stream 2, OPTIONS, no body
const ROWS = hex(
  '85 00 0001 08 0000003b' + // v5 response, stream 1, RESULT, 59 body bytes
    '00000002 00000001 00000001' + // kind ROWS, flags GLOBAL_TABLES_SPEC, 1 column
    '0006' +
    ascii('system') +
    '0005' +
    ascii('local') + // table spec
    '000f' +
    ascii('release_version') +
    '000d' + // column, varchar
    '00000001' +
    '00000005' +
    ascii('5.0.2'), // 1 row, one 5-byte cell
);
// a QUERY envelope and its lz4 segment
const LZ4_QUERY = Buffer.concat([
  hex('05 00 0003 07 00000069 0000005f'),
  Buffer.from(`SELECT * FROM ks.t WHERE k = '${'a'.repeat(64)}'`),
  hex('0001 00000000'),
]);
const LZ4_SEGMENT = hex(
  '39 00 e4 00 04' + // C=57, U=114, self-contained
    '88 b6 28' + // CRC24
    'ff1d0500000307000000690000005f53454c454354202a2046524f4d206b732e74205748455245206b203d2027610100' +
    '2c7027000100000000' + // raw lz4 block
    '1d24da27', // CRC32 LE
);

/** Envelope bytes -> Envelope (for the encoder). */
function parse(bytes: Buffer): Envelope {
  return {
    version: bytes[0]! & 0x7f,
    isResponse: (bytes[0]! & 0x80) !== 0,
    flags: bytes[1]!,
    stream: bytes.readInt16BE(2),
    opcode: bytes[4]! as Opcode,
    body: bytes.subarray(9),
  };
}
/** Envelope -> its bytes (to compare decoder output). */
function bytesOf(e: Envelope): string {
  const h = Buffer.alloc(9);
  h[0] = e.version | (e.isResponse ? 0x80 : 0);
  h[1] = e.flags;
  h.writeInt16BE(e.stream, 2);
  h[4] = e.opcode;
  h.writeUInt32BE(e.body.length, 5);
  return h.toString('hex') + e.body.toString('hex');
}
function decodeAll(bytes: Buffer, compression: 'lz4' | 'none', infos: SegmentInfo[] = []): Envelope[] {
  const d = new SegmentDecoder({ compression, onSegment: (s) => infos.push(s) });
  d.push(bytes);
  const out: Envelope[] = [];
  for (let e = d.next(); e; e = d.next()) out.push(e);
  expect(d.pendingBytes).toBe(0);
  return out;
}

describe('CRC segments (native_protocol_v5.spec §2.1)', () => {
  it('AUTH_RESPONSE in one self-contained segment', () => {
    const wire = '210002 21628d' + AUTH_RESPONSE.toString('hex') + 'd55abb06';
    expect(encodeSegments([parse(AUTH_RESPONSE)], { compression: 'none' }).toString('hex')).toBe(
      wire.replace(/ /g, ''),
    );
    expect(decodeAll(hex(wire), 'none').map(bytesOf)).toEqual([AUTH_RESPONSE.toString('hex')]);
  });

  it('QUERY: header 3B 00 02 6B 01 EB, trailer 66 0D 89 EF', () => {
    const wire = encodeSegments([parse(QUERY)], { compression: 'none' });
    expect(wire.toString('hex')).toBe('3b00026b01eb' + QUERY.toString('hex') + '660d89ef');
  });

  it('QUERY + OPTIONS packed in one 68-byte self-contained payload', () => {
    const wire = encodeSegments([parse(QUERY), parse(OPTIONS_2)], { compression: 'none' });
    expect(wire.length).toBe(78);
    expect(wire.toString('hex')).toBe('440002a791b0' + QUERY.toString('hex') + OPTIONS_2.toString('hex') + '13945667');
    const infos: SegmentInfo[] = [];
    expect(decodeAll(wire, 'none', infos).map(bytesOf)).toEqual([QUERY.toString('hex'), OPTIONS_2.toString('hex')]);
    expect(infos).toEqual([
      { offset: 0, headerLength: 3, payloadLength: 68, uncompressedLength: 0, selfContained: true },
    ]);
  });

  it('READY, RESULT Void and RESULT Rows on stream 1', () => {
    const ready = '090002a4c8c1 850000010200000000 ea890152';
    const voidResult = '0d0002cf07f7 85000001080000000400000001 1e43b5fd';
    const rows = '440002a791b0' + ROWS.toString('hex') + '4105e4dc';
    for (const wire of [ready, voidResult, rows]) {
      const bytes = hex(wire);
      const [env] = decodeAll(bytes, 'none');
      expect(encodeSegments([env!], { compression: 'none' }).toString('hex')).toBe(bytes.toString('hex'));
    }
  });
});

describe('lz4 segments (native_protocol_v5.spec §2.2)', () => {
  it('decodes the given compressed segment to the 114-byte QUERY', () => {
    const infos: SegmentInfo[] = [];
    expect(decodeAll(LZ4_SEGMENT, 'lz4', infos).map(bytesOf)).toEqual([LZ4_QUERY.toString('hex')]);
    expect(infos).toEqual([
      { offset: 0, headerLength: 5, payloadLength: 57, uncompressedLength: 114, selfContained: true },
    ]);
  });

  it('the compressed bytes wait in a scratch of the decoder that is wiped after each segment', () => {
    const d = new SegmentDecoder({ compression: 'lz4' });
    // the segment split in three chunks: the payload is gathered from all of them
    d.push(LZ4_SEGMENT.subarray(0, 7));
    d.push(LZ4_SEGMENT.subarray(7, 30));
    d.push(LZ4_SEGMENT.subarray(30));
    expect(bytesOf(d.next()!)).toBe(LZ4_QUERY.toString('hex'));
    const scratch = (d as unknown as { compressedScratch: Buffer | undefined }).compressedScratch;
    expect(scratch).toBeDefined();
    expect(scratch!.length).toBeGreaterThanOrEqual(4 + 57);
    expect(scratch!.every((b) => b === 0)).toBe(true);
  });

  it('encodes it into a compressed segment that decodes back', () => {
    const wire = encodeSegments([parse(LZ4_QUERY)], { compression: 'lz4' });
    const h = decodeSegmentHeader(wire, 0, 'lz4');
    expect(h.uncompressedLength).toBe(114);
    expect(h.payloadLength).toBeLessThan(114);
    expect(h.selfContained).toBe(true);
    expect(decodeAll(wire, 'lz4').map(bytesOf)).toEqual([LZ4_QUERY.toString('hex')]);
  });

  it('stores the incompressible AUTH_RESPONSE raw with U = 0', () => {
    const wire = '2100000004 16d2cf' + AUTH_RESPONSE.toString('hex') + 'd55abb06';
    expect(encodeSegments([parse(AUTH_RESPONSE)], { compression: 'lz4' }).toString('hex')).toBe(wire.replace(/ /g, ''));
    expect(decodeAll(hex(wire), 'lz4').map(bytesOf)).toEqual([AUTH_RESPONSE.toString('hex')]);
  });

  it('writes the 40-bit header without 32-bit overflow (C=5, U=131071)', () => {
    const out = Buffer.alloc(8);
    writeSegmentHeader(out, 0, 'lz4', 5, 131071, true);
    expect(out.toString('hex')).toBe('0500feff07' + 'ae6cdc');
    expect(decodeSegmentHeader(out, 0, 'lz4')).toEqual({
      payloadLength: 5,
      uncompressedLength: 131071,
      selfContained: true,
      headerLength: 5,
    });
    writeSegmentHeader(out, 0, 'lz4', 131071, 131071, false);
    expect(decodeSegmentHeader(out, 0, 'lz4')).toEqual({
      payloadLength: 131071,
      uncompressedLength: 131071,
      selfContained: false,
      headerLength: 5,
    });
  });
});

describe('large envelope split (native_protocol_v5.spec §1)', () => {
  const big: Envelope = {
    version: 5,
    isResponse: false,
    flags: 0,
    stream: 7,
    opcode: Opcode.QUERY,
    body: Buffer.from(Array.from({ length: 300_000 - 9 }, (_, i) => (i * 31 + (i >> 8)) & 0xff)),
  };

  it('300,000 bytes -> slices of 131071, 131071 and 37858 with their headers', () => {
    const wire = encodeSegments([big], { compression: 'none' });
    expect(wire.length).toBe(300_000 + 3 * 10);
    expect(wire.subarray(0, 6).toString('hex')).toBe('ffff013891fe');
    // the first slice starts with the envelope header: v5 request, stream 7, QUERY, body 299991
    expect(wire.subarray(6, 15).toString('hex')).toBe('05' + '00' + '0007' + '07' + '000493d7');
    expect(wire.subarray(131081, 131087).toString('hex')).toBe('ffff013891fe');
    expect(wire.subarray(262162, 262168).toString('hex')).toBe('e293009c1ec3');
    const infos: SegmentInfo[] = [];
    const [env] = decodeAll(wire, 'none', infos);
    expect(infos.map((s) => `${s.payloadLength}/${s.selfContained}`)).toEqual([
      '131071/false',
      '131071/false',
      '37858/false',
    ]);
    expect(env!.stream).toBe(7);
    expect(env!.body.equals(big.body)).toBe(true);
  });

  it('splits with lz4 too, each slice compressed on its own', () => {
    const zeros: Envelope = { ...big, body: Buffer.alloc(300_000 - 9) };
    const infos: SegmentInfo[] = [];
    const [env] = decodeAll(encodeSegments([zeros], { compression: 'lz4' }), 'lz4', infos);
    expect(infos.map((s) => `${s.uncompressedLength}/${s.selfContained}`)).toEqual([
      '131071/false',
      '131071/false',
      '37858/false',
    ]);
    expect(env!.body.equals(zeros.body)).toBe(true);
  });

  it('tolerates a self-contained segment between the slices of a split envelope', () => {
    const wire = encodeSegments([big], { compression: 'none' });
    const ready = hex('090002a4c8c1 850000010200000000 ea890152');
    const interleaved = Buffer.concat([wire.subarray(0, 131081), ready, wire.subarray(131081)]);
    const envs = decodeAll(interleaved, 'none');
    expect(envs.map((e) => `${opcodeOf(e)}:${e.stream}`)).toEqual(['READY:1', 'QUERY:7']);
    expect(envs[1]!.body.equals(big.body)).toBe(true);
  });

  it('reuseGatherBuffer: the next split envelope is gathered into the same memory; without it each gets its own', () => {
    const other: Envelope = { ...big, stream: 8, body: Buffer.alloc(200_000, 0x5a) };
    const wire = encodeSegments([big, other], { compression: 'none' });
    for (const reuse of [true, false]) {
      const decoder = new SegmentDecoder({ compression: 'none', reuseGatherBuffer: reuse });
      decoder.push(wire);
      const first = decoder.next()!;
      expect(first.body.equals(big.body)).toBe(true);
      const firstMemory = first.body.buffer;
      const second = decoder.next()!;
      expect(second.stream).toBe(8);
      expect(second.body.equals(other.body)).toBe(true);
      expect(second.body.buffer === firstMemory).toBe(reuse);
    }
  });

  it('packs small envelopes together and flushes before one that would overflow', () => {
    const small = (stream: number, n: number): Envelope => ({
      version: 5,
      isResponse: true,
      flags: 0,
      stream,
      opcode: Opcode.RESULT,
      body: Buffer.alloc(n, stream),
    });
    const envs = [small(1, 60_000), small(2, 60_000), small(3, 60_000), small(4, 10)];
    const infos: SegmentInfo[] = [];
    const out = decodeAll(encodeSegments(envs, { compression: 'none' }), 'none', infos);
    expect(infos.map((s) => s.payloadLength)).toEqual([120_018, 60_009 + 19]);
    expect(out.map((e) => `${e.stream}:${e.body.length}`)).toEqual(['1:60000', '2:60000', '3:60000', '4:10']);
  });
});

function opcodeOf(e: Envelope): string {
  return Object.entries(Opcode).find(([, c]) => c === e.opcode)![0];
}

describe('segment decoder rejects bad bytes with ProtocolError', () => {
  const ready = () => hex('090002a4c8c1 850000010200000000 ea890152');
  const fails = (
    bytes: Buffer,
    compression: 'lz4' | 'none',
    message: RegExp,
    options: { maxSegmentPayload?: number; maxEnvelopeSize?: number } = {},
  ) => {
    const d = new SegmentDecoder({ compression, ...options });
    d.push(bytes);
    let error: unknown;
    try {
      while (d.next());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(message);
    // and it stays failed
    expect(() => d.push(ready())).toThrow(ProtocolError);
    expect(() => d.next()).toThrow(ProtocolError);
  };

  it('a wrong header CRC24', () => {
    const b = ready();
    b[3]! ^= 1;
    fails(b, 'none', /header CRC24 mismatch/);
    const c = ready();
    c[0] = 0x0a; // the length changed, the CRC did not
    fails(c, 'none', /header CRC24 mismatch/);
  });

  it('a wrong payload CRC32', () => {
    const b = ready();
    b[10]! ^= 0xff;
    fails(b, 'none', /payload CRC32 mismatch/);
  });

  it('a payload length above the configured limit, before waiting for it', () => {
    const header = Buffer.alloc(6);
    writeSegmentHeader(header, 0, 'none', 131071, 0, true);
    fails(header, 'none', /declares 131071 payload bytes.*above the limit of 1000/, { maxSegmentPayload: 1000 });
  });

  it('an lz4 bomb: U above the payload limit', () => {
    const block = hex('00');
    const seg = encodeSegment(block, true, 'none').subarray(6); // payload + CRC32 of the 1-byte block
    const header = Buffer.alloc(8);
    writeSegmentHeader(header, 0, 'lz4', 1, 131071, true);
    fails(Buffer.concat([header, seg]), 'lz4', /above the limit of 1000/, { maxSegmentPayload: 1000 });
  });

  it('lz4 garbage with a correct CRC32', () => {
    const garbage = hex('ff ff ff ff ff');
    const body = encodeSegment(garbage, true, 'none').subarray(6);
    const header = Buffer.alloc(8);
    writeSegmentHeader(header, 0, 'lz4', 5, 100, true);
    fails(Buffer.concat([header, body]), 'lz4', /lz4/);
  });

  it('an envelope crossing the end of a self-contained segment', () => {
    fails(
      encodeSegment(hex('85 00 0001 02 00000005 0000'), true, 'none'),
      'none',
      /declares 5 body bytes but its self-contained segment holds only 2/,
    );
    fails(encodeSegment(hex('85 00 0001'), true, 'none'), 'none', /ends with 4 bytes/);
  });

  it('an unknown opcode inside a segment', () => {
    fails(encodeSegment(hex('85 00 0001 04 00000000'), true, 'none'), 'none', /Unknown opcode UNKNOWN\(0x04\)/);
  });

  it('a non-self-contained slice longer than its envelope', () => {
    fails(
      encodeSegment(hex('85 00 0001 08 00000001 0102'), false, 'none'),
      'none',
      /Slice of 11 bytes is longer than its 10-byte envelope/,
    );
  });

  it('slices that overrun the envelope they started', () => {
    const first = encodeSegment(hex('85 00 0001 08 00000004 0102'), false, 'none');
    const second = encodeSegment(hex('030405'), false, 'none');
    fails(Buffer.concat([first, second]), 'none', /overruns its envelope/);
  });

  it('a first slice shorter than an envelope header', () => {
    fails(encodeSegment(hex('85 00'), false, 'none'), 'none', /less than the envelope header/);
  });

  it('a split envelope above maxEnvelopeSize, before gathering it', () => {
    fails(encodeSegment(hex('85 00 0001 08 00100000 00'), false, 'none'), 'none', /above the limit of 4096/, {
      maxEnvelopeSize: 4096,
    });
  });

  it('waits (returns undefined) on a truncated segment instead of failing', () => {
    const b = ready();
    const d = new SegmentDecoder({ compression: 'none' });
    d.push(b.subarray(0, b.length - 1));
    expect(d.next()).toBeUndefined();
    expect(d.pendingBytes).toBe(b.length - 1);
    d.push(b.subarray(b.length - 1));
    expect(d.next()!.opcode).toBe(Opcode.READY);
  });
});
