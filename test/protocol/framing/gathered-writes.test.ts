import { describe, expect, it } from 'vitest';
import {
  type Envelope,
  encodeEnvelopes,
  gatherEnvelopes,
  Opcode,
  type PartedEnvelope,
} from '../../../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../../../src/protocol/framing/index.js';
import type { EncodableRowsResult } from '../../../src/protocol/messages/index.js';
import { encodeResponseBody, encodeResponseBodyParts } from '../../../src/protocol/messages/index.js';
import { GATHER_VIEW_MIN, GatherOutput } from '../../../src/protocol/primitives/index.js';
import {
  encodeSegments,
  gatherSegments,
  SEGMENT_CRC32_SEED,
  segmentCrc32,
  segmentCrc32Update,
} from '../../../src/protocol/segment/index.js';
import { randomBytes, seededRandom } from '../../support/seeded-random.js';

/** Whether `piece` is a view into `source`'s memory (not a copy). */
const aliases = (piece: Buffer, source: Buffer): boolean =>
  piece.buffer === source.buffer &&
  piece.byteOffset >= source.byteOffset &&
  piece.byteOffset + piece.length <= source.byteOffset + source.length;

/** Random bodies cut into random parts: short ones, long ones, empty ones. */
function partedEnvelopes(seed: number, count: number, maxBody: number): PartedEnvelope[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const body = randomBytes(random, Math.floor(random() * maxBody));
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; ) {
      const n = Math.min(body.length - at, Math.floor(random() * 3 * GATHER_VIEW_MIN));
      parts.push(body.subarray(at, at + n));
      at += n;
    }
    if (random() < 0.3) parts.splice(Math.floor(random() * (parts.length + 1)), 0, Buffer.alloc(0));
    return { version: 5, isResponse: true, flags: 0, stream: i, opcode: Opcode.RESULT, bodyParts: parts };
  });
}

const joined = (e: PartedEnvelope): Envelope => ({
  version: e.version,
  isResponse: e.isResponse,
  flags: e.flags,
  stream: e.stream,
  opcode: e.opcode,
  body: Buffer.concat(e.bodyParts),
});

describe('GatherOutput', () => {
  it('copies short pieces together and passes long ones on as views', () => {
    const small = Buffer.from('header');
    const large = Buffer.alloc(GATHER_VIEW_MIN + 5, 7);
    const out = new GatherOutput(16);
    out.append(small, 0, small.length);
    out.append(large, 2, large.length);
    out.append(small, 1, 3);
    const pieces = out.finish();
    expect(pieces).toHaveLength(3);
    expect(aliases(pieces[0]!, small)).toBe(false);
    expect(aliases(pieces[1]!, large)).toBe(true);
    expect(Buffer.concat(pieces)).toEqual(Buffer.concat([small, large.subarray(2), small.subarray(1, 3)]));
  });

  it('keeps a checksum over copied and viewed pieces alike, across a scratch regrowth', () => {
    const random = seededRandom(11);
    const pieces = [
      randomBytes(random, 100),
      randomBytes(random, 3 * GATHER_VIEW_MIN),
      randomBytes(random, 500),
      randomBytes(random, 7),
    ];
    const out = new GatherOutput(8);
    out.reserve(3).buffer.fill(1);
    out.startChecksum(segmentCrc32Update, SEGMENT_CRC32_SEED);
    for (const p of pieces) out.append(p, 0, p.length);
    const crc = out.endChecksum();
    expect(crc >>> 0).toBe(segmentCrc32(Buffer.concat(pieces)));
    expect(Buffer.concat(out.finish()).subarray(3)).toEqual(Buffer.concat(pieces));
  });
});

