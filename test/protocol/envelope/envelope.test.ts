import { describe, expect, it } from 'vitest';
import {
  decodeEnvelopeHeader,
  decompressEnvelopeBody,
  type Envelope,
  EnvelopeFlag,
  encodeEnvelope,
  encodeEnvelopes,
  isOpcode,
  Opcode,
  opcodeName,
  writeEnvelopeHeader,
} from '../../../src/protocol/envelope/index.js';
import { ArgumentError, ProtocolError } from '../../../src/protocol/errors/index.js';
import { FrameDecoder } from '../../../src/protocol/framing/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const limits = { allowLegacy: false, maxEnvelopeSize: 256 * 1024 * 1024 };

/** STARTUP body {CQL_VERSION: "3.0.0"} (native_protocol_v5.spec §4.1.1). */
const STARTUP_BODY = hex(
  '0001' + // [string map] 1 entry
    '000b' +
    Buffer.from('CQL_VERSION').toString('hex') +
    '0005' +
    Buffer.from('3.0.0').toString('hex'),
);

describe('opcodes (native_protocol_v5.spec §2.4.1.4)', () => {
  it('has the 16 spec opcodes with their spec names', () => {
    expect(
      Object.entries(Opcode)
        .map(([n, c]) => `${c}:${n}`)
        .join(' '),
    ).toBe(
      '0:ERROR 1:STARTUP 2:READY 3:AUTHENTICATE 5:OPTIONS 6:SUPPORTED 7:QUERY 8:RESULT 9:PREPARE ' +
        '10:EXECUTE 11:REGISTER 12:EVENT 13:BATCH 14:AUTH_CHALLENGE 15:AUTH_RESPONSE 16:AUTH_SUCCESS',
    );
    expect(opcodeName(0x0a)).toBe('EXECUTE');
  });
  it('0x04 (v1 CREDENTIALS) and 0x11 are unknown', () => {
    expect(isOpcode(0x04)).toBe(false);
    expect(isOpcode(0x11)).toBe(false);
    expect(opcodeName(0x04)).toBe('UNKNOWN(0x04)');
    expect(opcodeName(0xff)).toBe('UNKNOWN(0xff)');
  });
});

