import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Compression } from '../../src/protocol/compression/index.js';
import type { Envelope } from '../../src/protocol/envelope/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../../src/protocol/framing/index.js';
import type { ColumnSpec } from '../../src/protocol/messages/index.js';
import { decodeResponseBody, readResponsePrefix } from '../../src/protocol/messages/index.js';
import { PrimitiveReader } from '../../src/protocol/primitives/index.js';
import { recordedEnvelopes } from '../protocol/messages/recorded-envelopes.js';
import { fixtureNames, loadFixture } from '../support/fixtures.js';
import { AllocationGuard } from './support/allocation-guard.js';
import { decodeRequestFully, decodeResponseFully, versionOf } from './support/decode-all.js';
import { FUZZ_TEST_TIMEOUT_MS, fuzzParameters, fuzzRuns } from './support/fuzz-settings.js';
import { chunked, cutsArb, mutate, mutationsArb } from './support/mutation.js';
import { OutcomeTally, outcomeOf } from './support/outcome.js';
import { decodeRecordedStream, recordedStreams } from './support/recorded-streams.js';

/**
 * Envelopes from the network, corrupted: every real-Cassandra recording (both directions, v3/v4
 * bare envelopes, v5 segments, lz4), mutated byte by byte and cut into random chunks, through the
 * `FrameDecoder` and down to every Rows cell. Also pure random bytes, and single recorded
 * envelopes whose bodies are mutated and then re-framed correctly, so the corruption gets past
 * the CRCs and reaches the message and value decoders. Each case ends in a decode or a
 * `ProtocolError`; no Buffer larger than the decoder's limit is ever requested.
 */

/** The decoders' envelope limit in this file: small, so an allocation sized by a lie would show. */
const MAX_ENVELOPE = 1 << 20;
const guard = new AllocationGuard();

beforeAll(() => guard.install());
afterAll(() => guard.uninstall());

