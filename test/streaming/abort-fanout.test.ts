import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { watchAbort } from '../../src/streaming/abort-fanout.js';
import { createResultStream } from '../../src/streaming/index.js';
import type { TestRow } from './support/fake-source.js';
import { FakeSource, settle } from './support/fake-source.js';

function listenerCount(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

describe('watchAbort', () => {
  it('puts one listener on a signal for any number of watchers and takes it off when the last one stops', () => {
    const controller = new AbortController();
    const stops = [
      watchAbort(controller.signal, () => {}),
      watchAbort(controller.signal, () => {}),
      watchAbort(controller.signal, () => {}),
    ];
    expect(listenerCount(controller.signal)).toBe(1);
    stops[0]!();
    stops[1]!();
    expect(listenerCount(controller.signal)).toBe(1);
    stops[2]!();
    expect(listenerCount(controller.signal)).toBe(0);
    // stopping twice changes nothing
    stops[2]!();
    expect(listenerCount(controller.signal)).toBe(0);
  });

  it('after the listener was taken off, a new watcher gets a fresh one and is called on abort', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    watchAbort(controller.signal, () => calls.push('gone'))();
    expect(listenerCount(controller.signal)).toBe(0);
    watchAbort(controller.signal, () => calls.push('second'));
    expect(listenerCount(controller.signal)).toBe(1);
    controller.abort();
    expect(calls).toEqual(['second']);
    expect(listenerCount(controller.signal)).toBe(0);
  });

  it('on abort calls only the watchers still watching, each once', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const stopA = watchAbort(controller.signal, () => calls.push('a'));
    watchAbort(controller.signal, () => calls.push('b'));
    watchAbort(controller.signal, () => calls.push('c'));
    stopA();
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['b', 'c']);
  });

  it('a watcher that stops watching from inside the abort callback does not disturb the others', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    let stopB: () => void = () => {};
    watchAbort(controller.signal, () => {
      calls.push('a');
      stopB();
    });
    stopB = watchAbort(controller.signal, () => calls.push('b'));
    controller.abort();
    expect(calls).toEqual(['a', 'b']);
  });
});

describe('streams sharing one signal', () => {
  it('the signal keeps its listener while any stream is open and has none once every stream has ended', async () => {
    const controller = new AbortController();
    const sources = [new FakeSource({ rows: 20 }), new FakeSource({ rows: 20 })];
    const streams = sources.map((s) => createResultStream<TestRow>(s, { fetchSize: 10, signal: controller.signal }));
    expect(listenerCount(controller.signal)).toBe(1);
    let rows = 0;
    for await (const _row of streams[0]!) rows++;
    expect(rows).toBe(20);
    expect(listenerCount(controller.signal)).toBe(1);
    streams[1]!.cancel();
    await settle();
    expect(listenerCount(controller.signal)).toBe(0);
  });
});
