import { afterEach, describe, expect, it } from 'vitest';
import { type Envelope, encodeEnvelope, Opcode } from '../../../src/protocol/envelope/index.js';
import { FrameDecoder } from '../../../src/protocol/framing/index.js';
import {
  allocateEnvelopeMemory,
  clearEnvelopeMemory,
  ENVELOPE_MEMORY_MIN,
  recycleEnvelopeMemory,
} from '../../../src/protocol/segment/envelope-memory.js';
import { ChunkQueue, encodeSegments, SegmentDecoder } from '../../../src/protocol/segment/index.js';

const KiB = 1024;

/** A v5 (or v4) RESULT response on `stream` whose body is `size` bytes of `fill`. */
function response(stream: number, size: number, fill: number, version = 5): Envelope {
  return { version, isResponse: true, flags: 0, stream, opcode: Opcode.RESULT, body: Buffer.alloc(size, fill) };
}

/** A decoder over a transient queue (as a TCP connection reads), fed `bytes` in one read. */
function decodeAll(bytes: Buffer): Envelope[] {
  const queue = new ChunkQueue();
  queue.transient = true;
  const decoder = new SegmentDecoder({ compression: 'none', expectResponses: true }, queue);
  const read = Buffer.from(bytes);
  decoder.push(read);
  const out: Envelope[] = [];
  for (let e = decoder.next(); e !== undefined; e = decoder.next()) out.push(e);
  queue.retainUnconsumed();
  read.fill(0);
  return out;
}

afterEach(() => clearEnvelopeMemory());

describe('envelope memory', () => {
  it('memory given back is handed out again for the next envelope that fits, once', () => {
    const a = allocateEnvelopeMemory(200 * KiB);
    expect(a.length).toBe(216 * KiB); // a sixteenth more, in 4 KiB steps
    expect(recycleEnvelopeMemory(a.subarray(9, 1000))).toBe(true);
    expect(recycleEnvelopeMemory(a)).toBe(false); // already given back
    const b = allocateEnvelopeMemory(210 * KiB);
    expect(b.buffer).toBe(a.buffer);
    const c = allocateEnvelopeMemory(210 * KiB);
    expect(c.buffer).not.toBe(a.buffer); // the one recycled buffer is in use again
    expect(recycleEnvelopeMemory(b)).toBe(true);
    expect(allocateEnvelopeMemory(217 * KiB).buffer).not.toBe(a.buffer); // too small for it
  });

  it('at most 8 buffers wait for reuse: a full list drops its smallest for a larger one, and refuses a smaller one', () => {
    const buffers = Array.from({ length: 9 }, (_, i) => allocateEnvelopeMemory((100 + 8 * i) * KiB));
    for (const b of buffers.slice(1)) expect(recycleEnvelopeMemory(b)).toBe(true);
    expect(recycleEnvelopeMemory(buffers[0]!)).toBe(false); // smaller than all 8 waiting
    const tiny = allocateEnvelopeMemory(70 * KiB);
    expect(tiny.buffer).toBe(buffers[1]!.buffer); // the smallest that fits
    const larger = allocateEnvelopeMemory(300 * KiB);
    expect(recycleEnvelopeMemory(tiny)).toBe(true); // 7 waiting: room again
    expect(recycleEnvelopeMemory(larger)).toBe(true); // full: the smallest (tiny's) goes
    expect(allocateEnvelopeMemory(70 * KiB).buffer).toBe(buffers[2]!.buffer);
    expect(allocateEnvelopeMemory(200 * KiB).buffer).toBe(larger.buffer);
  });

  it('small envelopes and foreign Buffers are never taken back', () => {
    const small = allocateEnvelopeMemory(ENVELOPE_MEMORY_MIN - 1);
    expect(small.length).toBe(ENVELOPE_MEMORY_MIN - 1);
    expect(recycleEnvelopeMemory(small)).toBe(false);
    expect(recycleEnvelopeMemory(Buffer.allocUnsafe(200 * KiB))).toBe(false);
  });

  it('a gathered v5 envelope (split over segments) is recyclable, and the next one is gathered into it', () => {
    const first = decodeAll(encodeSegments([response(1, 300 * KiB, 0x61)], { compression: 'none' }));
    expect(first.length).toBe(1);
    expect(first[0]!.body.length).toBe(300 * KiB);
    expect(first[0]!.body.every((b) => b === 0x61)).toBe(true);
    expect(recycleEnvelopeMemory(first[0]!.body)).toBe(true);
    const second = decodeAll(encodeSegments([response(2, 290 * KiB, 0x62)], { compression: 'none' }));
    expect(second[0]!.body.buffer).toBe(first[0]!.body.buffer);
    expect(second[0]!.body.length).toBe(290 * KiB);
    expect(second[0]!.body.every((b) => b === 0x62)).toBe(true);
  });

  it('a self-contained payload is recyclable only when it holds a single envelope', () => {
    const alone = decodeAll(encodeSegments([response(1, 100 * KiB, 0x61)], { compression: 'none' }));
    expect(alone.length).toBe(1);
    expect(recycleEnvelopeMemory(alone[0]!.body)).toBe(true);
    clearEnvelopeMemory();
    const shared = decodeAll(
      encodeSegments([response(1, 60 * KiB, 0x61), response(2, 40 * KiB, 0x62)], { compression: 'none' }),
    );
    expect(shared.map((e) => e.stream)).toEqual([1, 2]);
    expect(shared[0]!.body.buffer).toBe(shared[1]!.body.buffer); // one payload, two envelopes
    expect(recycleEnvelopeMemory(shared[0]!.body)).toBe(false);
    expect(recycleEnvelopeMemory(shared[1]!.body)).toBe(false);
    expect(shared[1]!.body.every((b) => b === 0x62)).toBe(true);
  });

  it('a v4 body copied out of a reused read buffer is recyclable; one that is a view of the chunk is not', () => {
    const bytes = encodeEnvelope(response(3, 100 * KiB, 0x63, 4), { compression: 'none' });
    const transient = new FrameDecoder({ expectResponses: true, transientChunks: true });
    transient.push(Buffer.from(bytes));
    const copied = transient.next()!;
    expect(copied.body.length).toBe(100 * KiB);
    expect(recycleEnvelopeMemory(copied.body)).toBe(true);
    const kept = new FrameDecoder({ expectResponses: true });
    kept.push(Buffer.from(bytes));
    expect(recycleEnvelopeMemory(kept.next()!.body)).toBe(false);
  });
});
