import { describe, expect, it } from 'vitest';
import {
  readRequestPrefix,
  readResponsePrefix,
  writeRequestPrefix,
  writeResponsePrefix,
} from '../../../src/protocol/messages/body-prefix.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/primitive-reader.js';
import { PrimitiveWriter } from '../../../src/protocol/primitives/primitive-writer.js';
import { hex } from './hex.js';

const tracingId = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('body prefixes (native_protocol_v5.spec §2.4.1.2, §4)', () => {
  it('a response carries tracing id, then warnings, then custom payload, in the server order', () => {
    const bytes = hex(`
      00112233445566778899AABBCCDDEEFF // tracing id (flag 0x02)
      0001 0001 77                     // warnings ["w"] (flag 0x08)
      0001 0001 6B 00000002 0102       // custom payload {k: 0102} (flag 0x04)
      00000001                         // the message: RESULT Void
    `);
    const prefix = { tracingId, warnings: ['w'], customPayload: new Map([['k', Buffer.from([1, 2])]]) };
    const w = new PrimitiveWriter();
    expect(writeResponsePrefix(w, prefix)).toBe(0x0e);
    w.int(1);
    expect(w.finish().toString('hex')).toBe(bytes.toString('hex'));
    const r = new PrimitiveReader(bytes);
    expect(readResponsePrefix(r, 0x0e)).toEqual(prefix);
    expect(r.offset).toBe(bytes.length - 4);
  });

  it('flags that announce no prefix (compression, beta, unknown bits) read nothing', () => {
    const r = new PrimitiveReader(hex('00000001'));
    expect(readResponsePrefix(r, 0x01 | 0x10 | 0x40 | 0x80)).toEqual({});
    expect(r.offset).toBe(0);
    const w = new PrimitiveWriter();
    expect(writeResponsePrefix(w, {})).toBe(0);
    expect(w.length).toBe(0);
  });

  it('a request carries only a custom payload; the tracing flag adds no bytes', () => {
    const bytes = hex('0002 0001 61 FFFFFFFF 0001 62 00000000 // {a: null, b: empty}');
    const customPayload = new Map<string, Buffer | null>([
      ['a', null],
      ['b', Buffer.alloc(0)],
    ]);
    const w = new PrimitiveWriter();
    expect(writeRequestPrefix(w, { customPayload })).toBe(0x04);
    expect(w.finish().toString('hex')).toBe(bytes.toString('hex'));
    expect(readRequestPrefix(new PrimitiveReader(bytes), 0x04 | 0x02)).toEqual({ customPayload });
    const r = new PrimitiveReader(bytes);
    expect(readRequestPrefix(r, 0x02 | 0x08)).toEqual({});
    expect(r.offset).toBe(0);
    expect(writeRequestPrefix(new PrimitiveWriter(), {})).toBe(0);
  });
});