describe('envelope header codec (native_protocol_v5.spec §2.4)', () => {
  it('encodes the unframed handshake envelopes byte for byte', () => {
    const env = (version: number, isResponse: boolean, opcode: Opcode, body: Buffer = Buffer.alloc(0)): Envelope => ({
      version,
      isResponse,
      flags: 0,
      stream: 0,
      opcode,
      body,
    });
    const none = { compression: 'none' as const };
    expect(encodeEnvelope(env(5, false, Opcode.OPTIONS), none).toString('hex')).toBe('050000000500000000');
    expect(encodeEnvelope(env(5, false, Opcode.STARTUP, STARTUP_BODY), none).toString('hex')).toBe(
      '0500000001' + '00000016' + STARTUP_BODY.toString('hex'),
    );
    expect(encodeEnvelope(env(4, false, Opcode.STARTUP, STARTUP_BODY), none).toString('hex')).toBe(
      '0400000001' + '00000016' + STARTUP_BODY.toString('hex'),
    );
    expect(encodeEnvelope(env(5, true, Opcode.READY), none).toString('hex')).toBe('850000000200000000');
    expect(encodeEnvelope(env(4, true, Opcode.READY), none).toString('hex')).toBe('840000000200000000');
  });

  it('decodes a v5 EVENT header with stream -1 and the direction bit', () => {
    // 85 version 5 response | 00 flags | ffff stream -1 | 0c EVENT | 0000001c length 28
    expect(decodeEnvelopeHeader(hex('85 00 ffff 0c 0000001c'), 0, limits)).toEqual({
      version: 5,
      isResponse: true,
      flags: 0,
      stream: -1,
      opcode: Opcode.EVENT,
      bodyLength: 28,
      headerLength: 9,
    });
  });

  it('decodes the v1/v2 8-byte header only when allowed (a version error)', () => {
    // 82 version 2 response | 00 flags | 00 stream (1 byte) | 00 ERROR | 00000067 length 103
    const legacy = hex('82 00 00 00 00000067');
    expect(decodeEnvelopeHeader(legacy, 0, { ...limits, allowLegacy: true })).toEqual({
      version: 2,
      isResponse: true,
      flags: 0,
      stream: 0,
      opcode: Opcode.ERROR,
      bodyLength: 103,
      headerLength: 8,
    });
    expect(() => decodeEnvelopeHeader(legacy, 0, limits)).toThrow(ProtocolError);
    expect(() => decodeEnvelopeHeader(hex('00 00 0000 05 00000000'), 0, { ...limits, allowLegacy: true })).toThrow(
      /Invalid protocol version 0/,
    );
  });

  it('writes a v2 header with a one-byte stream', () => {
    const out = Buffer.alloc(8);
    expect(
      writeEnvelopeHeader(out, 0, {
        version: 2,
        isResponse: true,
        flags: 0,
        stream: 0,
        opcode: Opcode.ERROR,
        bodyLength: 103,
      }),
    ).toBe(8);
    expect(out.toString('hex')).toBe('8200000000000067');
  });

  it('rejects an unknown opcode, a wrong direction and an oversized length', () => {
    expect(() => decodeEnvelopeHeader(hex('85 00 0000 04 00000000'), 0, limits)).toThrow(
      /Unknown opcode UNKNOWN\(0x04\)/,
    );
    expect(() => decodeEnvelopeHeader(hex('05 00 0000 07 00000000'), 0, { ...limits, expectResponses: true })).toThrow(
      ProtocolError,
    );
    expect(() => decodeEnvelopeHeader(hex('85 00 0000 08 00000100'), 0, { ...limits, maxEnvelopeSize: 264 })).toThrow(
      /declares a 256-byte body, above the limit of 264/,
    );
    expect(decodeEnvelopeHeader(hex('85 00 0000 08 000000ff'), 0, { ...limits, maxEnvelopeSize: 264 }).bodyLength).toBe(
      255,
    );
    expect(() => decodeEnvelopeHeader(hex('85 00 0000 08 ffffffff'), 0, limits)).toThrow(ProtocolError);
  });

  it('refuses caller mistakes with ArgumentError', () => {
    const base: Envelope = {
      version: 5,
      isResponse: false,
      flags: 0,
      stream: 0,
      opcode: Opcode.QUERY,
      body: Buffer.alloc(0),
    };
    expect(() => encodeEnvelope({ ...base, stream: 32768 }, { compression: 'none' })).toThrow(ArgumentError);
    expect(() => encodeEnvelope({ ...base, stream: 1.5 }, { compression: 'none' })).toThrow(
      /Stream id must be an integer -32768..32767/,
    );
    expect(() => encodeEnvelope({ ...base, opcode: 4 as Opcode }, { compression: 'none' })).toThrow(ArgumentError);
    expect(() => encodeEnvelope({ ...base, flags: 256 }, { compression: 'none' })).toThrow(ArgumentError);
  });
});

