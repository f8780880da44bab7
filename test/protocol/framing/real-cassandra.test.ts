import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Envelope, Opcode, opcodeName } from '../../../src/protocol/envelope/index.js';
import { FrameDecoder } from '../../../src/protocol/framing/index.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/index.js';
import type { SegmentInfo } from '../../../src/protocol/segment/index.js';
import {
  directionBytes,
  directionChunks,
  type Fixture,
  type FixtureEnvelope,
  fixtureNames,
  loadFixture,
} from '../../support/fixtures.js';
import { seededRandom as seeded } from '../../support/seeded-random.js';

type Dir = 'c2s' | 's2c';

/** One decoded envelope, reduced to what the recordings' expectations state. */
interface Seen {
  opcode: string;
  stream: number;
  versionByte: number;
  flags: number;
  bodyLength: number;
  /** Header + body bytes consumed off the wire for an unframed envelope; undefined inside segments. */
  wireLength: number | undefined;
  bodySha: string;
}

interface Decoded {
  envelopes: Seen[];
  segments: SegmentInfo[];
  /** Stream offset at which the decoder switched to segments. */
  switchedAt: number | undefined;
  consumed: number;
  pending: number;
}

/** What the client's STARTUP asked for (the COMPRESSION option), read the way a peer reads it. */
function startupCompression(body: Buffer): 'lz4' | 'none' {
  const options = new PrimitiveReader(body).stringMap();
  return options.get('COMPRESSION')?.toLowerCase() === 'lz4' ? 'lz4' : 'none';
}

/**
 * Decodes one direction the way a real peer does: the client side switches to segments after a
 * v5+ READY/AUTHENTICATE answering STARTUP and turns on v4 lz4 before that answer; the server side
 * does the same right after the STARTUP it answered with READY/AUTHENTICATE.
 */
function decodeDirection(f: Fixture, dir: Dir, pieces: Buffer[]): Decoded {
  const segments: SegmentInfo[] = [];
  const decoder = new FrameDecoder({ expectResponses: dir === 's2c', onSegment: (s) => segments.push(s) });
  const startup = f.expect.exchanges.find((x) => x.request.opcode === 'STARTUP');
  // The server side knows its own answer; the client side knows its own STARTUP.
  const startupBody = startup ? startupBodyOf(f) : undefined;
  const compression = startupBody ? startupCompression(startupBody) : 'none';
  const envelopes: Seen[] = [];
  let switchedAt: number | undefined;
  let before = 0;
  const onEnvelope = (e: Envelope): void => {
    const unframed = decoder.phase === 'unframed';
    envelopes.push({
      opcode: opcodeName(e.opcode),
      stream: e.stream,
      versionByte: e.version | (e.isResponse ? 0x80 : 0),
      flags: e.flags,
      bodyLength: e.body.length,
      wireLength: unframed ? decoder.consumedBytes - before : undefined,
      bodySha: createHash('sha1').update(e.body).digest('hex'),
    });
    before = decoder.consumedBytes;
    if (!startup || e.version < 3) return;
    const answered = startup.response.opcode === 'READY' || startup.response.opcode === 'AUTHENTICATE';
    if (dir === 'c2s' && e.opcode === Opcode.STARTUP) {
      if (e.version >= 5 && answered) {
        decoder.switchToSegments({ compression: startupCompression(e.body) });
        switchedAt = decoder.consumedBytes;
      } else if (startupCompression(e.body) === 'lz4') {
        decoder.setCompression('lz4');
      }
    }
    if (
      dir === 's2c' &&
      envelopes.length === startup.s2c_index + 1 &&
      e.version >= 5 &&
      (e.opcode === Opcode.READY || e.opcode === Opcode.AUTHENTICATE)
    ) {
      decoder.switchToSegments({ compression });
      switchedAt = decoder.consumedBytes;
    }
  };
  for (const piece of pieces) {
    // s2c: lz4 for v4 is on from the STARTUP's answer (the server compresses READY, native_protocol_v4.spec §5).
    if (
      dir === 's2c' &&
      startup &&
      compression === 'lz4' &&
      startup.request.version < 5 &&
      envelopes.length === startup.s2c_index
    ) {
      decoder.setCompression('lz4');
    }
    decoder.push(piece);
    for (let e = decoder.next(); e; e = decoder.next()) {
      onEnvelope(e);
      if (
        dir === 's2c' &&
        startup &&
        compression === 'lz4' &&
        startup.request.version < 5 &&
        envelopes.length === startup.s2c_index
      ) {
        decoder.setCompression('lz4');
      }
    }
  }
  return { envelopes, segments, switchedAt, consumed: decoder.consumedBytes, pending: decoder.pendingBytes };
}

const startupBodies = new Map<Fixture, Buffer | undefined>();

