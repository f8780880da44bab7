import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Compression, lz4CompressBlock } from '../../src/protocol/compression/index.js';
import type { Envelope } from '../../src/protocol/envelope/index.js';
import { EnvelopeFlag, encodeEnvelope, Opcode } from '../../src/protocol/envelope/index.js';
import { FrameDecoder } from '../../src/protocol/framing/index.js';
import {
  encodeSegments,
  MAX_SEGMENT_PAYLOAD,
  SEGMENT_HEADER_CRC_LENGTH,
  SEGMENT_TRAILER_LENGTH,
  SegmentDecoder,
  segmentCrc32,
  segmentHeaderLength,
  writeSegmentHeader,
} from '../../src/protocol/segment/index.js';
import { recordedEnvelopes } from '../protocol/messages/recorded-envelopes.js';
import { fixtureNames, loadFixture } from '../support/fixtures.js';
import { AllocationGuard } from './support/allocation-guard.js';
import { decodeResponseFully } from './support/decode-all.js';
import { FUZZ_TEST_TIMEOUT_MS, fuzzParameters, fuzzRuns } from './support/fuzz-settings.js';
import { chunked, cutsArb, mutate, mutationsArb } from './support/mutation.js';
import { OutcomeTally, outcomeOf } from './support/outcome.js';

/**
 * v5 segments (native_protocol_v5.spec §2 (Frame Format)) from a corrupt or hostile peer: valid
 * segment streams of real recorded envelopes, mutated; headers whose CRC24 is right but whose
 * lengths lie; payloads whose CRC32 is right but whose lz4 content is garbage or a "bomb" declaring
 * far more output than the limit; and v4 lz4 envelope bodies (native_protocol_v4.spec §5) declaring
 * up to 4 GiB. Every case ends in a decode or a `ProtocolError`, and no Buffer beyond the
 * configured limits is requested.
 */

const guard = new AllocationGuard();
beforeAll(() => guard.install());
afterAll(() => guard.uninstall());

/** The response envelopes of the v5 recordings, the material the segment streams are built from. */
const v5Envelopes: Envelope[] = [];
for (const name of fixtureNames()) {
  const f = loadFixture(name);
  if (f.protocol_version !== 5) continue;
  for (const e of recordedEnvelopes(f, 's2c')) {
    if (e.version === 5)
      v5Envelopes.push({
        version: 5,
        isResponse: true,
        flags: e.flags,
        stream: e.stream,
        opcode: e.opcode as Envelope['opcode'],
        body: e.body,
      });
  }
}

/** A segment whose every field is chosen by the test; the CRC24 is always right (so the lengths are believed). */
function forgeSegment(
  compression: Compression,
  payload: Uint8Array,
  declaredLength: number,
  uncompressedLength: number,
  selfContained: boolean,
  goodCrc32: boolean,
): Buffer {
  const prefix = segmentHeaderLength(compression) + SEGMENT_HEADER_CRC_LENGTH;
  const out = Buffer.alloc(prefix + payload.length + SEGMENT_TRAILER_LENGTH);
  writeSegmentHeader(
    out,
    0,
    compression,
    declaredLength,
    compression === 'lz4' ? uncompressedLength : 0,
    selfContained,
  );
  out.set(payload, prefix);
  const crc = segmentCrc32(payload);
  out.writeUInt32LE((goodCrc32 ? crc : crc ^ 0x00010000) >>> 0, prefix + payload.length);
  return out;
}

/** Drains a decoder built on segments, decoding every envelope down to its cells. */
function drainSegments(decoder: FrameDecoder, chunks: readonly Buffer[]): void {
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (let e = decoder.next(); e !== undefined; e = decoder.next()) decodeResponseFully(e);
  }
}

function segmentDecoder(
  compression: Compression,
  maxSegmentPayload = MAX_SEGMENT_PAYLOAD,
  maxEnvelopeSize = 1 << 20,
): FrameDecoder {
  const decoder = new FrameDecoder({ expectResponses: true, maxSegmentPayload, maxEnvelopeSize });
  decoder.switchToSegments({ compression });
  return decoder;
}

