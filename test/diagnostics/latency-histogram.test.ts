import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/diagnostics/index.js';

/** The exact percentile of sorted values, by the same rank rule (the ⌈p/100 × n⌉-th smallest). */
function exactPercentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

/** A deterministic pseudo-random sequence (xorshift32), so a failure can be replayed. */
function* randoms(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield (x >>> 0) / 0x100000000;
  }
}

describe('LatencyHistogram', () => {
  it('is empty at first: every percentile and the max are 0', () => {
    const h = new LatencyHistogram();
    expect(h.count).toBe(0);
    expect(h.percentileMs(50)).toBe(0);
    expect(h.percentileMs(99)).toBe(0);
    expect(h.maxMs).toBe(0);
  });

  it('keeps values below 64 µs exactly', () => {
    const h = new LatencyHistogram();
    for (let us = 0; us < 64; us++) h.recordMs(us / 1000);
    expect(h.count).toBe(64);
    expect(h.percentileMs(50)).toBe(0.031); // the 32nd smallest of 0..63 µs
    expect(h.percentileMs(100)).toBe(0.063);
    expect(h.maxMs).toBe(0.063);
  });

  it('reports every percentile within 1.6 % of the exact one, over six decades of latencies', () => {
    const h = new LatencyHistogram();
    const values: number[] = [];
    const r = randoms(0x2545f491);
    for (let i = 0; i < 20_000; i++) {
      // log-uniform from 1 µs to 1,000 s, rounded to the microsecond as recorded
      const ms = Math.round(10 ** (r.next().value * 9 - 3) * 1000) / 1000;
      values.push(ms);
      h.recordMs(ms);
    }
    values.sort((a, b) => a - b);
    for (const p of [1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100]) {
      const exact = exactPercentile(values, p);
      const got = h.percentileMs(p);
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.max(exact / 64, 0.0005));
    }
    expect(h.maxMs).toBe(values[values.length - 1]);
  });

  it('never reports a percentile above the recorded maximum', () => {
    const h = new LatencyHistogram();
    h.recordMs(98.305); // 98,305 µs is the second value of the bucket 98,304..100,351 µs (midpoint 99,327.5)
    expect(h.percentileMs(50)).toBe(98.305);
    expect(h.percentileMs(99)).toBe(98.305);
  });

  it('merges: the sum of two histograms answers as one holding both sets of values', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const both = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 === 0 ? a : b).recordMs(i * 0.37);
      both.recordMs(i * 0.37);
    }
    a.add(b);
    expect(a.count).toBe(1000);
    expect(a.maxMs).toBe(both.maxMs);
    for (const p of [50, 95, 99]) expect(a.percentileMs(p)).toBe(both.percentileMs(p));
  });

  it('counts negative values as 0 and clamps values past 2^32 µs, in fixed memory', () => {
    const h = new LatencyHistogram();
    h.recordMs(-5);
    h.recordMs(Number.NaN);
    h.recordMs(10 * 3600 * 1000); // ten hours
    expect(h.count).toBe(3);
    expect(h.percentileMs(50)).toBe(0);
    expect(h.maxMs).toBe(4294967.295);
    // the top bucket's midpoint: within 1/64 of the clamped value
    expect(h.percentileMs(100)).toBe(4261412.8635);
  });

  it('forgets everything on reset', () => {
    const h = new LatencyHistogram();
    h.recordMs(12);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.percentileMs(50)).toBe(0);
    expect(h.maxMs).toBe(0);
  });
});
