import { describe, expect, it } from 'vitest';
import { type Envelope, EnvelopeFlag, Opcode } from '../../../src/protocol/envelope/index.js';
import { ArgumentError, ProtocolError } from '../../../src/protocol/errors/index.js';
import { FrameDecoder, FrameEncoder } from '../../../src/protocol/framing/index.js';
import { encodeSegment } from '../../../src/protocol/segment/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');

const request = (stream: number, opcode: Opcode, body: Buffer, version = 5): Envelope => ({
  version,
  isResponse: false,
  flags: 0,
  stream,
  opcode,
  body,
});
const response = (stream: number, opcode: Opcode, body: Buffer, version = 5, flags = 0): Envelope => ({
  version,
  isResponse: true,
  flags,
  stream,
  opcode,
  body,
});

/** Pseudo-random bytes that lz4 cannot shrink. */
function noise(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

function drain(d: FrameDecoder): Envelope[] {
  const out: Envelope[] = [];
  for (let e = d.next(); e; e = d.next()) out.push(e);
  return out;
}

const summary = (e: Envelope): string =>
  `${e.version}/${e.isResponse}/${e.flags}/${e.stream}/${e.opcode}/${e.body.length}`;

describe('FrameEncoder -> FrameDecoder round trips', () => {
  const many = (): Envelope[] => [
    ...Array.from({ length: 200 }, (_, i) => response(i, Opcode.RESULT, Buffer.alloc(i * 13, i))),
    response(-1, Opcode.EVENT, Buffer.from('event')),
    response(500, Opcode.RESULT, noise(400_000, 7)), // incompressible, split
    response(501, Opcode.RESULT, Buffer.alloc(300_000, 0x78)), // compressible, split
    response(502, Opcode.READY, Buffer.alloc(0)),
  ];

  for (const compression of ['none', 'lz4'] as const) {
    it(`v5 segments (${compression}): many, empty and large envelopes, fed in odd-sized chunks`, () => {
      const envelopes = many();
      const encoder = new FrameEncoder();
      encoder.switchToSegments({ compression });
      const wire = encoder.encode(envelopes);
      const decoder = new FrameDecoder({ expectResponses: true });
      decoder.switchToSegments({ compression });
      const out: Envelope[] = [];
      for (let at = 0, step = 1; at < wire.length; at += step, step = (step * 7 + 3) % 70_001) {
        decoder.push(wire.subarray(at, at + step));
        out.push(...drain(decoder));
      }
      expect(out.map(summary)).toEqual(envelopes.map(summary));
      out.forEach((e, i) => expect(e.body.equals(envelopes[i]!.body), `envelope ${i}`).toBe(true));
      expect(decoder.pendingBytes).toBe(0);
      expect(decoder.consumedBytes).toBe(wire.length);
    });
  }

  // transientChunks: the caller reads into one reused buffer (net's onread); after each cycle the
  // buffer is scribbled over, so any view the decoder kept into it would corrupt a body.
  for (const [framing, compression] of [
    ['segments', 'none'],
    ['segments', 'lz4'],
    ['unframed', 'none'],
    ['unframed', 'lz4'],
  ] as const) {
    it(`transientChunks (${framing}, ${compression}): envelopes survive the reuse of the read buffer`, () => {
      const envelopes = framing === 'segments' ? many() : many().map((e) => ({ ...e, version: 4 }));
      const encoder = new FrameEncoder();
      const decoder = new FrameDecoder({ expectResponses: true, transientChunks: true });
      if (framing === 'segments') {
        encoder.switchToSegments({ compression });
        decoder.switchToSegments({ compression });
      } else {
        encoder.setCompression(compression);
        decoder.setCompression(compression);
      }
      const wire = encoder.encode(envelopes);
      const readBuffer = Buffer.alloc(70_001);
      const out: Envelope[] = [];
      for (let at = 0, step = 1; at < wire.length; at += step, step = (step * 7 + 3) % 70_001) {
        const n = wire.copy(readBuffer, 0, at, at + step);
        decoder.push(readBuffer.subarray(0, n));
        out.push(...drain(decoder));
        decoder.retainUnconsumed();
        readBuffer.fill(0xee);
      }
      // v4 lz4 keeps the wire's COMPRESSED flag on decoded envelopes
      const plain = (e: Envelope): string => summary({ ...e, flags: e.flags & ~EnvelopeFlag.COMPRESSED });
      expect(out.map(plain)).toEqual(envelopes.map(plain));
      out.forEach((e, i) => expect(e.body.equals(envelopes[i]!.body), `envelope ${i}`).toBe(true));
      expect(decoder.pendingBytes).toBe(0);
    });
  }

  it('lz4 segments store an incompressible payload raw (U = 0) and a compressible one compressed', () => {
    const encoder = new FrameEncoder();
    encoder.switchToSegments({ compression: 'lz4' });
    const seen: number[] = [];
    const decoder = new FrameDecoder({ expectResponses: true, onSegment: (s) => seen.push(s.uncompressedLength) });
    decoder.switchToSegments({ compression: 'lz4' });
    decoder.push(encoder.encode([response(1, Opcode.RESULT, noise(1000, 3))]));
    decoder.push(encoder.encode([response(2, Opcode.RESULT, Buffer.alloc(1000, 1))]));
    expect(drain(decoder).map((e) => e.stream)).toEqual([1, 2]);
    expect(seen).toEqual([0, 1009]);
  });

  it('unframed v4 with lz4: bodies compressed (flag 0x01) except STARTUP/OPTIONS, decompressed on the way in', () => {
    const encoder = new FrameEncoder();
    encoder.setCompression('lz4');
    const envelopes = [
      request(0, Opcode.OPTIONS, Buffer.alloc(0), 4),
      request(1, Opcode.STARTUP, hex('0000'), 4),
      request(2, Opcode.QUERY, Buffer.alloc(5000, 0x61), 4),
      request(3, Opcode.QUERY, noise(3000, 9), 4),
    ];
    const wire = encoder.encode(envelopes);
    const decoder = new FrameDecoder({ expectResponses: false });
    decoder.setCompression('lz4');
    decoder.push(wire);
    const out = drain(decoder);
    // decoded flags are the wire flags: 0x01 tells the body arrived compressed
    expect(out.map((e) => e.flags)).toEqual([0, 0, EnvelopeFlag.COMPRESSED, EnvelopeFlag.COMPRESSED]);
    out.forEach((e, i) => expect(e.body.equals(envelopes[i]!.body)).toBe(true));
    expect(wire.length).toBeLessThan(9 * 4 + 2 + 5000 + 3000);
  });

  it('without setCompression a v4 body flagged 0x01 is handed over as it came', () => {
    const encoder = new FrameEncoder();
    encoder.setCompression('lz4');
    const wire = encoder.encode([request(2, Opcode.QUERY, Buffer.alloc(100, 0x61), 4)]);
    const decoder = new FrameDecoder({ expectResponses: false });
    decoder.push(wire);
    expect(drain(decoder)[0]!.body.equals(wire.subarray(9))).toBe(true);
  });
});

describe('FrameDecoder behaviour', () => {
  it('keeps the bytes received after the switch point and decodes them as segments', () => {
    const ready = hex('85 00 0000 02 00000000');
    const framed = new FrameEncoder();
    framed.switchToSegments({ compression: 'none' });
    const after = framed.encode([response(1, Opcode.RESULT, hex('00000001'))]);
    const decoder = new FrameDecoder({ expectResponses: true });
    decoder.push(Buffer.concat([ready, after.subarray(0, 7)]));
    const first = decoder.next()!;
    expect(first.opcode).toBe(Opcode.READY);
    expect(decoder.phase).toBe('unframed');
    decoder.switchToSegments({ compression: 'none' });
    expect(decoder.phase).toBe('segments');
    expect(decoder.next()).toBeUndefined();
    decoder.push(after.subarray(7));
    expect(summary(decoder.next()!)).toBe('5/true/0/1/8/4');
    expect(decoder.next()).toBeUndefined();
  });

  it('returns views into the chunk when an envelope lies within it, a copy when it spans chunks', () => {
    // Buffer.alloc is never pooled, so `.buffer` identifies this memory alone.
    const wire = Buffer.alloc(26);
    hex('85 00 0001 08 00000004 00000001 85 00 0002 08 00000004 00000001').copy(wire);
    const decoder = new FrameDecoder({ expectResponses: true });
    decoder.push(wire.subarray(0, 24)); // the second body spans bytes 22..26
    decoder.push(wire.subarray(24));
    const a = decoder.next()!;
    const b = decoder.next()!;
    expect(a.body.buffer).toBe(wire.buffer);
    expect(a.body.byteOffset).toBe(wire.byteOffset + 9);
    expect(b.body.buffer).not.toBe(wire.buffer);
    expect(b.body.toString('hex')).toBe('00000001');
  });

  it('segment bodies inside one chunk are views too', () => {
    const encoder = new FrameEncoder();
    encoder.switchToSegments({ compression: 'none' });
    const wire = encoder.encode([
      response(1, Opcode.RESULT, hex('00000001')),
      response(2, Opcode.RESULT, hex('00000001')),
    ]);
    const decoder = new FrameDecoder({ expectResponses: true });
    decoder.switchToSegments({ compression: 'none' });
    decoder.push(wire);
    const [a, b] = drain(decoder);
    expect(a!.body.buffer).toBe(wire.buffer);
    expect(b!.body.byteOffset).toBe(wire.byteOffset + 6 + 13 + 9);
  });

  it('accepts the v1/v2 header in the first envelope only (a version error)', () => {
    // 82 v2 response | 00 flags | 00 stream | 00 ERROR | 00000006 length | 0000000a 0000 body
    const legacy = hex('82 00 00 00 00000006 0000000a 0000');
    const decoder = new FrameDecoder({ expectResponses: true });
    decoder.push(legacy);
    expect(summary(decoder.next()!)).toBe('2/true/0/0/0/6');
    decoder.push(legacy);
    expect(() => decoder.next()).toThrow(/Invalid protocol version 2/);
  });

  it('waits on a truncated envelope, and reports what is pending', () => {
    const decoder = new FrameDecoder({ expectResponses: true });
    decoder.push(hex('85 00 0001 08 0000'));
    expect(decoder.next()).toBeUndefined();
    decoder.push(hex('0004 0000'));
    expect(decoder.next()).toBeUndefined();
    expect(decoder.pendingBytes).toBe(11);
    decoder.push(hex('0001'));
    expect(decoder.next()!.body.toString('hex')).toBe('00000001');
    expect(decoder.pendingBytes).toBe(0);
  });

  it('rejects bad options and a second switch with ArgumentError', () => {
    expect(() => new FrameDecoder({ expectResponses: true, maxSegmentPayload: 131072 })).toThrow(ArgumentError);
    expect(() => new FrameDecoder({ expectResponses: true, maxEnvelopeSize: 4 })).toThrow(ArgumentError);
    const d = new FrameDecoder({ expectResponses: true });
    d.switchToSegments({ compression: 'none' });
    expect(() => d.switchToSegments({ compression: 'none' })).toThrow(/called twice/);
    expect(() => d.setCompression('snappy' as 'lz4')).toThrow(/Unknown compression snappy/);
  });
});

describe('FrameDecoder rejects bad bytes with ProtocolError, then refuses further input', () => {
  const failsWith = (decoder: FrameDecoder, bytes: Buffer, message: RegExp): void => {
    decoder.push(bytes);
    expect(() => drain(decoder)).toThrow(message);
    let error: unknown;
    try {
      decoder.next();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect(() => decoder.push(hex('850000000200000000'))).toThrow(ProtocolError);
  };

  it('an unknown opcode', () => {
    failsWith(
      new FrameDecoder({ expectResponses: true }),
      hex('85 00 0000 11 00000000'),
      /Unknown opcode UNKNOWN\(0x11\)/,
    );
  });

  it('a request where a response was expected', () => {
    failsWith(new FrameDecoder({ expectResponses: true }), hex('05 00 0000 05 00000000'), /direction bit says request/);
  });

  it('a declared body above maxEnvelopeSize, as soon as the header is in (nothing is allocated for it)', () => {
    const decoder = new FrameDecoder({ expectResponses: true, maxEnvelopeSize: 1024 });
    failsWith(decoder, hex('85 00 0001 08 7fffffff'), /declares a 2147483647-byte body, above the limit of 1024/);
    failsWith(
      new FrameDecoder({ expectResponses: true }),
      hex('85 00 0001 08 ffffffff'),
      /above the limit of 268435456/,
    );
  });

  it('a v4 compressed body whose declared length does not match, or whose block is garbage', () => {
    const encoder = new FrameEncoder();
    encoder.setCompression('lz4');
    const wire = encoder.encode([response(1, Opcode.RESULT, Buffer.alloc(200, 0x62), 4)]);
    wire.writeUInt32BE(201, 9); // the uncompressed length prefix lies
    const d1 = new FrameDecoder({ expectResponses: true });
    d1.setCompression('lz4');
    failsWith(d1, wire, /decompressed to 200 bytes but declared 201/);
    const d2 = new FrameDecoder({ expectResponses: true });
    d2.setCompression('lz4');
    failsWith(d2, hex('84 01 0001 08 00000008 00000064 ffffffff'), /lz4/);
  });

  it('a v4 lz4 bomb: declared uncompressed length above the limit', () => {
    const d = new FrameDecoder({ expectResponses: true, maxEnvelopeSize: 1 << 20 });
    d.setCompression('lz4');
    failsWith(
      d,
      hex('84 01 0001 08 00000005 7fffffff 00'),
      /declares 2147483647 uncompressed bytes, above the limit of 1048567/,
    );
  });

  it('segments: wrong header CRC, wrong payload CRC, slice longer than its envelope', () => {
    const seg = encodeSegment(hex('85 00 0001 02 00000000'), true, 'none');
    const badHeader = Buffer.from(seg);
    badHeader[4]! ^= 0x10;
    const badPayload = Buffer.from(seg);
    badPayload[seg.length - 1]! ^= 0x01;
    const longSlice = encodeSegment(hex('85 00 0001 08 00000002 010203'), false, 'none');
    for (const [bytes, message] of [
      [badHeader, /header CRC24 mismatch/],
      [badPayload, /payload CRC32 mismatch/],
      [longSlice, /longer than its 11-byte envelope/],
    ] as const) {
      const d = new FrameDecoder({ expectResponses: true });
      d.switchToSegments({ compression: 'none' });
      failsWith(d, bytes, message);
    }
  });
});
