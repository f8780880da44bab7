import { describe, expect, it } from 'vitest';
import { READ_BUFFER_SIZE, ReadBuffer } from '../../src/connection/read-buffer.js';

describe('ReadBuffer', () => {
  it('hands each read to the sink as a view of the one buffer', () => {
    const reads = new ReadBuffer();
    const seen: Buffer[] = [];
    reads.attach((chunk) => seen.push(chunk));
    reads.buffer.write('hello');
    expect(reads.onRead(5)).toBe(true);
    expect(seen[0]!.toString()).toBe('hello');
    expect(seen[0]!.buffer).toBe(reads.buffer.buffer);
    expect(reads.buffer.length).toBe(READ_BUFFER_SIZE);
  });

  it('copies bytes read before a sink is attached and hands them over first, in order', () => {
    const reads = new ReadBuffer();
    reads.buffer.write('one');
    reads.onRead(3);
    reads.buffer.write('two');
    reads.onRead(3);
    const seen: string[] = [];
    reads.attach((chunk) => seen.push(chunk.toString()));
    reads.buffer.write('six');
    reads.onRead(3);
    expect(seen).toEqual(['one', 'two', 'six']);
  });
});
