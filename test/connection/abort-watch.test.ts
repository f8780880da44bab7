import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AbortWatch } from '../../src/connection/abort-watch.js';
import { runTsxScript } from '../support/run-tsx-script.js';

/** The 'abort' listeners on `controller`'s signal. */
function listeners(controller: AbortController): number {
  return getEventListeners(controller.signal, 'abort').length;
}

/** A watch with two requests sent with signal `a` and one with `b`; `aborted` lists what it reported. */
function twoOnAOneOnB(): { watch: AbortWatch; aborted: AbortSignal[]; a: AbortController; b: AbortController } {
  const aborted: AbortSignal[] = [];
  const watch = new AbortWatch((s) => aborted.push(s));
  const a = new AbortController();
  const b = new AbortController();
  watch.watch(a.signal);
  watch.watch(a.signal);
  watch.watch(b.signal);
  return { watch, aborted, a, b };
}

describe('AbortWatch (the abort listeners of one connection)', () => {
  it('one listener per signal however many requests share it, removed with the last of them', () => {
    const { watch, aborted, a, b } = twoOnAOneOnB();
    expect([listeners(a), listeners(b), watch.size]).toEqual([1, 1, 2]);
    watch.unwatch(a.signal);
    expect([listeners(a), watch.size]).toEqual([1, 2]);
    watch.unwatch(a.signal);
    watch.unwatch(b.signal);
    expect([listeners(a), listeners(b), watch.size]).toEqual([0, 0, 0]);
    expect(aborted).toEqual([]);
  });

  it('an aborted signal is reported once and forgotten; its requests settling later change nothing', () => {
    const { watch, aborted, a, b } = twoOnAOneOnB();
    a.abort(new Error('stop'));
    expect(aborted).toEqual([a.signal]);
    expect([listeners(a), watch.size]).toEqual([0, 1]);
    watch.unwatch(a.signal);
    watch.unwatch(a.signal);
    expect([listeners(b), watch.size]).toEqual([1, 1]);
    // b kept its count through a's removal
    watch.watch(b.signal);
    watch.unwatch(b.signal);
    expect(listeners(b)).toBe(1);
    watch.unwatch(b.signal);
    expect([listeners(b), watch.size]).toEqual([0, 0]);
  });

  it('many distinct signals in flight (past the linear part) are counted, aborted and released the same way', () => {
    const aborted: AbortSignal[] = [];
    const watch = new AbortWatch((s) => aborted.push(s));
    const signals = Array.from({ length: 150 }, () => new AbortController());
    for (const s of signals) {
      watch.watch(s.signal);
      watch.watch(s.signal);
    }
    expect(watch.size).toBe(150);
    expect(signals.every((s) => listeners(s) === 1)).toBe(true);
    signals[3]!.abort();
    signals[140]!.abort();
    expect(aborted).toEqual([signals[3]!.signal, signals[140]!.signal]);
    expect(watch.size).toBe(148);
    for (const s of signals.slice().reverse()) watch.unwatch(s.signal);
    expect(watch.size).toBe(148);
    for (const s of signals) watch.unwatch(s.signal);
    expect(watch.size).toBe(0);
    expect(signals.every((s) => listeners(s) === 0)).toBe(true);
    expect(aborted).toHaveLength(2);
  });

  it('a signal per request keeps nothing alive past its request (no full collections for it)', async () => {
    const run = await runTsxScript('test/connection/support/abort-watch-retention-script.ts', [], 60_000, [
      '--expose-gc',
    ]);
    expect(run.code, run.out).toBe(0);
    const report = JSON.parse(run.out.trim().split('\n').at(-1) ?? '') as {
      requests: number;
      majors: number;
      watched: number;
    };
    expect(report.requests).toBe(200_000);
    expect(report.watched).toBe(0);
    // a Map from signal to count ran 9 here
    expect(report.majors).toBeLessThanOrEqual(1);
  });
});