describe('fuzz: v5 segments', () => {
  beforeEach(() => guard.reset());

  it(
    'mutated segment streams of recorded envelopes (split into small slices too) end in a decode or a ProtocolError',
    () => {
      const tally = new OutcomeTally('mutated segment streams');
      fc.assert(
        fc.property(
          fc.nat({ max: v5Envelopes.length - 1 }),
          fc.integer({ min: 1, max: 4 }),
          fc.constantFrom<Compression>('none', 'lz4'),
          fc.oneof(fc.constant(MAX_SEGMENT_PAYLOAD), fc.integer({ min: 16, max: 4096 })),
          mutationsArb(3),
          cutsArb,
          (start, count, compression, maxPayloadLength, mutations, cuts) => {
            const envelopes = v5Envelopes.slice(start, start + count);
            const bytes = mutate(encodeSegments(envelopes, { compression, maxPayloadLength }), mutations);
            tally.add(
              outcomeOf(() => guard.watch(() => drainSegments(segmentDecoder(compression), chunked(bytes, cuts)))),
            );
          },
        ),
        fuzzParameters(fuzzRuns(1500)),
      );
      tally.report();
      expect(tally.cases).toBe(fuzzRuns(1500));
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      expect(guard.largest).toBeLessThanOrEqual(1 << 20);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'headers with a valid CRC24 but lying lengths, and bad CRC32s, end in a decode or a ProtocolError without oversized allocation',
    () => {
      const tally = new OutcomeTally('forged segment headers');
      fc.assert(
        fc.property(
          fc.constantFrom<Compression>('none', 'lz4'),
          fc.uint8Array({ maxLength: 600 }),
          fc.nat({ max: 0x1ffff }),
          fc.nat({ max: 0x1ffff }),
          fc.boolean(),
          fc.boolean(),
          fc.integer({ min: 1, max: 2048 }),
          (compression, payload, declared, uncompressed, selfContained, goodCrc32, maxSegmentPayload) => {
            const bytes = forgeSegment(compression, payload, declared, uncompressed, selfContained, goodCrc32);
            tally.add(
              outcomeOf(() =>
                guard.watch(() => drainSegments(segmentDecoder(compression, maxSegmentPayload, 4096), [bytes])),
              ),
            );
          },
        ),
        fuzzParameters(fuzzRuns(3000)),
      );
      tally.report();
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      // limits of 4,096 bytes per envelope and ≤ 2,048 per segment: nothing sized beyond them
      expect(guard.largest).toBeLessThanOrEqual(4096);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'lz4 bombs: a tiny payload declaring up to 131,071 output bytes is refused before decompressing when above the limit',
    () => {
      const tally = new OutcomeTally('lz4 segment bombs');
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: MAX_SEGMENT_PAYLOAD }),
          fc.integer({ min: 1, max: MAX_SEGMENT_PAYLOAD }),
          fc.integer({ min: 64, max: 8192 }),
          (realLength, declared, maxSegmentPayload) => {
            // zeros compress ~250:1, so a few hundred wire bytes can expand to the whole 17-bit range
            const block = lz4CompressBlock(Buffer.alloc(realLength));
            const bytes = forgeSegment('lz4', block, block.length, declared, true, true);
            const outcome = outcomeOf(() =>
              guard.watch(() => drainSegments(segmentDecoder('lz4', maxSegmentPayload, 1 << 20), [bytes])),
            );
            tally.add(outcome);
            if (declared > maxSegmentPayload || declared !== realLength) {
              // above the limit, or not what the block really holds: never a successful decode
              if (outcome !== 'protocol-error')
                throw new Error(
                  `lz4 segment declaring ${declared} (real ${realLength}, limit ${maxSegmentPayload}) was accepted`,
                );
            }
          },
        ),
        fuzzParameters(fuzzRuns(400)),
      );
      tally.report();
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      expect(guard.largest).toBeLessThanOrEqual(1 << 20);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'lz4 garbage with a valid CRC32 ends in a ProtocolError or a decode, never a crash',
    () => {
      const tally = new OutcomeTally('lz4 garbage payloads');
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 1, maxLength: 400 }),
          fc.integer({ min: 1, max: MAX_SEGMENT_PAYLOAD }),
          fc.boolean(),
          (garbage, declared, selfContained) => {
            const bytes = forgeSegment('lz4', garbage, garbage.length, declared, selfContained, true);
            tally.add(
              outcomeOf(() =>
                guard.watch(() => {
                  const decoder = new SegmentDecoder({
                    compression: 'lz4',
                    expectResponses: true,
                    maxEnvelopeSize: 1 << 20,
                  });
                  decoder.push(bytes);
                  for (let e = decoder.next(); e !== undefined; e = decoder.next()) decodeResponseFully(e);
                }),
              ),
            );
          },
        ),
        fuzzParameters(fuzzRuns(2000)),
      );
      tally.report();
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'v4 lz4 envelope bodies declaring up to 4 GiB are refused before allocation; garbage blocks end in a ProtocolError',
    () => {
      const tally = new OutcomeTally('v4 lz4 body bombs');
      const limit = 64 * 1024;
      fc.assert(
        fc.property(
          fc.oneof(
            fc.constantFrom(0xffffffff, 0x7fffffff, 0x10000000, limit, limit + 1),
            fc.nat({ max: 0xffffffff }),
            fc.nat({ max: 2 * limit }),
          ),
          fc.oneof(
            fc.integer({ min: 1, max: 4 * limit }).map((n) => lz4CompressBlock(Buffer.alloc(n))),
            fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          ),
          (declared, block) => {
            const body = Buffer.concat([Buffer.alloc(4), block]);
            body.writeUInt32BE(declared, 0);
            const header: Envelope = {
              version: 4,
              isResponse: true,
              flags: EnvelopeFlag.COMPRESSED,
              stream: 1,
              opcode: Opcode.RESULT,
              body,
            };
            // encodeEnvelope with 'none' leaves the (already "compressed") body as is; set flag 0x01 by hand
            const bytes = encodeEnvelope(header, { compression: 'none' });
            bytes[1] = EnvelopeFlag.COMPRESSED;
            const outcome = outcomeOf(() =>
              guard.watch(() => {
                const decoder = new FrameDecoder({ expectResponses: true, maxEnvelopeSize: limit });
                decoder.setCompression('lz4');
                decoder.push(bytes);
                for (let e = decoder.next(); e !== undefined; e = decoder.next()) decodeResponseFully(e);
              }),
            );
            tally.add(outcome);
            if (declared > limit && outcome !== 'protocol-error')
              throw new Error(`a body declaring ${declared} bytes over a ${limit}-byte limit was accepted`);
          },
        ),
        fuzzParameters(fuzzRuns(600)),
      );
      tally.report();
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      // the declared sizes go up to 4 GiB; nothing close may be requested
      // (the lz4 step copies the block behind a 4-byte size prefix: at most the envelope limit)
      expect(guard.largest).toBeLessThanOrEqual(limit + 4);
      expect(guard.arrayBufferGrowth()).toBeLessThan(256 * 1024 * 1024);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