describe('v3/v4 envelope compression (native_protocol_v4.spec §5)', () => {
  const query = Buffer.concat([
    hex('0000005f'), // [long string] length 95
    Buffer.from(`SELECT * FROM ks.t WHERE k = '${'a'.repeat(64)}'`),
    hex('0001'), // consistency ONE
    hex('00'), // v4 query flags byte 0
  ]);

  it('decompresses a compressed v4 body to the 102-byte QUERY body', () => {
    const wire = hex(
      '04 01 0003 07 00000032' + // v4 request, COMPRESSED, stream 3, QUERY, 50 body bytes
        '00000066' + // big-endian uncompressed length 102
        'ff1400 00005f53454c454354202a2046524f4d206b732e74205748455245206b203d2027610100 2b50612700 0100',
    );
    expect(wire.length).toBe(59);
    const h = decodeEnvelopeHeader(wire, 0, limits);
    expect(h.flags).toBe(EnvelopeFlag.COMPRESSED);
    expect(decompressEnvelopeBody(wire.subarray(9, 9 + h.bodyLength), 1000).toString('hex')).toBe(
      query.toString('hex'),
    );
  });

  it('compresses a v4 QUERY (flag 0x01, BE length prefix) and the result decompresses back', () => {
    const env: Envelope = { version: 4, isResponse: false, flags: 0, stream: 3, opcode: Opcode.QUERY, body: query };
    const wire = encodeEnvelope(env, { compression: 'lz4' });
    expect(wire.subarray(0, 5).toString('hex')).toBe('0401000307');
    expect(wire.readUInt32BE(5)).toBe(wire.length - 9);
    expect(wire.readUInt32BE(9)).toBe(102);
    expect(decompressEnvelopeBody(wire.subarray(9), 1000).equals(query)).toBe(true);
  });

  it('compresses a v4 READY with an empty body as length 0 + the token byte 00', () => {
    const ready: Envelope = {
      version: 4,
      isResponse: true,
      flags: 0,
      stream: 0,
      opcode: Opcode.READY,
      body: Buffer.alloc(0),
    };
    expect(encodeEnvelope(ready, { compression: 'lz4' }).toString('hex')).toBe('8401000002000000050000000000');
  });

  it('never compresses STARTUP, OPTIONS or a v5 envelope, and never sends 0x01 uncompressed', () => {
    const mk = (version: number, opcode: Opcode, flags = 0): Envelope => ({
      version,
      isResponse: false,
      flags,
      stream: 0,
      opcode,
      body: STARTUP_BODY,
    });
    const out = encodeEnvelopes(
      [mk(4, Opcode.STARTUP), mk(4, Opcode.OPTIONS), mk(5, Opcode.QUERY, EnvelopeFlag.COMPRESSED)],
      { compression: 'lz4' },
    );
    const one = 9 + STARTUP_BODY.length;
    expect(out.length).toBe(3 * one);
    expect([out[1], out[one + 1], out[2 * one + 1]]).toEqual([0, 0, 0]);
    expect(out.subarray(2 * one + 9).equals(STARTUP_BODY)).toBe(true);
  });

  it('rejects a body shorter than its length prefix and a length mismatch', () => {
    expect(() => decompressEnvelopeBody(hex('000000'), 1000)).toThrow(ProtocolError);
    // declares 103 bytes where the block holds 102
    const wrong = Buffer.concat([
      hex('00000067'),
      encodeEnvelope(
        { version: 4, isResponse: false, flags: 0, stream: 3, opcode: Opcode.QUERY, body: query },
        { compression: 'lz4' },
      ).subarray(13),
    ]);
    expect(() => decompressEnvelopeBody(wrong, 1000)).toThrow(/decompressed to 102 bytes but declared 103/);
    expect(() => decompressEnvelopeBody(hex('7fffffff 00'), 1000)).toThrow(/above the limit of 1000/);
  });
});

describe('handshake and framed v5 envelopes decode and re-encode byte for byte', () => {
  const a = (s: string): string => Buffer.from(s).toString('hex');
  const vectors: [string, string, boolean][] = [
    [
      'STARTUP v5 {CQL_VERSION, COMPRESSION: lz4}',
      '05 00 0000 01 00000028' + // v5 request, stream 0, STARTUP, 40 body bytes
        '0002' +
        '000b' +
        a('CQL_VERSION') +
        '0005' +
        a('3.0.0') +
        '000b' +
        a('COMPRESSION') +
        '0003' +
        a('lz4'),
      false,
    ],
    [
      'AUTHENTICATE v5 (PasswordAuthenticator)',
      '85 00 0000 03 00000031' + // v5 response, stream 0, AUTHENTICATE, 49 body bytes
        '002f' +
        a('org.apache.cassandra.auth.PasswordAuthenticator'),
      true,
    ],
    [
      'EVENT STATUS_CHANGE UP 127.0.0.1:9042 on stream -1',
      '85 00 ffff 0c 0000001c' + // v5 response, stream -1, EVENT, 28 body bytes
        '000d' +
        a('STATUS_CHANGE') +
        '0002' +
        a('UP') +
        '04 7f000001 00002352',
      true,
    ],
    [
      'RESULT Void with tracing id and warnings ["w1"] (flags 0x0A)',
      '85 0a 0001 08 0000001a' + // v5 response, TRACING|WARNING, stream 1, RESULT, 26 body bytes
        '00'.repeat(16) +
        '0001 0002' +
        a('w1') +
        '00000001',
      true,
    ],
  ];
  for (const [name, wireHex, isResponse] of vectors) {
    it(name, () => {
      const wire = hex(wireHex);
      const d = new FrameDecoder({ expectResponses: isResponse });
      d.push(wire);
      const e = d.next()!;
      expect(d.next()).toBeUndefined();
      expect(e.body.length).toBe(wire.readUInt32BE(5));
      expect(encodeEnvelope(e, { compression: 'none' }).toString('hex')).toBe(wire.toString('hex'));
    });
  }
});
