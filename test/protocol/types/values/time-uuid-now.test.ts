import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeUuid } from '../../../../src/protocol/types/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TimeUuid.now()', () => {
  it('is a version 1, RFC 4122 variant uuid carrying the current time', () => {
    const before = Date.now();
    const id = TimeUuid.now();
    const after = Date.now();
    expect(id).toBeInstanceOf(TimeUuid);
    expect(id.version).toBe(1);
    expect(id.toString()[19]).toMatch(/[89ab]/);
    expect(id.getDate().getTime()).toBeGreaterThanOrEqual(before);
    expect(id.getDate().getTime()).toBeLessThanOrEqual(after + 1);
  });

  it('keeps one clock sequence and node (multicast bit set) for the whole process', () => {
    const tails = new Set(Array.from({ length: 50 }, () => TimeUuid.now().toString().slice(19)));
    expect(tails.size).toBe(1);
    const node = [...tails][0]!.slice(5);
    expect(Number.parseInt(node.slice(0, 2), 16) & 0x01).toBe(1);
  });

  it('strictly increases within the process: the same millisecond counts ticks, a clock stepping back is ignored', () => {
    const clock = vi.spyOn(Date, 'now');
    clock.mockReturnValue(4_000_000_000_000);
    const first = TimeUuid.now();
    const second = TimeUuid.now();
    expect(second.timestamp - first.timestamp).toBe(1n);
    clock.mockReturnValue(3_999_999_999_000); // one second back
    const third = TimeUuid.now();
    expect(third.timestamp - second.timestamp).toBe(1n);
    expect(third.getDate().getTime()).toBe(4_000_000_000_000);
    clock.mockReturnValue(4_000_000_000_005);
    const fourth = TimeUuid.now();
    expect(fourth.getDate().getTime()).toBe(4_000_000_000_005);
    // the 60-bit timestamp is ms x 10,000 + ticks past the Gregorian offset (a multiple of 10,000)
    expect([first, second, third, fourth].map((u) => u.timestamp % 10_000n)).toEqual([0n, 1n, 2n, 0n]);
  });

  it('past 10,000 uuids in one millisecond it moves on to the next millisecond', () => {
    const clock = vi.spyOn(Date, 'now');
    clock.mockReturnValue(4_100_000_000_000);
    const ids = Array.from({ length: 10_001 }, () => TimeUuid.now());
    expect(ids[9_999]!.getDate().getTime()).toBe(4_100_000_000_000);
    expect(ids[10_000]!.getDate().getTime()).toBe(4_100_000_000_001);
    expect(ids.every((u, i) => i === 0 || u.timestamp === ids[i - 1]!.timestamp + 1n)).toBe(true);
  });
});