describe('gatherSegments equals encodeSegments byte for byte', () => {
  for (const [max, maxBody] of [
    [1, 3 * GATHER_VIEW_MIN],
    [9, 40_000],
    [100, 40_000],
    [4096, 40_000],
    [131071, 400_000],
  ] as const) {
    it(`uncompressed, maxPayloadLength ${max}`, () => {
      const envelopes = partedEnvelopes(max, max === 1 ? 3 : 12, maxBody);
      const gathered = Buffer.concat(gatherSegments(envelopes, { compression: 'none', maxPayloadLength: max }));
      expect(
        gathered.equals(encodeSegments(envelopes.map(joined), { compression: 'none', maxPayloadLength: max })),
      ).toBe(true);
    });
  }

  it('lz4', () => {
    const envelopes = partedEnvelopes(5, 6, 200_000);
    const gathered = Buffer.concat(gatherSegments(envelopes, { compression: 'lz4' }));
    expect(gathered.equals(encodeSegments(envelopes.map(joined), { compression: 'lz4' }))).toBe(true);
  });

  it('passes a long body part to the socket as a view, with a correct CRC32 over it', () => {
    const rows = Buffer.alloc(300_000, 0x41);
    const envelope: PartedEnvelope = {
      version: 5,
      isResponse: true,
      flags: 0,
      stream: 3,
      opcode: Opcode.RESULT,
      bodyParts: [Buffer.from([0, 0, 0, 2]), rows],
    };
    const pieces = gatherSegments([envelope], { compression: 'none' });
    expect(pieces.some((p) => aliases(p, rows) && p.length >= GATHER_VIEW_MIN)).toBe(true);
    const decoder = new FrameDecoder({ expectResponses: true });
    decoder.switchToSegments({ compression: 'none' });
    for (const p of pieces) decoder.push(p);
    const decoded = decoder.next();
    expect(decoded?.stream).toBe(3);
    expect(decoded?.body.equals(Buffer.concat(envelope.bodyParts))).toBe(true);
  });
});

describe('gatherEnvelopes equals encodeEnvelopes byte for byte', () => {
  for (const compression of ['none', 'lz4'] as const) {
    it(`v4, compression ${compression}`, () => {
      const envelopes = partedEnvelopes(21, 10, 50_000).map((e) => ({ ...e, version: 4 }));
      const gathered = Buffer.concat(gatherEnvelopes(envelopes, { compression }));
      expect(gathered.equals(encodeEnvelopes(envelopes.map(joined), { compression }))).toBe(true);
    });
  }

  it('FrameEncoder.gather follows the framing mode', () => {
    const envelopes = partedEnvelopes(8, 4, 200_000);
    const encoder = new FrameEncoder();
    const v4 = envelopes.map((e) => ({ ...e, version: 4 }));
    expect(Buffer.concat(encoder.gather(v4)).equals(encoder.encode(v4.map(joined)))).toBe(true);
    encoder.switchToSegments({ compression: 'none' });
    expect(Buffer.concat(encoder.gather(envelopes)).equals(encoder.encode(envelopes.map(joined)))).toBe(true);
  });
});

describe('encodeResponseBodyParts', () => {
  it('a Rows page: head, then the content buffers themselves; joined equals encodeResponseBody', () => {
    const content = Buffer.alloc(20_000, 3);
    const msg: EncodableRowsResult = {
      opcode: Opcode.RESULT,
      kind: 'rows',
      rowCount: 5000,
      metadata: { columnCount: 1, pagingState: Buffer.from('abc') },
      rowsContent: content,
    };
    const parts = encodeResponseBodyParts(msg, 5);
    expect(parts[1]).toBe(content);
    expect(Buffer.concat(parts).equals(encodeResponseBody(msg, 5))).toBe(true);
    const listed = encodeResponseBodyParts({ ...msg, rowsContent: [content.subarray(0, 10), content.subarray(10)] }, 4);
    expect(Buffer.concat(listed).equals(encodeResponseBody(msg, 4))).toBe(true);
  });

  it('anything else is one part', () => {
    const parts = encodeResponseBodyParts({ opcode: Opcode.READY }, 5);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.length).toBe(0);
  });
});
