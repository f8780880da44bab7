import { describe, expect, it } from 'vitest';
import {
  ChunkQueue,
  SEGMENT_CRC32_SEED,
  segmentCrc32,
  segmentCrc32Update,
} from '../../../src/protocol/segment/index.js';

/** The bytes 0..n-1 (mod 256) pushed as chunks of the given sizes. */
function queueOf(sizes: number[]): { queue: ChunkQueue; bytes: Buffer } {
  const total = sizes.reduce((a, b) => a + b, 0);
  const bytes = Buffer.from(Array.from({ length: total }, (_, i) => i & 0xff));
  const queue = new ChunkQueue();
  let at = 0;
  for (const n of sizes) {
    queue.push(bytes.subarray(at, at + n));
    at += n;
  }
  return { queue, bytes };
}

describe('ChunkQueue', () => {
  it('peekInto with a skip reads across chunk boundaries without consuming', () => {
    const { queue, bytes } = queueOf([3, 1, 5, 7]);
    queue.skip(2);
    const target = Buffer.alloc(8);
    queue.peekInto(target, 6, 3, 2);
    expect([...target]).toEqual([0, 0, ...bytes.subarray(5, 11)]);
    expect(queue.length).toBe(14);
  });

  it('checksum over chunks equals the checksum of the joined bytes', () => {
    const { queue, bytes } = queueOf([1, 10, 2, 300, 4]);
    queue.skip(5);
    const crc = queue.checksum(300, segmentCrc32Update, SEGMENT_CRC32_SEED) >>> 0;
    expect(crc).toBe(segmentCrc32(bytes.subarray(5, 305)));
    expect(queue.length).toBe(312);
  });

  it('takeInto copies and consumes, leaving the rest in place', () => {
    const { queue, bytes } = queueOf([4, 4, 4]);
    queue.skip(1);
    const target = Buffer.alloc(12);
    queue.takeInto(target, 2, 9);
    expect(target.subarray(2, 11).equals(bytes.subarray(1, 10))).toBe(true);
    expect(queue.length).toBe(2);
    expect(queue.consumed).toBe(10);
    expect(queue.take(2).equals(bytes.subarray(10))).toBe(true);
  });
});

describe('ChunkQueue in transient mode', () => {
  it('take copies; retainUnconsumed copies the rest out of the reused buffer, once', () => {
    const queue = new ChunkQueue();
    queue.transient = true;
    const read = Buffer.from('abcdefgh');
    queue.push(read.subarray(0, 8));
    const taken = queue.take(3);
    queue.retainUnconsumed();
    read.fill(0x2e);
    expect(taken.toString()).toBe('abc');
    read.write('ijkl');
    queue.push(read.subarray(0, 4));
    queue.retainUnconsumed();
    read.fill(0x2e);
    expect(queue.take(9).toString()).toBe('defghijkl');
    expect(queue.length).toBe(0);
  });
});

describe('ChunkQueue carry buffer (transient mode)', () => {
  /** Pushes `text` as a view of the reused `read` buffer, as a connection's read callback does. */
  function pushRead(queue: ChunkQueue, read: Buffer, text: string): void {
    read.write(text);
    queue.push(read.subarray(0, text.length));
  }

  it('the unconsumed tails of successive reads reuse one buffer once the previous tail is consumed', () => {
    const queue = new ChunkQueue();
    queue.transient = true;
    const read = Buffer.alloc(16);
    pushRead(queue, read, 'abcdef');
    expect(queue.take(2).toString()).toBe('ab');
    queue.retainUnconsumed();
    read.fill(0x2e);
    expect(queue.remaining().map((b) => b.toString())).toEqual(['cdef']);
    const firstCarry = queue.remaining()[0]!.buffer;
    expect(firstCarry).not.toBe(read.buffer);
    expect(queue.take(4).toString()).toBe('cdef');
    pushRead(queue, read, 'ghijk');
    expect(queue.take(1).toString()).toBe('g');
    queue.retainUnconsumed();
    read.fill(0x2e);
    expect(queue.remaining()[0]!.buffer).toBe(firstCarry);
    expect(queue.take(4).toString()).toBe('hijk');
    expect(queue.length).toBe(0);
  });

  it('while the carry still holds unconsumed bytes, a new tail goes to memory of its own', () => {
    const queue = new ChunkQueue();
    queue.transient = true;
    const read = Buffer.alloc(16);
    pushRead(queue, read, 'abc');
    queue.retainUnconsumed();
    const carry = queue.remaining()[0]!.buffer;
    pushRead(queue, read, 'defg');
    queue.retainUnconsumed();
    read.fill(0x2e);
    const parts = queue.remaining();
    expect(parts.map((b) => b.toString())).toEqual(['abc', 'defg']);
    expect(parts[0]!.buffer).toBe(carry);
    expect(parts[1]!.buffer).not.toBe(carry);
    expect(parts[1]!.buffer).not.toBe(read.buffer);
    // the carry's bytes consumed: the next tail reuses it, whole chunks behind it and all
    expect(queue.take(5).toString()).toBe('abcde');
    pushRead(queue, read, 'hi');
    queue.retainUnconsumed();
    read.fill(0x2e);
    expect(queue.remaining().map((b) => b.toString())).toEqual(['fg', 'hi']);
    expect(queue.take(4).toString()).toBe('fghi');
  });
});