describe('fuzz: envelope streams', () => {
  beforeEach(() => guard.reset());

  const streams = recordedStreams();

  it(
    'mutated real-Cassandra streams, chunked at random, end in a decode or a ProtocolError',
    () => {
      const tally = new OutcomeTally('mutated recorded streams');
      fc.assert(
        fc.property(
          fc.nat({ max: streams.length - 1 }),
          fc.boolean(),
          mutationsArb(4),
          cutsArb,
          (index, mutateFramed, mutations, cuts) => {
            const stream = streams[index]!;
            const target = mutateFramed && stream.framed !== undefined ? 'framed' : 'unframed';
            const unframed = target === 'unframed' ? mutate(stream.unframed, mutations) : stream.unframed;
            const framed =
              stream.framed === undefined
                ? undefined
                : target === 'framed'
                  ? mutate(stream.framed, mutations)
                  : stream.framed;
            tally.add(
              outcomeOf(() =>
                guard.watch(() => {
                  decodeRecordedStream(
                    stream,
                    target === 'unframed' ? chunked(unframed, cuts) : [unframed],
                    framed === undefined ? [] : target === 'framed' ? chunked(framed, cuts) : [framed],
                    MAX_ENVELOPE,
                  );
                }),
              ),
            );
          },
        ),
        fuzzParameters(fuzzRuns(2000)),
      );
      tally.report();
      expect(tally.cases).toBe(fuzzRuns(2000));
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      expect(guard.largest).toBeLessThanOrEqual(MAX_ENVELOPE);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'random bytes, unframed or as v5 segments, end in a decode or a ProtocolError',
    () => {
      const tally = new OutcomeTally('random bytes');
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 300 }),
          fc.constantFrom<'unframed' | 'none' | 'lz4'>('unframed', 'none', 'lz4'),
          fc.boolean(),
          cutsArb,
          (bytes, framing, expectResponses, cuts) => {
            tally.add(
              outcomeOf(() =>
                guard.watch(() => {
                  const decoder = new FrameDecoder({ expectResponses, maxEnvelopeSize: MAX_ENVELOPE });
                  if (framing !== 'unframed') decoder.switchToSegments({ compression: framing });
                  for (const chunk of chunked(Buffer.from(bytes), cuts)) {
                    decoder.push(chunk);
                    for (let e = decoder.next(); e !== undefined; e = decoder.next()) {
                      if (expectResponses) decodeResponseFully(e);
                      else decodeRequestFully(e);
                    }
                  }
                }),
              ),
            );
          },
        ),
        fuzzParameters(fuzzRuns(2000)),
      );
      tally.report();
      expect(tally.cases).toBe(fuzzRuns(2000));
      expect(guard.largest).toBeLessThanOrEqual(MAX_ENVELOPE);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  /** Every response envelope of every recording, with the prepared columns its NO_METADATA pages need. */
  const recorded: { envelope: Envelope; fallback: readonly ColumnSpec[] | undefined; label: string }[] = [];
  for (const name of fixtureNames()) {
    const f = loadFixture(name);
    let fallback: readonly ColumnSpec[] | undefined;
    for (const e of recordedEnvelopes(f, 's2c')) {
      const envelope: Envelope = {
        version: e.version,
        isResponse: true,
        flags: e.flags,
        stream: e.stream,
        opcode: e.opcode as Envelope['opcode'],
        body: e.body,
      };
      if (e.version >= 3) recorded.push({ envelope, fallback, label: `${name} ${e.opcode}` });
      if (e.opcode === Opcode.RESULT && e.version >= 3) {
        const r = new PrimitiveReader(e.body);
        readResponsePrefix(r, e.flags);
        const m = decodeResponseBody(e.opcode, e.body, versionOf(envelope), r.offset);
        if (m.opcode === Opcode.RESULT && m.kind === 'prepared' && m.resultMetadata.columns !== undefined)
          fallback = m.resultMetadata.columns;
      }
    }
  }

  it(
    'recorded response bodies, mutated then framed correctly (v4/v5, lz4 or not), end in a decode or a ProtocolError',
    () => {
      const tally = new OutcomeTally('mutated bodies, valid framing');
      fc.assert(
        fc.property(
          fc.nat({ max: recorded.length - 1 }),
          mutationsArb(3),
          fc.option(fc.nat({ max: 0x0f }), { freq: 3 }),
          fc.constantFrom<Compression>('none', 'lz4'),
          cutsArb,
          (index, mutations, prefixFlags, compression, cuts) => {
            const { envelope, fallback } = recorded[index]!;
            // flags 0x02 tracing, 0x04 custom payload, 0x08 warnings announce a body prefix
            // (native_protocol_v5.spec §2.4.1.2 (flags))
            // (null keeps the recorded flags, so most cases keep a well-formed prefix)
            const flags = prefixFlags === null ? envelope.flags : (envelope.flags & ~0x0f) | (prefixFlags & 0x0e);
            const corrupted: Envelope = { ...envelope, flags, body: mutate(envelope.body, mutations) };
            const encoder = new FrameEncoder();
            const decoder = new FrameDecoder({ expectResponses: true, maxEnvelopeSize: MAX_ENVELOPE });
            if (envelope.version >= 5) {
              encoder.switchToSegments({ compression });
              decoder.switchToSegments({ compression });
            } else {
              encoder.setCompression(compression);
              decoder.setCompression(compression);
            }
            const bytes = encoder.encode([corrupted]);
            tally.add(
              outcomeOf(() =>
                guard.watch(() => {
                  let seen = 0;
                  for (const chunk of chunked(bytes, cuts)) {
                    decoder.push(chunk);
                    for (let e = decoder.next(); e !== undefined; e = decoder.next()) {
                      seen++;
                      decodeResponseFully(e, fallback);
                    }
                  }
                  // the framing is valid, so exactly the one envelope must come out
                  if (seen !== 1) throw new Error(`expected 1 envelope back from valid framing, got ${seen}`);
                }),
              ),
            );
          },
        ),
        fuzzParameters(fuzzRuns(2000)),
      );
      tally.report();
      expect(tally.cases).toBe(fuzzRuns(2000));
      expect(tally.count('decoded')).toBeGreaterThan(0);
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      expect(guard.largest).toBeLessThanOrEqual(MAX_ENVELOPE);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