/** The STARTUP body as the client sent it (decoded once from the c2s bytes). */
function startupBodyOf(f: Fixture): Buffer | undefined {
  if (!startupBodies.has(f)) startupBodies.set(f, findStartupBody(f));
  return startupBodies.get(f);
}

function findStartupBody(f: Fixture): Buffer | undefined {
  const d = new FrameDecoder({ expectResponses: false });
  d.push(directionBytes(f, 'c2s'));
  for (let e = d.next(); e; e = d.next()) {
    if (e.opcode === Opcode.STARTUP) return e.body;
  }
  return undefined;
}

/** The expected envelopes of one direction, by index. */
function expectedEnvelopes(f: Fixture, dir: Dir): FixtureEnvelope[] {
  const out: FixtureEnvelope[] = [];
  for (const x of f.expect.exchanges) {
    if (dir === 'c2s') out[x.c2s_index] = x.request;
    else out[x.s2c_index] = x.response;
  }
  if (dir === 's2c') for (const p of f.expect.pushed ?? []) out[p.s2c_index!] = p;
  return out;
}

function checkAgainstExpectations(f: Fixture, dir: Dir, d: Decoded): void {
  const total = directionBytes(f, dir).length;
  const expected = expectedEnvelopes(f, dir);
  expect(d.envelopes.length).toBe(expected.length);
  d.envelopes.forEach((seen, i) => {
    const x = expected[i]!;
    const label = `${dir} envelope ${i}`;
    expect(
      { i, opcode: seen.opcode, stream: seen.stream, versionByte: seen.versionByte, flags: seen.flags },
      label,
    ).toEqual({
      i,
      opcode: x.opcode,
      stream: x.stream,
      versionByte: parseInt(x.version_byte, 16),
      flags: parseInt(x.flags, 16),
    });
    expect(seen.bodyLength, label).toBe(x.body_length_uncompressed ?? x.body_length_on_wire);
    if (seen.wireLength !== undefined) {
      const headerLength = (seen.versionByte & 0x7f) < 3 ? 8 : 9;
      expect(seen.wireLength - headerLength, label).toBe(x.body_length_on_wire);
      expect(x.framing ?? 'unframed', label).toBe('unframed');
    } else {
      expect(x.framing, label).not.toBe('unframed');
    }
  });
  const framing = f.expect.framing ?? {};
  const unframed = dir === 'c2s' ? framing.c2s_unframed_bytes : framing.s2c_unframed_bytes;
  expect(d.switchedAt).toBe(framing.v5_framing ? unframed : undefined);
  const segs = f.expect.segments?.[dir] ?? [];
  expect(
    d.segments.map((s) => ({
      offset: s.offset,
      h: s.headerLength,
      p: s.payloadLength,
      u: s.uncompressedLength,
      sc: s.selfContained,
    })),
  ).toEqual(
    segs.map((s) => ({
      offset: s.offset,
      h: s.header_length,
      p: s.payload_length,
      u: s.uncompressed_length ?? 0,
      sc: s.self_contained,
    })),
  );
  expect(d.consumed).toBe(total);
  expect(d.pending).toBe(0);
}

/** Every split point up to this many bytes per direction; a seeded sample beyond. */
const FULL_SPLIT_LIMIT = 4096;
const SAMPLED_SPLITS = 48;

const names = fixtureNames();

describe('decoding the real Cassandra recordings', () => {
  it('finds all 24 recordings', () => {
    expect(names.length).toBe(24);
  });

  for (const name of names) {
    for (const dir of ['c2s', 's2c'] as const) {
      describe(`${name} ${dir}`, () => {
        it('as recorded: every envelope, segment and offset matches, nothing left over', () => {
          const f = loadFixture(name);
          checkAgainstExpectations(f, dir, decodeDirection(f, dir, directionChunks(f, dir)));
        });

        it('one byte at a time and split at other offsets: identical results', () => {
          const f = loadFixture(name);
          const bytes = directionBytes(f, dir);
          const reference = decodeDirection(f, dir, [bytes]);
          checkAgainstExpectations(f, dir, reference);
          const bytewise: Buffer[] = [];
          for (let i = 0; i < bytes.length; i++) bytewise.push(bytes.subarray(i, i + 1));
          expect(decodeDirection(f, dir, bytewise)).toEqual(reference);
          let points: number[];
          if (bytes.length <= FULL_SPLIT_LIMIT) {
            points = Array.from({ length: bytes.length + 1 }, (_, i) => i);
          } else {
            const random = seeded(bytes.length);
            points = Array.from({ length: SAMPLED_SPLITS }, () => Math.floor(random() * (bytes.length + 1)));
          }
          const expected = JSON.stringify(reference);
          for (const at of points) {
            const split = decodeDirection(f, dir, [bytes.subarray(0, at), bytes.subarray(at)]);
            expect(JSON.stringify(split), `split at ${at}`).toBe(expected);
          }
        });
      });
    }
  }
});
