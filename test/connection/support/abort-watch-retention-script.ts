/**
 * Run by abort-watch.test.ts in a Node process of its own with `--expose-gc`: 200,000 requests, 16 in flight, each
 * with a signal of its own that an AbortWatch watches from the request's start to its answer (a
 * turn of the event loop later), as a connection does for speculative executions. Counts the
 * full (mark-compact) collections meanwhile. With a Map from signal to count this ran 9 of
 * them, as signals the Map no longer held stayed alive through the young collections, were
 * promoted and died in the old generation; with nothing kept, the young collections free them
 * all and none is needed. Prints one JSON object.
 */
import { AbortWatch } from '../../../src/connection/abort-watch.js';
import { countMajorCollections } from '../../support/major-collections.js';

/** A stand-in for a request's signal, holding some memory as a request does. */
class RequestSignal extends EventTarget {
  readonly aborted = false;
  readonly reason = undefined;
  readonly payload = new Array<number>(64).fill(0);
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const REQUESTS = 200_000;
const watch = new AbortWatch(() => {});
// in the old generation, as the watch of a connection that has been open a while
gc();
gc();

const collections = countMajorCollections();
let started = 0;
const inFlight = async (): Promise<void> => {
  while (started < REQUESTS) {
    started++;
    const signal = new RequestSignal() as unknown as AbortSignal;
    watch.watch(signal);
    await new Promise((resolve) => setImmediate(resolve));
    watch.unwatch(signal);
  }
};
await Promise.all(Array.from({ length: 16 }, inFlight));
const majors = await collections.stop();
process.stdout.write(`${JSON.stringify({ requests: started, majors, watched: watch.size })}\n`);
